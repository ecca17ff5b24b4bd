//! The typst [`World`]: templates from the template folder, fonts embedded in the
//! binary, and the article as data.
//!
//! Everything that is the same for every handout (fonts, font book, standard library,
//! template files, the logo) lives in [`Shared`], built once and shared across threads;
//! template files are read from disk the first time a compile asks for one. A
//! per-compile [`HandoutWorld`] only adds the article's JSON, served at a fixed virtual
//! path: `FileId`s are interned for the life of the process, so minting one per article
//! would leak and eventually overflow.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};

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
/// One patient's copy only: what the care team typed (see `Personal`).
pub const PERSONAL_PATH: &str = "/_handouts/personal.json";
/// Where a figure's picture is served: this folder + its `src` (relative to the
/// content folder), e.g. `/_handouts/pictures/pictures/foot-check.svg`.
pub const PICTURES_DIR: &str = "/_handouts/pictures/";

/// The file id of a picture's virtual path ([`PICTURES_DIR`] + `src`); `None` when typst
/// cannot address the name. Interned once per distinct picture for the life of the
/// process: bounded by the pictures, not the articles.
pub(super) fn picture_id(src: &str) -> Option<FileId> {
    VirtualPath::new(format!("{PICTURES_DIR}{src}"))
        .ok()
        .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
}

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
static PERSONAL_ID: LazyLock<FileId> = LazyLock::new(|| file_id(PERSONAL_PATH));
static QR_ID: LazyLock<FileId> = LazyLock::new(|| file_id(QR_PATH));

/// Fonts, library and templates: loaded once, read by every compile.
pub struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    pub(super) main: FileId,
    /// The data served under `/_handouts/` that is the same for every handout (brand
    /// JSON, logo).
    data: HashMap<FileId, Bytes>,
    template: TemplateFiles,
    /// The template folder on disk, for diagnostics.
    pub root: PathBuf,
    /// Hash of the fonts, brand, logo and main template: what decides every handout
    /// before any other template file is known.
    base: u128,
    /// The template files [`Shared::pin`] hashed, sorted.
    pinned: Vec<String>,
    /// Hash of everything shared by all handouts (`base` and the pinned files), so an
    /// unchanged handout can be recognised without typesetting it.
    pub fingerprint: u128,
    /// Whether the main template reads one patient's fields from [`PERSONAL_PATH`]; a
    /// template written before that file existed reads them from `options.personal`.
    pub reads_personal_file: bool,
    /// The main template under other names, one per handout of a packet after the
    /// first (see [`Shared::packet_main`]), made when first asked for.
    packet_mains: Mutex<Vec<FileId>>,
}

/// The files under the template root, each read the first time typst asks for it
/// (like typst-cli's `SystemWorld`) and kept for the life of the typesetter: a folder
/// holding more than templates (the project root, with `out/` and `content/`) costs
/// nothing, and every compile of a build sees the same bytes the fingerprint hashed.
struct TemplateFiles {
    /// The template root, canonical, so symlinks cannot lead out of it; `None` for the
    /// built-in template, which reads no file.
    root: Option<PathBuf>,
    /// Folders under the root that are never template files (output and content).
    exclude: Vec<PathBuf>,
    bytes: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    /// Parsed once, as typst asks for a source many times per compile.
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    /// Virtual paths of the files compiles read (besides the main template).
    used: Mutex<BTreeSet<String>>,
}

impl TemplateFiles {
    /// The bytes of `id`, read from disk once. The lock is held while reading, so two
    /// threads asking for a new file at once cannot read it twice (and maybe see two
    /// versions of it); each file is read once per build, so the wait is short.
    fn bytes(&self, id: FileId) -> FileResult<Bytes> {
        let mut cache = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry(id).or_insert_with(|| self.read(id)).clone()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.sources.lock().unwrap_or_else(PoisonError::into_inner).get(&id) {
            return source.clone();
        }
        let source = self.bytes(id).and_then(|bytes| {
            let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_string()))
        });
        let mut cache = self.sources.lock().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have parsed it meanwhile: keep one, so every compile shares
        // the same source (and comemo's cache of it).
        cache.entry(id).or_insert(source).clone()
    }

    /// Notes that a compile read `id`.
    fn record(&self, id: FileId) {
        let vpath = id.get().vpath().get_without_slash().to_string();
        self.used.lock().unwrap_or_else(PoisonError::into_inner).insert(vpath);
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        let vpath = id.get().vpath();
        let Some(root) = &self.root else {
            return Err(FileError::NotFound(vpath.get_with_slash().into()));
        };
        let path = vpath.realize(root).map_err(FileError::Realize)?;
        // Hidden files (`.git`, editor swap files) are never part of a template.
        if vpath.get_without_slash().split('/').any(|part| part.starts_with('.')) {
            return Err(FileError::NotFound(path));
        }
        let real = std::fs::canonicalize(&path).map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(root) || self.exclude.iter().any(|folder| real.starts_with(folder)) {
            return Err(FileError::Other(Some(
                format!("{}: not a file of the template folder", path.display()).into(),
            )));
        }
        let meta = std::fs::metadata(&real).map_err(|e| FileError::from_io(e, &path))?;
        if meta.is_dir() {
            return Err(FileError::IsDirectory);
        }
        // A FIFO or device would block or never end.
        if !meta.is_file() {
            return Err(FileError::Other(Some(format!("{}: not a regular file", path.display()).into())));
        }
        std::fs::read(&real).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }
}

