//! The catalogue's data: one small entry per handout, built from the intermediate form,
//! and `assets/catalogue.js`, the search data as a script.
//!
//! The data file is `window.HANDOUTS = {…};` with short keys, because at 10,000
//! handouts every byte per entry counts (bench/RESULTS.md, "Issue 16"):
//!
//! ```text
//! { "v": 1,
//!   "files": { "page": "{id}.html", "pdf": "../pdf/{id}.pdf",
//!              "large": "../pdf/{id}-large.pdf" (when built), "epub": "../<book>.epub" (when built) },
//!   "handouts": [ { "id", "t": title, "h": "heading words", "s": "summary words",
//!                   "g": [tags], "l": lang, "r": "grade 8.1" | "INFLESZ 62.0", "b": 0..3 } ] }
//! ```
//!
//! `h` and `s` are words for search, not text to show (the catalogue page shows the
//! summary): folded as `search.js` folds (accents removed, lower case), each once, and
//! only in the first field that has it (title, headings, summary), since a word counts
//! only in its best field. That halves the file without changing a single result.
//!
//! `b` is the reading-level bucket: 1 easy (grade ≤ 6, INFLESZ ≥ 65), 2 average (grade
//! ≤ 9, INFLESZ ≥ 55), 3 harder, 0 unknown. Inside a `<script>`, `</script>` or `<!--`
//! in a title must not end or change the script, so `<`, `>`, `&` and U+2028/U+2029
//! are written as `\u` escapes: still the same JSON, and the same JavaScript.

use serde::Serialize;

use crate::model::{Article, Block, ReadingLevel, Stats, plain_text};
use crate::render::xml::{lang_or, one_line};

/// One handout in the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// The summary on one line; empty when there is none.
    pub summary: String,
    pub headings: Vec<String>,
    pub tags: Vec<String>,
    pub lang: String,
    /// "grade 8.1", "INFLESZ 62.0", or empty.
    pub level: String,
    /// The same, as a value.
    pub reading: ReadingLevel,
    /// See [`bucket`].
    pub bucket: u8,
}

/// An entry as the data file has it (see the module docs).
#[derive(Serialize)]
struct DataEntry<'a> {
    id: &'a str,
    t: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    h: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    s: String,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    g: &'a [String],
    l: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    r: &'a str,
    b: u8,
}

/// Words too common to search for, in English and Spanish (folded). They are left out
/// of `h` and `s`, and `search.js` ignores them in a query (the data file lists them),
/// so leaving them out changes no result: a third of a summary's words, gone.
pub const STOP_WORDS: [&str; 48] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "with", "you", "your", "can", "al", "con", "de", "del", "el", "en", "es",
    "la", "las", "lo", "los", "o", "para", "por", "que", "se", "su", "sus", "un", "una", "y", "i", "e", "u",
];

impl<'a> DataEntry<'a> {
    fn new(entry: &'a Entry) -> DataEntry<'a> {
        let mut seen: std::collections::HashSet<String> = words(&entry.title).collect();
        seen.extend(STOP_WORDS.iter().map(|w| w.to_string()));
        let mut new_words = |text: &str| -> String {
            words(text).filter(|word| seen.insert(word.clone())).collect::<Vec<_>>().join(" ")
        };
        let h = new_words(&entry.headings.join(" "));
        let s = new_words(&entry.summary);
        DataEntry {
            id: &entry.id,
            t: &entry.title,
            h,
            s,
            g: &entry.tags,
            l: &entry.lang,
            r: &entry.level,
            b: entry.bucket,
        }
    }
}

/// The words of `text` as `search.js` sees them: folded (see [`fold`]) and split on
/// anything that is not a letter or a digit.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

impl Entry {
    pub fn new(article: &Article, fallback_lang: &str) -> Entry {
        let level = article.stats.as_ref().map_or(ReadingLevel::None, Stats::level);
        let bucket = bucket(level);
        let title = match one_line(&article.meta.title) {
            title if title.is_empty() => article.id.clone(),
            title => title,
        };
        Entry {
            id: article.id.clone(),
            title,
            summary: summary_line(article).unwrap_or_default(),
            headings: article
                .blocks
                .iter()
                .filter_map(|block| match block {
                    Block::Heading { content, .. } => Some(one_line(&plain_text(content))),
                    _ => None,
                })
                .filter(|text| !text.is_empty())
                .collect(),
            tags: tags(article),
            lang: lang_or(&article.meta.lang, fallback_lang).to_string(),
            level: if bucket > 0 { level.label() } else { String::new() },
            reading: level,
            bucket,
        }
    }
}

/// The entries of `articles`, sorted by title (accents and case folded), then id.
pub fn entries(articles: &[Article], fallback_lang: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = articles.iter().map(|a| Entry::new(a, fallback_lang)).collect();
    entries.sort_by_cached_key(|e| (fold(&e.title), e.id.clone()));
    entries
}

/// The reading-level bucket: 1 easy, 2 average, 3 harder, 0 unknown.
pub fn bucket(level: ReadingLevel) -> u8 {
    match level {
        ReadingLevel::Grade(grade) if grade <= 6.0 => 1,
        ReadingLevel::Grade(grade) if grade <= 9.0 => 2,
        ReadingLevel::Grade(_) => 3,
        ReadingLevel::Inflesz(score) if score >= 65.0 => 1,
        ReadingLevel::Inflesz(score) if score >= 55.0 => 2,
        ReadingLevel::Inflesz(_) => 3,
        ReadingLevel::None => 0,
    }
}

/// The bucket's name in the labels' language, or nothing for 0.
pub fn level_name(labels: &crate::labels::Labels, bucket: u8) -> Option<String> {
    let key = match bucket {
        1 => "level-easy",
        2 => "level-average",
        3 => "level-harder",
        _ => return None,
    };
    Some(labels.text(key).to_string())
}

/// The reading level as a page in the labels' language says it: "grade 8.1" (the
/// `grade` label), "INFLESZ 62.0"; nothing when unknown.
pub fn level_label(labels: &crate::labels::Labels, level: ReadingLevel) -> Option<String> {
    match level {
        ReadingLevel::Grade(grade) => Some(labels.text("grade").replace("{value}", &format!("{grade:.1}"))),
        ReadingLevel::Inflesz(_) => Some(level.label()),
        ReadingLevel::None => None,
    }
}

/// The summary on one line (bullets dropped), when there is one.
pub fn summary_line(article: &Article) -> Option<String> {
    let summary = article.meta.summary.as_deref()?;
    Some(one_line(&crate::render::xhtml::summary_lines(summary).join(" "))).filter(|s| !s.is_empty())
}

/// The article's tags, each on one line, empty ones and repeats left out.
pub fn tags(article: &Article) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in article.meta.tags.iter().map(|t| one_line(t)) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Text for sorting and matching as `search.js` folds it: decomposed (NFD), combining
/// accents (U+0300–U+036F) removed, lower case.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect::<String>().to_lowercase()
}

