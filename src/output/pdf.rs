//! `pdf/<id>.pdf` and `pdf/<id>-large.pdf`: the handouts, typeset by [`Typesetter`].

use super::{ArticleOutput, Prepared, Rendered};
use crate::error::Result;
use crate::model::Article;
use crate::typeset::{HandoutInputs, Typesetter, Variant};

pub struct Pdf<'a> {
    pub typesetter: &'a Typesetter,
    pub variant: Variant,
}

struct Handout<'a> {
    typesetter: &'a Typesetter,
    inputs: HandoutInputs,
}

impl ArticleOutput for Pdf<'_> {
    fn path(&self, id: &str) -> String {
        format!("pdf/{id}{}.pdf", self.variant.suffix())
    }

    fn is_handout(&self) -> bool {
        true
    }

    fn settings(&self) -> u128 {
        typst::utils::hash128(&(self.typesetter.settings_fingerprint(), self.variant))
    }

    fn check(&self) -> Result<()> {
        self.typesetter.check(self.variant)
    }

    fn prepare<'b>(&'b self, article: &Article) -> Result<Box<dyn Prepared + 'b>> {
        Ok(Box::new(Handout {
            typesetter: self.typesetter,
            inputs: self.typesetter.prepare(article, self.variant)?,
        }))
    }
}

impl Prepared for Handout<'_> {
    fn fingerprint(&self) -> String {
        self.typesetter.fingerprint(&self.inputs)
    }

    fn render(&self) -> Result<Rendered> {
        let pdf = self.typesetter.typeset(&self.inputs)?;
        Ok(Rendered { bytes: pdf.bytes, pages: Some(pdf.pages) })
    }
}
