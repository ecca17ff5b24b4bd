//! Article list → one EPUB 3 (issue 4).
//!
//! The stage is a pure function of its inputs (no clock, no file system, no
//! randomness), so two builds of the same articles are byte-identical. [`write_epub`]
//! writes the container as it goes, reading one article at a time; [`build_epub`]
//! returns it as bytes.
//!
//! Layout of the container, in the order of its entries (the chapters come before the
//! package document, which lists them, so that each is written and dropped as it is
//! made):
//!
//! ```text
//! mimetype                     stored, first, as OCF requires
//! META-INF/container.xml
//! OEBPS/<article-id>.xhtml     one per article, in collection order
//! OEBPS/part-<n>.xhtml         a book of more than PART_SIZE articles: after its part's
//!                              last chapter, the index page of the part (see [`parts`])
//! OEBPS/package.opf            metadata (incl. accessibility), manifest, spine
//! OEBPS/nav.xhtml              TOC (articles and their headings; the parts of a book in
//!                              parts) + hidden landmarks
//! OEBPS/cover.xhtml            collection title and clinic on the brand colour
//! OEBPS/cover.svg              the `cover-image` (thumbnail): logo, title, clinic
//! OEBPS/style.css
//! OEBPS/fonts/*.ttf            Atkinson Hyperlegible, four styles
//! OEBPS/pictures/<src>         each picture the articles show, once (src relative to
//!                              the content folder), listed in the manifest
//! ```

pub mod books;
mod chapter;
mod cover;
mod package;
mod parts;
mod uuid;

pub(crate) use crate::render::{labels, xml};
pub use cover::Logo;
pub use parts::PART_SIZE;

use std::collections::HashSet;
use std::io::{Cursor, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::config::{Brand, Collection};
use crate::error::Error;
use crate::model::Article;

/// What the EPUB needs besides the articles.
#[derive(Debug, Clone, Copy)]
pub struct EpubSettings<'a> {
    pub collection: &'a Collection,
    pub brand: &'a Brand,
    /// `SOURCE_DATE_EPOCH`, when set: the book's modification date.
    pub source_date_epoch: Option<i64>,
    /// The fixed wording, by language (`templates/labels.toml`).
    pub labels: &'a crate::labels::LabelTable,
    /// Where the site's catalogue is published (`[site] base-url`): "More handouts"
    /// leads there, else to the brand's website.
    pub catalogue: Option<&'a str>,
    /// The clinic's logo, shown on the cover image.
    pub logo: Option<Logo<'a>>,
    /// The most chapters in one part of a book too large for one table of contents:
    /// [`PART_SIZE`], but for tests, which divide a small book.
    pub part_size: usize,
}

/// The fonts, embedded in the binary so the EPUB never depends on what is installed.
pub(crate) const FONTS: [(&str, &[u8]); 4] = [
    (
        "AtkinsonHyperlegible-Regular.ttf",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/AtkinsonHyperlegible_400Regular.ttf")),
    ),
    (
        "AtkinsonHyperlegible-Italic.ttf",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/AtkinsonHyperlegible_400Regular_Italic.ttf"
        )),
    ),
    (
        "AtkinsonHyperlegible-Bold.ttf",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/AtkinsonHyperlegible_700Bold.ttf")),
    ),
    (
        "AtkinsonHyperlegible-BoldItalic.ttf",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/AtkinsonHyperlegible_700Bold_Italic.ttf")),
    ),
];

/// Used when neither `SOURCE_DATE_EPOCH` nor any article's `reviewed` date gives one.
const FALLBACK_MODIFIED: Date = Date { year: 2000, month: 1, day: 1, seconds: 0 };

/// The name of the EPUB file without extension ([`Collection::file_stem`]).
pub fn collection_id(collection: &Collection) -> String {
    collection.file_stem()
}

/// Builds the EPUB of the `articles` the collection holds, in its order
/// ([`books::chapters`]). For
/// articles that show pictures, use [`build_epub_with_pictures`]: without a store this
/// fails on the first figure.
pub fn build_epub(articles: &[Article], settings: &EpubSettings) -> Result<Vec<u8>, Error> {
    build(articles, settings, None)
}

/// [`build_epub`], with each article's pictures taken from `pictures` (the build's
/// store: no file is read again) and packaged once under `OEBPS/pictures/`.
pub fn build_epub_with_pictures(
    articles: &[Article],
    settings: &EpubSettings,
    pictures: &crate::pictures::PictureStore,
) -> Result<Vec<u8>, Error> {
    build(articles, settings, Some(pictures))
}

