//! Article list → one EPUB 3 (issue 4). Placeholder until merged.
use crate::config::{Brand, Collection};
use crate::error::Error;
use crate::model::Article;
pub struct EpubSettings<'a> { pub collection: &'a Collection, pub brand: &'a Brand, pub source_date_epoch: Option<i64> }
pub fn build_epub(_articles: &[Article], _settings: &EpubSettings) -> Result<Vec<u8>, Error> { Err(Error::Other("epub not built yet".into())) }
pub fn collection_id(_c: &Collection) -> String { "collection".into() }