impl Shared {
    /// Loads the fonts and the main template; other files under the template's folder
    /// are read when a compile asks for them, never those under the folders in
    /// `exclude` (the output and content folders, when the template sits at the
    /// project root). `None` for `template` means the built-in template.
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
        let canonical = std::fs::canonicalize(&root).map_err(|e| Error::template_io(&root, e))?;
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
        // The main template is read now: a missing or garbled one is an error before any
        // article, and its bytes are part of every fingerprint.
        let text = std::fs::read(template).map_err(|e| Error::template_io(template, e))?;
        let text = String::from_utf8(text).map_err(|_| Error::Template {
            article: None,
            message: format!("{}: template is not valid UTF-8", template.display()),
        })?;
        let files = TemplateFiles {
            root: Some(canonical),
            exclude: exclude.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect(),
            bytes: Mutex::default(),
            sources: Mutex::default(),
            used: Mutex::default(),
        };
        Ok(Shared::assemble(fonts_and_book(), main, text, files, root, brand_json, logo))
    }

    /// The template built into the binary, for a folder without handouts.toml.
    fn builtin(brand_json: Vec<u8>, logo: Option<(&str, Vec<u8>)>) -> Result<Shared> {
        let files = TemplateFiles {
            root: None,
            exclude: Vec::new(),
            bytes: Mutex::default(),
            sources: Mutex::default(),
            used: Mutex::default(),
        };
        let root = PathBuf::from("(built-in template)");
        let main = file_id("/handout.typ");
        Ok(Shared::assemble(
            fonts_and_book(),
            main,
            BUILTIN_TEMPLATE.to_string(),
            files,
            root,
            brand_json,
            logo,
        ))
    }

    fn assemble(
        (fonts, book): (Vec<Font>, FontBook),
        main: FileId,
        main_text: String,
        template: TemplateFiles,
        root: PathBuf,
        brand_json: Vec<u8>,
        logo: Option<(&str, Vec<u8>)>,
    ) -> Shared {
        let base = typst::utils::hash128(&(EMBEDDED_FONTS, &brand_json, &logo, &main_text));
        let reads_personal_file = main_text.contains(PERSONAL_PATH);
        template
            .bytes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(main, Ok(Bytes::from_string(main_text.clone())));
        template
            .sources
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(main, Ok(Source::new(main, main_text)));
        let mut data = HashMap::from([(file_id(BRAND_PATH), Bytes::new(brand_json))]);
        if let Some((name, bytes)) = logo {
            data.insert(file_id(&format!("/_handouts/{name}")), Bytes::new(bytes));
        }
        let mut shared = Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            main,
            data,
            template,
            root,
            base,
            pinned: Vec::new(),
            fingerprint: 0,
            reads_personal_file,
            packet_mains: Mutex::default(),
        };
        shared.pin(&[]);
        shared
    }

    /// Makes the bytes of these template files (virtual paths, as
    /// [`Shared::used_files`] gives them) part of [`Shared::fingerprint`]: the files
    /// the template read decide every handout as much as the main template does. A
    /// file that is gone counts as missing, so creating it again changes the hash too.
    pub fn pin(&mut self, files: &[String]) {
        let mut files: Vec<String> = files.to_vec();
        files.sort();
        files.dedup();
        let contents: Vec<(&str, Option<Bytes>)> = files
            .iter()
            .map(|vpath| {
                let bytes = VirtualPath::new(format!("/{vpath}"))
                    .ok()
                    .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
                    .filter(|&id| id != self.main)
                    .and_then(|id| self.template.bytes(id).ok());
                (vpath.as_str(), bytes)
            })
            .collect();
        let contents: Vec<(&str, Option<&[u8]>)> =
            contents.iter().map(|(vpath, bytes)| (*vpath, bytes.as_ref().map(Bytes::as_slice))).collect();
        self.fingerprint = typst::utils::hash128(&(self.base, contents));
        self.pinned = files;
    }

    /// The files [`Shared::pin`] hashed.
    pub fn pinned(&self) -> &[String] {
        &self.pinned
    }

    /// The template files compiles read so far, besides the main template (virtual
    /// paths without the leading slash, sorted).
    pub fn used_files(&self) -> Vec<String> {
        self.template.used.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect()
    }

    /// A file under the template root, for a compile: what it reads is what decides
    /// the handouts (see [`Shared::used_files`]).
    fn template_file(&self, id: FileId) -> FileResult<Bytes> {
        let bytes = self.template.bytes(id)?;
        if id != self.main && !self.is_packet_main(id) {
            self.template.record(id);
        }
        Ok(bytes)
    }

    /// The main template for the `slot`-th part of a packet (from 0): the main template
    /// itself for the first, else the same text under another name beside it
    /// (`handout.typ~packet2.typ`), so relative imports resolve alike.
    ///
    /// A packet is its parts' pages put together after each is laid out alone, and
    /// typst names every element it lays out (its `Location`) by where it stands in the
    /// source: two compiles of one file give the same names, which in one PDF would
    /// tie one handout's headings and tags to another's. Another file gives every part
    /// its own. The names are few (one per place in the largest packet made) and the
    /// same from one packet to the next, so typst's memoized work for them stays warm.
    pub(super) fn packet_main(&self, slot: usize) -> FileId {
        if slot == 0 {
            return self.main;
        }
        let mut mains = self.packet_mains.lock().unwrap_or_else(PoisonError::into_inner);
        while mains.len() < slot {
            let number = mains.len() + 1;
            let vpath = format!("{}~packet{number}.typ", self.main.get().vpath().get_with_slash());
            let id = file_id(&vpath);
            let main_text = self
                .template
                .sources
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&self.main)
                .and_then(|source| source.as_ref().ok().map(|source| source.text().to_string()))
                .unwrap_or_default();
            self.template
                .bytes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, Ok(Bytes::from_string(main_text.clone())));
            self.template
                .sources
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, Ok(Source::new(id, main_text)));
            mains.push(id);
        }
        mains[slot - 1]
    }

    fn is_packet_main(&self, id: FileId) -> bool {
        self.packet_mains.lock().unwrap_or_else(PoisonError::into_inner).contains(&id)
    }

    /// A shared data file (brand JSON, logo) by its virtual path, for [`super::emit`].
    pub(super) fn data_file(&self, vpath: &str) -> Option<Bytes> {
        let vpath = VirtualPath::new(vpath).ok()?;
        self.data.get(&RootedPath::new(VirtualRoot::Project, vpath).intern()).cloned()
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
            VirtualRoot::Project if self.is_packet_main(id) => {
                self.root.join(self.main.get().vpath().get_without_slash()).display().to_string()
            }
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

fn fonts_and_book() -> (Vec<Font>, FontBook) {
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

/// One compile: the shared parts plus this article's data.
pub struct HandoutWorld<'a> {
    pub shared: &'a Shared,
    pub article_json: Bytes,
    pub options_json: Bytes,
    pub qr_svg: Option<Bytes>,
    /// One patient's copy: the care team's fields as JSON, at [`PERSONAL_PATH`].
    pub personal_json: Option<Bytes>,
    /// The article's pictures, each at its [`picture_id`].
    pub pictures: &'a [(FileId, Bytes)],
    pub today: Option<Datetime>,
    /// The main template's file: [`Shared::packet_main`] of the handout's place in a
    /// packet (the main template itself for a single handout).
    pub main: FileId,
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
        if id == *PERSONAL_ID {
            return self.personal_json.clone().ok_or_else(|| FileError::NotFound(PERSONAL_PATH.into()));
        }
        if let Some(bytes) = self.shared.data.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some((_, bytes)) = self.pictures.iter().find(|(picture, _)| *picture == id) {
            return Ok(bytes.clone());
        }
        if id.get().vpath().get_with_slash().starts_with(PICTURES_DIR) {
            // Not a picture of this article: never a template file either.
            return Err(FileError::NotFound(id.get().vpath().get_with_slash().into()));
        }
        self.shared.template_file(id)
    }

    fn is_data(&self, id: FileId) -> bool {
        id == *ARTICLE_ID
            || id == *OPTIONS_ID
            || id == *QR_ID
            || id == *PERSONAL_ID
            || id.get().vpath().get_with_slash().starts_with(PICTURES_DIR)
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
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        // Data files are never sources: article text cannot be evaluated as typst.
        if self.is_data(id) || self.shared.data.contains_key(&id) {
            return Err(FileError::NotSource);
        }
        self.lookup(id)?;
        self.shared.template.source(id)
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
