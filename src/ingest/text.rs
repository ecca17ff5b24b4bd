//! Plain-text inference: structure recovered from text pasted out of a web page.
//!
//! Pasted articles lose their markup but keep its shadow: a title on the first line,
//! short unpunctuated lines as headings, dash or number prefixes as list items,
//! "Label: sentence" lead-ins, and the blog's footer ("Popular posts from this blog")
//! at the end. Every rule below is deliberately conservative: when unsure, a line
//! stays a paragraph, and nothing is ever dropped without an entry in `removed`.

use crate::ingest::Body;
use crate::ingest::lines::{
    HEADING_MAX_WORDS, Line, ListMarker, MarkerKind, list_marker, looks_like_heading, starts_like_a_sentence,
    word_count,
};
use crate::ingest::page;
use crate::model::{Block, Inline, Removed, Warning};
use lists::{collect_list, unmarked_list};

mod lists;

/// Titles may run a little longer than section headings.
const TITLE_MAX_WORDS: usize = 16;
/// A lead-in label ("Targeted Therapy:") has at most this many words.
const LEAD_IN_MAX_WORDS: usize = 5;
/// A text whose lines are all at most this long may be hard-wrapped.
const HARD_WRAP_MAX_CHARS: usize = 100;
/// A line this long that stops without punctuation may continue on the next line.
const WRAPPED_LINE_MIN_WORDS: usize = 10;
/// A safety line that introduces what follows ("Call 911 … any of the following:") is a
/// heading up to this many words.
const SAFETY_LEAD_IN_MAX_WORDS: usize = 24;
/// A paragraph this long that a page prints twice word for word is its teaser or a
/// repeated caption, not something the author meant to say twice.
const REPEATED_PROSE_MIN_WORDS: usize = 12;
/// A line after a lead-in ("Symptoms include:") of at most this many words is a list item.
const ITEM_MAX_WORDS: usize = 30;

/// How to read a paste.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Print every line: no search for the article in a whole page (front matter
    /// `boilerplate: keep`).
    pub keep_boilerplate: bool,
}

/// Parses a plain-text body whose first line is source line `first_line`.
pub fn parse(body: &str, first_line: usize) -> Body {
    parse_with(body, first_line, Options::default())
}

/// [`parse`] with options.
pub fn parse_with(body: &str, first_line: usize, options: Options) -> Body {
    let lines = collect_lines(body, first_line);
    let mut out = Body::default();

    let mut article: Vec<Line> = Vec::with_capacity(lines.len());
    let mut title_from_page = false;
    if options.keep_boilerplate {
        article = lines;
        if let Some(first) = article.first()
            && is_title_line(&first.text)
        {
            out.title = Some(first.text.clone());
            article.remove(0);
        }
    } else {
        let found = page::find_article(&lines);
        // Only a paste that shows page furniture loses repeated paragraphs: an article
        // staff wrote keeps every line, a repeated one too.
        let shows_page = found.removed.iter().any(Option::is_some);
        let mut prose_seen = std::collections::HashSet::new();
        for (index, line) in lines.into_iter().enumerate() {
            if Some(index) == found.title {
                if let Some(title) = &found.title_text {
                    // "Title | Site": the site's name is not printed, so it is listed.
                    let site = line
                        .text
                        .strip_prefix(title.as_str())
                        .unwrap_or_default()
                        .trim_start_matches([' ', '|', '-', '–', '—', ':']);
                    out.removed.push(Removed {
                        reason: "site name".into(),
                        line: line.number,
                        text: site.into(),
                    });
                }
                let title = found.title_text.clone().unwrap_or_else(|| line.text.clone());
                // A trail's last step repeats the title as a bullet ("- Quand dois-je…").
                let title = match list_marker(&title) {
                    Some(marker) if marker.kind == MarkerKind::Bullet => marker.rest.to_string(),
                    _ => title,
                };
                out.title = Some(title);
                title_from_page = true;
                continue;
            }
            match found.removed[index] {
                Some(kind) => out.removed.push(Removed {
                    reason: kind.reason().to_string(),
                    line: line.number,
                    text: line.text,
                }),
                // A page that shows its teaser above the story prints the paragraph once.
                None if shows_page
                    && word_count(&line.text) >= REPEATED_PROSE_MIN_WORDS
                    && page::is_prose_line(&line.text)
                    && !prose_seen.insert(line.text.clone()) =>
                {
                    out.removed.push(Removed {
                        reason: "repeated on the page".into(),
                        line: line.number,
                        text: line.text,
                    });
                }
                None => article.push(line),
            }
        }
        if !title_from_page
            && let Some(first) = article.first()
            && is_title_line(&first.text)
            && crate::ingest::furniture::classify(&first.text).is_none()
        {
            out.title = Some(first.text.clone());
            article.remove(0);
        }
    }
    if let Some(title) = out.title.take() {
        out.title = Some(sentence_case_if_shouted(&title));
    }
    if let Some(title) = out.title.as_ref().filter(|_| title_from_page) {
        // The title was picked out of a whole page: a person should confirm it.
        out.warnings.push(Warning::general(format!(
            "title \"{title}\" was found among the page's menus and bylines; check it, or set `title:` in front matter"
        )));
    }

    out.blocks = blocks(&article, &mut out.warnings);
    out.warnings.extend(bidi_override_warnings(body, first_line));
    if let Some(warning) = truncation_warning(&out.blocks) {
        out.warnings.push(warning);
    }
    out
}

