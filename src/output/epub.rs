//! `<collection>.epub`: every article in one EPUB 3 (see [`crate::epub`]).

use super::{Collection, CollectionOutput};
use crate::config::Config;
use crate::error::Result;
use crate::labels::LabelTable;

pub struct Epub {
    config: Config,
    labels: LabelTable,
}

impl Epub {
    pub fn new(config: &Config) -> Result<Epub> {
        Ok(Epub { config: config.clone(), labels: LabelTable::load(config.template_dir())? })
    }

    fn settings(&self) -> crate::epub::EpubSettings<'_> {
        crate::epub::EpubSettings {
            collection: &self.config.collection,
            brand: &self.config.brand,
            source_date_epoch: self.config.source_date_epoch,
            labels: &self.labels,
        }
    }
}

impl CollectionOutput for Epub {
    fn path(&self) -> String {
        format!("{}.epub", crate::epub::collection_id(&self.config.collection))
    }

    fn fingerprint(&self, articles: &[String]) -> Option<String> {
        Some(super::hex((
            env!("CARGO_PKG_VERSION"),
            articles,
            format!("{:?}{:?}{:?}", self.config.collection, self.config.brand, self.labels),
            self.config.source_date_epoch,
        )))
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        let articles = (collection.articles)()?;
        crate::epub::build_epub(&articles, &self.settings())
    }
}

/// Builds the EPUB of `articles` into the output folder; returns its path.
pub fn write_epub(config: &Config, articles: &[crate::model::Article]) -> Result<std::path::PathBuf> {
    let epub = Epub::new(config)?;
    let bytes = crate::epub::build_epub(articles, &epub.settings())?;
    let path = config.out_dir.join(epub.path());
    crate::fsx::write_atomic(&path, &bytes)?;
    Ok(path)
}
