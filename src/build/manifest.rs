//! `out/.handouts-manifest.json`: what the last build made from what, so the next one
//! skips what did not change and knows what it may delete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::fsx::{file_hash, file_hash_at};
use crate::output::ArticleReport;

/// Name of the incremental-build manifest in the output folder.
pub const MANIFEST: &str = ".handouts-manifest.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Output path (relative to the output folder) → what it was built from.
    pub outputs: BTreeMap<Arc<str>, Arc<OutputEntry>>,
    /// Article file → what its last build learned, so a file whose bytes and settings
    /// did not change is not even parsed again.
    #[serde(default)]
    pub articles: BTreeMap<Arc<str>, Arc<ArticleEntry>>,
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
    pub source_hash: Digest,
    /// The id its title or file name gives, before the batch makes ids unique.
    pub base_id: String,
    /// Hash of the file's bytes, its unique id and every build setting; equal means
    /// each of `outputs` is what this build would make.
    pub key: Digest,
    /// Shared with the keys of [`Manifest::outputs`] (see [`Manifest::share_strings`]).
    pub outputs: Vec<Arc<str>>,
    pub report: Arc<ArticleReport>,
    /// Fingerprint of the article's intermediate form, which the fingerprints of the
    /// collection outputs are made of.
    #[serde(alias = "json_fingerprint")]
    pub fingerprint: Digest,
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
    /// Its front matter's `status:`, and whether it has a `reviewed:` date: whether it
    /// is a draft, which no published page may link to ([`crate::review::Rules`]).
    #[serde(default, skip_serializing_if = "crate::model::Status::is_published")]
    pub status: crate::model::Status,
    /// `None` in a manifest from before drafts: such a file is read again for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<bool>,
}

impl LinkFacts {
    pub fn of(article: &crate::model::Article) -> LinkFacts {
        LinkFacts {
            lang: article.meta.lang.clone(),
            translation_key: article.meta.translation_key.clone(),
            status: article.meta.status,
            reviewed: Some(article.meta.reviewed.is_some()),
        }
    }

    /// Whether the article is a draft under `rules`.
    pub fn is_draft(&self, rules: &crate::review::Rules) -> bool {
        rules.is_draft(self.status, self.reviewed.unwrap_or(false))
    }
}

/// An output's path (relative to the output folder) and its entry.
pub type Output = (Arc<str>, Arc<OutputEntry>);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputEntry {
    /// Hash of every input of this output; equal means the output is up to date.
    pub fingerprint: Digest,
    /// The article file it came from (empty for outputs of the whole collection):
    /// shared by the article's outputs and its key in [`Manifest::articles`].
    pub source: Arc<str>,
    /// Page count, for the report of a skipped handout.
    #[serde(default)]
    pub pages: Option<usize>,
    /// Size in bytes of the file as written, and [`file_hash`] of its bytes: an output
    /// is up to date only while its file still holds exactly these bytes, so a file
    /// another build (another clinic's config) or a person replaced is made again.
    /// Absent in a manifest from before they were recorded: such a file cannot be told
    /// from a replaced one, so it is made again, once (a size alone would pass another
    /// clinic's PDF of the same length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<Digest>,
}

impl OutputEntry {
    /// The entry of an output just written as `bytes`.
    pub fn written(fingerprint: Digest, source: Arc<str>, pages: Option<usize>, bytes: &[u8]) -> OutputEntry {
        OutputEntry {
            fingerprint,
            source,
            pages,
            size: Some(bytes.len() as u64),
            hash: Some(file_hash(bytes)),
        }
    }

    /// Whether the file at `path` holds the bytes this entry recorded: the size first,
    /// from the file's metadata, and only when it matches, the bytes' hash.
    pub fn matches_file(&self, path: &Path) -> bool {
        let (Some(size), Some(hash)) = (self.size, self.hash) else { return false };
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() && meta.len() == size => {}
            _ => return false,
        }
        file_hash_at(path).is_ok_and(|(read, read_hash)| read == size && read_hash == hash)
    }
}

impl Manifest {
    /// A missing or unreadable manifest just means "build everything".
    pub fn load(out_dir: &Path) -> Manifest {
        // Read through a buffer, not whole: 50,000 articles' manifest is 116 MB.
        let mut manifest: Manifest = std::fs::File::open(out_dir.join(MANIFEST))
            .ok()
            .and_then(|file| serde_json::from_reader(std::io::BufReader::new(file)).ok())
            .unwrap_or_default();
        manifest.share_strings();
        manifest
    }

