//! The catalogue's data: one small entry per handout, built from the intermediate form,
//! and `assets/catalogue.js`, the search data as a script.
//!
//! The data file is `window.HANDOUTS = {…};` with short keys, because at 10,000
//! handouts every byte per entry counts (bench/RESULTS.md, "Issue 16"):
//!
//! ```text
//! { "v": 2,
//!   "files": { "page": "{id}.html", "pdf": "pdf/{id}.pdf",
//!              "large": "pdf/{id}-large.pdf" (when built), "epub": "<book>.epub" (when
//!              one book is built), "books": [{"file": "<book>.epub", "title": "…"}] (every
//!              book built, `[[collections]]` in their order) },
//!   "stop": [words a query skips],
//!   "words": "every search word, once, the most used first",
//!   "topics": [every tag, once, in the catalogue's order],
//!   "handouts": [ { "t": title, "h": heading word codes, "s": summary word codes,
//!                   "g": [topic numbers], "l": lang, "r": "grade 8.1" | "INFLESZ 62.0", "b": 0..3,
//!                   "c": "E11.9 44054006" (its clinical codes, when it has any) } ] }
//! ```
//!
//! The handouts are in the order of the catalogue page's list, whose items carry their
//! ids (`<li data-id>`): the ids are not repeated here. A catalogue split into pages
//! (`crate::site::pages`) has no page listing them all, so there each handout also has
//! `"i": id` and, for a draft, `"d": true`.
//!
//! `h` and `s` are words for search, not text to show (the catalogue page shows the
//! summary): folded as `search.js` folds (accents removed, lower case), each once, and
//! only in the first field that has it (title, headings, summary), since a word counts
//! only in its best field. That halves the file without changing a single result.
//! Each word is then written as its number in `words` (see [`word_code`]): one
//! character for the 32 most used words, two for the next 992, three up to 32,768, so
//! the words a collection repeats are stored once (a quarter of the file, gzipped).
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
    /// [`Article::translation_key`]: which books hold it (see `crate::epub::books`).
    pub translation_key: String,
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
    /// A draft, listed only in a `build --drafts` preview, and marked there.
    pub draft: bool,
    /// When its review is due (`YYYY-MM-DD`): the desk marks it for staff near the date.
    pub review_due: Option<String>,
    /// The clinical codes' values (`E11.9`, `44054006`), so staff can search by code.
    pub codes: Vec<String>,
}

/// An entry as the data file has it (see the module docs).
#[derive(Serialize)]
struct DataEntry<'a> {
    /// The id, only in a split catalogue (no page lists every handout to take it from).
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<&'a str>,
    t: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    h: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    s: String,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    g: Vec<usize>,
    l: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    r: &'a str,
    b: u8,
    /// The books (indices into `files.books`) that hold it, when there are several.
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    k: Vec<usize>,
    /// The clinical codes' values, space-separated.
    #[serde(skip_serializing_if = "String::is_empty")]
    c: String,
    /// A draft (`build --drafts`), only in a split catalogue: results made from the
    /// data mark it as the list does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    d: bool,
}

/// The digits of a word's code: the first 32 end a code, the last 32 continue it.
const CODE_DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Appends word number `n`'s code to `out`: `n` in base 32, most significant digit
/// first, every digit but the last taken from the continuing half of [`CODE_DIGITS`].
/// Codes need no separator, and none needs escaping in JSON.
pub fn word_code(n: usize, out: &mut String) {
    let mut digits = vec![n % 32];
    let mut rest = n / 32;
    while rest > 0 {
        digits.push(32 + rest % 32);
        rest /= 32;
    }
    out.extend(digits.iter().rev().map(|&d| char::from(CODE_DIGITS[d])));
}

/// An entry's search words: heading words and summary words, each word only in its
/// best field and never a stop word.
struct SearchWords {
    headings: Vec<String>,
    summary: Vec<String>,
}

/// Words too common to search for, in English and Spanish (folded). They are left out
/// of `h` and `s`, and `search.js` ignores them in a query (the data file lists them),
/// so leaving them out changes no result: a third of a summary's words, gone.
pub const STOP_WORDS: [&str; 48] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "with", "you", "your", "can", "al", "con", "de", "del", "el", "en", "es",
    "la", "las", "lo", "los", "o", "para", "por", "que", "se", "su", "sus", "un", "una", "y", "i", "e", "u",
];

impl SearchWords {
    fn new(entry: &Entry) -> SearchWords {
        let mut seen: std::collections::HashSet<String> = words(&entry.title).collect();
        seen.extend(STOP_WORDS.iter().map(|w| w.to_string()));
        let mut new_words =
            |text: &str| -> Vec<String> { words(text).filter(|word| seen.insert(word.clone())).collect() };
        let headings = new_words(&entry.headings.join(" "));
        let summary = new_words(&entry.summary);
        SearchWords { headings, summary }
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
            translation_key: article.translation_key().to_string(),
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
            draft: article.is_draft(),
            review_due: article.meta.review_due.clone(),
            codes: article.meta.codes.iter().map(|code| code.value.clone()).collect(),
        }
    }
}

/// The entries of `articles`, sorted by title (accents and case folded), then id.
pub fn entries(articles: &[Article], fallback_lang: &str) -> Vec<Entry> {
    sorted(articles.iter().map(|a| Entry::new(a, fallback_lang)).collect())
}

/// `entries` in the catalogue's order: by title as search folds it, then id.
pub fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    books: Vec<Book<'a>>,
}

/// A book (EPUB) the site links to.
#[derive(Serialize)]
pub struct Book<'a> {
    /// Relative to the site: `<book>.epub`.
    pub file: String,
    pub title: &'a str,
}

