//! The few words the EPUB itself adds to the articles, in the article's language.
//!
//! A Spanish handout with an English "Key points" heading would make a screen reader
//! switch voices mid-page, so the fixed labels follow the page language; for languages
//! we have no words for, English is used and marked up as English.

pub(crate) struct Labels {
    /// The language the labels are written in.
    pub lang: &'static str,
    pub key_points: &'static str,
    pub reviewed: &'static str,
    pub contents: &'static str,
    pub landmarks: &'static str,
    pub cover: &'static str,
    pub start: &'static str,
    pub months: [&'static str; 12],
    /// `{day}`, `{month}`, `{year}` → a date as people write it.
    pub date: fn(u32, &str, i32) -> String,
}

const EN: Labels = Labels {
    lang: "en",
    key_points: "Key points",
    reviewed: "Reviewed",
    contents: "Contents",
    landmarks: "Landmarks",
    cover: "Cover",
    start: "Start of content",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date: |day, month, year| format!("{month} {day}, {year}"),
};

const ES: Labels = Labels {
    lang: "es",
    key_points: "Puntos clave",
    reviewed: "Revisado",
    contents: "Índice",
    landmarks: "Puntos de referencia",
    cover: "Portada",
    start: "Inicio del contenido",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: |day, month, year| format!("{day} de {month} de {year}"),
};

/// Labels for a page in language `lang` (a BCP 47 tag).
pub(crate) fn for_lang(lang: &str) -> &'static Labels {
    let primary = lang.split('-').next().unwrap_or(lang);
    if primary.eq_ignore_ascii_case("es") { &ES } else { &EN }
}

impl Labels {
    /// ` lang=".." xml:lang=".."` when the labels are not in `page_lang`, else nothing.
    pub fn lang_attrs(&self, page_lang: &str) -> String {
        let page_primary = page_lang.split('-').next().unwrap_or(page_lang);
        if page_primary.eq_ignore_ascii_case(self.lang) {
            String::new()
        } else {
            format!(" lang=\"{0}\" xml:lang=\"{0}\"", self.lang)
        }
    }

    /// `2026-09-14` → "September 14, 2026" (or the local equivalent).
    pub fn human_date(&self, date: &super::Date) -> String {
        let month = self.months[(date.month - 1) as usize];
        (self.date)(date.day, month, date.year)
    }
}