fn build(
    articles: &[Article],
    settings: &EpubSettings,
    store: Option<&crate::pictures::PictureStore>,
) -> Result<Vec<u8>, Error> {
    let shelves: Vec<books::Shelf> =
        articles.iter().enumerate().map(|(i, a)| books::Shelf::of(i, a)).collect();
    let mut bytes = Cursor::new(Vec::new());
    // Every shelf's index is its article's position in `articles` (made just above).
    let article = |index: usize| {
        articles.get(index).map(std::borrow::Cow::Borrowed).ok_or_else(|| Error::Output {
            path: format!("{}.epub", collection_id(settings.collection)).into(),
            message: format!("no article {index} in the batch"),
        })
    };
    write_epub(&shelves, &article, settings, store, &mut bytes)?;
    Ok(bytes.into_inner())
}

/// Writes the EPUB of the handouts on `shelves` that the collection holds to `writer`,
/// reading each article (`article(shelf.index)`) only when its chapter is written and
/// dropping it after: a book of 100,000 handouts holds one article at a time, and the
/// container is written as it grows, never held whole.
pub fn write_epub<'a, W: Write + Seek>(
    shelves: &[books::Shelf],
    article: &dyn Fn(usize) -> Result<std::borrow::Cow<'a, Article>, Error>,
    settings: &EpubSettings,
    store: Option<&crate::pictures::PictureStore>,
    writer: W,
) -> Result<(), Error> {
    let path = || std::path::PathBuf::from(format!("{}.epub", collection_id(settings.collection)));
    let ordered = books::chapters(settings.collection, shelves);
    if ordered.is_empty() {
        let message = if shelves.is_empty() || settings.collection.tags.is_empty() {
            "the EPUB needs at least one article".to_string()
        } else {
            format!(
                "collection \"{}\" holds no handout: none has one of its tags or is in its order",
                settings.collection.title
            )
        };
        return Err(Error::Output { path: path(), message });
    }
    let zip_error = |err: zip::result::ZipError| Error::Output {
        path: path(),
        message: format!("writing the EPUB container: {err}"),
    };
    let io_error = |err: std::io::Error| Error::Output {
        path: path(),
        message: format!("writing the EPUB container: {err}"),
    };
    let book_lang = xml::lang_or(&settings.collection.language, "en").to_string();
    let modified = modified_date(shelves, settings.source_date_epoch);

    let mut zip = ZipWriter::new(writer);
    // Fixed time and permissions: the zip must not record when or where it was built.
    let options =
        SimpleFileOptions::default().last_modified_time(modified.zip_time()).unix_permissions(0o644);
    let deflated = options.compression_method(CompressionMethod::Deflated);
    let add = |zip: &mut ZipWriter<W>, name: &str, bytes: &[u8]| -> Result<(), Error> {
        zip.start_file(name, deflated).map_err(zip_error)?;
        zip.write_all(bytes).map_err(io_error)
    };
    // OCF: `mimetype` must be the first entry, uncompressed, with no extra field, so
    // that `file` and reading systems can sniff the type at a fixed offset.
    zip.start_file("mimetype", options.compression_method(CompressionMethod::Stored)).map_err(zip_error)?;
    zip.write_all(b"application/epub+zip").map_err(io_error)?;
    add(&mut zip, "META-INF/container.xml", package::CONTAINER_XML.as_bytes())?;

    let translations: Vec<bool> = ordered.iter().map(|placed| placed.translation).collect();
    let title_of = |index: usize| {
        let shelf = ordered.get(index).map(|placed| placed.article);
        parts::GuideWord {
            text: shelf.map(|shelf| chapter_title(&shelf.title, &shelf.id)).unwrap_or_default(),
            lang: xml::lang_or(shelf.map_or("", |shelf| shelf.lang.as_str()), &book_lang).to_string(),
        }
    };
    let parts = parts::parts(&parts::starts(&translations, settings.part_size), &translations, &title_of);
    drop(translations);

    let mut names: HashSet<String> =
        ["cover", "nav", "style", "package"].into_iter().map(String::from).collect();
    names.extend((1..=parts.len()).map(parts::stem));
    let mut chapters = Vec::with_capacity(ordered.len());
    // Each part with the index after its last chapter; they cover the chapters in order.
    let ends = parts.iter().skip(1).map(|part| part.start).chain([ordered.len()]);
    let mut unwritten_parts = parts.iter().zip(ends).peekable();
    let mut pictures: Vec<crate::pictures::Picture> = Vec::new();
    let mut packaged: HashSet<String> = HashSet::new();
    for books::Placed { article: shelf, translation } in ordered {
        let article = article(shelf.index)?;
        if let Some((src, line)) = crate::pictures::figures(&article.blocks).first().copied() {
            let Some(store) = store else {
                return Err(Error::Picture {
                    path: article.source.clone().into(),
                    line: (line > 0).then_some(line),
                    src: src.to_string(),
                    problem: crate::pictures::PictureProblem::Missing(src.to_string()),
                });
            };
            for picture in store.pictures(&article)? {
                if packaged.insert(picture.src.clone()) {
                    pictures.push(picture);
                }
            }
        }
        let file_stem = unique_name(&article.id, &mut names);
        let lang = xml::lang_or(&article.meta.lang, &book_lang).to_string();
        let title = chapter_title(&article.meta.title, &article.id);
        let rendered = chapter::render(&article, &title, &lang, settings);
        let file = format!("{file_stem}.xhtml");
        add(&mut zip, &format!("OEBPS/{file}"), rendered.xhtml.as_bytes())?;
        chapters.push(package::ChapterFile {
            file,
            manifest_id: format!("ch-{file_stem}"),
            title,
            language_name: translation.then(|| language_name(settings.labels, &lang)),
            lang,
            // A book in parts lists no headings: 50,000 chapters' would only use memory.
            toc: if parts.is_empty() { rendered.toc } else { Vec::new() },
        });
        // A part's page is written as soon as its last chapter is.
        if let Some((part, _)) = unwritten_parts.next_if(|(_, end)| *end == chapters.len()) {
            let page = parts::page(part, chapters.get(part.start..).unwrap_or_default(), &book_lang);
            add(&mut zip, &format!("OEBPS/{}", part.file), page.as_bytes())?;
        }
    }

    let listed: Vec<package::PictureFile> = pictures
        .iter()
        .enumerate()
        .map(|(i, picture)| package::PictureFile {
            manifest_id: format!("picture-{}", i + 1),
            href: picture_href(&picture.src),
            media_type: picture.format.media_type(),
        })
        .collect();
    let book = package::Book {
        settings,
        lang: &book_lang,
        modified: &modified,
        chapters: &chapters,
        parts: &parts,
        pictures: &listed,
    };
    zip.start_file("OEBPS/package.opf", deflated).map_err(zip_error)?;
    // In pieces of 64 KiB: the compressor squeezes one line at a time 7 % less well.
    let mut opf = TextInto { writer: std::io::BufWriter::with_capacity(1 << 16, &mut zip), error: None };
    if package::opf(&book, &FONTS.map(|(name, _)| name), &mut opf).is_err() {
        let err = opf.error.unwrap_or_else(|| std::io::Error::other("formatting the package document"));
        return Err(io_error(err));
    }
    opf.writer.flush().map_err(io_error)?;
    drop(opf);
    add(&mut zip, "OEBPS/nav.xhtml", package::nav(&book).as_bytes())?;
    add(&mut zip, "OEBPS/cover.xhtml", package::cover(&book).as_bytes())?;
    add(&mut zip, "OEBPS/cover.svg", package::cover_image(&book).as_bytes())?;
    add(&mut zip, "OEBPS/style.css", package::stylesheet(&settings.brand.primary_color).as_bytes())?;
    for (name, bytes) in FONTS {
        add(&mut zip, &format!("OEBPS/fonts/{name}"), bytes)?;
    }
    for picture in &pictures {
        add(&mut zip, &format!("OEBPS/pictures/{}", picture.src), &picture.for_screen())?;
    }
    zip.finish().map_err(zip_error)?;
    Ok(())
}

