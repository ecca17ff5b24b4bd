//! The intermediate form: what ingest produces and every later stage consumes.
//!
//! Plain serde data with no I/O, written to `out/json/<id>.json` so that people and
//! templates can inspect it. Templates receive exactly this JSON, which is why article
//! text can never be evaluated as typst or HTML: it is only ever data.

use serde::{Deserialize, Serialize};

/// Version of the JSON layout below; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One article, ready to typeset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u32,
    /// ASCII slug (`a-z`, `0-9`, `-`), unique within a batch; names the output files.
    pub id: String,
    /// The file the article came from, as given on the command line or found in `content/`.
    pub source: String,
    /// Front matter, or what was inferred in its place.
    pub meta: Meta,
    /// The article body in reading order.
    pub blocks: Vec<Block>,
    /// Text that was deliberately left out of the handout (web boilerplate), with why.
    #[serde(default)]
    pub removed: Vec<Removed>,
    /// Readability figures; filled in by `analyze`, absent straight after ingest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
    /// Things a person should look at: inferred titles, truncation, hard sentences.
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// Article metadata, from front matter where given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    /// The main message, shown first in a "Key points" box.
    pub summary: Option<String>,
    /// BCP 47 language tag, e.g. `en`, `es`.
    pub lang: String,
    /// Date of the last clinical review, `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    pub audience: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the article lives online; printed as a QR code on the handout.
    pub url: Option<String>,
    /// Who wrote it, when the source says (a saved page's author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When it was first published, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When `handouts add` fetched it from the web, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Fit the handout on at most this many pages (front matter `max-pages`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<usize>,
    /// Front matter `translation-key`, as an id (`a-z`, `0-9`, `-`): articles with the
    /// same key are translations of each other. `None` means the article's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    /// The same handout in other languages: the other articles of the batch with the
    /// same translation key ([`Article::translation_key`]), in language-tag order.
    /// Filled in by the build once every id is known (as the unique id is); empty
    /// straight after ingest and for an article without translations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
    /// `draft` until a clinician has reviewed it (front matter `status:`, or the build's
    /// `[handout] unreviewed-are-drafts` rule, see `crate::review`): its PDFs are marked
    /// on every page and it is left out of the site, the EPUB and the desk.
    #[serde(default, skip_serializing_if = "Status::is_published")]
    pub status: Status,
    /// Who reviews it (front matter `owner:`), named in `check`'s list of reviews due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Front matter `review-by:`, `YYYY-MM-DD`: its next review is due then, whatever
    /// `[handout] review-every` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<String>,
    /// When its next review is due, `YYYY-MM-DD`: `review_by`, else `reviewed` plus
    /// `[handout] review-every`. Filled in by the build (it depends on the config);
    /// absent straight after ingest and when there is no date to count from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due: Option<String>,
}

/// Whether an article may be published (front matter `status:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reviewed and published (the default).
    #[default]
    Published,
    /// Not yet reviewed: marked on paper, kept off the site, the EPUB and the desk.
    Draft,
}

impl Status {
    pub fn is_published(&self) -> bool {
        *self == Status::Published
    }

    /// `published` or `draft`, as front matter writes it.
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim().to_ascii_lowercase().as_str() {
            "published" => Some(Status::Published),
            "draft" => Some(Status::Draft),
            _ => None,
        }
    }
}

/// Another language's version of an article: what a page needs to link to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// Its unique id: its outputs are `pdf/<id>.pdf`, `site/<id>.html`, ….
    pub id: String,
    /// Its BCP 47 language tag.
    pub lang: String,
}

/// A block of body content. `line` is the 1-based line in the source file where the
/// block starts (front matter included), so warnings and editors can point at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Heading {
        /// 2..=4; level 1 is the article title, which lives in `meta.title`.
        level: u8,
        content: Vec<Inline>,
        #[serde(default)]
        line: usize,
    },
    Paragraph {
        content: Vec<Inline>,
        #[serde(default)]
        line: usize,
    },
    List {
        ordered: bool,
        /// First number of an ordered list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<u64>,
        /// Each item is a list of blocks (usually one paragraph, maybe a nested list).
        items: Vec<Vec<Block>>,
        #[serde(default)]
        line: usize,
    },
    Quote {
        blocks: Vec<Block>,
        #[serde(default)]
        line: usize,
    },
    Table {
        /// Header cells; empty when the table has no header row.
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        #[serde(default)]
        line: usize,
    },
    /// A picture. `src` is a path relative to the content folder, with `/` separators,
    /// checked at ingest to stay inside it (see `crate::pictures`).
    Figure {
        src: String,
        /// What the picture shows, for readers who cannot see it. Empty when the article
        /// gave none: the picture is then decoration (and ingest warned).
        alt: String,
        /// Printed under the picture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<Vec<Inline>>,
        #[serde(default)]
        line: usize,
    },
    /// Preformatted text, shown verbatim in a monospace font.
    CodeBlock {
        text: String,
        #[serde(default)]
        line: usize,
    },
}

impl Article {
    /// The key that links the article to its translations: front matter
    /// `translation-key`, else its own id (so a translation names the id of the
    /// article it translates).
    pub fn translation_key(&self) -> &str {
        self.meta.translation_key.as_deref().unwrap_or(&self.id)
    }

