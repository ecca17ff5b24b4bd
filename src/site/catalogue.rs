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
//!   "handouts": [ { "id", "t": title, "s": summary, "h": [headings], "g": [tags],
//!                   "l": lang, "r": "grade 8.1" | "INFLESZ 62.0", "b": 0..3 } ] }
//! ```
//!
//! `b` is the reading-level bucket: 1 easy (grade ≤ 6, INFLESZ ≥ 65), 2 average (grade
//! ≤ 9, INFLESZ ≥ 55), 3 harder, 0 unknown. Inside a `<script>`, `</script>` or `<!--`
//! in a title must not end or change the script, so `<`, `>`, `&` and U+2028/U+2029
//! are written as `\u` escapes: still the same JSON, and the same JavaScript.

use serde::Serialize;

use crate::model::{Article, Block, ReadingLevel, Stats, plain_text};
use crate::render::xml::{lang_or, one_line};

/// One handout in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "s", skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(rename = "h", skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<String>,
    #[serde(rename = "g", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(rename = "l")]
    pub lang: String,
    /// "grade 8.1", "INFLESZ 62.0", or empty.
    #[serde(rename = "r", skip_serializing_if = "String::is_empty")]
    pub level: String,
    #[serde(rename = "b")]
    pub bucket: u8,
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

/// Text for sorting and matching: accents removed, lower case (as `search.js` folds).
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
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
    handouts: &'a [Entry],
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
        handouts: entries,
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
