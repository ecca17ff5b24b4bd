//! One article → one XHTML content document, plus the headings the nav lists. The
//! article's parts come from the renderer the site shares ([`crate::render::xhtml`]).

use crate::model::Article;
use crate::render::xhtml;

pub(crate) use crate::render::xhtml::TocEntry;

use super::labels;
use super::xhtml_head;
use super::xml::push_escaped;

/// The rendered chapter.
pub(crate) struct Chapter {
    pub xhtml: String,
    pub toc: Vec<TocEntry>,
}

/// Renders `article` as a complete XHTML document; `lang` is its (validated) language.
/// Like the handout, it carries the brand: the phone number after each action step
/// ("When should I call…?") in a box, the disclaimer, and at the end the clinic's
/// name and number to tap.
pub(crate) fn render(article: &Article, title: &str, lang: &str, settings: &super::EpubSettings) -> Chapter {
    let labels = &labels::for_lang(settings.labels, lang);
    let mut out = String::new();
    out.push_str(&xhtml_head(lang, title));
    out.push_str("<body>\n<section class=\"article\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n");
    out.push_str("<h1 id=\"title\">");
    push_escaped(&mut out, title);
    out.push_str("</h1>\n");
    xhtml::reviewed_line(&mut out, article.meta.reviewed.as_deref(), labels, lang);
    if let Some(summary) = article.meta.summary.as_deref() {
        xhtml::key_points(&mut out, summary, labels, lang);
    }
    let body = xhtml::body(article, labels, lang, settings.labels, settings.brand);
    out.push_str(&body.html);
    if let Some(disclaimer) = xhtml::disclaimer(settings.brand, lang) {
        out.push_str("<p class=\"disclaimer\">");
        push_escaped(&mut out, &disclaimer);
        out.push_str("</p>\n");
    }
    xhtml::clinic_footer(&mut out, settings.brand, labels, lang);
    out.push_str("</section>\n</body>\n</html>\n");
    Chapter { xhtml: out, toc: body.toc }
}
