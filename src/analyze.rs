//! Readability metrics and plain-language lint (issue 5). Placeholder until merged.
use crate::model::Article;
pub struct PlainLanguage;
impl PlainLanguage {
    pub fn builtin() -> Self { PlainLanguage }
    pub fn parse(_text: &str) -> Result<Self, String> { Ok(PlainLanguage) }
}
pub fn analyze(_article: &mut Article, _words: &PlainLanguage) {}
