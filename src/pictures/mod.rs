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
//!   outputs and handouts that show it. A PDF shows [`Picture::for_print`], the EPUB and
//!   the site [`Picture::for_screen`]: the file itself, or when it has more pixels than
//!   that use can show, a smaller copy made once per build ([`sizing`]).
//!   [`fingerprint`] is the hash an output puts in its own fingerprint, so editing a
//!   picture remakes what shows it.
//!
//! Nothing is ever fetched from the network: a picture given as a web address stays
//! its alt text, with a warning.
//!
//! The parts, each with its rules and their tests: `problem.rs` (why a picture cannot
//! be used; it imports nothing from the crate, so [`crate::error`] can hold it without
//! the two modules importing each other), `format.rs` (PNG, JPEG, SVG by extension and
//! by bytes), `syntax.rs` (the syntax and the figure it makes), `paths.rs` (where a
//! picture may be), `sizing.rs` (copies at the resolution print and screens need) and
//! here the store, which puts them together.

mod format;
mod paths;
pub mod problem;
pub mod sizing;
mod syntax;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use typst::foundations::Bytes;

use crate::error::{Error, Result};
use crate::model::{Article, Block};

pub use format::{PICTURE_EXTENSIONS, is_picture_path};
use paths::{article_folder, relative_src};
pub use problem::{Format, PictureProblem};
pub use syntax::{NO_ALT_WARNING, PictureSyntax, WEB_ADDRESS_WARNING, figure, parse_line};

/// Largest picture file read: a photo straight off a phone is a few MB; anything near
/// this is a mistake that would make every handout showing it huge.
pub const MAX_PICTURE_BYTES: u64 = 20 * 1024 * 1024;

/// A picture file, read and checked.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The path relative to the root it was resolved against (the content folder), with
    /// `/` separators: what [`Block::Figure`]'s `src` holds after [`PictureStore::resolve`].
    pub src: String,
    /// The file's format, and every copy's: a copy is never another format.
    pub format: Format,
    /// The file's bytes, as read: what [`fingerprint`] hashes. Outputs show a copy
    /// sized for them instead: [`Picture::for_print`], [`Picture::for_screen`].
    pub original: Bytes,
    /// Those copies, each made the first time it is asked for and shared by every clone
    /// of this picture: the store's, so once per build.
    copies: Arc<Copies>,
}

#[derive(Debug, Default)]
struct Copies {
    print: OnceLock<Bytes>,
    screen: OnceLock<Bytes>,
}

impl Picture {
    /// A picture of `format` whose file holds `original`.
    pub fn new(src: impl Into<String>, format: Format, original: Bytes) -> Picture {
        Picture { src: src.into(), format, original, copies: Arc::default() }
    }

    /// What a PDF shows: the file, or a copy at most [`sizing::PRINT_BUDGET`] (printed
    /// at the same size). typst's `Bytes` caches its hash, so handing the same `Bytes`
    /// to every compile lets typst decode the picture once per build.
    pub fn for_print(&self) -> Bytes {
        self.copy(&self.copies.print, sizing::PRINT_BUDGET)
    }

    /// What the EPUB and the site show: the file, or a copy at most
    /// [`sizing::SCREEN_BUDGET`] wide.
    pub fn for_screen(&self) -> Bytes {
        self.copy(&self.copies.screen, sizing::SCREEN_BUDGET)
    }

    fn copy(&self, copy: &OnceLock<Bytes>, budget: sizing::Budget) -> Bytes {
        copy.get_or_init(|| {
            sizing::fit(&self.original, self.format, budget).unwrap_or_else(|| self.original.clone())
        })
        .clone()
    }
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
/// same pictures. The files' own bytes are hashed, with the rules copies are made by
/// ([`sizing`]), so an up-to-date output costs no copy. No pictures hash as they always
/// did: new rules remake only what shows pictures.
pub fn fingerprint(pictures: &[Picture]) -> u128 {
    let parts: Vec<(&str, &Bytes)> = pictures.iter().map(|p| (p.src.as_str(), &p.original)).collect();
    if parts.is_empty() {
        return typst::utils::hash128(&parts);
    }
    typst::utils::hash128(&(sizing::RULES, parts))
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
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        files.entry(root.join(relative)).or_insert_with(|| self.read(root, src)).clone()
    }

