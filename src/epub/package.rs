//! The book-level files: container, package document, nav, cover, stylesheet.

use crate::config::accessible_color;

use super::chapter::TocEntry;
use super::labels;
use super::parts::PartFile;
use super::xml::{escape, one_line};
use super::{Date, EpubSettings, xhtml_head};

pub(crate) const CONTAINER_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

/// One article's file, as the package lists it (its XHTML is already in the container).
pub(crate) struct ChapterFile {
    /// File name relative to `OEBPS/`.
    pub file: String,
    pub manifest_id: String,
    pub title: String,
    pub lang: String,
    /// For a translation of the chapter before: its language's name, shown in the nav.
    pub language_name: Option<String>,
    pub toc: Vec<TocEntry>,
}

/// A picture file, listed in the manifest.
pub(crate) struct PictureFile {
    pub manifest_id: String,
    /// Relative to `OEBPS/`, percent-encoded.
    pub href: String,
    pub media_type: &'static str,
}

pub(crate) struct Book<'a> {
    pub settings: &'a EpubSettings<'a>,
    /// The collection's language, validated.
    pub lang: &'a str,
    pub modified: &'a Date,
    pub chapters: &'a [ChapterFile],
    /// The parts of a book too large for one table of contents; none for others.
    pub parts: &'a [PartFile],
    /// The pictures the chapters show, each once.
    pub pictures: &'a [PictureFile],
}

impl Book<'_> {
    fn title(&self) -> String {
        match one_line(&self.settings.collection.title) {
            title if title.is_empty() => "Patient Handouts".to_string(),
            title => title,
        }
    }

    fn publisher(&self) -> String {
        one_line(&self.settings.brand.name)
    }

    /// ` lang=".." xml:lang=".."` for text in `lang` placed on a page in the book language.
    fn lang_attrs(&self, lang: &str) -> String {
        if lang == self.lang {
            String::new()
        } else {
            format!(" lang=\"{0}\" xml:lang=\"{0}\"", escape(lang))
        }
    }
}

/// What the accessibility metadata promises, in words a person reads before buying or
/// opening the book; kept next to the machine-readable properties it summarizes.
const ACCESSIBILITY_SUMMARY: &str = "This publication is text only, with no images, audio or video. \
     Every article has a clear heading structure, and the table of contents lists each article and its sections. \
     Each page declares its language. The text can be resized and restyled, and meets WCAG 2.2 Level AA contrast. \
     Tables have header cells. There are no flashing, motion or sound hazards.";

/// [`ACCESSIBILITY_SUMMARY`] for a book with pictures.
const ACCESSIBILITY_SUMMARY_PICTURES: &str = "This publication is text with a few still pictures, and no audio or video. \
     Every picture that carries information has a text description; the others are marked as decoration. \
     Every article has a clear heading structure, and the table of contents lists each article and its sections. \
     Each page declares its language. The text can be resized and restyled, and meets WCAG 2.2 Level AA contrast. \
     Tables have header cells. There are no flashing, motion or sound hazards.";

/// What the summaries say of the table of contents of an undivided book, and what they
/// say instead of a book in parts ([`super::parts`]), whose contents list only the parts.
const WHOLE_TOC: &str = "the table of contents lists each article and its sections.";
const PARTS_TOC: &str =
    "the table of contents lists the parts of the book; each part opens with a list of its articles.";

