//! `out/.handouts-manifest.json`: what the last build made from what, so the next one
//! skips what did not change and knows what it may delete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::output::ArticleReport;

/// Name of the incremental-build manifest in the output folder.
pub const MANIFEST: &str = ".handouts-manifest.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Output path (relative to the output folder) → what it was built from.
    pub outputs: BTreeMap<String, OutputEntry>,
    /// Article file → what its last build learned, so a file whose bytes and settings
    /// did not change is not even parsed again.
    #[serde(default)]
    pub articles: BTreeMap<String, ArticleEntry>,
    /// Settings fingerprints of outputs whose [`crate::output::ArticleOutput::check`]
    /// passed: an unchanged template is not compiled on its own again.
    #[serde(default)]
    pub checked: BTreeSet<String>,
    /// The files in the template folder that the template read (paths relative to it,
    /// the main template aside): their bytes are part of the settings of the next
    /// build, so editing a file the template imports typesets again, and no other file
    /// there is ever read.
    #[serde(default)]
    pub template_files: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// Hash of the file's bytes (and the tool version).
    pub source_hash: String,
    /// The id its title or file name gives, before the batch makes ids unique.
    pub base_id: String,
    /// Hash of the file's bytes, its unique id and every build setting; equal means
    /// each of `outputs` is what this build would make.
    pub key: String,
    pub outputs: Vec<String>,
    pub report: ArticleReport,
    /// Fingerprint of the article's intermediate form, which the fingerprints of the
    /// collection outputs are made of.
    #[serde(alias = "json_fingerprint")]
    pub fingerprint: String,
    /// The pictures the article shows (paths relative to the content folder).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pictures: Vec<String>,
    /// Hash of those pictures' bytes: an edited picture makes the article's outputs
    /// again although its file did not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pictures_hash: Option<String>,
    /// What linking translations needs of the article besides its id. Absent in a
    /// manifest from before translations were linked: the file is then parsed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkFacts>,
}

/// An article's language and front matter `translation-key`: with its id, all that
/// linking it to its translations needs ([`crate::ingest::translations`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFacts {
    pub lang: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
}

impl LinkFacts {
    pub fn of(article: &crate::model::Article) -> LinkFacts {
        LinkFacts { lang: article.meta.lang.clone(), translation_key: article.meta.translation_key.clone() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputEntry {
    /// Hash of every input of this output; equal means the output is up to date.
    pub fingerprint: String,
    /// The article file it came from (empty for outputs of the whole collection).
    pub source: String,
    /// Page count, for the report of a skipped handout.
    #[serde(default)]
    pub pages: Option<usize>,
}

impl Manifest {
    /// A missing or unreadable manifest just means "build everything".
    pub fn load(out_dir: &Path) -> Manifest {
        std::fs::read(out_dir.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn is_current(&self, out_dir: &Path, relative: &str, fingerprint: &str) -> bool {
        self.outputs.get(relative).is_some_and(|entry| entry.fingerprint == fingerprint)
            && out_dir.join(relative).is_file()
    }
}