/// Lines of the article → blocks: lists (marked, or unmarked after a lead-in), headings
/// (short lines that head body text, numbered or label headings), paragraphs.
fn blocks(lines: &[Line], warnings: &mut Vec<Warning>) -> Vec<Block> {
    let spaced = lines.iter().skip(1).any(|line| line.blank_before);
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        let next = lines.get(index + 1);
        // `![alt](path "caption")` on a line of its own: the Markdown syntax, one rule
        // for both formats (see `crate::pictures`).
        if let Some(picture) = crate::pictures::parse_line(&line.text) {
            blocks.push(match crate::pictures::figure(picture, line.number, warnings) {
                Ok(figure) => figure,
                Err(alt) => Block::Paragraph { content: vec![Inline::text(alt)], line: line.number },
            });
            index += 1;
            continue;
        }
        // A lone "A. Smith…" is an initial, not a lettered list: letters need a neighbour.
        let marker = list_marker(&line.text).filter(|m| {
            m.kind != MarkerKind::Letter
                || [index.checked_sub(1), Some(index + 1)].into_iter().flatten().any(|i| {
                    lines
                        .get(i)
                        .and_then(|l| list_marker(&l.text))
                        .is_some_and(|n| n.kind == MarkerKind::Letter)
                })
        });
        if let Some(marker) = marker {
            if is_numbered_section_heading(lines, index, &marker) {
                blocks.push(heading(&line.text, line.number));
                index += 1;
                continue;
            }
            // "- Uso seguro dos medicamentos:" over items of its own: the label heads the
            // list rather than being its first item.
            let (whole, used) = collect_list(&lines[index..], marker.kind);
            // A label with sub-items nested under it is an item of its own list.
            let label_holds_items = matches!(&whole, Block::List { items, .. } if items.first().is_some_and(|item| item.len() > 1));
            if marker.kind == MarkerKind::Bullet
                && used >= 3
                && !label_holds_items
                && is_lead_in(marker.rest)
                && word_count(marker.rest) <= LEAD_IN_MAX_WORDS
                && !lines[index + 1..index + used].iter().any(|l| l.text.ends_with([':', '：']))
            {
                blocks.push(Block::Paragraph { content: paragraph_inlines(marker.rest), line: line.number });
                let (list, used) = collect_list(&lines[index + 1..], marker.kind);
                blocks.push(list);
                index += 1 + used;
                continue;
            }
            let (list, used) = collect_list(&lines[index..], marker.kind);
            blocks.push(list);
            index += used;
            continue;
        }
        // Something follows it: a safety heading with nothing under it is a fragment.
        let safety = next.is_some() && is_safety_heading(&line.text);
        if is_lead_in(&line.text) {
            let items = unmarked_items(&lines[index + 1..], spaced);
            // "When to call your doctor" over "Call 911 if:": the lead-in opens the box
            // its heading made, rather than a second box of its own.
            let opens_safety_section = matches!(blocks.last(), Some(Block::Heading { content, .. })
                if is_safety_heading(&crate::model::plain_text(content)));
            if (safety && !opens_safety_section)
                || (is_label_heading(&line.text)
                    && (items >= 2 || next.is_some_and(|n| is_body_text(&n.text))))
            {
                blocks.push(heading(&line.text, line.number));
            } else {
                blocks.push(Block::Paragraph { content: paragraph_inlines(&line.text), line: line.number });
            }
            if items >= 2 {
                blocks.push(unmarked_list(&lines[index + 1..index + 1 + items]));
                index += 1 + items;
            } else {
                index += 1;
            }
            continue;
        }
        let items = heading_over_short_items(lines, index);
        if items >= SHORT_LIST_MIN_ITEMS && !safety {
            // "Medicines to avoid" over "Aspirin" / "Ibuprofen" / "Naproxen": a heading
            // and its list, written without a colon.
            blocks.push(heading(&line.text, line.number));
            blocks.push(unmarked_list(&lines[index + 1..index + 1 + items]));
            index += 1 + items;
            continue;
        }
        if safety || is_heading(lines, index) {
            blocks.push(heading(&line.text, line.number));
        } else {
            blocks.push(Block::Paragraph { content: paragraph_inlines(&line.text), line: line.number });
        }
        index += 1;
    }
    blocks
}

