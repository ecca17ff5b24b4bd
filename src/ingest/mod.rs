//! Discovery, decoding and front matter: bytes on disk → [`Article`].
//!
//! Each file is handled on its own and fails on its own: a bad article is an
//! [`Error::Input`] naming the file (and line), and the rest of the batch goes on.

pub mod docx;
mod front_matter;
pub mod furniture;
pub mod html;
mod ids;
pub mod lang;
mod lines;
pub mod markdown;
pub mod page;
pub mod text;
pub mod translations;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Article, Block, Inline, Meta, Removed, SCHEMA_VERSION, Translation, Warning};

pub use front_matter::{FrontMatter, line_of_key};
pub use ids::{assign_unique_ids, id_holders, set_id, slugify, stable_unique_ids};

/// File extensions read as articles.
const ARTICLE_EXTENSIONS: &[&str] =
    &["txt", "md", "markdown", "json", "html", "htm", "docx", "doc", "odt", "rtf"];

/// Largest Word document read (see [`crate::docx_package`]).
pub const MAX_WORD_FILE_BYTES: u64 = crate::docx_package::MAX_DOCUMENT_BYTES;

/// What the format-specific parsers return: the body, plus a title if the body has one.
#[derive(Debug, Default)]
pub struct Body {
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    pub removed: Vec<Removed>,
    pub warnings: Vec<Warning>,
}

/// Largest article file read by [`ingest_file`]: a pasted handout is a few KiB, so
/// anything near this is a mistake (a PDF or an export renamed `.txt`) that would only
/// make typst grind through thousands of pages.
pub const DEFAULT_MAX_FILE_BYTES: u64 = crate::config::DEFAULT_MAX_FILE_MIB * 1024 * 1024;

/// What [`discover_all`] found: article files to read, entries it refused, each an
/// [`Error::Input`] naming the path, for the batch to report like any unreadable article,
/// and files that are not articles at all (`report.xlsx`), to be listed as skipped.
/// Pictures (`.png`, `.jpg`, `.jpeg`, `.svg`) are neither: articles show them.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub refused: Vec<Error>,
    pub skipped: Vec<PathBuf>,
}

/// Every article file under `dir` (recursively, hidden entries skipped), sorted by path
/// so that batches are processed and reported in a stable order. Symlinks that lead
/// outside `dir` are left out; [`discover_all`] reports them.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(discover_all(dir)?.files)
}

/// Like [`discover`], and also returns what was refused: symlinks whose target lies
/// outside `dir` (or does not exist). The content folder is what a clinic reviewed; a
/// link out of it could publish any file the build can read, under the clinic's logo.
/// Symlinks within `dir` are read when they name a file and skipped when they name a
/// folder, whose files are found through the folder itself (and no link loop can form).
pub fn discover_all(dir: &Path) -> Result<Discovery> {
    let root = std::fs::canonicalize(dir).map_err(|e| Error::read(dir, e))?;
    let mut found = Discovery::default();
    let hidden =
        |entry: &walkdir::DirEntry| entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
    let skip =
        |e: &walkdir::DirEntry| hidden(e) || (e.file_type().is_dir() && is_saved_page_folder(e.path()));
    for entry in walkdir::WalkDir::new(dir).follow_links(false).into_iter().filter_entry(|e| !skip(e)) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            let source = e.into_io_error().unwrap_or_else(|| std::io::Error::other("file system loop"));
            Error::read(path, source)
        })?;
        let path = entry.path().to_path_buf();
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match std::fs::canonicalize(&path) {
                Ok(target) if !target.starts_with(&root) => found.refused.push(Error::input(
                    &path,
                    None,
                    format!(
                        "symlink to {}, outside the content folder; copy the file into the folder instead",
                        target.display()
                    ),
                )),
                Ok(target) if target.is_file() && is_article_path(&path) => found.files.push(path),
                Ok(_) => {}
                Err(_) if is_article_path(&path) => {
                    found.refused.push(Error::input(&path, None, "broken symlink: its target does not exist"))
                }
                Err(_) => {}
            }
        } else if file_type.is_dir() {
            continue;
        } else if is_article_path(&path) {
            found.files.push(path);
        } else if !crate::pictures::is_picture_path(&path) {
            // Pictures belong in the content folder (articles show them): not skipped.
            found.skipped.push(path);
        }
    }
    found.files.sort();
    found.skipped.sort();
    found.refused.sort_by_key(|err| err.to_string());
    Ok(found)
}