#[derive(Serialize)]
struct Data<'a> {
    v: u32,
    files: Files<'a>,
    stop: &'a [&'a str],
    words: String,
    topics: Vec<&'a str>,
    handouts: Vec<DataEntry<'a>>,
}

/// The catalogue's topics: every tag once, sorted as the catalogue's filter lists them.
pub fn topics(entries: &[Entry]) -> Vec<&str> {
    let mut topics: Vec<&str> = entries.iter().flat_map(|e| e.tags.iter().map(String::as_str)).collect();
    topics.sort_by_cached_key(|t| (fold(t), t.to_string()));
    topics.dedup();
    topics
}

/// `assets/catalogue.js`: `window.HANDOUTS = {…};` (see the module docs); `split`:
/// the catalogue is split into pages, and the entries carry their ids.
pub fn data_file(
    entries: &[Entry],
    large_print: bool,
    books: Vec<Book>,
    in_books: &[Vec<usize>],
    split: bool,
) -> Vec<u8> {
    // Each entry's words are made twice, once to count them and once to write their
    // codes, rather than held for every entry at once: 50,000 handouts' words held as
    // strings took over 100 MB, their distinct words a few.
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for entry in entries {
        let words = SearchWords::new(entry);
        for word in words.headings.into_iter().chain(words.summary) {
            *uses.entry(word).or_default() += 1;
        }
    }
    // The most used words get the shortest codes; ties go alphabetically, so the same
    // entries always give the same file.
    let mut vocabulary: Vec<(String, usize)> = uses.into_iter().collect();
    vocabulary.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let number: std::collections::HashMap<&str, usize> =
        vocabulary.iter().enumerate().map(|(n, (word, _))| (word.as_str(), n)).collect();
    let codes = |words: &[String]| {
        let mut out = String::new();
        for word in words {
            word_code(number[word.as_str()], &mut out);
        }
        out
    };
    let topics = topics(entries);
    let topic_number: std::collections::HashMap<&str, usize> =
        topics.iter().enumerate().map(|(n, topic)| (*topic, n)).collect();
    let handouts = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let words = SearchWords::new(entry);
            DataEntry {
                i: split.then_some(entry.id.as_str()),
                t: &entry.title,
                h: codes(&words.headings),
                s: codes(&words.summary),
                g: entry.tags.iter().map(|tag| topic_number[tag.as_str()]).collect(),
                l: &entry.lang,
                r: &entry.level,
                b: entry.bucket,
                k: in_books.get(index).cloned().unwrap_or_default(),
                c: entry.codes.join(" "),
                d: split && entry.draft,
            }
        })
        .collect();
    let data = Data {
        v: 2,
        files: Files {
            page: "{id}.html",
            pdf: "pdf/{id}.pdf",
            large: large_print.then_some("pdf/{id}-large.pdf"),
            epub: match books.as_slice() {
                [one] => Some(one.file.clone()),
                _ => None,
            },
            books,
        },
        stop: &STOP_WORDS,
        words: vocabulary.iter().map(|(word, _)| word.as_str()).collect::<Vec<_>>().join(" "),
        topics,
        handouts,
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
            translation_key: "a".into(),
            title: "Náusea y vómitos".into(),
            summary: "Las náuseas: coma poco, beba agua. Beba más.".into(),
            headings: vec!["¿Qué es la náusea?".into(), "Coma poco".into()],
            tags: vec![],
            review_due: None,
            lang: "es".into(),
            level: String::new(),
            reading: ReadingLevel::None,
            bucket: 0,
            draft: false,
            codes: vec![],
        };
        let words = SearchWords::new(&entry);
        assert_eq!(words.headings, ["coma", "poco"]);
        assert_eq!(words.summary, ["nauseas", "beba", "agua", "mas"]);
        assert_eq!(fold("ÁÉÍÓÚ Ññ Ü ß"), "aeiou nn u ß");
    }

    #[test]
    fn word_codes_need_no_separator_and_grow_with_the_number() {
        let code = |n| {
            let mut out = String::new();
            word_code(n, &mut out);
            out
        };
        assert_eq!([code(0), code(31), code(32), code(1023), code(1024)], ["0", "v", "x0", "_v", "xw0"]);
        let mut all = String::new();
        for n in 0..40_000 {
            word_code(n, &mut all);
        }
        // Read back as search.js reads them: a digit below 32 ends a code.
        let mut numbers = Vec::new();
        let mut n = 0;
        for c in all.bytes() {
            let digit = CODE_DIGITS.iter().position(|&d| d == c).unwrap();
            n = n * 32 + digit % 32;
            if digit < 32 {
                numbers.push(n);
                n = 0;
            }
        }
        assert_eq!(numbers, (0..40_000).collect::<Vec<_>>());
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
        let bytes = data_file(
            &entries(&[article], "en"),
            true,
            vec![Book { file: "book.epub".into(), title: "B & <c>" }],
            &[],
            false,
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('\u{2028}'), "{text}");
        let json = text.strip_prefix("window.HANDOUTS = ").unwrap().trim_end().strip_suffix(';').unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        // Titles are one line: the line separator is whitespace, collapsed away.
        assert_eq!(value["handouts"][0]["t"], "</script><script>alert(1)</script> &");
        assert_eq!(value["handouts"][0]["g"][0], 0);
        assert_eq!(value["topics"][0], "<b>x</b>");
        assert_eq!(value["files"]["epub"], "book.epub");
        assert_eq!(value["files"]["books"][0]["file"], "book.epub");
        assert_eq!(value["files"]["books"][0]["title"], "B & <c>");
    }
}
