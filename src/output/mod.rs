//! The outputs, as a list. Each output is one module implementing one of two traits:
//! [`ArticleOutput`] (one file per article: PDF, large-print PDF, JSON) or
//! [`CollectionOutput`] (one file for the batch: EPUB, report). The build (`crate::build`)
//! plans, caches, shows progress, isolates failures and removes stale files for every
//! output the same way, without knowing any format; an output knows nothing of caches,
//! threads or other outputs.
//!
//! Adding an output is one module here and one line in [`article_outputs`] or
//! [`collection_outputs`].

pub mod epub;
mod html;
mod json;
mod pdf;
pub mod report;

use crate::config::Config;
use crate::digest::Digest;
use crate::error::Result;
use crate::model::Article;
use crate::typeset::{Typesetter, Variant};

pub use epub::write_epubs;
pub use report::{ArticleReport, BuildReport};

/// What an output made of one article.
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Pages, for outputs that have them (shown in the report).
    pub pages: Option<usize>,
}

/// One article's output, ready to fingerprint and, when stale, to render. Preparing
/// once serves both: a PDF's fingerprint and its typesetting need the same JSON.
pub trait Prepared {
    /// A hash of everything that decides the bytes: equal means byte-identical output.
    fn fingerprint(&self) -> Digest;
    fn render(&self) -> Result<Rendered>;
}

/// An output made per article.
pub trait ArticleOutput: Sync {
    /// The file, relative to the output folder, for the article with this id.
    fn path(&self, id: &str) -> String;
    /// Whether the output is a handout (a PDF to print): handouts are what progress
    /// counts and the report lists as typeset or up to date.
    fn is_handout(&self) -> bool {
        false
    }
    /// A hash of every setting besides the article that decides the output (templates,
    /// fonts, brand, paper…): an article file whose bytes and these did not change is
    /// not read again.
    fn settings(&self) -> u128;
    /// Whatever would fail this output for every article (a broken template or logo),
    /// found once, before any article is read.
    fn check(&self) -> Result<()> {
        Ok(())
    }
    fn prepare<'a>(&'a self, article: &Article) -> Result<Box<dyn Prepared + 'a>>;
    /// Whether this output is made for `article` at all: the site has no page for a
    /// draft (unless `build --drafts`), and its old page goes like any output an
    /// article was built without.
    fn publishes(&self, _article: &Article) -> bool {
        true
    }
    /// Whether the output is the article itself, serialized: collection outputs read
    /// the articles back from it instead of reading and analysing the files again.
    fn is_intermediate(&self) -> bool {
        false
    }
}

/// An article read back from its [intermediate](ArticleOutput::is_intermediate) output.
pub fn read_intermediate(path: &std::path::Path) -> Result<Article> {
    let bytes = std::fs::read(path).map_err(|e| crate::error::Error::Io {
        kind: crate::error::Kind::Output,
        path: path.to_path_buf(),
        source: e,
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| crate::error::Error::Output { path: path.to_path_buf(), message: e.to_string() })
}

/// What a collection output is made from.
pub struct Collection<'a> {
    /// How many articles the batch has.
    pub count: usize,
    /// Article `index` (below `count`) of the batch, in batch order, read from its
    /// intermediate output: called only when an output is stale, and one at a time, so
    /// that no output holds 100,000 articles at once.
    pub article: &'a dyn Fn(usize) -> Result<Article>,
    /// The build so far: what was made, what failed.
    pub report: &'a BuildReport,
}

impl Collection<'_> {
    /// Visits every article in batch order, one at a time.
    pub fn each(&self, mut visit: impl FnMut(usize, Article) -> Result<()>) -> Result<()> {
        (0..self.count).try_for_each(|index| visit(index, (self.article)(index)?))
    }
}

/// An output file just written: what the manifest records of its bytes.
pub struct Written {
    pub size: u64,
    pub hash: Digest,
}

/// An output made once for the whole batch.
pub trait CollectionOutput: Sync {
    /// The file, relative to the output folder.
    fn path(&self) -> String;
    /// A hash of everything that decides the bytes, from each article's fingerprint
    /// (in batch order); `None` for an output written on every build.
    fn fingerprint(&self, articles: &[Digest]) -> Option<Digest>;
    fn render(&self, collection: &Collection) -> Result<Vec<u8>>;
    /// Writes the output to `path`, atomically. Made whole in memory by [`Self::render`]
    /// unless the output writes as it goes.
    fn write(&self, collection: &Collection, path: &std::path::Path) -> Result<Written> {
        let bytes = self.render(collection)?;
        crate::fsx::write_atomic(path, &bytes)?;
        Ok(Written { size: bytes.len() as u64, hash: crate::fsx::file_hash(&bytes) })
    }
}

/// The outputs made per article, in the order they are made.
pub fn article_outputs<'a>(config: &Config, typesetter: &'a Typesetter) -> Vec<Box<dyn ArticleOutput + 'a>> {
    let mut outputs: Vec<Box<dyn ArticleOutput + 'a>> =
        vec![Box::new(json::Json), Box::new(pdf::Pdf { typesetter, variant: Variant::Regular })];
    if config.handout.large_print {
        outputs.push(Box::new(pdf::Pdf { typesetter, variant: Variant::LargePrint }));
    }
    if config.site.enabled {
        outputs.push(Box::new(html::Page::new(config, typesetter.picture_store().clone())));
    }
    outputs
}

/// The outputs made for the whole batch, in the order they are made; the report last,
/// as it records the others. `whole_batch` is false for a build of some articles only,
/// whose articles are not the whole catalogue. `pictures` is the build's store (the
/// typesetter's), so every output shows the same bytes, read once.
pub fn collection_outputs(
    config: &Config,
    epub: bool,
    whole_batch: bool,
    pictures: &std::sync::Arc<crate::pictures::PictureStore>,
) -> Result<Vec<Box<dyn CollectionOutput>>> {
    let mut outputs: Vec<Box<dyn CollectionOutput>> = Vec::new();
    if epub {
        for book in config.books() {
            outputs.push(Box::new(epub::Epub::new(config, book, pictures.clone())?));
        }
    }
    if config.site.enabled {
        outputs.extend(html::collection_outputs(config, whole_batch)?);
    }
    outputs.push(Box::new(report::Report));
    Ok(outputs)
}

pub(crate) use crate::digest::hex;

/// Pretty JSON with a final newline, so files diff well.
pub fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// [`to_json`]'s bytes written atomically to `path` as they are made: the manifest of
/// 50,000 articles is 116 MB, and a buffer for it grew to twice that besides the
/// manifest itself.
pub fn write_json_atomic<T: serde::Serialize>(path: &std::path::Path, value: &T) -> crate::error::Result<()> {
    use std::io::Write;
    let write_error = |err: std::io::Error| crate::error::Error::write(path, err);
    crate::fsx::write_atomic_with(path, |file| {
        let mut writer = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer_pretty(&mut writer, value).map_err(|err| write_error(err.into()))?;
        writer.write_all(b"\n").map_err(write_error)?;
        writer.flush().map_err(write_error)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_written_as_it_is_made_has_the_bytes_of_json_made_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("manifest.json");
        let value = serde_json::json!({"outputs": {"pdf/a.pdf": {"fingerprint": "f\"1", "pages": 2}}, "list": [1, 2]});
        super::write_json_atomic(&path, &value).expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), super::to_json(&value));
    }
}
