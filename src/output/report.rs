//! `report.json`: the batch as data — each article's words, reading level, pages and
//! warnings, what was made, removed, and what failed (with its kind and file).

use serde::{Deserialize, Serialize};

use super::{Collection, CollectionOutput};
use crate::error::{Failure, Result};
use crate::model::{Article, ReadingLevel, Stats};

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
        }
    }
}

/// The outcome of a build: what was made and what failed.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    pub articles: Vec<ArticleReport>,
    /// Handouts (PDFs) typeset by this run (paths relative to the output folder).
    pub pdfs: Vec<String>,
    /// Handouts that were already up to date.
    pub unchanged: Vec<String>,
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
}

pub struct Report;

impl CollectionOutput for Report {
    fn path(&self) -> String {
        "report.json".into()
    }

    fn fingerprint(&self, _articles: &[String]) -> Option<String> {
        None
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        Ok(super::to_json(collection.report))
    }
}