/// A line [`crate::pictures::parse_line`] may read as a picture (the cheap test).
fn is_picture_line(text: &str) -> bool {
    text.starts_with("![") && text.ends_with(')')
}

fn heading(text: &str, line: usize) -> Block {
    let text = text.trim_end_matches([':', '：']).trim_end();
    Block::Heading { level: 2, content: vec![Inline::text(sentence_case_if_shouted(text))], line }
}

/// A line that ends with a colon and introduces what follows: "Symptoms include:",
/// "Activity:", "Les signes sont :".
fn is_lead_in(text: &str) -> bool {
    text.ends_with([':', '：']) && list_marker(text).is_none()
}

/// Words that make a colon line a lead-in sentence ("Symptoms include:") rather than a
/// label heading ("Activity:", "WEIGHT LOSS:").
const LEAD_IN_WORDS: &[&str] = &[
    "include",
    "includes",
    "including",
    "are",
    "is",
    "may",
    "can",
    "could",
    "should",
    "will",
    "such",
    "these",
    "this",
    "following",
    "like",
    "to",
    "you",
    "your",
    "if",
    "when",
    "as",
    "be",
    "do",
    "have",
    "has",
    "example",
    "incluyen",
    "incluye",
    "son",
    "es",
    "puede",
    "pueden",
    "debe",
    "como",
    "estos",
    "estas",
    "si",
    "cuando",
    "usted",
    "sont",
    "est",
    "peut",
    "comme",
    "ces",
    "vous",
    "são",
    "é",
    "pode",
    "você",
    "sind",
    "ist",
    "wie",
    "z.b.",
];

/// A short noun-phrase label ending in a colon, standing alone: printed as a heading.
fn is_label_heading(text: &str) -> bool {
    let label = text.trim_end_matches([':', '：']).trim_end();
    let words: Vec<String> = label.split_whitespace().map(|w| w.to_lowercase()).collect();
    (1..=LEAD_IN_MAX_WORDS).contains(&words.len())
        && starts_like_a_sentence(label)
        && !label.contains([',', '.', ';', '?', '!', '(', '"', '“'])
        && !words.iter().any(|w| LEAD_IN_WORDS.contains(&w.as_str()))
}