/// Text written straight into a file of the container, keeping the first I/O error
/// (`fmt::Write` can only say that one happened).
struct TextInto<W: Write> {
    writer: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for TextInto<W> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.writer.write_all(text.as_bytes()).map_err(|err| {
            self.error.get_or_insert(err);
            std::fmt::Error
        })
    }
}

/// What a chapter is called: its title on one line, else its id.
fn chapter_title(title: &str, id: &str) -> String {
    match xml::one_line(title) {
        title if title.is_empty() => id.to_string(),
        title => title,
    }
}

/// A language's own name ("Español") when the label table has it, else its tag.
fn language_name(table: &crate::labels::LabelTable, lang: &str) -> String {
    let labels = table.for_lang(lang);
    let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    if labels.lang == primary { labels.text("language-name").to_string() } else { lang.to_string() }
}

/// A file stem from `id` that is safe in a zip path and an XML id, and not yet used.
fn unique_name(id: &str, used: &mut HashSet<String>) -> String {
    let base = match slug(id) {
        s if s.is_empty() => "article".to_string(),
        s => s,
    };
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The one slug rule ([`crate::validate::slug`]), so file names in the book match the
/// ids of the handouts.
fn slug(text: &str) -> String {
    crate::validate::slug(text)
}

/// A UTC date and time of day, enough for `dcterms:modified` and zip timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Seconds since midnight.
    pub seconds: u32,
}

