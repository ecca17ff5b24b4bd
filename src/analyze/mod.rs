//! Readability metrics and plain-language lint (issue 5): pure functions over the model.
//!
//! Patient materials should read at or below an 8th-grade level (NIH; the AMA says 6th).
//! [`analyze`] fills [`Article::stats`] with the figures clinic staff compare against
//! that target and appends warnings that say what to change and where.
//!
//! What counts: the body blocks, on their structure rather than on flattened text. Each
//! heading, paragraph, list item and table cell is a unit that ends a sentence even
//! without a final period (a bullet is a sentence to the reader, and running it into the
//! next would inflate the words per sentence); nested lists and quotes are walked; code
//! blocks are skipped. The title is not counted: it lives in `meta`, is set apart as a
//! label rather than read as prose, and `Stats` is documented as describing the body.
//!
//! The lint is deliberately quiet, because a list of forty warnings gets ignored:
//! - a sentence over [`LONG_SENTENCE`] words, quoting its first words so it can be found;
//! - each word from the plain-language list, once per article at its first use, with how
//!   often and where else it appears, since fixing one usually means fixing all.
//!
//! Lint warnings are recognisable ([`is_lint`]) and replaced on every run, so calling
//! [`analyze`] again (after an edit, or in `watch`) never duplicates them.

mod formulas;
mod plain;
mod sentences;
pub mod spanish;
mod syllables;

pub use formulas::{flesch_kincaid_grade, flesch_reading_ease, reading_minutes, round1, smog};
pub use plain::{Entry, Kind, PlainLanguage, WordLists, primary_subtag};
pub use syllables::{is_polysyllable, syllables};

use std::collections::BTreeMap;

use crate::model::{Article, Inline, Stats, Warning, for_each_inlines};

/// Sentences with more words than this get a warning.
pub const LONG_SENTENCE: usize = 25;
/// What the warning suggests instead (CDC Clear Communication Index: under 20 words).
pub const TARGET_SENTENCE: usize = 20;

/// How many words of a long sentence the warning quotes.
const QUOTE_WORDS: usize = 8;
/// How many further lines a plain-language warning lists before "…".
const MORE_LINES: usize = 5;

const LONG_PREFIX: &str = "long sentence: ";
const PLAIN_PREFIX: &str = "plain language: ";
const READABILITY_PREFIX: &str = "readability: ";

/// Whether `warning` came from this module's lint (and will be replaced by the next
/// [`analyze`]), as opposed to one from ingest.
pub fn is_lint(warning: &Warning) -> bool {
    [LONG_PREFIX, PLAIN_PREFIX, READABILITY_PREFIX].iter().any(|p| warning.message.starts_with(p))
}

/// The readability formulas that fit an article's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formulas {
    /// Flesch reading ease, Flesch-Kincaid, SMOG, with English syllable rules.
    English,
    /// Szigriszt-Pazos (INFLESZ) and Fernández-Huerta, with Spanish syllable rules.
    Spanish,
    /// No formula: words and sentences only.
    None,
}

impl Formulas {
    fn for_lang(lang: &str) -> Self {
        match primary_subtag(lang).as_str() {
            "en" => Formulas::English,
            "es" => Formulas::Spanish,
            _ => Formulas::None,
        }
    }

    fn syllables(self, word: &str) -> usize {
        match self {
            Formulas::English => syllables(word),
            Formulas::Spanish => spanish::syllables(word),
            Formulas::None => 0,
        }
    }
}

/// A label for a Flesch-Kincaid grade, for reports: "easy" meets the AMA's 6th-grade
/// advice, "plain" the NIH's 8th grade, "hard" is high-school level, "very hard" beyond.
pub fn grade_band(grade: f64) -> &'static str {
    if grade <= 6.0 {
        "easy"
    } else if grade <= 8.0 {
        "plain"
    } else if grade <= 12.0 {
        "hard"
    } else {
        "very hard"
    }
}

/// Fills `article.stats` and replaces the lint warnings in `article.warnings`.
/// Idempotent: other warnings are kept, lint warnings are recomputed.
pub fn analyze(article: &mut Article, lists: &WordLists) {
    let formulas = Formulas::for_lang(&article.meta.lang);
    let empty = PlainLanguage::default();
    let words = lists.get(&article.meta.lang).unwrap_or(&empty);
    // Code is read character by character, not as sentences, so code blocks give no units.
    let mut units = Vec::new();
    for_each_inlines(&article.blocks, 0, &mut |inlines, line| {
        units.push(Unit { text: unit_text(inlines), line })
    });

    let mut counts = Counts { formulas, ..Counts::default() };
    let mut lint = Lint::default();
    for unit in &units {
        for sentence in sentences::split(&unit.text) {
            let line = unit.line + unit.text[..sentence.start].matches('\n').count();
            counts.add(&sentence.words);
            lint.sentence(&sentence, line);
            lint.plain_words(&sentence.words, line, words);
        }
    }

    article.stats = Some(counts.stats());
    article.warnings.retain(|w| !is_lint(w));
    if formulas == Formulas::None {
        article.warnings.push(Warning::general(format!(
            "{READABILITY_PREFIX}no formula is configured for \"{}\"; words and sentences are counted, \
             the reading level is not",
            article.meta.lang
        )));
    }
    article.warnings.extend(lint.into_warnings());
}