/// How many of `lines` form the unmarked list after a lead-in: short lines, until a long
/// line, another lead-in, a marked item, or the heading of the next section.
fn unmarked_items(lines: &[Line], spaced: bool) -> usize {
    let mut count = 0;
    // Items copied from one list come without blank lines between them (a blank line may
    // follow the lead-in). On a page that uses blank lines, a blank line after packed
    // items ends the list, and nothing else needs guessing.
    let tight = lines.get(1).is_some_and(|second| !second.blank_before);
    let packed = spaced && tight;
    let mut all_unpunctuated = true;
    for (offset, line) in lines.iter().enumerate() {
        let text = &line.text;
        if is_lead_in(text) || list_marker(text).is_some() || is_picture_line(text) || is_safety_heading(text)
        {
            break;
        }
        if offset > 0 && tight && line.blank_before {
            break;
        }
        if packed {
            count += 1;
            continue;
        }
        if word_count(text) > ITEM_MAX_WORDS {
            break;
        }
        if offset > 0 && is_heading_before_body(lines, offset) {
            break;
        }
        if page::is_prose_line(text) && word_count(text) > 20 {
            break;
        }
        // Items without final punctuation, then a full sentence: the list is over.
        if count >= 2 && all_unpunctuated && !ends_mid_sentence(text) && word_count(text) >= 8 {
            break;
        }
        all_unpunctuated &= ends_mid_sentence(text);
        count += 1;
    }
    count
}

/// A line shaped like a heading (capitals, Title Case, a question) and followed by body
/// text: ends a list above it. A sentence-case fragment ("Tiredness", "A change in the
/// colour of your foot") is more likely the list's last item.
fn is_heading_before_body(lines: &[Line], index: usize) -> bool {
    let text = &lines[index].text;
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    let title_case = text
        .split_whitespace()
        .skip(1)
        .filter(|w| w.chars().count() >= 4)
        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && word_count(text) >= 2;
    let shaped = (letters >= 4 && capitals == letters) || text.ends_with(['?', '？']) || title_case;
    looks_like_heading(text) && shaped && lines.get(index + 1).is_some_and(|next| word_count(&next.text) > 20)
}

/// Body text that a heading may stand above: a paragraph of some length, a list item or
/// a lead-in.
fn is_body_text(text: &str) -> bool {
    // Scripts written without spaces (Chinese, Japanese) have one "word" per line.
    let unspaced_sentence = word_count(text) <= 2 && text.chars().count() >= 12;
    word_count(text) > 8
        || unspaced_sentence
        || list_marker(text).is_some()
        || is_lead_in(text)
        || (text.ends_with(['.', '!', '?', '。', '！', '？']) && word_count(text) >= 4)
}

/// `1. Examine your feet daily:` followed by a paragraph, repeated for each step: the
/// steps are section headings with their numbers, not a list of one-item lists.
fn is_numbered_section_heading(lines: &[Line], index: usize, marker: &ListMarker<'_>) -> bool {
    if marker.kind == MarkerKind::Bullet {
        return false;
    }
    let rest = marker.rest;
    let Some(next) = lines.get(index + 1) else { return false };
    let next_is_item = list_marker(&next.text).is_some_and(|m| m.kind == marker.kind);
    let previous_is_item =
        index > 0 && list_marker(&lines[index - 1].text).is_some_and(|m| m.kind == marker.kind);
    word_count(rest) <= HEADING_MAX_WORDS
        && !rest.ends_with(['.', ',', ';'])
        && !next_is_item
        && !previous_is_item
        && (word_count(&next.text) > HEADING_MAX_WORDS || is_lead_in(&next.text))
}

/// Items of a list under a heading without a colon, at least.
const SHORT_LIST_MIN_ITEMS: usize = 3;
/// Words of such an item, at most: a name, a short phrase.
const SHORT_ITEM_MAX_WORDS: usize = 5;

