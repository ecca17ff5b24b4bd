//! HTML shared by every output that writes it: the EPUB's chapters ([`crate::epub`]) and
//! the site's pages ([`crate::site`]).
//!
//! - `xml.rs`: escaping and sanitizing (text, URLs, language tags). Article text is
//!   hostile by assumption; everything that reaches a file passes through it.
//! - `labels.rs`: the fixed wording a page adds, in the article's language.
//! - `xhtml.rs`: an article's parts (reviewed line, key points, body with the phone
//!   after each action step) as markup that is both XHTML and HTML5, so one renderer
//!   serves a reading system and a browser, and the two never disagree on an article.

pub(crate) mod labels;
pub(crate) mod xhtml;
pub(crate) mod xml;