impl Date {
    /// Strictly `YYYY-MM-DD` with a real calendar date (see [`crate::validate::date`]).
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let date = crate::validate::date(text).ok()?;
        (date.year() >= 1).then_some(Date {
            year: date.year(),
            month: u32::from(u8::from(date.month())),
            day: u32::from(date.day()),
            seconds: 0,
        })
    }

    /// From seconds since the Unix epoch; `None` outside years 1..=9999.
    fn from_unix(secs: i64) -> Option<Date> {
        let moment = crate::validate::from_unix(secs)?;
        let date = moment.date();
        let seconds = moment.time().as_hms();
        let seconds = u32::from(seconds.0) * 3600 + u32::from(seconds.1) * 60 + u32::from(seconds.2);
        (1..=9999).contains(&date.year()).then_some(Date {
            year: date.year(),
            month: u32::from(u8::from(date.month())),
            day: u32::from(date.day()),
            seconds,
        })
    }

    pub(crate) fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, the form `dcterms:modified` requires.
    pub(crate) fn iso_datetime(&self) -> String {
        let (h, m, s) = (self.seconds / 3600, self.seconds / 60 % 60, self.seconds % 60);
        format!("{}T{h:02}:{m:02}:{s:02}Z", self.iso())
    }

    /// The same moment for zip entries, whose format only covers 1980..=2107.
    fn zip_time(&self) -> DateTime {
        let (h, m, s) = (self.seconds / 3600, self.seconds / 60 % 60, self.seconds % 60);
        u16::try_from(self.year)
            .ok()
            .and_then(|year| {
                DateTime::from_date_and_time(
                    year,
                    self.month as u8,
                    self.day as u8,
                    h as u8,
                    m as u8,
                    s as u8,
                )
                .ok()
            })
            .unwrap_or(DateTime::DEFAULT)
    }
}

/// `SOURCE_DATE_EPOCH`, else the newest `reviewed` date, else a fixed date: never the
/// clock, so rebuilding unchanged articles gives the same bytes.
fn modified_date(shelves: &[books::Shelf], source_date_epoch: Option<i64>) -> Date {
    source_date_epoch
        .and_then(Date::from_unix)
        .or_else(|| {
            shelves.iter().filter_map(|a| a.reviewed.as_deref()).filter_map(|r| Date::parse(r.trim())).max()
        })
        .unwrap_or(FALLBACK_MODIFIED)
}

/// The start of every XHTML file we write, up to and including `</head>`.
pub(crate) fn xhtml_head(lang: &str, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n",
        lang = xml::escape(lang),
        title = xml::escape(title),
    )
}

/// Where a picture (a [`crate::model::Block::Figure`]'s `src`, relative to the content
/// folder) lives in the package, relative to the chapters.
/// Percent-encoded, as a URL in the chapters and the manifest must be (a space is
/// `%20`); the file in the zip keeps the plain name.
pub(crate) fn picture_href(src: &str) -> String {
    let mut href = String::from("pictures/");
    for byte in src.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            href.push(byte as char);
        } else {
            href.push_str(&format!("%{byte:02X}"));
        }
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::from_unix(0).map(|d| d.iso_datetime()).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            Date::from_unix(1_789_000_000).map(|d| d.iso_datetime()).as_deref(),
            Some("2026-09-10T00:26:40Z")
        );
        assert_eq!(Date::from_unix(-86_400).map(|d| d.iso()).as_deref(), Some("1969-12-31"));
        assert_eq!(Date::from_unix(i64::MAX), None);
        assert!(Date::parse("2024-02-29").is_some());
        for bad in ["2023-02-29", "2026-13-01", "2026-9-14", "2026-09-14T00", "+026-09-14", "0000-01-01"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(Date::from_unix(0).map(|d| d.zip_time()), Some(DateTime::DEFAULT));
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("Cáncer de riñón: ¿qué es?"), "cancer-de-rinon-que-es");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        let mut used: HashSet<String> = ["nav".to_string()].into();
        assert_eq!(unique_name("nav", &mut used), "nav-2");
        assert_eq!(unique_name("nav", &mut used), "nav-3");
        assert_eq!(unique_name("!!!", &mut used), "article");
    }
}
