//! `json/<id>.json`: the intermediate form, as people and templates read it.

use super::{ArticleOutput, Prepared, Rendered};
use crate::error::Result;
use crate::model::Article;

pub struct Json;

struct Serialized {
    bytes: Vec<u8>,
}

impl ArticleOutput for Json {
    fn path(&self, id: &str) -> String {
        format!("json/{id}.json")
    }

    fn settings(&self) -> u128 {
        0
    }

    fn prepare<'a>(&'a self, article: &Article) -> Result<Box<dyn Prepared + 'a>> {
        Ok(Box::new(Serialized { bytes: super::to_json(article) }))
    }

    fn is_intermediate(&self) -> bool {
        true
    }
}

impl Prepared for Serialized {
    fn fingerprint(&self) -> crate::digest::Digest {
        crate::digest::Digest::of(&self.bytes)
    }

    fn render(&self) -> Result<Rendered> {
        Ok(Rendered { bytes: self.bytes.clone(), pages: None })
    }
}
