//! The typst [`World`]: templates from the template folder, fonts embedded in the
//! binary, and the article as data.
//!
//! Everything that is the same for every handout (fonts, font book, standard library,
//! parsed template sources, the logo) lives in [`Shared`], built once and shared across
//! threads. A per-compile [`HandoutWorld`] only adds the article's JSON, served at a
//! fixed virtual path: `FileId`s are interned for the life of the process, so minting
//! one per article would leak and eventually overflow.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::error::{Error, Result};

/// Virtual paths of the data the template reads with `json(..)` / `image(..)`.
pub const ARTICLE_PATH: &str = "/_handouts/article.json";
pub const OPTIONS_PATH: &str = "/_handouts/options.json";
pub const BRAND_PATH: &str = "/_handouts/brand.json";
pub const QR_PATH: &str = "/_handouts/qr.svg";

/// The body font and its fallbacks, embedded so a handout looks the same on every
/// machine. Atkinson Hyperlegible covers Latin only; articles pasted by clinic staff also
/// quote Greek letters, names in Cyrillic, Arabic, Chinese or Korean, and emoji, and the
/// PDF/UA export refuses to print a character no font has: without these the whole
/// handout would fail. The template's `font:` list decides which fallback sets what;
/// licences and sources are in `fonts/README.md`.
pub(super) const EMBEDDED_FONTS: &[&[u8]] = &[
    include_bytes!("../../fonts/AtkinsonHyperlegible_400Regular.ttf"),
    include_bytes!("../../fonts/AtkinsonHyperlegible_400Regular_Italic.ttf"),
    include_bytes!("../../fonts/AtkinsonHyperlegible_700Bold.ttf"),
    include_bytes!("../../fonts/AtkinsonHyperlegible_700Bold_Italic.ttf"),
    // Greek, Cyrillic and the Latin extensions Atkinson lacks (Vietnamese, ...).
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
    // Chinese and Japanese in one 4 MB file; Noto Sans CJK would be 15 MB or more.
    include_bytes!("../../fonts/DroidSansFallbackFull.ttf"),
    // Korean: Droid Sans Fallback has almost no Hangul syllables.
    include_bytes!("../../fonts/NanumSquareR.ttf"),
    // Monochrome: a colour emoji font is over 10 MB, and handouts get photocopied.
    include_bytes!("../../fonts/NotoEmoji-Variable.ttf"),
];

fn file_id(path: &str) -> FileId {
    match VirtualPath::new(path) {
        Ok(vpath) => RootedPath::new(VirtualRoot::Project, vpath).intern(),
        // Only reached with the constant paths above, which are valid.
        Err(_) => unreachable!("invalid built-in virtual path {path}"),
    }
}

static ARTICLE_ID: LazyLock<FileId> = LazyLock::new(|| file_id(ARTICLE_PATH));
static OPTIONS_ID: LazyLock<FileId> = LazyLock::new(|| file_id(OPTIONS_PATH));
static QR_ID: LazyLock<FileId> = LazyLock::new(|| file_id(QR_PATH));

/// Fonts, library and templates: loaded once, read by every compile.
pub struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    /// The template folder on disk, for diagnostics.
    pub root: PathBuf,
    /// Hash of everything shared by all handouts (fonts, template files, brand), so an
    /// unchanged handout can be recognised without typesetting it.
    pub fingerprint: u128,
}

