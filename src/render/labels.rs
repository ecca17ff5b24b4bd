//! The few words the EPUB and the site add to the articles, in the article's language, from
//! the one table every output reads ([`crate::labels`], `templates/labels.toml`).
//!
//! Labels the table has no translation for are English and marked up as English, so a
//! screen reader switches voice for them and only them.

use crate::labels::LabelTable;

pub(crate) struct Labels {
    /// The language the labels are written in.
    pub lang: String,
    pub key_points: String,
    pub reviewed: String,
    pub contents: String,
    pub landmarks: String,
    pub cover: String,
    pub start: String,
    pub call_us: String,
    /// "Questions? Call", before the clinic's number.
    pub call: String,
    pub website: String,
    table: crate::labels::Labels,
}

/// Labels for a page in language `lang` (a BCP 47 tag).
pub(crate) fn for_lang(table: &LabelTable, lang: &str) -> Labels {
    let labels = table.for_lang(lang);
    let text = |key: &str| labels.text(key).to_string();
    Labels {
        lang: labels.lang.clone(),
        key_points: text("key-points"),
        reviewed: text("reviewed"),
        contents: text("contents"),
        landmarks: text("landmarks"),
        cover: text("cover"),
        start: text("start"),
        call_us: text("call-us"),
        call: text("call"),
        website: text("website"),
        table: labels,
    }
}

impl Labels {
    /// ` lang=".." xml:lang=".."` when the labels are not in `page_lang`, else nothing.
    pub fn lang_attrs(&self, page_lang: &str) -> String {
        let page_primary = page_lang.split('-').next().unwrap_or(page_lang);
        if page_primary.eq_ignore_ascii_case(&self.lang) {
            String::new()
        } else {
            format!(" lang=\"{0}\" xml:lang=\"{0}\"", self.lang)
        }
    }

    /// `2026-09-14` → "September 14, 2026" (or the local equivalent).
    pub fn human_date(&self, year: i32, month: u32, day: u32) -> String {
        self.table.human_date(year, month, day)
    }
}
