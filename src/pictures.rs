//! Pictures in articles: the one syntax both article formats share, where a picture
//! file may live, and reading each file once per build.
//!
//! The API other stages use:
//!
//! - **Ingest** (a parser for a new input format): [`parse_line`] reads the syntax
//!   `![alt](path "caption")` on a line of its own (the plain-text rule), and
//!   [`figure`] turns what an article wrote into a [`Block::Figure`], warning at the
//!   line about a missing description or a web address. The Markdown parser gets the
//!   same three parts from pulldown-cmark and calls [`figure`] too.
//! - **The build** (and `check`, `inspect`): one [`PictureStore`] per run, made with the
//!   content folder. [`PictureStore::resolve`] checks every figure of a freshly ingested
//!   article (inside the content folder, there, a PNG, JPEG or SVG file that really is
//!   one, under [`MAX_PICTURE_BYTES`]), rewrites its `src` to the path relative to the
//!   content folder with `/` separators, and reads its bytes. A problem is an
//!   [`Error::Picture`] naming the article's file and line: that article fails, the
//!   rest of the batch goes on.
//! - **Outputs** (PDF, EPUB, an HTML site): [`PictureStore::pictures`] gives an
//!   article's pictures (each once, in reading order) with their bytes and format, from
//!   the store's cache: every file is read once per build whatever the number of
//!   outputs and handouts that show it. [`fingerprint`] is the hash an output puts in
//!   its own fingerprint, so editing a picture remakes what shows it.
//!
//! Nothing is ever fetched from the network: a picture given as a web address stays
//! its alt text, with a warning.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use typst::foundations::Bytes;

use crate::error::{Error, Result};
use crate::model::{Article, Block, Inline, Warning};

/// Largest picture file read: a photo straight off a phone is a few MB; anything near
/// this is a mistake that would make every handout showing it huge.
pub const MAX_PICTURE_BYTES: u64 = 20 * 1024 * 1024;

/// File extensions of pictures (any case). Files with them in the content folder are
/// not articles, and discovery passes them over without a note.
pub const PICTURE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "svg"];

/// The warning for a picture given as a web address.
pub const WEB_ADDRESS_WARNING: &str = "pictures must be files in content/; web addresses are not downloaded \
     — save the picture under content/pictures/ (the picture is printed as its alt text)";

/// The warning for a picture without a description.
pub const NO_ALT_WARNING: &str = "describe the picture for readers who cannot see it: write what it shows \
     between the brackets, ![like this](pictures/name.png); until then it is treated as decoration";

/// A picture file format handouts can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    /// The format a file name promises, by its extension (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The format the bytes are in: PNG and JPEG by their signature, SVG by starting
    /// with `<svg`, `<?xml` or `<!DOCTYPE svg` after whitespace or a byte-order mark.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Format::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(Format::Jpeg);
        }
        let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
        let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
        let text = &text[start..];
        let starts =
            |prefix: &[u8]| text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix);
        (starts(b"<svg") || starts(b"<?xml") || starts(b"<!DOCTYPE svg")).then_some(Format::Svg)
    }

    /// The media type, as the EPUB manifest and HTML need it.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Svg => "image/svg+xml",
        }
    }

    /// The name people know the format by.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Svg => "SVG",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a picture cannot be used (the article's file and line are in [`Error::Picture`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureProblem {
    #[error("no file named; write the picture's path between the parentheses, like pictures/name.png")]
    Empty,
    #[error("the path is absolute; write it relative to the article's folder, like pictures/name.png")]
    Absolute,
    #[error(
        "picture path leads outside the content folder; copy the picture into content/pictures/ and point to it there"
    )]
    OutsideContent,
    #[error("file not found ({0} in the content folder); check the name, or save the picture there")]
    Missing(String),
    #[error("not a regular file; a picture must be a PNG, JPEG or SVG file")]
    NotAFile,
    #[error("pictures must be PNG, JPEG or SVG files (.png, .jpg, .jpeg or .svg)")]
    Extension,
    #[error(
        "the file is {} MiB, larger than the {} MiB limit for a picture; save a smaller version",
        size / (1024 * 1024),
        max / (1024 * 1024)
    )]
    TooBig { size: u64, max: u64 },
    #[error(
        "the file is named as a {expected} picture but {}; save it again as a real {expected} file",
        describe(found)
    )]
    WrongContent { expected: Format, found: Option<Format> },
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("the typesetter cannot open a file of this name; rename it with letters, digits and dashes")]
    Unaddressable,
}