/// Writes the package document into `out` as it goes: 50,000 chapters' is 12 MB, which
/// as one string grew by doubling to twice that at the end of the build.
pub(crate) fn opf(book: &Book, fonts: &[&str], out: &mut impl std::fmt::Write) -> std::fmt::Result {
    let collection_id = super::collection_id(book.settings.collection);
    let publisher = book.publisher();
    // Stable across builds and machines, different for another clinic's collection of
    // the same name.
    let uuid = super::uuid::v5_url(&format!("urn:handouts:{publisher}:{collection_id}"));
    out.write_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{}\">",
        escape(book.lang)
    )?;
    out.write_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n")?;
    writeln!(out, "<dc:identifier id=\"pub-id\">urn:uuid:{uuid}</dc:identifier>")?;
    writeln!(out, "<dc:title>{}</dc:title>", escape(&book.title()))?;
    // The first language is the book's; the others are those of individual articles, so
    // that catalogues know the book mixes languages.
    let mut langs = vec![book.lang];
    for chapter in book.chapters {
        if !langs.iter().any(|l| l.eq_ignore_ascii_case(&chapter.lang)) {
            langs.push(&chapter.lang);
        }
    }
    for lang in langs {
        writeln!(out, "<dc:language>{}</dc:language>", escape(lang))?;
    }
    if !publisher.is_empty() {
        // The clinic wrote the handouts (as far as a patient is concerned) and publishes them.
        writeln!(out, "<dc:creator>{}</dc:creator>", escape(&publisher))?;
        writeln!(out, "<dc:publisher>{}</dc:publisher>", escape(&publisher))?;
    }
    writeln!(out, "<meta property=\"dcterms:modified\">{}</meta>", book.modified.iso_datetime())?;
    let mut accessibility = vec![("schema:accessMode", "textual")];
    if !book.pictures.is_empty() {
        // The pictures are seen; their descriptions make the text sufficient alone.
        accessibility.extend([
            ("schema:accessMode", "visual"),
            ("schema:accessModeSufficient", "textual,visual"),
            ("schema:accessibilityFeature", "alternativeText"),
        ]);
    }
    let summary =
        if book.pictures.is_empty() { ACCESSIBILITY_SUMMARY } else { ACCESSIBILITY_SUMMARY_PICTURES };
    let summary =
        if book.parts.is_empty() { summary.to_string() } else { summary.replace(WHOLE_TOC, PARTS_TOC) };
    accessibility.extend([
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", &summary),
        // Honest because every page is generated by this module: headings, languages,
        // table headers, link checks and contrast are enforced here, and `scripts/ace.sh`
        // checks the result with DAISY Ace.
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
    ]);
    for (property, value) in accessibility {
        writeln!(out, "<meta property=\"{property}\">{}</meta>", escape(value))?;
    }
    // No `a11y:certifiedBy`: the clinic publishes the book, it certified nothing.
    out.write_str("</metadata>\n<manifest>\n")?;
    out.write_str(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n",
    )?;
    out.write_str("<item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n")?;
    out.write_str(
        "<item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>\n",
    )?;
    let pages = book.parts.iter().map(|p| (&p.manifest_id, &p.file));
    for (manifest_id, file) in pages.chain(book.chapters.iter().map(|c| (&c.manifest_id, &c.file))) {
        writeln!(
            out,
            "<item id=\"{}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            escape(manifest_id),
            escape(file)
        )?;
    }
    out.write_str("<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n")?;
    for (i, font) in fonts.iter().enumerate() {
        writeln!(
            out,
            "<item id=\"font-{}\" href=\"fonts/{}\" media-type=\"font/ttf\"/>",
            i + 1,
            escape(font)
        )?;
    }
    for picture in book.pictures {
        writeln!(
            out,
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"/>",
            escape(&picture.manifest_id),
            escape(&picture.href),
            picture.media_type
        )?;
    }
    out.write_str("</manifest>\n<spine>\n<itemref idref=\"cover\"/>\n<itemref idref=\"nav\"/>\n")?;
    // Each part's index page just before its first chapter.
    let mut parts = book.parts.iter().peekable();
    for (index, chapter) in book.chapters.iter().enumerate() {
        if let Some(part) = parts.next_if(|part| part.start == index) {
            writeln!(out, "<itemref idref=\"{}\"/>", escape(&part.manifest_id))?;
        }
        writeln!(out, "<itemref idref=\"{}\"/>", escape(&chapter.manifest_id))?;
    }
    out.write_str("</spine>\n</package>\n")
}