    /// Makes the paths the manifest repeats one allocation each, as a build makes them:
    /// an article's file (the key of its entry and the `source` of each of its outputs)
    /// and an output's path (its key and its place in its article's `outputs`). Read
    /// from JSON, each was its own string: 50,000 articles held 350,000 more.
    pub fn share_strings(&mut self) {
        for (source, entry) in &mut self.articles {
            let shared = Arc::make_mut(entry);
            for relative in &mut shared.outputs {
                let Some((key, output)) = self.outputs.get_key_value(&**relative) else { continue };
                *relative = key.clone();
                if *output.source == **source && !Arc::ptr_eq(&output.source, source) {
                    // Unique right after reading, so this does not copy the entry.
                    if let Some(output) = self.outputs.get_mut(&**relative) {
                        Arc::make_mut(output).source = source.clone();
                    }
                }
            }
        }
    }

    /// Whether the output at `relative` was built from `fingerprint` and its file still
    /// holds the bytes that build wrote.
    pub fn is_current(&self, out_dir: &Path, relative: &str, fingerprint: Digest) -> bool {
        self.outputs.get(relative).is_some_and(|entry| {
            entry.fingerprint == fingerprint && entry.matches_file(&out_dir.join(relative))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_current_only_while_its_file_holds_the_recorded_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = b"%PDF-1.7 Riverside".as_slice();
        std::fs::write(dir.path().join("a.pdf"), bytes).expect("write");
        let mut manifest = Manifest::default();
        let (f, g) = (Digest(0xf), Digest(0x9));
        let entry = OutputEntry::written(f, "a.txt".into(), Some(1), bytes);
        manifest.outputs.insert("a.pdf".into(), entry.clone().into());
        assert!(manifest.is_current(dir.path(), "a.pdf", f));
        assert!(!manifest.is_current(dir.path(), "a.pdf", g), "another fingerprint");
        // The same size, other bytes (another clinic's name of the same length).
        std::fs::write(dir.path().join("a.pdf"), b"%PDF-1.7 Lakeside!").expect("write");
        assert!(!manifest.is_current(dir.path(), "a.pdf", f));
        std::fs::write(dir.path().join("a.pdf"), b"%PDF-1.7 Lake").expect("write");
        assert!(!manifest.is_current(dir.path(), "a.pdf", f));
        std::fs::remove_file(dir.path().join("a.pdf")).expect("remove");
        assert!(!manifest.is_current(dir.path(), "a.pdf", f));

        // A manifest from before sizes and hashes were recorded cannot vouch for a file.
        std::fs::write(dir.path().join("a.pdf"), bytes).expect("write");
        let old =
            format!(r#"{{"outputs": {{"a.pdf": {{"fingerprint": "{f}", "source": "a.txt", "pages": 1}}}}}}"#);
        let old: Manifest = serde_json::from_str(&old).expect("an old manifest still loads");
        assert!(!old.is_current(dir.path(), "a.pdf", f));
    }

    #[test]
    fn a_manifest_read_back_holds_each_path_once_and_writes_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let source: Arc<str> = "content/feet.md".into();
        let mut manifest = Manifest::default();
        let mut outputs = Vec::new();
        for relative in ["json/feet.json", "pdf/feet.pdf"] {
            let entry = OutputEntry::written(Digest(1), source.clone(), None, relative.as_bytes());
            manifest.outputs.insert(relative.into(), entry.into());
            outputs.push(relative.into());
        }
        let article =
            crate::ingest::ingest_bytes(Path::new("feet.md"), b"Feet\n\nLook at them.").expect("article");
        let entry = ArticleEntry {
            source_hash: Digest(2),
            base_id: "feet".into(),
            key: Digest(3),
            outputs,
            report: crate::output::ArticleReport::new(&article, None).into(),
            fingerprint: Digest(4),
            pictures: Vec::new(),
            pictures_hash: None,
            link: None,
        };
        manifest.articles.insert(source, entry.into());
        crate::output::write_json_atomic(&dir.path().join(MANIFEST), &manifest).expect("write");
        let written = std::fs::read(dir.path().join(MANIFEST)).expect("read");

        let read = Manifest::load(dir.path());
        let (source, entry) = read.articles.iter().next().expect("the article");
        for relative in &entry.outputs {
            let (key, output) = read.outputs.get_key_value(relative).expect("its output");
            assert!(Arc::ptr_eq(key, relative), "{relative}: one string");
            assert!(Arc::ptr_eq(&output.source, source), "{relative}: its source, one string");
        }
        crate::output::write_json_atomic(&dir.path().join(MANIFEST), &read).expect("write again");
        assert_eq!(std::fs::read(dir.path().join(MANIFEST)).expect("read"), written);
    }

    #[test]
    fn a_file_read_in_pieces_hashes_as_its_bytes_do() {
        let dir = tempfile::tempdir().expect("temp dir");
        for len in [0usize, 1, 65_535, 65_536, 65_537, 200_003] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("{len}.epub"));
            std::fs::write(&path, &bytes).expect("write");
            assert_eq!(file_hash_at(&path).expect("read"), (len as u64, file_hash(&bytes)), "{len} bytes");
        }
        assert!(file_hash_at(&dir.path().join("missing.epub")).is_err());
    }
}