    /// Whether it is a draft ([`Status::Draft`]), as the build decided.
    pub fn is_draft(&self) -> bool {
        self.meta.status == Status::Draft
    }
}

impl Block {
    pub fn line(&self) -> usize {
        match self {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::List { line, .. }
            | Block::Quote { line, .. }
            | Block::Table { line, .. }
            | Block::Figure { line, .. }
            | Block::CodeBlock { line, .. } => *line,
        }
    }
}

/// Inline content within a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        content: Vec<Inline>,
    },
    Emphasis {
        content: Vec<Inline>,
    },
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Code {
        text: String,
    },
    /// A hard line break inside a paragraph.
    LineBreak,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into() }
    }
}

/// Text left out of the handout on purpose, kept so nothing is silently lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// What kind of page furniture it was, e.g. "site navigation", "byline", "related links".
    pub reason: String,
    /// 1-based source line of the removed text.
    pub line: usize,
    pub text: String,
}

/// Readability figures for the article body. Each formula belongs to one language: the
/// English ones are absent on a Spanish article and the Spanish ones on an English one, so
/// no report ever shows an English grade for a text it does not describe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// English: Flesch reading ease (0–100, higher is easier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flesch_reading_ease: Option<f64>,
    /// English: Flesch-Kincaid US school grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flesch_kincaid_grade: Option<f64>,
    /// English: SMOG grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smog: Option<f64>,
    /// Spanish: Szigriszt-Pazos perspicuity, read on the INFLESZ scale (0–100, higher is
    /// easier; patient material should reach 55 and aim for 65).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inflesz: Option<f64>,
    /// Spanish, for information: Fernández-Huerta in its corrected form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fernandez_huerta: Option<f64>,
    pub reading_minutes: usize,
}

/// An article's reading level on the scale of its language.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "scale", content = "value", rename_all = "kebab-case")]
pub enum ReadingLevel {
    /// Flesch-Kincaid grade (English); lower is easier.
    Grade(f64),
    /// INFLESZ (Spanish); higher is easier.
    Inflesz(f64),
    /// No formula is configured for the article's language.
    None,
}

impl Stats {
    pub fn level(&self) -> ReadingLevel {
        match (self.flesch_kincaid_grade, self.inflesz) {
            (Some(grade), _) => ReadingLevel::Grade(grade),
            (None, Some(inflesz)) => ReadingLevel::Inflesz(inflesz),
            (None, None) => ReadingLevel::None,
        }
    }
}

impl ReadingLevel {
    /// Whether the level misses the clinic's target: a grade above `max_grade`, or an
    /// INFLESZ score below `min_inflesz`.
    pub fn misses(self, max_grade: Option<f64>, min_inflesz: Option<f64>) -> bool {
        match self {
            ReadingLevel::Grade(grade) => max_grade.is_some_and(|max| grade > max),
            ReadingLevel::Inflesz(score) => min_inflesz.is_some_and(|min| score < min),
            ReadingLevel::None => false,
        }
    }

    /// "grade 8.1", "INFLESZ 62.0" or "-", for tables.
    pub fn label(self) -> String {
        match self {
            ReadingLevel::Grade(grade) => format!("grade {grade:.1}"),
            ReadingLevel::Inflesz(score) => format!("INFLESZ {score:.1}"),
            ReadingLevel::None => "-".to_string(),
        }
    }
}

/// Something a person should look at. Not fatal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// 1-based source line, when the warning is about one place.
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Warning { line: Some(line), message: message.into() }
    }
    pub fn general(message: impl Into<String>) -> Self {
        Warning { line: None, message: message.into() }
    }
}

/// Whether `url` is a web address (`http://` or `https://`): the only kind printed as a
/// QR code, since a `javascript:` or `file:` URL must never become something to open.
pub fn is_web_url(url: &str) -> bool {
    crate::validate::is_web_url(url)
}

/// Calls `f` with each run of inline content in reading order (headings, paragraphs,
/// table cells, and those inside lists and quotes; code blocks have none) and the line of
/// its block. `parent_line` stands in for blocks without a line of their own (0, e.g.
/// built in code rather than parsed).
pub fn for_each_inlines(blocks: &[Block], parent_line: usize, f: &mut impl FnMut(&[Inline], usize)) {
    for block in blocks {
        let line = if block.line() == 0 { parent_line } else { block.line() };
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => f(content, line),
            Block::Table { header, rows, .. } => {
                header.iter().chain(rows.iter().flatten()).for_each(|cell| f(cell, line));
            }
            Block::List { items, .. } => items.iter().for_each(|item| for_each_inlines(item, line, f)),
            Block::Quote { blocks, .. } => for_each_inlines(blocks, line, f),
            Block::Figure { caption, .. } => {
                if let Some(caption) = caption {
                    f(caption, line)
                }
            }
            Block::CodeBlock { .. } => {}
        }
    }
}

/// The plain text of inline content, markup dropped.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                push_plain(content, out)
            }
            Inline::LineBreak => out.push(' '),
        }
    }
}
