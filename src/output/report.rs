//! `report.json`: the batch as data — each article's words, reading level, pages and
//! warnings, what was made, removed, and what failed (with its kind and file).

use serde::{Deserialize, Serialize};

use super::{Collection, CollectionOutput};
use crate::error::{Failure, Result};
use crate::model::{Article, ReadingLevel, Stats, Status};

/// One line of the end-of-build table and of `out/report.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleReport {
    pub id: String,
    pub source: String,
    pub title: String,
    pub words: usize,
    /// The reading level on the article's own language's scale.
    pub level: ReadingLevel,
    /// Lines of the source left out as web-page furniture (listed in the article's JSON).
    #[serde(default)]
    pub removed: usize,
    pub pages: Option<usize>,
    /// The article's own `max-pages`, when its front matter sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<usize>,
    pub warnings: usize,
    /// `draft` for a draft (see `crate::review`); absent for a published handout.
    #[serde(default, skip_serializing_if = "Status::is_published")]
    pub status: Status,
    /// When its next review is due, `YYYY-MM-DD` (`review-by:`, else `reviewed:` plus
    /// `[handout] review-every`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due: Option<String>,
    /// Who reviews it (front matter `owner:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The article's clinical codes (`icd10cm:E11.9`, …), when it has any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<crate::codes::Code>,
}

impl ArticleReport {
    pub fn new(article: &Article, pages: Option<usize>) -> ArticleReport {
        let stats = article.stats.as_ref();
        ArticleReport {
            id: article.id.clone(),
            source: article.source.clone(),
            title: article.meta.title.clone(),
            words: stats.map_or(0, |s| s.words),
            level: stats.map_or(ReadingLevel::None, Stats::level),
            removed: article.removed.len(),
            pages,
            max_pages: article.meta.max_pages,
            warnings: article.warnings.len(),
            status: article.meta.status,
            review_due: article.meta.review_due.clone(),
            owner: article.meta.owner.clone(),
            codes: article.meta.codes.clone(),
        }
    }
}

/// The outcome of a build: what was made and what failed.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    pub articles: Vec<std::sync::Arc<ArticleReport>>,
    /// Handouts (PDFs) typeset by this run (paths relative to the output folder).
    pub pdfs: Vec<std::sync::Arc<str>>,
    /// Handouts that were already up to date.
    pub unchanged: Vec<std::sync::Arc<str>>,
    /// Outputs of articles that are gone (or were renamed), deleted by this run.
    pub removed: Vec<String>,
    /// Outputs of the whole collection written by this run (the EPUB), besides this report.
    pub collections: Vec<String>,
    /// The EPUB, when this run wrote it.
    pub epub: Option<String>,
    pub failures: Vec<Failure>,
}

impl BuildReport {
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// The paper one copy of every handout takes.
    pub fn paper(&self) -> PaperUse {
        PaperUse::of(self.articles.iter().filter_map(|article| article.pages))
    }
}

/// Pages and sheets of paper for one copy of a set of handouts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PaperUse {
    pub pages: usize,
    /// Printed on one side.
    pub sheets_one_sided: usize,
    /// Printed on both sides (each handout starts on a new sheet).
    pub sheets_duplex: usize,
}

impl PaperUse {
    pub fn of(pages: impl IntoIterator<Item = usize>) -> PaperUse {
        pages.into_iter().fold(PaperUse::default(), |sum, pages| PaperUse {
            pages: sum.pages + pages,
            sheets_one_sided: sum.sheets_one_sided + pages,
            sheets_duplex: sum.sheets_duplex + pages.div_ceil(2),
        })
    }
}

/// What `report.json` holds: the build report and the paper a print run takes.
#[derive(Serialize)]
struct ReportFile<'a> {
    #[serde(flatten)]
    report: &'a BuildReport,
    /// One copy of every handout in the table (regular print).
    paper: PaperUse,
}

pub struct Report;

impl CollectionOutput for Report {
    fn path(&self) -> String {
        "report.json".into()
    }

    fn fingerprint(&self, _articles: &[crate::digest::Digest]) -> Option<crate::digest::Digest> {
        None
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        Ok(super::to_json(&self.file(collection)))
    }

    /// Written as it is made: 50,000 articles' report is tens of megabytes.
    fn write(&self, collection: &Collection, path: &std::path::Path) -> Result<super::Written> {
        super::write_json_atomic(path, &self.file(collection))?;
        let (size, hash) =
            crate::fsx::file_hash_at(path).map_err(|err| crate::error::Error::write(path, err))?;
        Ok(super::Written { size, hash })
    }
}

impl Report {
    fn file<'a>(&self, collection: &Collection<'a>) -> ReportFile<'a> {
        ReportFile { report: collection.report, paper: collection.report.paper() }
    }
}