impl Shared {
    /// Loads the fonts and every file under the template's folder.
    pub fn new(template: &Path, brand_json: Vec<u8>, logo: Option<(&str, Vec<u8>)>) -> Result<Shared> {
        let root = template.parent().unwrap_or(Path::new(".")).to_path_buf();
        if !template.is_file() {
            return Err(Error::Other(format!("{}: template not found", template.display())));
        }
        let fonts: Vec<Font> = EMBEDDED_FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            // DejaVu Sans Mono, from typst's own font assets, sets code and fills glyphs
            // Atkinson Hyperlegible lacks (Greek, Cyrillic, many symbols).
            .chain(
                typst_assets::fonts()
                    .flat_map(|data| Font::iter(Bytes::new(data)))
                    .filter(|font| font.info().family.starts_with("DejaVu Sans Mono")),
            )
            .collect();
        let book = FontBook::from_fonts(&fonts);

        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut paths = Vec::new();
        collect_files(&root, &mut paths)?;
        paths.sort();
        let mut hasher = typst::utils::hash128(&(EMBEDDED_FONTS, &brand_json, &logo));
        for path in paths {
            let Ok(relative) = path.strip_prefix(&root) else { continue };
            let vpath = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            let Ok(vpath) = VirtualPath::new(&vpath) else { continue };
            let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
            let data = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            hasher = typst::utils::hash128(&(hasher, id.get().vpath().get_with_slash(), &data));
            if path.extension().is_some_and(|e| e == "typ") {
                let text = String::from_utf8(data)
                    .map_err(|_| Error::Other(format!("{}: template is not valid UTF-8", path.display())))?;
                sources.insert(id, Source::new(id, text));
            } else {
                files.insert(id, Bytes::new(data));
            }
        }
        let main_vpath = template
            .file_name()
            .map(|name| format!("/{}", name.to_string_lossy()))
            .unwrap_or_else(|| "/handout.typ".into());
        let main = file_id(&main_vpath);
        files.insert(file_id(BRAND_PATH), Bytes::new(brand_json));
        if let Some((name, data)) = logo {
            files.insert(file_id(&format!("/_handouts/{name}")), Bytes::new(data));
        }
        Ok(Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            main,
            sources,
            files,
            root,
            fingerprint: hasher,
        })
    }

    /// A shared data file (brand JSON, logo) by its virtual path, for [`super::emit`].
    pub(super) fn data_file(&self, vpath: &str) -> Option<Bytes> {
        let vpath = VirtualPath::new(vpath).ok()?;
        self.files.get(&RootedPath::new(VirtualRoot::Project, vpath).intern()).cloned()
    }

    /// The main template's path relative to the template folder.
    pub(super) fn main_path(&self) -> String {
        self.main.get().vpath().get_without_slash().to_string()
    }

    /// Shows a file id as a path a person can open.
    pub fn display_path(&self, id: FileId) -> String {
        let rooted = id.get();
        match rooted.root() {
            VirtualRoot::Package(spec) => format!("{spec}{}", rooted.vpath().get_with_slash()),
            VirtualRoot::Project => {
                let vpath = rooted.vpath().get_without_slash();
                if vpath.starts_with("_handouts/") {
                    format!("(article data) /{vpath}")
                } else {
                    self.root.join(vpath).display().to_string()
                }
            }
        }
    }
}

/// Every regular file under `dir`, hidden entries skipped.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            collect_files(&path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// One compile: the shared parts plus this article's data.
pub struct HandoutWorld<'a> {
    pub shared: &'a Shared,
    pub article_json: Bytes,
    pub options_json: Bytes,
    pub qr_svg: Option<Bytes>,
    pub today: Option<Datetime>,
}

impl HandoutWorld<'_> {
    fn lookup(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.get().root() {
            return Err(FileError::Other(Some(
                format!("package {spec} is not available: handouts works offline, so vendor the package under templates/ and import it by path").into(),
            )));
        }
        if id == *ARTICLE_ID {
            return Ok(self.article_json.clone());
        }
        if id == *OPTIONS_ID {
            return Ok(self.options_json.clone());
        }
        if id == *QR_ID {
            return self.qr_svg.clone().ok_or_else(|| FileError::NotFound(QR_PATH.into()));
        }
        if let Some(source) = self.shared.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.shared
            .files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_with_slash().into()))
    }
}

impl World for HandoutWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.shared.sources.get(&id) {
            return Ok(source.clone());
        }
        // Data files are never sources: article text cannot be evaluated as typst.
        self.lookup(id).and(Err(FileError::NotSource))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.lookup(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