pub(crate) fn nav(book: &Book) -> String {
    let labels = labels::for_lang(book.settings.labels, book.lang);
    let mut out = xhtml_head(book.lang, &labels.contents);
    out.push_str(
        "<body>\n<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n",
    );
    out.push_str(&format!(
        "<h1 id=\"toc-title\"{}>{}</h1>\n<ol>\n",
        labels.lang_attrs(book.lang),
        labels.contents
    ));
    for part in book.parts {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            escape(&part.file),
            part.guide_words_html(book.lang)
        ));
    }
    // A book in parts lists its chapters on the parts' pages.
    let chapters = if book.parts.is_empty() { book.chapters } else { &[] };
    for chapter in chapters {
        // A translation names its language, in that language: "Cuidado de los pies (Español)".
        let language = chapter.language_name.as_deref().map(|name| format!(" ({})", escape(name)));
        out.push_str(&format!(
            "<li><a href=\"{}\"{}>{}{}</a>",
            escape(&chapter.file),
            book.lang_attrs(&chapter.lang),
            escape(&chapter.title),
            language.unwrap_or_default()
        ));
        if !chapter.toc.is_empty() {
            out.push('\n');
            let mut next = 0;
            toc_list(&mut out, chapter, &mut next, 2, &book.lang_attrs(&chapter.lang));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</nav>\n");
    // Landmarks are for reading systems' "go to" menus, not for reading, hence hidden.
    out.push_str(&format!(
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\" aria-labelledby=\"landmarks-title\">\n\
         <h2 id=\"landmarks-title\"{attrs}>{landmarks}</h2>\n<ol>\n\
         <li><a epub:type=\"cover\" href=\"cover.xhtml\"{attrs}>{cover}</a></li>\n\
         <li><a epub:type=\"toc\" href=\"nav.xhtml#toc\"{attrs}>{contents}</a></li>\n",
        attrs = labels.lang_attrs(book.lang),
        landmarks = labels.landmarks,
        cover = labels.cover,
        contents = labels.contents,
    ));
    let first = book.parts.first().map(|part| &part.file).or(book.chapters.first().map(|c| &c.file));
    if let Some(first) = first {
        out.push_str(&format!(
            "<li><a epub:type=\"bodymatter\" href=\"{}\"{}>{}</a></li>\n",
            escape(first),
            labels.lang_attrs(book.lang),
            labels.start
        ));
    }
    out.push_str("</ol>\n</nav>\n</body>\n</html>\n");
    out
}

/// Writes the headings from `chapter.toc[*next..]` at `level` and deeper as a nested
/// `<ol>`. Relies on [`TocEntry::level`] never jumping more than one level down, which
/// the chapter renderer guarantees.
fn toc_list(out: &mut String, chapter: &ChapterFile, next: &mut usize, level: u8, lang_attrs: &str) {
    out.push_str("<ol>\n");
    while let Some(entry) = chapter.toc.get(*next) {
        if entry.level < level {
            break;
        }
        *next += 1;
        out.push_str(&format!(
            "<li><a href=\"{}#{}\"{lang_attrs}>{}</a>",
            escape(&chapter.file),
            escape(&entry.id),
            escape(&entry.text)
        ));
        if chapter.toc.get(*next).is_some_and(|following| following.level > level) {
            out.push('\n');
            toc_list(out, chapter, next, level + 1, lang_attrs);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

pub(crate) fn cover(book: &Book) -> String {
    let brand = book.settings.brand;
    let title = book.title();
    let mut out = xhtml_head(book.lang, &title);
    out.push_str("<body class=\"cover-page\">\n<section class=\"cover\" aria-labelledby=\"cover-title\">\n");
    out.push_str(&format!("<h1 id=\"cover-title\">{}</h1>\n", escape(&title)));
    let publisher = book.publisher();
    if !publisher.is_empty() {
        out.push_str(&format!("<p class=\"cover-publisher\">{}</p>\n", escape(&publisher)));
    }
    if let Some(phone) = brand.phone.as_deref().map(one_line).filter(|p| !p.is_empty()) {
        out.push_str("<p class=\"cover-phone\">");
        crate::render::xhtml::phone_link(&mut out, &phone);
        out.push_str("</p>\n");
    }
    // "More handouts": the site's catalogue when it is published, else the clinic's site.
    let catalogue = book.settings.catalogue.map(|base| format!("{}/", one_line(base).trim_end_matches('/')));
    let more = catalogue.or_else(|| brand.website.as_deref().map(one_line));
    if let Some((href, text)) = more.as_deref().and_then(|text| Some((super::xml::safe_href(text)?, text))) {
        let labels = super::labels::for_lang(book.settings.labels, book.lang);
        out.push_str(&format!(
            "<p class=\"cover-website\"><span{}>{}</span> <a href=\"{}\">{}</a></p>\n",
            labels.lang_attrs(book.lang),
            escape(&labels.website),
            escape(&href),
            escape(text)
        ));
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// `cover.svg`, the book's thumbnail (see [`super::cover`]).
pub(crate) fn cover_image(book: &Book) -> String {
    let settings = book.settings;
    super::cover::svg(
        &book.title(),
        &book.publisher(),
        book.lang,
        &settings.brand.primary_color,
        settings.logo,
    )
}

/// The stylesheet: relative units throughout so reading-system font-size settings work,
/// and the brand colour only where its contrast has been checked.
pub(crate) fn stylesheet(primary_color: &str) -> String {
    let brand = accessible_color(primary_color);
    include_str!("style.css").replace("BRAND", &brand)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, n: usize) -> TocEntry {
        TocEntry { level, id: format!("h-{n}"), text: format!("H{n}") }
    }

    #[test]
    fn both_summaries_say_what_a_book_in_parts_says_otherwise() {
        for summary in [ACCESSIBILITY_SUMMARY, ACCESSIBILITY_SUMMARY_PICTURES] {
            assert_eq!(summary.matches(WHOLE_TOC).count(), 1, "{summary}");
            assert!(summary.replace(WHOLE_TOC, PARTS_TOC).contains("lists the parts of the book"));
        }
    }

    #[test]
    fn toc_nesting_closes_every_list() {
        let chapter = ChapterFile {
            file: "a.xhtml".into(),
            manifest_id: "ch-a".into(),
            title: "A".into(),
            lang: "en".into(),
            language_name: None,
            toc: vec![entry(2, 1), entry(3, 2), entry(4, 3), entry(2, 4), entry(3, 5)],
        };
        let mut out = String::new();
        toc_list(&mut out, &chapter, &mut 0, 2, "");
        let compact: String = out.split('\n').collect();
        assert_eq!(
            compact,
            "<ol><li><a href=\"a.xhtml#h-1\">H1</a><ol><li><a href=\"a.xhtml#h-2\">H2</a><ol>\
             <li><a href=\"a.xhtml#h-3\">H3</a></li></ol></li></ol></li><li><a href=\"a.xhtml#h-4\">H4</a>\
             <ol><li><a href=\"a.xhtml#h-5\">H5</a></li></ol></li></ol>"
        );
    }
}
