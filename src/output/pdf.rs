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
            inputs: self.typesetter.prepare(&unprinted_review(article), self.variant)?,
        }))
    }
}

/// The article without what the clinic keeps about its review (owner, due date), which
/// no handout prints: setting `review-every` or an `owner:` typesets nothing again.
fn unprinted_review(article: &Article) -> std::borrow::Cow<'_, Article> {
    let meta = &article.meta;
    if meta.owner.is_none() && meta.review_by.is_none() && meta.review_due.is_none() {
        return std::borrow::Cow::Borrowed(article);
    }
    let mut article = article.clone();
    (article.meta.owner, article.meta.review_by, article.meta.review_due) = (None, None, None);
    std::borrow::Cow::Owned(article)
}

impl Prepared for Handout<'_> {
    fn fingerprint(&self) -> crate::digest::Digest {
        self.typesetter.fingerprint(&self.inputs)
    }

    fn render(&self) -> Result<Rendered> {
        let pdf = self.typesetter.typeset(&self.inputs)?;
        Ok(Rendered { bytes: pdf.bytes, pages: Some(pdf.pages) })
    }
}