/// A stretch of text that ends a sentence where it ends, with the source line it
/// starts on.
struct Unit {
    text: String,
    line: usize,
}

/// The text of a unit. Line breaks stay `\n`, so a sentence's source line is the unit's
/// line plus the breaks before it. Text in capitals ("WHEN TO CALL US") is lowered, or
/// every short word would be counted as an initialism.
fn unit_text(inlines: &[Inline]) -> String {
    fn push(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                    push(content, out)
                }
                Inline::LineBreak => out.push('\n'),
            }
        }
    }
    let mut text = String::new();
    push(inlines, &mut text);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    if letters >= 8 && upper * 10 >= letters * 8 {
        text = text.to_lowercase();
    }
    text
}

struct Counts {
    formulas: Formulas,
    words: usize,
    sentences: usize,
    syllables: usize,
    polysyllables: usize,
}

impl Default for Counts {
    fn default() -> Self {
        Counts { formulas: Formulas::English, words: 0, sentences: 0, syllables: 0, polysyllables: 0 }
    }
}

impl Counts {
    fn add(&mut self, words: &[&str]) {
        self.sentences += 1;
        self.words += words.len();
        for word in words {
            let n = self.formulas.syllables(word);
            self.syllables += n;
            if n >= 3 {
                self.polysyllables += 1;
            }
        }
    }

    fn stats(&self) -> Stats {
        let (w, s, y) = (self.words, self.sentences, self.syllables);
        let english = self.formulas == Formulas::English;
        let spanish = self.formulas == Formulas::Spanish;
        Stats {
            words: w,
            sentences: s,
            syllables: y,
            flesch_reading_ease: english.then(|| round1(flesch_reading_ease(w, s, y))),
            flesch_kincaid_grade: english.then(|| round1(flesch_kincaid_grade(w, s, y))),
            smog: english.then(|| round1(smog(self.polysyllables, s))),
            inflesz: spanish.then(|| round1(spanish::inflesz(w, s, y))),
            fernandez_huerta: spanish.then(|| round1(spanish::fernandez_huerta(w, s, y))),
            reading_minutes: reading_minutes(w),
        }
    }
}

/// One plain-language entry's uses in the article.
struct Uses<'a> {
    entry: &'a Entry,
    /// As first written, e.g. "Metastatic".
    first: String,
    lines: Vec<usize>,
    count: usize,
    /// Order of first use, so warnings on the same line keep reading order.
    order: usize,
}

#[derive(Default)]
struct Lint<'a> {
    long: Vec<Warning>,
    plain: BTreeMap<&'a str, Uses<'a>>,
}

impl<'a> Lint<'a> {
    fn sentence(&mut self, sentence: &sentences::Sentence, line: usize) {
        let n = sentence.words.len();
        if n <= LONG_SENTENCE {
            return;
        }
        // Quoted as written, punctuation and all, so a search in an editor finds it.
        let mut quote = sentence.text.split_whitespace().take(QUOTE_WORDS).collect::<Vec<_>>().join(" ");
        quote.push('…');
        self.long.push(Warning::at(
            line,
            format!("{LONG_PREFIX}{n} words (aim for under {TARGET_SENTENCE}): “{quote}”"),
        ));
    }

    fn plain_words(&mut self, words: &[&str], line: usize, list: &'a PlainLanguage) {
        if list.is_empty() {
            return;
        }
        let normalized: Vec<String> = words.iter().map(|w| plain::normalize(w)).collect();
        let mut i = 0;
        while i < normalized.len() {
            let Some((entry, len)) = list.match_at(&normalized, i) else {
                i += 1;
                continue;
            };
            let order = self.plain.len();
            let uses = self.plain.entry(entry.key.as_str()).or_insert_with(|| Uses {
                entry,
                first: words[i..i + len].join(" "),
                lines: Vec::new(),
                count: 0,
                order,
            });
            uses.count += 1;
            if uses.lines.last() != Some(&line) {
                uses.lines.push(line);
            }
            i += len;
        }
    }

    fn into_warnings(self) -> Vec<Warning> {
        let mut plain: Vec<Uses> = self.plain.into_values().collect();
        plain.sort_by_key(|u| u.order);
        let mut out: Vec<Warning> = plain.iter().map(plain_warning).collect();
        out.extend(self.long);
        // Stable: on one line, word hints come before the long-sentence warning.
        out.sort_by_key(|w| w.line);
        out
    }
}

fn plain_warning(uses: &Uses) -> Warning {
    let Uses { entry, first, lines, count, .. } = uses;
    let advice = match entry.kind {
        Kind::Replace => format!("'{first}' → try '{}'", entry.alternative),
        Kind::Explain => {
            format!("'{first}' is a medical term; say what it means the first time ('{}')", entry.alternative)
        }
    };
    let mut message = format!("{PLAIN_PREFIX}{advice}");
    if *count > 1 {
        message.push_str(&format!("; used {count} times"));
        let more = &lines[1..];
        if !more.is_empty() {
            let shown: Vec<String> = more.iter().take(MORE_LINES).map(usize::to_string).collect();
            let ellipsis = if more.len() > MORE_LINES { ", …" } else { "" };
            let s = if more.len() == 1 { "" } else { "s" };
            message.push_str(&format!(", also line{s} {}{ellipsis}", shown.join(", ")));
        }
    }
    Warning { line: lines.first().copied(), message }
}

#[cfg(test)]
mod tests;