/// How many short lines (one to five words, no sentence punctuation, no marker) follow a
/// heading-shaped line at `index` without a blank line between them, when they are all
/// the rest of its section: the list under a heading that has no colon. 0 otherwise.
fn heading_over_short_items(lines: &[Line], index: usize) -> usize {
    if !looks_like_heading(&lines[index].text) {
        return 0;
    }
    let short = |l: &Line| {
        (1..=SHORT_ITEM_MAX_WORDS).contains(&word_count(&l.text))
            && !l.text.ends_with(['.', ':', '!', '?', ';', '。', '：'])
            && list_marker(&l.text).is_none()
    };
    let mut count = 0;
    for (offset, next) in lines[index + 1..].iter().enumerate() {
        if (offset > 0 && next.blank_before) || !short(next) {
            break;
        }
        count += 1;
    }
    // The run ends the section: at the end of the text, before a blank line, or before
    // a line of body text. A run followed by more short lines is something else.
    let after = lines.get(index + 1 + count);
    let closes = after.is_none_or(|a| a.blank_before || is_body_text(&a.text));
    if closes { count } else { 0 }
}

/// A short line that says when to get help ("When to call your doctor", "CALL 911 IF:",
/// "¿Cuándo debo llamar?", phrases in `templates/labels.toml`): a heading wherever it
/// stands, never a list item or a paragraph, so every copy of the handout prints it
/// with its call box and the desk cannot leave it out. A sentence ("Call 911 if it
/// spreads.") stays a sentence; a marked item ("- Call 911") stays an item: its author
/// marked it so.
pub(crate) fn is_safety_heading(text: &str) -> bool {
    let lead_in = text.ends_with([':', '：']);
    // "Call 911 or go to your nearest emergency room for any of the following:" heads
    // the list under it however long it runs.
    let max_words = if lead_in { SAFETY_LEAD_IN_MAX_WORDS } else { HEADING_MAX_WORDS };
    word_count(text) <= max_words
        && !text.ends_with(['.', '!', ';', ',', '…', '。', '！'])
        && list_marker(text).is_none()
        && crate::labels::starts_with_safety_phrase(text)
}

/// A heading looks like one and heads body text (or a heading that does), so a stray
/// fragment at the end or between two short lines stays a paragraph.
fn is_heading(lines: &[Line], index: usize) -> bool {
    let text = &lines[index].text;
    if !looks_like_heading(text) {
        return false;
    }
    let stands_apart = lines[index].blank_before && lines[index].blank_after;
    match lines.get(index + 1) {
        Some(next) if is_body_text(&next.text) => true,
        // Set apart by blank lines above a sentence, however short: "Русский" over
        // "Химиотерапия помогает."
        Some(next) if stands_apart && next.text.ends_with(['.', '!', '?', '。', '！', '？']) => true,
        Some(next) if looks_like_heading(&next.text) => {
            lines.get(index + 2).is_some_and(|after| is_body_text(&after.text))
                && lines[index].blank_after
                && lines[index].blank_before
        }
        _ => false,
    }
}

/// Acronyms kept in capitals when a shouted heading is put in sentence case.
const ACRONYMS: &[&str] = &[
    "HIV", "AIDS", "COPD", "CDC", "NHS", "BMI", "BP", "ER", "ICU", "MRI", "CT", "ECG", "EKG", "DNA", "RSV",
    "COVID", "COVID-19", "UTI", "ADHD", "PTSD", "OCD", "IBS", "GERD", "STD", "STI", "HPV", "TB", "FAQ",
    "FAQS", "US", "USA", "UK", "EU", "OMS", "WHO", "VIH", "SIDA", "EPOC", "IMC", "TA", "ITS", "UCI",
    "EE.UU.", "DIU", "PSA", "A1C", "LDL", "HDL", "INR", "IV", "OTC", "RN", "MD", "DO", "NP", "PA", "SPF",
    "UV", "TV",
];

/// "WHEN TO CALL 911" → "When to call 911": capitals are hard to read. Acronyms stay.
pub(crate) fn sentence_case_if_shouted(text: &str) -> String {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    if letters < 4 || upper < letters {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut first = true;
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '.');
        if ACRONYMS.contains(&bare) || (bare.chars().any(|c| c.is_ascii_digit()) && bare.len() <= 5) {
            out.push_str(word);
        } else if first {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            // Capitalise the first letter, after opening marks such as ¿ or quotes.
            for c in chars.by_ref() {
                if c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    break;
                }
                out.push(c);
            }
            out.push_str(chars.as_str());
        } else {
            out.push_str(&word.to_lowercase());
        }
        if word.chars().any(char::is_alphabetic) {
            first = false;
        }
    }
    out
}

