//! `<collection>.epub`: every article in one EPUB 3 (see [`crate::epub`]).

use super::{Collection, CollectionOutput};
use crate::config::Config;
use crate::error::Result;
use crate::labels::LabelTable;
use crate::pictures::PictureStore;
use std::sync::Arc;

pub struct Epub {
    config: Config,
    labels: LabelTable,
    /// The build's pictures (shared with the PDFs, so each file is read once).
    pictures: Arc<PictureStore>,
    /// The logo's file extension and bytes (`brand.logo`), for the cover image.
    logo: Option<(String, Vec<u8>)>,
}

impl Epub {
    pub fn new(config: &Config, pictures: Arc<PictureStore>) -> Result<Epub> {
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
        Ok(Epub { config: config.clone(), labels: LabelTable::load(config.template_dir())?, pictures, logo })
    }

    fn settings(&self) -> crate::epub::EpubSettings<'_> {
        crate::epub::EpubSettings {
            collection: &self.config.collection,
            brand: &self.config.brand,
            source_date_epoch: self.config.source_date_epoch,
            labels: &self.labels,
            catalogue: self.config.site.enabled.then_some(self.config.site.base_url.as_deref()).flatten(),
            logo: self.logo.as_ref().and_then(|(ext, bytes)| crate::epub::Logo::from_extension(ext, bytes)),
        }
    }
}

impl CollectionOutput for Epub {
    fn path(&self) -> String {
        format!("{}.epub", crate::epub::collection_id(&self.config.collection))
    }

    /// The articles' fingerprints include their pictures' bytes (see `crate::build`), so
    /// editing a picture makes the EPUB again.
    fn fingerprint(&self, articles: &[String]) -> Option<String> {
        Some(super::hex((
            env!("CARGO_PKG_VERSION"),
            articles,
            format!("{:?}{:?}{:?}", self.config.collection, self.config.brand, self.labels),
            &self.logo,
            self.config.source_date_epoch,
        )))
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        let articles = (collection.articles)()?;
        crate::epub::build_epub_with_pictures(&articles, &self.settings(), &self.pictures)
    }
}

/// Builds the EPUB of `articles` into the output folder; returns its path.
pub fn write_epub(config: &Config, articles: &[crate::model::Article]) -> Result<std::path::PathBuf> {
    let epub = Epub::new(config, Arc::new(PictureStore::new(&config.content_dir)))?;
    let bytes = crate::epub::build_epub_with_pictures(articles, &epub.settings(), &epub.pictures)?;
    let path = config.out_dir.join(epub.path());
    crate::fsx::write_atomic(&path, &bytes)?;
    Ok(path)
}