    /// The file at `src` read by [`read_file`], then checked (the same checks whatever
    /// the file was read from). Copies are made later, when an output asks for them.
    fn read(&self, root: &Path, src: &str) -> std::result::Result<Picture, PictureProblem> {
        let (bytes, format) = read_file(root, src)?;
        self.reads.fetch_add(1, Ordering::Relaxed);
        checked(src, format, bytes)
    }
}

/// The bytes of the picture file at `src` (checked to have no `..` and not to be
/// absolute) under `root`, and the format its name promises: the one place pictures
/// are read from. It must stay inside `root` (symlinks included), be a regular file
/// and not be over [`MAX_PICTURE_BYTES`].
fn read_file(root: &Path, src: &str) -> std::result::Result<(Vec<u8>, Format), PictureProblem> {
    use std::io::Read;

    let format = Format::from_path(Path::new(src)).ok_or(PictureProblem::Extension)?;
    // A picture inside a Word document (`low-salt.docx/word/media/image1.png`): the
    // document is the file, checked as a picture file is, and the picture a part of it.
    let inside_word = crate::docx_package::split_picture_src(src);
    let path = root.join(inside_word.map_or(src, |(document, _)| document));
    let real = std::fs::canonicalize(&path).map_err(|e| match e.kind() {
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
    if let Some((_, part)) = inside_word {
        let limit = crate::docx_package::MAX_DOCUMENT_BYTES;
        let mut document = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut document)
            .map_err(|e| PictureProblem::Unreadable(e.to_string()))?;
        if document.len() as u64 > limit {
            return Err(PictureProblem::TooBig { size: document.len() as u64, max: limit });
        }
        let bytes = crate::docx_package::read_part(&document, part)
            .map_err(|problem| PictureProblem::Unreadable(problem.to_string()))?;
        return Ok((bytes, format));
    }
    if metadata.len() > MAX_PICTURE_BYTES {
        return Err(PictureProblem::TooBig { size: metadata.len(), max: MAX_PICTURE_BYTES });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // One byte over the limit is enough to tell a file that grew since.
    file.take(MAX_PICTURE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PictureProblem::Unreadable(e.to_string()))?;
    Ok((bytes, format))
}

/// A picture's bytes, read from wherever, checked: not over [`MAX_PICTURE_BYTES`], and
/// really in the `format` its name promises.
fn checked(src: &str, format: Format, bytes: Vec<u8>) -> std::result::Result<Picture, PictureProblem> {
    if bytes.len() as u64 > MAX_PICTURE_BYTES {
        return Err(PictureProblem::TooBig { size: bytes.len() as u64, max: MAX_PICTURE_BYTES });
    }
    let found = Format::sniff(&bytes);
    if found != Some(format) {
        return Err(PictureProblem::WrongContent { expected: format, found });
    }
    Ok(Picture::new(src, format, Bytes::new(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Bytes {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)).unwrap();
        Bytes::new(out)
    }

    #[test]
    fn a_small_picture_is_shown_as_it_is() {
        let original = jpeg(400, 300);
        let picture = Picture::new("pictures/small.jpg", Format::Jpeg, original.clone());
        assert_eq!(picture.for_print().as_slice(), original.as_slice());
        assert_eq!(picture.for_screen().as_slice(), original.as_slice());
    }

    #[test]
    fn a_large_picture_is_copied_once_and_the_same_every_build() {
        let original = jpeg(3000, 2000);
        let picture = Picture::new("pictures/large.jpg", Format::Jpeg, original.clone());
        let print = picture.for_print();
        assert!(print.len() < original.len());
        // Clones (what the store hands out) share the copy: made once.
        assert!(std::ptr::eq(picture.clone().for_print().as_slice(), print.as_slice()));
        // Another build: the same bytes.
        let again = Picture::new("pictures/large.jpg", Format::Jpeg, original.clone());
        assert_eq!(again.for_print(), print);
        assert_ne!(picture.for_screen(), print);
        // The fingerprint is the file's, whether or not a copy was made.
        assert_eq!(
            fingerprint(&[picture]),
            fingerprint(&[Picture::new("pictures/large.jpg", Format::Jpeg, original)])
        );
    }
}