/// Why the text seems cut off, with the line: a paste that stops mid-sentence, inside a
/// list item, after a heading or after a lead-in.
fn truncation_warning(blocks: &[Block]) -> Option<Warning> {
    let last = blocks.last()?;
    let (line, text, why) = match last {
        Block::Heading { content, line, .. } => {
            (*line, crate::model::plain_text(content), "ends with a heading and nothing under it")
        }
        Block::Paragraph { content, line } => {
            let text = crate::model::plain_text(content);
            if text.trim_end().ends_with([':', '：']) {
                (*line, text, "ends with a lead-in and nothing after it")
            } else if ends_mid_sentence(&text) {
                (*line, text, "ends mid-sentence")
            } else {
                return None;
            }
        }
        Block::List { items, .. } => {
            // A list ends where its last item's own nested list ends, when it has one.
            let mut items = items;
            while let Some(Block::List { items: nested, .. }) = items.last().and_then(|item| item.last()) {
                items = nested;
            }
            let texts: Vec<(usize, String)> = items
                .iter()
                .filter_map(|item| match item.first() {
                    Some(Block::Paragraph { content, line }) => {
                        Some((*line, crate::model::plain_text(content)))
                    }
                    _ => None,
                })
                .collect();
            let (line, text) = texts.last()?.clone();
            let others_punctuated =
                texts.len() >= 2 && texts[..texts.len() - 1].iter().all(|(_, t)| !ends_mid_sentence(t));
            let cut = ends_mid_sentence(&text) && (others_punctuated || ends_with_function_word(&text));
            if !cut {
                return None;
            }
            (line, text, "ends inside a list item")
        }
        _ => return None,
    };
    let tail: String = text.chars().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
    Some(Warning::at(line, format!("text {why} (\"…{}\"); the article may be truncated", tail.trim_start())))
}

/// "Wash your feet with", "Lávese los pies con": a phrase that cannot end.
fn ends_with_function_word(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "an", "the", "and", "or", "of", "to", "with", "for", "in", "on", "at", "by", "your", "if",
        "but", "y", "o", "de", "del", "con", "para", "por", "en", "el", "la", "los", "las", "su", "sus",
        "un", "una", "et", "ou", "du", "des", "le", "les", "avec", "pour", "dans", "e", "do", "da", "com",
        "em", "um", "uma",
    ];
    let last = text.split_whitespace().last().unwrap_or("").to_lowercase();
    WORDS.contains(&last.as_str()) || text.trim_end().ends_with([',', '-', '–'])
}

/// A warning for each line with a bidirectional override (U+202D, U+202E). Overrides force
/// the display order of the characters after them, so `Take \u{202E}01\u{202C} mg` prints
/// as "Take 10 mg": the handout would say something other than the text. They have no use
/// in ordinary right-to-left text, which the letters themselves order, so one in a pasted
/// article is a mistake or a trick. The text is kept as typed; a person decides.
pub(crate) fn bidi_override_warnings(body: &str, first_line: usize) -> Vec<Warning> {
    body.split('\n')
        .enumerate()
        .filter_map(|(offset, line)| {
            let c = line.chars().find(|c| matches!(c, '\u{202D}' | '\u{202E}'))?;
            Some(Warning::at(
                first_line + offset,
                format!(
                    "bidirectional override (U+{:04X}) makes this line display in a different order \
                     than it was typed; check it, or retype the line",
                    u32::from(c)
                ),
            ))
        })
        .collect()
}