#[derive(Serialize)]
struct Files<'a> {
    page: &'a str,
    pdf: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    large: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epub: Option<String>,
}

#[derive(Serialize)]
struct Data<'a> {
    v: u32,
    files: Files<'a>,
    stop: &'a [&'a str],
    handouts: Vec<DataEntry<'a>>,
}

/// `assets/catalogue.js`: `window.HANDOUTS = {…};` (see the module docs).
pub fn data_file(entries: &[Entry], large_print: bool, epub: Option<&str>) -> Vec<u8> {
    let data = Data {
        v: 1,
        files: Files {
            page: "{id}.html",
            pdf: "../pdf/{id}.pdf",
            large: large_print.then_some("../pdf/{id}-large.pdf"),
            epub: epub.map(|name| format!("../{name}.epub")),
        },
        stop: &STOP_WORDS,
        handouts: entries.iter().map(DataEntry::new).collect(),
    };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(json.len() + 32);
    out.push_str("window.HANDOUTS = ");
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str(";\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(bucket(ReadingLevel::Grade(6.0)), 1);
        assert_eq!(bucket(ReadingLevel::Grade(8.9)), 2);
        assert_eq!(bucket(ReadingLevel::Grade(12.0)), 3);
        assert_eq!(bucket(ReadingLevel::Inflesz(70.0)), 1);
        assert_eq!(bucket(ReadingLevel::Inflesz(55.0)), 2);
        assert_eq!(bucket(ReadingLevel::Inflesz(40.0)), 3);
        assert_eq!(bucket(ReadingLevel::None), 0);
    }

    #[test]
    fn each_word_is_searched_in_its_best_field_only() {
        let entry = Entry {
            id: "a".into(),
            title: "Náusea y vómitos".into(),
            summary: "Las náuseas: coma poco, beba agua. Beba más.".into(),
            headings: vec!["¿Qué es la náusea?".into(), "Coma poco".into()],
            tags: vec![],
            lang: "es".into(),
            level: String::new(),
            reading: ReadingLevel::None,
            bucket: 0,
        };
        let data = DataEntry::new(&entry);
        assert_eq!(data.h, "coma poco");
        assert_eq!(data.s, "nauseas beba agua mas");
        assert_eq!(fold("ÁÉÍÓÚ Ññ Ü ß"), "aeiou nn u ß");
    }

    #[test]
    fn data_file_cannot_end_its_script() {
        let mut article = crate::ingest::ingest_bytes(
            std::path::Path::new("a.md"),
            "---\ntitle: \"</script><script>alert(1)</script> & \u{2028}\"\ntags: [\"<b>x</b>\"]\n---\nText.\n"
                .as_bytes(),
        )
        .unwrap();
        article.id = "a".into();
        let bytes = data_file(&entries(&[article], "en"), true, Some("book"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('\u{2028}'), "{text}");
        let json = text.strip_prefix("window.HANDOUTS = ").unwrap().trim_end().strip_suffix(';').unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        // Titles are one line: the line separator is whitespace, collapsed away.
        assert_eq!(value["handouts"][0]["t"], "</script><script>alert(1)</script> &");
        assert_eq!(value["handouts"][0]["g"][0], "<b>x</b>");
        assert_eq!(value["files"]["epub"], "../book.epub");
    }
}
