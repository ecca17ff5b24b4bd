//! `<collection>.epub`: one EPUB 3 per book (`[[collections]]`, else `[collection]` of
//! every article; see [`crate::epub`]).

use std::io::Write as _;

use super::{Collection, CollectionOutput, Written};
use crate::config::{Collection as Book, Config};
use crate::epub::books::{Shelf, Shelved};
use crate::error::Result;
use crate::labels::LabelTable;
use crate::pictures::PictureStore;
use std::sync::Arc;

pub struct Epub {
    config: Config,
    /// The book this output makes.
    book: Book,
    labels: LabelTable,
    /// The build's pictures (shared with the PDFs, so each file is read once).
    pictures: Arc<PictureStore>,
    /// The logo's file extension and bytes (`brand.logo`), for the cover image.
    logo: Option<(String, Vec<u8>)>,
}

impl Epub {
    pub fn new(config: &Config, book: &Book, pictures: Arc<PictureStore>) -> Result<Epub> {
        let logo = match &config.logo {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    crate::error::Error::config(
                        path,
                        None,
                        format!("cannot read the logo set in brand.logo: {e}"),
                    )
                })?;
                let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_string();
                Some((extension, bytes))
            }
            None => None,
        };
        Ok(Epub {
            config: config.clone(),
            book: book.clone(),
            labels: LabelTable::load(config.template_dir())?,
            pictures,
            logo,
        })
    }

    fn settings(&self) -> crate::epub::EpubSettings<'_> {
        crate::epub::EpubSettings {
            collection: &self.book,
            brand: &self.config.brand,
            source_date_epoch: self.config.source_date_epoch,
            labels: &self.labels,
            catalogue: self.config.site.enabled.then_some(self.config.site.base_url.as_deref()).flatten(),
            logo: self.logo.as_ref().and_then(|(ext, bytes)| crate::epub::Logo::from_extension(ext, bytes)),
            part_size: crate::epub::PART_SIZE,
        }
    }
}

impl CollectionOutput for Epub {
    fn path(&self) -> String {
        format!("{}.epub", crate::epub::collection_id(&self.book))
    }

    /// The articles' fingerprints include their pictures' bytes (see `crate::build`), so
    /// editing a picture makes the EPUB again.
    fn fingerprint(&self, articles: &[crate::digest::Digest]) -> Option<crate::digest::Digest> {
        let inputs = (
            env!("CARGO_PKG_VERSION"),
            articles,
            format!("{:?}{:?}{:?}", self.book, self.config.brand, self.labels),
            &self.logo,
            self.config.source_date_epoch,
        );
        // A book too large for one part is made in parts (crate::epub::PART_SIZE), which
        // a book built before parts was not: its fingerprint says so, and it is made
        // again. A book of one part is what it was, and keeps its fingerprint.
        Some(match articles.len() > crate::epub::PART_SIZE {
            true => crate::digest::Digest::of((inputs, "parts", crate::epub::PART_SIZE)),
            false => crate::digest::Digest::of(inputs),
        })
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.write_to(collection, &mut bytes)?;
        Ok(bytes.into_inner())
    }

    /// Written as it is made, one chapter at a time, then read back for its hash: a
    /// book of 100,000 handouts is never held whole.
    fn write(&self, collection: &Collection, path: &std::path::Path) -> Result<Written> {
        crate::fsx::write_atomic_with(path, |file| {
            let mut writer = std::io::BufWriter::new(file);
            self.write_to(collection, &mut writer)?;
            writer.flush().map_err(|e| crate::error::Error::write(path, e))
        })?;
        let (size, hash) = crate::fsx::file_hash_at(path).map_err(|e| crate::error::Error::write(path, e))?;
        Ok(Written { size, hash })
    }
}

impl Epub {
    fn write_to<W: std::io::Write + std::io::Seek>(&self, collection: &Collection, writer: W) -> Result<()> {
        // The build leaves drafts out before they get here (but with `--drafts`); the
        // report still knows them.
        let mut drafts = collection.report.articles.iter().filter(|a| !a.status.is_published()).count();
        let mut drafts_here = 0;
        let mut shelves = Vec::new();
        collection.each(|index, article| {
            if article.is_draft() {
                drafts_here += 1;
            } else {
                shelves.push(Shelf::of(index, &article));
            }
            Ok(())
        })?;
        drafts = drafts.max(drafts_here);
        if let Some(err) = only_drafts(&self.path(), drafts, shelves.len()) {
            return Err(err);
        }
        warn_unmatched(&self.config, &self.book, &shelves);
        let article = |index: usize| (collection.article)(index).map(std::borrow::Cow::Owned);
        crate::epub::write_epub(&shelves, &article, &self.settings(), Some(&self.pictures), writer)
    }
}

/// No EPUB holds a draft: an EPUB is shared by email and kept on phones, where a
/// draft's mark would not follow it (`build --drafts` included). An error when every
/// handout (`drafts` of them, none `published`) is a draft.
fn only_drafts(path: &str, drafts: usize, published: usize) -> Option<crate::error::Error> {
    (drafts > 0 && published == 0).then(|| crate::error::Error::Output {
        path: path.into(),
        message: format!(
            "every handout ({drafts}) is a draft, not yet reviewed: the EPUB is made once one is \
             reviewed (give it a `reviewed:` date and no `status: draft`); the last EPUB is kept"
        ),
    })
}

/// A tag or id of the book that no handout has is most likely a typo: a warning that
/// names the config file.
fn warn_unmatched<T: Shelved>(config: &Config, book: &Book, articles: &[T]) {
    if articles.is_empty() {
        return;
    }
    for problem in crate::epub::books::unmatched(book, articles) {
        eprintln!("warning: {}: {problem}", config.config_path.display());
    }
}

/// Builds every book's EPUB of `articles` into the output folder; returns their paths,
/// or the first error after trying each.
pub fn write_epubs(config: &Config, articles: &[crate::model::Article]) -> Result<Vec<std::path::PathBuf>> {
    let pictures = Arc::new(PictureStore::new(&config.content_dir));
    let drafts = articles.iter().filter(|a| a.is_draft()).count();
    let articles: &Vec<crate::model::Article> = &articles.iter().filter(|a| !a.is_draft()).cloned().collect();
    if let Some(err) = only_drafts("the EPUB", drafts, articles.len()) {
        return Err(err);
    }
    let mut paths = Vec::new();
    let mut first_error = None;
    for book in config.books() {
        let written = Epub::new(config, book, pictures.clone()).and_then(|epub| {
            warn_unmatched(config, book, articles);
            let bytes = crate::epub::build_epub_with_pictures(articles, &epub.settings(), &epub.pictures)?;
            let path = config.out_dir.join(epub.path());
            crate::fsx::write_atomic(&path, &bytes)?;
            Ok(path)
        });
        match written {
            Ok(path) => paths.push(path),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(paths),
    }
}