/// Non-empty lines with whitespace tidied. Lines of a hard-wrapped paragraph (a line
/// that stops without punctuation, followed by one starting in lower case) are joined.
fn collect_lines(body: &str, first_line: usize) -> Vec<Line> {
    // Text pasted from a web page keeps each paragraph on one long line; only text
    // hard-wrapped by an email client or editor (no line much longer than a screen) has
    // paragraphs to join. Without this check, lower-case list items would be glued
    // together as one "wrapped" paragraph.
    let hard_wrapped = body.split('\n').all(|line| line.chars().count() <= HARD_WRAP_MAX_CHARS);
    let block_widths = wrapped_blocks(body);
    let mut lines: Vec<Line> = Vec::new();
    let mut blank_before = true;
    // The width of the wrapped block the previous line is in, if it is in one, and that
    // line's length as written.
    let mut previous_wrapped: Option<usize> = None;
    let mut previous_chars = 0;
    for (offset, raw) in body.split('\n').enumerate() {
        let text = tidy_whitespace(raw);
        if text.is_empty() {
            blank_before = true;
            if let Some(last) = lines.last_mut() {
                last.blank_after = true;
            }
            previous_wrapped = None;
            continue;
        }
        let wrapped_here = block_widths.get(offset).copied().flatten();
        // Measured with the indentation: a paragraph's first line is often indented.
        let chars_here = raw.trim_end().chars().count();
        if let Some(last) = lines.last_mut()
            && !blank_before
            && ((hard_wrapped && continues_wrapped_line(&last.text, &text))
                || previous_wrapped.is_some_and(|width| {
                    !ends_a_sentence(&last.text)
                        && list_marker(&text).is_none()
                        && !next_word_fits(previous_chars, &text, width)
                }))
        {
            previous_wrapped = wrapped_here;
            previous_chars = chars_here;
            last.text.push(' ');
            last.text.push_str(&text);
            continue;
        }
        let indent = indentation(raw);
        lines.push(Line { number: first_line + offset, text, indent, blank_before, blank_after: false });
        blank_before = false;
        previous_wrapped = wrapped_here;
        previous_chars = chars_here;
    }
    if let Some(last) = lines.last_mut() {
        last.blank_after = true;
    }
    lines
}

/// How far in a line is set, in columns (a tab counts four): a paste keeps a nested
/// list's nesting only as indentation.
fn indentation(raw: &str) -> usize {
    raw.chars().take_while(|c| c.is_whitespace()).map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// Collapses runs of spaces, tabs and control characters to one space, trims both ends.
/// A control character counts as a space rather than nothing: pasted text uses form
/// feeds, vertical tabs and NEL as line or word breaks, and deleting them would glue
/// two words into one.
fn tidy_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(|c: char| c == ' ' || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.trim().to_string()
}

/// A wrapped line is at least this long: a wrap width is 60 to 80 characters.
const WRAPPED_LINE_MIN_CHARS: usize = 55;
/// Lines of a wrapped block in a row, at least: a heading and one line of body are not,
/// nor a column of three headlines (devdata tune part: with three, dragnet pastes lost
/// 0.006 F1 on 250 pages; with four, l3s-gn1 pastes gain 0.013 and dragnet loses 0.003).
const WRAPPED_BLOCK_MIN_LINES: usize = 4;
/// How much the lines of a wrapped block (but its last) differ in length, at most.
const WRAPPED_BLOCK_MAX_SPREAD: usize = 25;

/// For each source line, whether it belongs to a block of text hard-wrapped at a fixed
/// width (a press release or an email inside a whole pasted page): four or more lines
/// in a row, each 55 to 100 characters long, filled to about one width, not in Title
/// Case. In such a block a line that stops mid-sentence goes on on the next line,
/// whatever its first letter ("…at the Consumer Electronic Show (CES) in" / "Las Vegas,
/// Microsoft…"). Elsewhere on a pasted page, where paragraphs are single long lines, a
/// short line is a heading or an item.
///
/// Each line of a block gets the block's width (its longest line): a line was wrapped
/// only where the next line's first word would not have fitted on it, which tells a
/// wrapped sentence from a list of long items, each on its own line.
fn wrapped_blocks(body: &str) -> Vec<Option<usize>> {
    let raw_lines: Vec<&str> = body.split('\n').collect();
    let lengths: Vec<usize> = raw_lines.iter().map(|raw| raw.trim_end().chars().count()).collect();
    let long = |index: usize| {
        lengths.get(index).is_some_and(|len| (WRAPPED_LINE_MIN_CHARS..=HARD_WRAP_MAX_CHARS).contains(len))
    };
    let mut widths = vec![None; lengths.len()];
    let mut start = 0;
    for index in 0..=lengths.len() {
        if long(index) {
            continue;
        }
        // Filled to a width: the lines but the last are within a few characters of each
        // other. A column of headlines is as long, but ragged.
        let filled = lengths.get(start..index.saturating_sub(1)).is_some_and(|body| {
            let (min, max) = (body.iter().min(), body.iter().max());
            min.zip(max).is_some_and(|(min, max)| max - min <= WRAPPED_BLOCK_MAX_SPREAD)
        });
        // Running text, not a column of headlines in Title Case.
        let prose =
            raw_lines[start..index].iter().filter(|raw| !is_title_cased(raw)).count() * 2 > index - start;
        if index - start >= WRAPPED_BLOCK_MIN_LINES && filled && prose {
            let width = lengths[start..index].iter().copied().max();
            widths[start..index].iter_mut().for_each(|w| *w = width);
        }
        start = index + 1;
    }
    widths
}

/// Most of the line's longer words capitalised, as headlines are and running text is not.
fn is_title_cased(text: &str) -> bool {
    let long: Vec<&str> = text.split_whitespace().filter(|w| w.chars().count() >= 4).collect();
    let capitalised = long.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    !long.is_empty() && capitalised * 2 > long.len()
}

/// Whether `next`'s first word would have fitted within `width` after a line of
/// `previous_chars` characters.
fn next_word_fits(previous_chars: usize, next: &str, width: usize) -> bool {
    let first_word = next.split_whitespace().next().map_or(0, |w| w.chars().count());
    // Some slack: wrappers break a little short of the width, and the longest line is
    // only an estimate of it. A first letter says nothing: French and Spanish list items
    // start in lower case.
    previous_chars + 1 + first_word + WRAP_SLACK_CHARS <= width
}

/// How far short of the block's width a wrapper may break a line.
const WRAP_SLACK_CHARS: usize = 10;

fn ends_a_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':', ';', '"', '”', ')', '。', '！', '？'])
}

