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
    /// Loads the fonts and the files under the template's folder, leaving out the
    /// folders in `exclude` (the output and content folders, when the template sits at
    /// the project root: reading `out/` would change the fingerprint on every build).
    /// `None` for `template` means the built-in template.
    pub fn new(
        template: Option<&Path>,
        exclude: &[PathBuf],
        brand_json: Vec<u8>,
        logo: Option<(&str, Vec<u8>)>,
    ) -> Result<Shared> {
        let Some(template) = template else { return Shared::builtin(brand_json, logo) };
        let root = template.parent().unwrap_or(Path::new(".")).to_path_buf();
        if !template.is_file() {
            return Err(Error::Template {
                article: None,
                message: format!("{}: template not found", template.display()),
            });
        }
        let (fonts, book) = load_fonts();

        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut paths = collect_files(&root, exclude)?;
        paths.sort();
        let mut hasher = typst::utils::hash128(&(EMBEDDED_FONTS, &brand_json, &logo));
        for path in paths {
            let Ok(relative) = path.strip_prefix(&root) else { continue };
            let vpath = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            let Ok(vpath) = VirtualPath::new(&vpath) else { continue };
            let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
            let data = std::fs::read(&path).map_err(|e| Error::template_io(&path, e))?;
            hasher = typst::utils::hash128(&(hasher, id.get().vpath().get_with_slash(), &data));
            if path.extension().is_some_and(|e| e == "typ") {
                let text = String::from_utf8(data).map_err(|_| Error::Template {
                    article: None,
                    message: format!("{}: template is not valid UTF-8", path.display()),
                })?;
                sources.insert(id, Source::new(id, text));
            } else {
                files.insert(id, Bytes::new(data));
            }
        }
        let main_vpath = template
            .file_name()
            .map(|name| format!("/{}", name.to_string_lossy()))
            .unwrap_or_else(|| "/handout.typ".into());
        // A file name typst cannot address (one holding `\`) is the config's mistake,
        // not a bug: say which file.
        let main = VirtualPath::new(&main_vpath)
            .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
            .map_err(|_| Error::Template {
                article: None,
                message: format!(
                    "{}: typst cannot open a template with this file name; rename it",
                    template.display()
                ),
            })?;
        Ok(Shared::assemble(fonts, book, main, sources, files, root, hasher, brand_json, logo))
    }

    /// The template built into the binary, for a folder without handouts.toml.
    fn builtin(brand_json: Vec<u8>, logo: Option<(&str, Vec<u8>)>) -> Result<Shared> {
        let (fonts, book) = load_fonts();
        let main = file_id("/handout.typ");
        let sources = HashMap::from([(main, Source::new(main, BUILTIN_TEMPLATE.to_string()))]);
        let hasher = typst::utils::hash128(&(EMBEDDED_FONTS, &brand_json, &logo, BUILTIN_TEMPLATE));
        let root = PathBuf::from("(built-in template)");
        Ok(Shared::assemble(fonts, book, main, sources, HashMap::new(), root, hasher, brand_json, logo))
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        fonts: Vec<Font>,
        book: FontBook,
        main: FileId,
        sources: HashMap<FileId, Source>,
        mut files: HashMap<FileId, Bytes>,
        root: PathBuf,
        fingerprint: u128,
        brand_json: Vec<u8>,
        logo: Option<(&str, Vec<u8>)>,
    ) -> Shared {
        files.insert(file_id(BRAND_PATH), Bytes::new(brand_json));
        if let Some((name, data)) = logo {
            files.insert(file_id(&format!("/_handouts/{name}")), Bytes::new(data));
        }
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            main,
            sources,
            files,
            root,
            fingerprint,
        }
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

/// The template built into the binary (the shipped `templates/handout.typ`).
const BUILTIN_TEMPLATE: &str = include_str!("../../templates/handout.typ");

fn load_fonts() -> (Vec<Font>, FontBook) {
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
    (fonts, book)
}

/// Every regular file under `dir`, hidden entries and the folders in `exclude` skipped.
fn collect_files(dir: &Path, exclude: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    let skip = |entry: &walkdir::DirEntry| {
        (entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.'))
            || (entry.file_type().is_dir()
                && std::fs::canonicalize(entry.path()).is_ok_and(|p| exclude.contains(&p)))
    };
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_entry(|e| !skip(e)) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::template_io(
                path,
                e.into_io_error().unwrap_or_else(|| std::io::Error::other("file system loop")),
            )
        })?;
        if entry.file_type().is_file() {
            out.push(entry.into_path());
        }
    }
    Ok(out)
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