fn describe(found: &Option<Format>) -> String {
    match found {
        Some(format) => format!("holds a {format} picture"),
        None => "is not a PNG, JPEG or SVG picture".to_string(),
    }
}

/// A picture file, read and checked.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The path relative to the root it was resolved against (the content folder), with
    /// `/` separators: what [`Block::Figure`]'s `src` holds after [`PictureStore::resolve`].
    pub src: String,
    pub format: Format,
    /// The file's bytes. typst's `Bytes` caches its hash, so handing the same `Bytes`
    /// to every compile lets typst decode the picture once per build.
    pub bytes: Bytes,
}

/// What an article wrote for a picture: `![alt](dest "title")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureSyntax {
    /// The text between the brackets, as plain text.
    pub alt: String,
    /// The path between the parentheses, as written (not yet percent-decoded).
    pub dest: String,
    /// The quoted text after the path: the caption. Empty when there is none.
    pub title: String,
}

/// The plain-text rule: a line holding only `![alt](path "caption")` (the caption
/// optional) is a picture. It is read by the Markdown parser itself, so escapes,
/// `<path with spaces.png>` and quoting work exactly as in a Markdown article.
pub fn parse_line(line: &str) -> Option<PictureSyntax> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    let trimmed = line.trim();
    // Cheap tests first: this runs on every line of a pasted page.
    if !trimmed.starts_with("![") || !trimmed.ends_with(')') {
        return None;
    }
    let mut events = Parser::new(trimmed);
    if !matches!(events.next(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let Some(Event::Start(Tag::Image { dest_url, title, .. })) = events.next() else { return None };
    let mut alt = String::new();
    let mut depth = 0;
    loop {
        match events.next()? {
            Event::End(TagEnd::Image) if depth == 0 => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Text(text) | Event::Code(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    if !matches!(events.next(), Some(Event::End(TagEnd::Paragraph))) || events.next().is_some() {
        return None;
    }
    Some(PictureSyntax { alt, dest: dest_url.to_string(), title: title.to_string() })
}

/// What an article wrote for a picture → a [`Block::Figure`] at `line` (its `src`
/// percent-decoded, still as written: [`PictureStore::resolve`] checks it). Warns when
/// the alt text is missing (the figure is then decoration). A web address (`http:`,
/// `https:`, `data:` or any other scheme) cannot be shown, since nothing is fetched
/// while building: it warns and returns `Err` with the alt text, for the caller to
/// keep as text.
pub fn figure(
    syntax: PictureSyntax,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<Block, String> {
    let alt = syntax.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if is_web_address(&syntax.dest) {
        warnings.push(Warning::at(line, WEB_ADDRESS_WARNING));
        return Err(alt);
    }
    if alt.is_empty() {
        warnings.push(Warning::at(line, NO_ALT_WARNING));
    }
    let title = syntax.title.trim();
    let caption = (!title.is_empty()).then(|| vec![Inline::text(title)]);
    Ok(Block::Figure { src: percent_decode(&syntax.dest), alt, caption, line })
}

/// `scheme:` (two letters or more, so `C:\x.png` is a path) or `//host`.
fn is_web_address(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() >= 2
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `%20` → space, and so on; text that does not decode to UTF-8 is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(Some(hi)), Some(Some(lo))) =
                (bytes.get(i + 1).map(|&b| hex(b)), bytes.get(i + 2).map(|&b| hex(b)))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Whether `path` names a picture file (by extension).
pub fn is_picture_path(path: &Path) -> bool {
    Format::from_path(path).is_some()
}

/// Every figure in `blocks` (in lists and quotes too), in reading order, as `(src, line)`.
pub fn figures(blocks: &[Block]) -> Vec<(&str, usize)> {
    fn walk<'a>(blocks: &'a [Block], out: &mut Vec<(&'a str, usize)>) {
        for block in blocks {
            match block {
                Block::Figure { src, line, .. } => out.push((src, *line)),
                Block::List { items, .. } => items.iter().for_each(|item| walk(item, out)),
                Block::Quote { blocks, .. } => walk(blocks, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out
}

fn figures_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut String, usize) -> Result<()>) -> Result<()> {
    for block in blocks {
        match block {
            Block::Figure { src, line, .. } => f(src, *line)?,
            Block::List { items, .. } => {
                for item in items {
                    figures_mut(item, f)?;
                }
            }
            Block::Quote { blocks, .. } => figures_mut(blocks, f)?,
            _ => {}
        }
    }
    Ok(())
}

/// A hash of pictures' paths and bytes, for an output's fingerprint: equal means the
/// same pictures.
pub fn fingerprint(pictures: &[Picture]) -> u128 {
    let parts: Vec<(&str, &Bytes)> = pictures.iter().map(|p| (p.src.as_str(), &p.bytes)).collect();
    typst::utils::hash128(&parts)
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The picture files of one build: each checked and read once, whatever the number of
/// articles, handouts and outputs that show it. Shared by reference (it is `Sync`).
pub struct PictureStore {
    /// The content folder as given.
    content_dir: PathBuf,
    /// The content folder, canonical; `None` when it does not exist.
    content_root: Option<PathBuf>,
    /// Absolute path (canonical root + src) → the picture or why it cannot be used.
    files: Mutex<HashMap<PathBuf, std::result::Result<Picture, PictureProblem>>>,
    /// Files read from disk so far, for tests and benchmarks.
    reads: AtomicUsize,
}

impl std::fmt::Debug for PictureStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PictureStore").field("content_dir", &self.content_dir).finish_non_exhaustive()
    }
}

impl PictureStore {
    /// A store for pictures under `content_dir` (the build's content folder).
    pub fn new(content_dir: &Path) -> PictureStore {
        PictureStore {
            content_dir: content_dir.to_path_buf(),
            content_root: std::fs::canonicalize(content_dir).ok(),
            files: Mutex::default(),
            reads: AtomicUsize::new(0),
        }
    }

    /// The content folder the store was made with.
    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// How many picture files were read from disk so far.
    pub fn files_read(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// The folder an article's pictures are confined to and their `src` is relative to:
    /// the content folder, or for an article file outside it (`handouts inspect
    /// ~/draft.md`) the file's own folder. Canonical.
    pub fn root_for(&self, article_source: &Path) -> PathBuf {
        let folder = article_folder(article_source);
        match &self.content_root {
            Some(root) if folder.starts_with(root) => root.clone(),
            _ => folder,
        }
    }

    /// Checks every figure of a freshly ingested article and reads its picture: the
    /// path, relative to the article's folder, must stay inside the content folder
    /// (symlinks included) and name a PNG, JPEG or SVG file of at most
    /// [`MAX_PICTURE_BYTES`] whose bytes are what its extension says. Each `src` becomes
    /// the path relative to the content folder with `/` separators. The first problem
    /// is an [`Error::Picture`] naming the article's file and the figure's line.
    pub fn resolve(&self, article: &mut Article) -> Result<()> {
        let source = PathBuf::from(&article.source);
        let root = self.root_for(&source);
        let folder = article_folder(&source);
        figures_mut(&mut article.blocks, &mut |src, line| {
            let fail = |problem| Error::Picture {
                path: source.clone(),
                line: (line > 0).then_some(line),
                src: src.clone(),
                problem,
            };
            let relative = relative_src(&folder, &root, src).map_err(fail)?;
            self.load(&root, &relative).map_err(fail)?;
            *src = relative;
            Ok(())
        })
    }

    /// The pictures of a [resolved](PictureStore::resolve) article, each once, in
    /// reading order, from the store (read from disk only if this store has not yet).
    pub fn pictures(&self, article: &Article) -> Result<Vec<Picture>> {
        let source = PathBuf::from(&article.source);
        let root = self.root_for(&source);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (src, line) in figures(&article.blocks) {
            if !seen.insert(src) {
                continue;
            }
            let picture = self.load(&root, src).map_err(|problem| Error::Picture {
                path: source.clone(),
                line: (line > 0).then_some(line),
                src: src.to_string(),
                problem,
            })?;
            out.push(picture);
        }
        Ok(out)
    }

    /// The picture at `src` (relative to `root`, `/` separators, no `..`), checked and
    /// read the first time it is asked for and kept for the life of the store. The lock
    /// is held while reading, so two threads asking at once cannot read a file twice.
    pub fn load(&self, root: &Path, src: &str) -> std::result::Result<Picture, PictureProblem> {
        let relative = Path::new(src);
        if src.is_empty() {
            return Err(PictureProblem::Empty);
        }
        if relative.has_root() || relative.is_absolute() {
            return Err(PictureProblem::Absolute);
        }
        if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(PictureProblem::OutsideContent);
        }
        let path = root.join(relative);
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        files.entry(path.clone()).or_insert_with(|| self.read(root, &path, src)).clone()
    }

    fn read(&self, root: &Path, path: &Path, src: &str) -> std::result::Result<Picture, PictureProblem> {
        use std::io::Read;

        let format = Format::from_path(path).ok_or(PictureProblem::Extension)?;
        let real = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PictureProblem::Missing(src.to_string()),
            _ => PictureProblem::Unreadable(e.to_string()),
        })?;
        // A symlink inside the folder may lead out of it.
        if !real.starts_with(root) {
            return Err(PictureProblem::OutsideContent);
        }
        let file = std::fs::File::open(&real).map_err(|e| PictureProblem::Unreadable(e.to_string()))?;
        let metadata = file.metadata().map_err(|e| PictureProblem::Unreadable(e.to_string()))?;
        if !metadata.is_file() {
            return Err(PictureProblem::NotAFile);
        }
        let too_big = |size| PictureProblem::TooBig { size, max: MAX_PICTURE_BYTES };
        if metadata.len() > MAX_PICTURE_BYTES {
            return Err(too_big(metadata.len()));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
        file.take(MAX_PICTURE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| PictureProblem::Unreadable(e.to_string()))?;
        self.reads.fetch_add(1, Ordering::Relaxed);
        if bytes.len() as u64 > MAX_PICTURE_BYTES {
            return Err(too_big(bytes.len() as u64));
        }
        let found = Format::sniff(&bytes);
        if found != Some(format) {
            return Err(PictureProblem::WrongContent { expected: format, found });
        }
        Ok(Picture { src: src.to_string(), format, bytes: Bytes::new(bytes) })
    }
}

/// The folder of an article file, canonical when it exists (else made absolute).
fn article_folder(source: &Path) -> PathBuf {
    let folder = source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::canonicalize(folder)
        .unwrap_or_else(|_| normalize(&std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf())))
}

/// `src` as written in an article in `folder` → the path relative to `root` with `/`
/// separators, refused when it leaves `root` (checked on the path as written: a
/// symlink is checked when the file is read).
fn relative_src(folder: &Path, root: &Path, src: &str) -> std::result::Result<String, PictureProblem> {
    if src.trim().is_empty() {
        return Err(PictureProblem::Empty);
    }
    let written = Path::new(src);
    if written.has_root() || written.is_absolute() || src.starts_with('\\') {
        return Err(PictureProblem::Absolute);
    }
    // Articles written on Windows may use `\`.
    let src = src.replace('\\', "/");
    let joined = normalize(&folder.join(&src));
    let relative = joined.strip_prefix(root).map_err(|_| PictureProblem::OutsideContent)?;
    let parts: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() || parts.iter().any(|p| p == "..") {
        return Err(PictureProblem::OutsideContent);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(alt: &str, dest: &str, title: &str) -> PictureSyntax {
        PictureSyntax { alt: alt.into(), dest: dest.into(), title: title.into() }
    }

    #[test]
    fn a_line_of_its_own_is_a_picture() {
        assert_eq!(
            parse_line(r#"![A foot](pictures/foot.svg "Check daily.")"#),
            Some(syntax("A foot", "pictures/foot.svg", "Check daily."))
        );
        assert_eq!(parse_line("  ![](x.png)  "), Some(syntax("", "x.png", "")));
        assert_eq!(
            parse_line("![A *bold* foot](<my pictures/foot 1.png>)"),
            Some(syntax("A bold foot", "my pictures/foot 1.png", ""))
        );
        // Text around it, two pictures, or a link: not a picture line.
        assert_eq!(parse_line("See ![a](x.png)"), None);
        assert_eq!(parse_line("![a](x.png) and more"), None);
        assert_eq!(parse_line("![a](x.png) ![b](y.png)"), None);
        assert_eq!(parse_line("[a](x.png)"), None);
        assert_eq!(parse_line("![not closed(x.png)"), None);
        assert_eq!(parse_line("Wash your hands (often)"), None);
    }

    #[test]
    fn figures_from_syntax() {
        let mut warnings = Vec::new();
        let block =
            figure(syntax("A  foot", "pictures/my%20foot.png", " Daily. "), 4, &mut warnings).unwrap();
        assert_eq!(
            block,
            Block::Figure {
                src: "pictures/my foot.png".into(),
                alt: "A foot".into(),
                caption: Some(vec![Inline::text("Daily.")]),
                line: 4
            }
        );
        assert!(warnings.is_empty());
        let Block::Figure { alt, caption, .. } = figure(syntax("", "x.png", ""), 7, &mut warnings).unwrap()
        else {
            panic!()
        };
        assert_eq!((alt.as_str(), caption), ("", None));
        assert_eq!(warnings, vec![Warning::at(7, NO_ALT_WARNING)]);
        for web in
            ["https://example.org/a.png", "http://x/a.png", "data:image/png;base64,AAAA", "//cdn/x.png"]
        {
            let mut warnings = Vec::new();
            assert_eq!(
                figure(syntax("A foot", web, ""), 2, &mut warnings),
                Err("A foot".to_string()),
                "{web}"
            );
            assert_eq!(warnings, vec![Warning::at(2, WEB_ADDRESS_WARNING)]);
        }
    }

    #[test]
    fn formats_are_sniffed() {
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"\xEF\xBB\xBF\n  <svg xmlns=''/>"), Some(Format::Svg));
        assert_eq!(Format::sniff(b"<?xml version='1.0'?><svg/>"), Some(Format::Svg));
        assert_eq!(Format::sniff(b"GIF89a"), None);
        assert_eq!(Format::sniff(b"<html>"), None);
        assert_eq!(Format::from_path(Path::new("a/B.JPG")), Some(Format::Jpeg));
        assert_eq!(Format::from_path(Path::new("a/b.gif")), None);
    }

    #[test]
    fn relative_paths_stay_inside_the_root() {
        let root = Path::new("/c");
        let folder = Path::new("/c/sub");
        assert_eq!(relative_src(folder, root, "pictures/a.png"), Ok("sub/pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "../pictures/./a.png"), Ok("pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "..\\pictures\\a.png"), Ok("pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "../../etc/passwd.png"), Err(PictureProblem::OutsideContent));
        assert_eq!(relative_src(folder, root, "/etc/x.png"), Err(PictureProblem::Absolute));
        assert_eq!(relative_src(folder, root, ""), Err(PictureProblem::Empty));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%ff"), "%ff");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }
}