fn continues_wrapped_line(previous: &str, next: &str) -> bool {
    let previous_open = !previous.ends_with(['.', '!', '?', ':', ';', '"', '”', ')']);
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    previous_open
        && next_lower
        && list_marker(next).is_none()
        && previous.split_whitespace().count() > WRAPPED_LINE_MIN_WORDS
}

/// A short first line with no sentence-ending period is the title.
fn is_title_line(text: &str) -> bool {
    word_count(text) <= TITLE_MAX_WORDS
        && !text.ends_with(['.', ',', ';', ':', '。', '，', '；', '：'])
        && list_marker(text).is_none()
        && starts_like_a_sentence(text)
}

/// `Targeted Therapy: This form of treatment …` → strong "Targeted Therapy:" + the rest.
fn paragraph_inlines(text: &str) -> Vec<Inline> {
    if let Some((label, rest)) = text.split_once(": ") {
        let label_words = word_count(label);
        let label_is_name = (1..=LEAD_IN_MAX_WORDS).contains(&label_words)
            && label.chars().next().is_some_and(char::is_uppercase)
            && !label.contains(['.', ',', ';', '?', '!', '(', '"', '“']);
        let rest_is_sentence = rest.chars().next().is_some_and(char::is_uppercase) && word_count(rest) > 3;
        if label_is_name && rest_is_sentence {
            return vec![
                Inline::Strong { content: vec![Inline::text(format!("{label}:"))] },
                Inline::text(format!(" {rest}")),
            ];
        }
    }
    vec![Inline::text(text)]
}

fn ends_mid_sentence(text: &str) -> bool {
    let trimmed = text.trim_end();
    !trimmed.ends_with([
        '.', '!', '?', '…', '"', '”', '’', '\'', ')', ']', '。', '！', '？', '」', '』', '）', '؟', '۔',
    ])
}

#[cfg(test)]
mod tests;