/// Whether `dir` is the folder a browser saved a page's files into ("Web page,
/// complete"): `foot-care_files/` next to `foot-care.html` (Chrome, Firefox, Safari), or
/// Firefox's translated names (`-Dateien`, `_archivos`, `_fichiers`, `_arquivos`, `_bestanden`).
/// Its scripts, styles and framed pages are not articles, and its pictures are read
/// through the page that shows them.
fn is_saved_page_folder(dir: &Path) -> bool {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else { return false };
    const SUFFIXES: &[&str] =
        &["_files", "-Dateien", "_archivos", "_fichiers", "_arquivos", "_bestanden", "_file"];
    SUFFIXES.iter().any(|suffix| {
        name.strip_suffix(suffix).is_some_and(|stem| {
            !stem.is_empty()
                && ["html", "htm", "xhtml"]
                    .iter()
                    .any(|ext| dir.with_file_name(format!("{stem}.{ext}")).is_file())
        })
    })
}

/// Whether `path` has an extension that [`ingest_file`] understands.
pub fn is_article_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| ARTICLE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether `path` is read by the Word reader (by extension).
fn is_word_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| docx::EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Reads and ingests one article file, refusing files over [`DEFAULT_MAX_FILE_BYTES`].
pub fn ingest_file(path: &Path) -> Result<Article> {
    ingest_file_limited(path, DEFAULT_MAX_FILE_BYTES)
}

/// Reads and ingests one article file of at most `max_bytes` (see [`read_limited`]).
pub fn ingest_file_limited(path: &Path, max_bytes: u64) -> Result<Article> {
    ingest_bytes(path, &read_limited(path, max_bytes)?)
}

/// Reads one article file of at most `max_bytes`. The size is checked before reading,
/// and the read stops at the limit in case the file grows meanwhile. Only regular files
/// are read: a FIFO or a device named `x.txt` would block or never end.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read;

    let max_bytes = if is_word_path(path) { max_bytes.max(MAX_WORD_FILE_BYTES) } else { max_bytes };
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let metadata = file.metadata().map_err(|e| Error::read(path, e))?;
    if !metadata.is_file() {
        return Err(Error::input(path, None, "not a regular file; articles must be text files"));
    }
    let too_big = |size: u64| Error::input(path, None, too_big_message(size, max_bytes));
    if metadata.len() > max_bytes {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::read(path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// "file is 7.2 MiB, larger than the 5 MiB limit", with the exact size when rounding
/// would make the two look equal.
fn too_big_message(size: u64, max_bytes: u64) -> String {
    let (shown, limit) = (human_size(size), human_size(max_bytes));
    let exact = if shown == limit { format!(" ({size} bytes)") } else { String::new() };
    format!("file is {shown}{exact}, larger than the {limit} limit for an article")
}

/// Bytes as MiB or KiB with at most one decimal, `5 MiB` rather than `5.0 MiB`.
fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let (value, unit) = match bytes as f64 {
        b if b >= KIB * KIB => (b / (KIB * KIB), "MiB"),
        b if b >= KIB => (b / KIB, "KiB"),
        _ => return format!("{bytes} bytes"),
    };
    let text = format!("{value:.1}");
    format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
}

/// Ingests an article from its bytes; `path` names it in errors and picks the format.
///
/// A panic in a reader (a bug, met on input nobody foresaw) becomes this article's
/// error: the batch it is part of goes on. Nothing is shared between articles here, so
/// nothing is left half-changed by the unwinding.
pub fn ingest_bytes(path: &Path, bytes: &[u8]) -> Result<Article> {
    std::panic::catch_unwind(|| read_article(path, bytes))
        .unwrap_or_else(|panic| Err(Error::internal(path, "reading", panic.as_ref())))
}

fn read_article(path: &Path, bytes: &[u8]) -> Result<Article> {
    crate::failpoint::hit("read", path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "html" || ext == "htm" {
        return html::ingest(path, bytes, &html::Options::default());
    }
    if is_word_path(path) {
        return docx::ingest(path, bytes);
    }
    let text = decode(path, bytes)?;
    if ext == "json" {
        return from_json(path, &text);
    }
    let (front, body_text, body_line) = front_matter::split(path, &text)?;
    if front.is_some() && body_text.trim().is_empty() {
        // It would print a handout with a title and nothing else, and put a blank page
        // in the EPUB.
        return Err(Error::input(
            path,
            Some(body_line.saturating_sub(1).max(1)),
            "the file holds only front matter; write the article's text after the closing line",
        ));
    }
    let front = front.unwrap_or_default();
    let body = if ext == "md" || ext == "markdown" {
        markdown::parse(&body_text, body_line)
    } else {
        let keep_boilerplate = front.boilerplate == Some(front_matter::Boilerplate::Keep);
        text::parse_with(&body_text, body_line, text::Options { keep_boilerplate })
    };
    assemble(path, front, body)
}

/// The intermediate form read back as input: lets people fix an article by hand.
fn from_json(path: &Path, text: &str) -> Result<Article> {
    let article: Article = serde_json::from_str(text)
        .map_err(|e| Error::input(path, Some(e.line()), format!("not a handouts article JSON: {e}")))?;
    if article.schema != SCHEMA_VERSION {
        return Err(Error::input(
            path,
            None,
            format!("article JSON has schema {}, this version reads {SCHEMA_VERSION}", article.schema),
        ));
    }
    // Hand-edited JSON gets the same checks as front matter.
    let dates = [
        ("reviewed", &article.meta.reviewed),
        ("published", &article.meta.published),
        ("retrieved", &article.meta.retrieved),
        ("review_by", &article.meta.review_by),
    ];
    for (key, value) in dates {
        if let Some(date) = value
            && let Err(problem) = crate::validate::date(date)
        {
            return Err(Error::input(path, None, format!("meta.{key}: {problem}")));
        }
    }
    let lang = crate::validate::language_tag(&article.meta.lang).map_err(|problem| {
        Error::input(
            path,
            None,
            format!("meta.lang: {problem}; write \"lang\": \"{}\"", problem.suggestion()),
        )
    })?;
    // The key is compared with ids, as front matter's is; the translations are the
    // batch's to find, whatever the file says.
    if let Some(key) = &article.meta.translation_key
        && !key.chars().any(char::is_alphanumeric)
    {
        return Err(Error::input(
            path,
            None,
            format!(
                "meta.translation_key: \"{key}\" has no letters or digits; write the id of the article this one translates"
            ),
        ));
    }
    let translation_key = article.meta.translation_key.as_deref().map(slugify);
    Ok(Article {
        id: slugify(&article.id),
        // The due date is the build's to work out, from the config.
        meta: Meta { lang, translation_key, translations: Vec::new(), review_due: None, ..article.meta },
        ..article
    })
}

/// Bytes → normalized text: UTF-8 checked, BOM dropped, CRLF and CR made LF.
fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    if bytes.is_empty() {
        return Err(Error::input(path, None, "file is empty"));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            None,
            format!("binary data (NUL byte at byte offset {offset}); articles must be UTF-8 text"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::input(
            path,
            Some(line),
            format!("invalid UTF-8 at byte offset {offset}; save the file as UTF-8"),
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(Error::input(path, None, "file has no text"));
    }
    Ok(text)
}

fn assemble(path: &Path, front: FrontMatter, body: Body) -> Result<Article> {
    let status = front.status();
    let Body { title: body_title, mut blocks, removed, mut warnings } = body;
    let title = match (front.title, body_title) {
        (Some(front_title), Some(body_title)) => {
            // A first line that repeats the front-matter title is the title, not a heading.
            if !same_words(&front_title, &body_title) {
                blocks
                    .insert(0, Block::Heading { level: 2, content: vec![Inline::text(body_title)], line: 0 });
                fix_first_heading_line(&mut blocks);
            }
            front_title
        }
        (Some(title), None) | (None, Some(title)) => title,
        (None, None) => {
            let fallback = fallback_title(path, &blocks);
            warnings.insert(
                0,
                Warning::general(format!(
                    "no title line found; using \"{fallback}\" (add `title:` in front matter)"
                )),
            );
            fallback
        }
    };
    let id = match &front.id {
        Some(id) => {
            let slug = slugify(id);
            if &slug != id {
                warnings.push(Warning::general(format!(
                    "front-matter id \"{id}\" is not a slug; using \"{slug}\""
                )));
            }
            slug
        }
        None => slugify(&title),
    };
    if blocks.is_empty() {
        warnings.push(Warning::general("article has a title but no body text"));
    }
    if let Some(url) = &front.url
        && !crate::validate::is_web_url(url)
    {
        warnings.push(Warning::general(format!(
            "url \"{url}\" is not a web address (http:// or https://); the handout gets no QR code"
        )));
    }
    let lang = match front.lang {
        Some(lang) => lang,
        None => body_language(&blocks, &mut warnings),
    };
    Ok(Article {
        schema: SCHEMA_VERSION,
        id,
        source: path.display().to_string(),
        meta: Meta {
            title,
            summary: front.summary,
            lang,
            reviewed: front.reviewed,
            audience: front.audience,
            tags: front.tags,
            url: front.url,
            author: front.author,
            published: front.published,
            retrieved: front.retrieved,
            max_pages: front.max_pages.map(std::num::NonZeroUsize::get),
            translation_key: front.translation_key,
            translations: Vec::new(),
            status,
            owner: front.owner,
            review_by: front.review_by,
            review_due: None,
            codes: front.checked_codes,
        },
        blocks,
        removed,
        stats: None,
        warnings,
    })
}

/// The language an article without `lang:` in front matter is taken to be written in
/// when its body is too short or too mixed to tell.
pub const FALLBACK_LANG: &str = "en";

/// The body's language, detected from its prose; warns when unsure (falling back to
/// [`FALLBACK_LANG`]) and when a second language fills several paragraphs.
fn body_language(blocks: &[Block], warnings: &mut Vec<Warning>) -> String {
    let (detected, second) = lang::detect(blocks);
    let main = match detected {
        lang::Detected::Sure(tag) => tag,
        lang::Detected::Unsure { guess, words } => {
            let guess = guess.map(|g| format!(", perhaps \"{g}\"")).unwrap_or_default();
            warnings.push(Warning::general(format!(
                "language unsure ({words} words of prose{guess}); using \"{FALLBACK_LANG}\" (add `lang:` in front matter)"
            )));
            FALLBACK_LANG.to_string()
        }
    };
    if let Some((other, paragraphs)) = second {
        warnings.push(Warning::general(format!(
            "{paragraphs} paragraphs read as \"{other}\", the rest as \"{main}\": a bilingual paste? \
             Split it into one article per language"
        )));
    }
    main
}

/// The heading inserted for a displaced first line takes the line of the block after it
/// minus one at most; it was the first line of the body.
fn fix_first_heading_line(blocks: &mut [Block]) {
    let next_line = blocks.get(1).map(Block::line).unwrap_or(1);
    if let Some(Block::Heading { line, .. }) = blocks.first_mut() {
        *line = next_line.saturating_sub(1).max(1);
    }
}

fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

/// A title from the file name, or failing that (names like `000_599ddf2e.txt`), the
/// opening words of the text.
fn fallback_title(path: &Path, blocks: &[Block]) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let words: Vec<&str> = stem
        .split(['_', '-', ' ', '.'])
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect();
    if !words.is_empty() {
        let mut title = words.join(" ");
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        return title;
    }
    let opening = blocks.iter().find_map(|block| match block {
        Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
            Some(crate::model::plain_text(content))
        }
        _ => None,
    });
    match opening {
        Some(text) => {
            let first_clause = text.split([',', '.', ';', ':', '?', '!']).next().unwrap_or(&text);
            let words: Vec<&str> = first_clause.split_whitespace().take(8).collect();
            words.join(" ")
        }
        None => "Untitled article".to_string(),
    }
}

/// Gives every article of the batch its translations ([`translations::link`]), and a
/// warning to an article whose `translation-key` links it to none. `key_line` finds the
/// line of an article's `translation-key` in its file; it is asked only for warnings.
pub fn link_translations(
    articles: &mut [Article],
    whole_batch: bool,
    key_line: impl Fn(&Article) -> Option<usize>,
) {
    let members: Vec<translations::Member> = articles
        .iter()
        .map(|a| translations::Member {
            id: &a.id,
            key: a.meta.translation_key.as_deref(),
            lang: &a.meta.lang,
        })
        .collect();
    let place = |index: usize| {
        let article = &articles[index];
        match key_line(article) {
            Some(line) => format!("{}:{line}", article.source),
            None => article.source.clone(),
        }
    };
    let linked: Vec<(Vec<Translation>, Option<Warning>)> = translations::link(&members, whole_batch)
        .into_iter()
        .enumerate()
        .map(|(index, linked)| {
            let warning = linked.problem.map(|problem| Warning {
                line: key_line(&articles[index]),
                message: translations::warning(&members, index, problem, place),
            });
            (linked.translations(members[index].id), warning)
        })
        .collect();
    for (article, (translations, warning)) in articles.iter_mut().zip(linked) {
        set_translations(article, translations, warning);
    }
}

/// Takes the drafts out of the translations of every article that is not one (see
/// `crate::review`): a published page never offers a draft.
pub fn unlink_drafts(articles: &mut [Article]) {
    let drafts: std::collections::HashSet<String> =
        articles.iter().filter(|a| a.is_draft()).map(|a| a.id.clone()).collect();
    if drafts.is_empty() {
        return;
    }
    for article in articles.iter_mut().filter(|a| !a.is_draft()) {
        article.meta.translations.retain(|t| !drafts.contains(&t.id));
    }
}

/// Gives `article` the translations the batch found for it, and the warning when its
/// `translation-key` links it to none.
pub fn set_translations(article: &mut Article, translations: Vec<Translation>, warning: Option<Warning>) {
    article.meta.translations = translations;
    article.warnings.extend(warning);
}

/// The line of `translation-key` in the front matter of the article's file, read again:
/// for warnings, which are rare, so the model need not carry front-matter lines.
pub fn translation_key_line(article: &Article) -> Option<usize> {
    article.meta.translation_key.as_ref()?;
    let text = std::fs::read_to_string(&article.source).ok()?;
    line_of_key(&text, "translation-key")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        ingest_bytes(Path::new("content/a.txt"), bytes).unwrap_err().to_string()
    }

    #[test]
    fn a_saved_pages_files_folder_is_not_read_for_articles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("foot care.html"), "<p>x</p>").unwrap();
        std::fs::create_dir(dir.path().join("foot care_files")).unwrap();
        std::fs::write(dir.path().join("foot care_files/frame.html"), "<p>ad</p>").unwrap();
        std::fs::write(dir.path().join("foot care_files/app.js"), "x()").unwrap();
        std::fs::create_dir(dir.path().join("other_files")).unwrap();
        std::fs::write(dir.path().join("other_files/notes.txt"), "Notes\n\nText.").unwrap();
        let found = discover_all(dir.path()).unwrap();
        let names: Vec<String> =
            found.files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
        assert_eq!(names, ["foot care.html", "other_files/notes.txt"]);
        assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    }

    #[test]
    fn bad_input_errors_name_the_file() {
        assert_eq!(err(b""), "content/a.txt: file is empty");
        assert_eq!(err(b" \n\n"), "content/a.txt: file has no text");
        assert!(err(b"ab\x00cd").starts_with("content/a.txt: binary data (NUL byte at byte offset 2)"));
        assert_eq!(
            err(b"Title\nok \xff here"),
            "content/a.txt:2: invalid UTF-8 at byte offset 9; save the file as UTF-8"
        );
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        let a = ingest_bytes(Path::new("a.txt"), "\u{FEFF}My Title\r\n\r\nBody text here.\r\n".as_bytes())
            .unwrap();
        assert_eq!(a.meta.title, "My Title");
        assert_eq!(
            a.blocks,
            vec![Block::Paragraph { content: vec![Inline::text("Body text here.")], line: 3 }]
        );
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("Treatment of Metastatic Kidney Cancer"), "treatment-of-metastatic-kidney-cancer");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("/"), "article");
        assert_eq!(slugify("Рак почки"), "rak-pochki");
        // Nothing to transliterate: still an id of its own, whatever else is in the batch.
        assert_eq!(slugify("\u{E000}\u{E001}"), slugify("\u{E000}\u{E001}"));
        assert_ne!(slugify("\u{E000}\u{E001}"), slugify("\u{E002}\u{E003}"));
        assert_eq!(slugify("¿Qué es la quimioterapia?"), "que-es-la-quimioterapia");
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn duplicate_ids_become_distinct() {
        let a = ingest_bytes(Path::new("a.txt"), b"Same Title\n\nOne.").unwrap();
        let b = ingest_bytes(Path::new("b.txt"), b"Same Title\n\nTwo.").unwrap();
        let mut all = vec![a, b];
        assign_unique_ids(&mut all, |_| None);
        assert_eq!(all[0].id, "same-title");
        assert_eq!(all[1].id, "same-title-2");
        assert!(all[1].warnings.iter().any(|w| w.message.contains("is already the id of a.txt")));
        assert!(all[0].warnings.iter().all(|w| !w.message.contains("already the id")));
    }

    #[test]
    fn fallback_title_from_file_name_or_text() {
        let a =
            ingest_bytes(Path::new("what-is-cancer.txt"), b"This is a long sentence that is a paragraph.")
                .unwrap();
        assert_eq!(a.meta.title, "What is cancer");
        assert!(a.warnings[0].message.starts_with("no title line found"));
        let b = ingest_bytes(
            Path::new("000_5f3a.txt"),
            b"Cancer, a disease, is a long sentence here that goes on.",
        )
        .unwrap();
        assert_eq!(b.meta.title, "Cancer");
    }

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(
            too_big_message(7_549_747, DEFAULT_MAX_FILE_BYTES),
            "file is 7.2 MiB, larger than the 5 MiB limit for an article"
        );
        assert_eq!(
            too_big_message(DEFAULT_MAX_FILE_BYTES + 1, DEFAULT_MAX_FILE_BYTES),
            "file is 5 MiB (5242881 bytes), larger than the 5 MiB limit for an article"
        );
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(100), "100 bytes");
    }

    #[test]
    fn translations_are_linked_across_the_batch_with_a_warning_for_a_second_spanish_one() {
        let ingest = |path: &str, text: &str| ingest_bytes(Path::new(path), text.as_bytes()).unwrap();
        let mut articles = vec![
            ingest("foot.md", "---\ntitle: Foot care\nlang: en\n---\nWash your feet every day."),
            ingest(
                "pies.es.md",
                "---\nlang: es\ntranslation-key: foot-care\n---\n# Pies\n\nLávese los pies.",
            ),
            ingest(
                "pies-2.es.md",
                "---\ntitle: Pies otra vez\nlang: es\ntranslation-key: Foot Care\n---\nOtra.",
            ),
        ];
        assert_eq!(articles[2].meta.translation_key.as_deref(), Some("foot-care"));
        link_translations(&mut articles, true, |a| (a.source != "foot.md").then_some(3));
        let linked = |a: &Article| {
            a.meta.translations.iter().map(|t| format!("{} {}", t.lang, t.id)).collect::<Vec<_>>()
        };
        assert_eq!(linked(&articles[0]), ["es pies"]);
        assert_eq!(linked(&articles[1]), ["en foot-care"]);
        assert!(linked(&articles[2]).is_empty());
        let warning = articles[2].warnings.last().expect("a warning on the second Spanish article");
        assert_eq!(warning.line, Some(3));
        assert!(warning.message.starts_with("pies.es.md:3 is already the \"es\" article"), "{warning:?}");
        // Only the batch links: JSON read back as an article comes without translations.
        let json = serde_json::to_string(&articles[0]).unwrap();
        assert!(json.contains("\"translations\":[{\"id\":\"pies\",\"lang\":\"es\"}]"), "{json}");
        let back = ingest_bytes(Path::new("a.json"), json.as_bytes()).unwrap();
        assert!(back.meta.translations.is_empty());
        let keyed = serde_json::to_string(&articles[1]).unwrap().replace("\"foot-care\"", "\"Foot Care\"");
        let back = ingest_bytes(Path::new("b.json"), keyed.as_bytes()).unwrap();
        assert_eq!(back.meta.translation_key.as_deref(), Some("foot-care"));
        let unkeyed = keyed.replace("\"Foot Care\"", "\"--\"");
        let err = ingest_bytes(Path::new("b.json"), unkeyed.as_bytes()).unwrap_err().to_string();
        assert!(err.starts_with("b.json: meta.translation_key: \"--\" has no letters"), "{err}");
    }

    #[test]
    fn front_matter_title_replaces_first_line_only_when_equal() {
        let a = ingest_bytes(Path::new("a.txt"), b"---\ntitle: My Title\n---\nMy title\n\nBody.").unwrap();
        assert_eq!(a.meta.title, "My Title");
        assert_eq!(a.blocks.len(), 1);
    }
}
