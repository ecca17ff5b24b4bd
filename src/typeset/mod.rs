//! Article → PDF handout, with typst as a library.
//!
//! The template reads the article as JSON data (`json("/_handouts/article.json")`),
//! so nothing an article says is ever evaluated as typst. Compiles run in parallel on
//! a rayon pool that typst's own internal parallelism shares, so `--jobs N` really
//! means N busy cores. comemo memoizes template evaluation across articles; its
//! caches are process-global, so they are evicted between chunks to keep memory flat.

mod address;
mod emit;
mod nfc;
mod text_layer;
mod world;

use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::DiagSpanKind;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::{Brand, Config, Paper, accessible_color};
use crate::error::{Error, Result};
use crate::model::{Article, Inline, for_each_inlines};

pub use emit::{emit_fonts, emit_typst_project};
pub use world::{ARTICLE_PATH, BRAND_PATH, OPTIONS_PATH, PICTURES_DIR, QR_PATH};
use world::{HandoutWorld, Shared};

/// Compiles per thread in a chunk, after which comemo's caches are trimmed. Each
/// handout leaves a few MiB of memoized layout behind; what is not reused by the next
/// chunk is dropped, so memory stays flat however long the batch (bench/RESULTS.md).
const EVICT_EVERY_PER_THREAD: usize = 8;

/// Which handout to make from an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    Regular,
    /// 18 pt text and 1.5 line spacing, written as `<id>-large.pdf`.
    LargePrint,
}

impl Variant {
    /// The file-name suffix after the id.
    pub fn suffix(self) -> &'static str {
        match self {
            Variant::Regular => "",
            Variant::LargePrint => "-large",
        }
    }
}

/// A typeset handout.
#[derive(Debug)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// What one handout's compile reads besides the template, fonts and brand (see
/// [`Typesetter::prepare`]).
pub struct HandoutInputs {
    /// The article id and variant suffix, for the PDF's document id.
    ident: String,
    /// The article's file, named in errors.
    source: PathBuf,
    article_json: Bytes,
    /// The options with the designed layout ([`Fit::DESIGNED`]); what fingerprints hash.
    options_json: Bytes,
    /// The same options as data, to make the tightened layouts' options from.
    options: serde_json::Value,
    variant: Variant,
    max_pages: Option<usize>,
    qr_svg: Option<Bytes>,
    /// The article's pictures at their virtual paths, from the build's picture store.
    pictures: Vec<(typst::syntax::FileId, Bytes)>,
    /// [`crate::pictures::fingerprint`] of them.
    pictures_hash: u128,
    date: Option<Datetime>,
    /// What the closing parts' height depends on besides the options: the article's
    /// language, and its web address when it has a QR code (see [`ClosingUrl`]).
    closing_key: (String, ClosingUrl),
    /// One patient's copy: what the care team typed, as JSON (see [`Options::personal`]).
    personal_json: Option<Bytes>,
}

/// The web address beside the QR code, as far as the closing parts' height goes.
#[derive(Debug, Clone, Hash)]
enum ClosingUrl {
    /// No QR code.
    None,
    /// At most [`SHORT_URL`] characters: a line or two of small text, never taller than
    /// the QR code beside it, so all of them give the same height.
    Short,
    /// A longer one could wrap past the QR code's height: measured as it is.
    Long(String),
}

/// The longest web address that is a [`ClosingUrl::Short`].
const SHORT_URL: usize = 40;

/// Held shared while a patient's copy is made, exclusively while one is forgotten
/// ([`Typesetter::typeset_personal`]). Forgetting while another copy is half made would
/// evict that copy's own results before it uses them again (typst lays a document out
/// more than once), and the two then rebuild each other's work: with two copies at
/// once, each cost 65 % more CPU than alone (bench/RESULTS.md). A writer waiting here
/// holds new copies back, so forgetting is never put off by a steady stream of them.
static FORGETTING: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// The per-compile settings the template reads from `/_handouts/options.json`.
#[derive(Debug, Serialize)]
struct Options<'a> {
    paper: &'a str,
    large_print: bool,
    questions_box: bool,
    /// Whether `/_handouts/qr.svg` exists for this article.
    qr: bool,
    /// The QR code's width in modules, its quiet zone included: the template prints
    /// each module at least 0.7 mm wide, which a phone (and `zbarimg` on a 100 dpi scan)
    /// reads.
    qr_modules: Option<usize>,
    /// "Reviewed October 1, 2026": the review date as the article's language writes it
    /// (`reviewed-on`, `months` and `date` in templates/labels.toml).
    reviewed: Option<String>,
    /// Virtual path of the logo, when the brand has one.
    logo: Option<&'a str>,
    /// Whether some text has a run of 30+ characters without a space, which the template
    /// must make breakable. Building its regex costs more than typesetting a short
    /// handout, so it is only built when needed (bench/RESULTS.md).
    long_words: bool,
    /// The fixed wording in the article's language, from `templates/labels.toml`.
    labels: serde_json::Value,
    /// Indices of the top-level blocks that are action-step headings, which get a box
    /// with the clinic's phone number (the rule is [`crate::labels::action_sections`]).
    actions: Vec<usize>,
    /// The disclaimer in the article's language.
    disclaimer: Option<&'a str>,
    /// The most pages the handout may take (front matter, else `[handout] max-pages`).
    max_pages: Option<usize>,
    /// Whether the article's last block is short enough to move to the next page with
    /// the closing parts when they do not fit after it (see [`KeepTogether`]).
    glue_last: bool,
    /// Action sections (by their heading's index) too long to keep on one page: the
    /// template lets only these boxes break.
    long_actions: Vec<usize>,
    /// How far the layout is tightened (see [`Fit`]); set per compile.
    fit: Fit,
    /// One patient's copy (`handouts serve`, `handouts print`): see [`PersonalOption`].
    /// Absent from every built handout's options.
    #[serde(skip_serializing_if = "Option::is_none")]
    personal: Option<PersonalOption<'a>>,
}

/// How the template gets one patient's copy's fields.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum PersonalOption<'a> {
    /// `true`: the fields are in their own file, `/_handouts/personal.json`, which the
    /// template reads only inside a `context` while laying out. The template's evaluation
    /// and everything it builds are then the same for every patient and stay memoized
    /// between copies; only the layout reads the patient's text.
    InOwnFile(bool),
    /// The fields themselves, for a template written before that file existed (it reads
    /// `options.personal.patient`): its copies still print the patient, only slower.
    Inline(&'a Personal),
}

/// What the care team adds to one patient's copy of a handout. It is data like the
/// article (the template prints it as text), typeset in memory and never stored.
#[derive(Clone, Default, Serialize)]
pub struct Personal {
    pub patient: String,
    pub clinician: String,
    pub note: String,
}

/// Never prints the values: a `{:?}` in a log line must not leak a patient's name.
impl std::fmt::Debug for Personal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Personal { .. }")
    }
}

/// How far a handout's layout is tightened: a spacing factor (1 is the template's
/// design) and a body size in points (`None` keeps the design's size). The template
/// reads it as `options.fit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct Fit {
    spacing: f64,
    size: Option<f64>,
    /// `false` leaves out the questions box: the last resort when even a squeezed box
    /// would stand alone on a page.
    questions: bool,
}

impl Fit {
    const DESIGNED: Fit = Fit { spacing: 1.0, size: None, questions: true };
    const fn tighter(spacing: f64, size: Option<f64>) -> Fit {
        Fit { spacing, size, questions: true }
    }
}

/// The layouts tried, in order, until a handout fits its `max-pages` with no page that
/// holds only the closing parts: tighter spacing first, then smaller body text down
/// to 11 pt. Large print is never made smaller: it gets more pages instead.
const REGULAR_FITS: &[Fit] = &[
    Fit::DESIGNED,
    Fit::tighter(0.9, None),
    Fit::tighter(0.8, None),
    Fit::tighter(0.8, Some(12.0)),
    Fit::tighter(0.8, Some(11.5)),
    Fit::tighter(0.8, Some(11.0)),
    Fit { spacing: 0.9, size: None, questions: false },
];
const LARGE_PRINT_FITS: &[Fit] = &[
    Fit::DESIGNED,
    Fit::tighter(0.9, None),
    Fit::tighter(0.8, None),
    Fit { spacing: 0.9, size: None, questions: false },
];

/// How much text the template keeps on one page, in words: deciding it here from the
/// article costs nothing, where measuring the laid-out blocks in the template cost a
/// tenth of every compile (bench/RESULTS.md). About half a page may move to the next
/// page with the closing parts; a "when to call" box longer than about two thirds of a
/// page may break.
#[derive(Debug, Clone, Copy)]
struct KeepTogether {
    glue_words: usize,
    unbroken_words: usize,
}

impl KeepTogether {
    fn for_variant(variant: Variant) -> KeepTogether {
        match variant {
            Variant::Regular => KeepTogether { glue_words: 220, unbroken_words: 300 },
            Variant::LargePrint => KeepTogether { glue_words: 110, unbroken_words: 120 },
        }
    }

    /// The last top-level block, or the whole last section when it is an action box.
    fn glues_last(self, article: &Article, actions: &[usize]) -> bool {
        let last_heading =
            article.blocks.iter().rposition(|b| matches!(b, crate::model::Block::Heading { .. }));
        let last = match last_heading.filter(|index| actions.contains(index)) {
            Some(start) => &article.blocks[start..],
            None => article.blocks.last().map(std::slice::from_ref).unwrap_or_default(),
        };
        words_in(last) <= self.glue_words
    }

    fn long_actions(self, article: &Article, actions: &[usize]) -> Vec<usize> {
        actions
            .iter()
            .copied()
            .filter(|&start| {
                let end = article.blocks[start + 1..]
                    .iter()
                    .position(|b| matches!(b, crate::model::Block::Heading { .. }))
                    .map_or(article.blocks.len(), |offset| start + 1 + offset);
                words_in(&article.blocks[start..end]) > self.unbroken_words
            })
            .collect()
    }
}

fn words_in(blocks: &[crate::model::Block]) -> usize {
    let mut words = 0;
    for_each_inlines(blocks, 0, &mut |inlines, _| {
        words += crate::model::plain_text(inlines).split_whitespace().count();
    });
    words
}

/// Where the template marks the end of the article, before the closing parts.
const ARTICLE_END_LABEL: &str = "article-end";
/// The template's label for the closing parts' height when `measure_closing` is set.
const CLOSING_ZERO_LABEL: &str = "closing-zero";

/// What the template reads from `/_handouts/brand.json`.
#[derive(Debug, Serialize)]
struct BrandData<'a> {
    #[serde(flatten)]
    brand: &'a Brand,
    /// The brand colour, darkened if needed for WCAG AA contrast with white.
    color: String,
}

/// Loaded once per build; typesets any number of articles.
pub struct Typesetter {
    shared: Shared,
    labels: crate::labels::LabelTable,
    disclaimer: Option<crate::config::Disclaimer>,
    /// The logo file, named when the template cannot show it.
    logo_path: Option<PathBuf>,
    paper: Paper,
    questions_box: bool,
    max_pages: Option<usize>,
    logo_vpath: Option<String>,
    source_date_epoch: Option<i64>,
    /// The build's pictures, read once and shared with the other outputs.
    pictures: std::sync::Arc<crate::pictures::PictureStore>,
    /// `[site]`: where a handout without a `url` points its QR code.
    site: crate::config::Site,
    /// The height in points of the closing parts with no writing lines, by what it
    /// depends on (see [`Typesetter::closing_height`]).
    closing_heights: std::sync::Mutex<std::collections::HashMap<u128, Option<f64>>>,
    /// Tests turn the shared measure off to compare with the template's own.
    #[cfg(test)]
    share_closing_height: bool,
}

impl Typesetter {
    /// Loads fonts, templates and the logo. A missing template or logo is an error here,
    /// before any article is touched.
    pub fn new(config: &Config) -> Result<Typesetter> {
        let logo = match &config.logo {
            Some(path) => {
                let data = std::fs::read(path).map_err(|e| {
                    Error::config(path, None, format!("cannot read the logo set in brand.logo: {e}"))
                })?;
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .filter(|e| ["svg", "png", "jpg", "jpeg"].contains(&e.as_str()))
                    .ok_or_else(|| Error::config(path, None, "the logo must be an SVG, PNG or JPEG file"))?;
                Some((format!("logo.{ext}"), data))
            }
            None => None,
        };
        let brand = BrandData { brand: &config.brand, color: accessible_color(&config.brand.primary_color) };
        let brand_json = serde_json::to_vec(&brand)
            .map_err(|e| Error::config(&config.config_path, None, format!("[brand]: {e}")))?;
        let shared = Shared::new(
            (!config.builtin_template).then_some(config.template.as_path()),
            &[config.out_dir.clone(), config.content_dir.clone()],
            brand_json,
            logo.as_ref().map(|(n, d)| (n.as_str(), d.clone())),
        )?;
        Ok(Typesetter {
            shared,
            labels: crate::labels::LabelTable::load(config.template_dir())?,
            disclaimer: config.brand.disclaimer.clone(),
            logo_path: config.logo.clone(),
            paper: config.handout.paper,
            questions_box: config.handout.questions_box,
            max_pages: config.handout.max_pages.map(std::num::NonZeroUsize::get),
            logo_vpath: logo.map(|(name, _)| format!("/_handouts/{name}")),
            source_date_epoch: config.source_date_epoch,
            pictures: std::sync::Arc::new(crate::pictures::PictureStore::new(&config.content_dir)),
            site: config.site.clone(),
            closing_heights: Default::default(),
            #[cfg(test)]
            share_closing_height: true,
        })
    }

    /// The store the handouts' pictures come from (one per typesetter, so one per
    /// build): other outputs of the build share it, so each picture is read once.
    pub fn picture_store(&self) -> &std::sync::Arc<crate::pictures::PictureStore> {
        &self.pictures
    }

    /// Everything one handout's compile reads, made once: both its fingerprint and its
    /// typesetting need the article's JSON, the options and the QR code.
    pub fn prepare(&self, article: &Article, variant: Variant) -> Result<HandoutInputs> {
        let pictures = self.pictures.pictures(article)?;
        self.prepare_with_logo(article, variant, self.logo_vpath.as_deref(), &pictures, None, None)
    }

    /// [`Typesetter::prepare`] for one patient's copy: `personal` goes to the template
    /// as data, `paper` overrides the configured paper.
    fn prepare_personal(
        &self,
        article: &Article,
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
    ) -> Result<HandoutInputs> {
        let pictures = self.pictures.pictures(article)?;
        self.prepare_with_logo(article, variant, self.logo_vpath.as_deref(), &pictures, paper, Some(personal))
    }

    /// Typesets one patient's copy of `article` (`paper` overrides the configured
    /// paper), then evicts from typst's memoized results everything that copy alone
    /// left there: comemo keeps them process-wide, and what holds the patient's text must
    /// not stay in memory, nor make it grow request after request.
    ///
    /// Clearing the whole cache would make every request a cold compile (the template,
    /// the fonts' shaping, every paragraph). Instead every result is aged by one, a copy
    /// with a placeholder in place of the patient's text is laid out, and what it did not
    /// use is evicted. A result built from the patient's text can only be hit by a
    /// compile that reads that same text, so the placeholder never keeps one alive; what
    /// both copies share (the template, the article, the paragraphs) is young again and
    /// stays warm for the next request. The placeholder differs every time: a copy equal
    /// to the last one would hit only its top-level result, and the results inside it
    /// would age out. With several requests at once, each request's own results are gone
    /// by the end of its own eviction, since nothing but its compile ever hits them.
    ///
    /// One copy forgets at a time, and while no other copy is being made
    /// ([`FORGETTING`]).
    ///
    /// The patient's fields reach typst in their own file, which the template reads only
    /// while laying out: evaluating the template (16 % of a copy's instructions before,
    /// bench/RESULTS.md) is the same for every patient and never repeated.
    ///
    /// `deliver` gets the PDF as soon as it is made, before the eviction (the desk sends
    /// it to the browser while this thread forgets the patient); what it returns is
    /// returned after the eviction.
    pub fn typeset_personal<T>(
        &self,
        article: &Article,
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
        deliver: impl FnOnce(Result<Pdf>) -> T,
    ) -> T {
        static PLACEHOLDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let delivered = {
            let _compiling = FORGETTING.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            match self.prepare_personal(article, variant, paper, personal) {
                Ok(inputs) => {
                    let pdf = self.typeset(&inputs);
                    drop(inputs);
                    deliver(pdf)
                }
                Err(err) => deliver(Err(err)),
            }
        };
        let n = PLACEHOLDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string();
        let placeholder = Personal { patient: n.clone(), clinician: n.clone(), note: n };
        let _forgetting = FORGETTING.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        typst::comemo::evict(usize::MAX);
        // Should the placeholder fail, the patient's results are evicted all the same:
        // only the shared ones miss out on staying warm.
        if let Ok(inputs) = self.prepare_personal(article, variant, paper, &placeholder) {
            let _ = self.layout(&inputs);
        }
        typst::comemo::evict(1);
        delivered
    }

    fn prepare_with_logo(
        &self,
        article: &Article,
        variant: Variant,
        logo: Option<&str>,
        pictures: &[crate::pictures::Picture],
        paper: Option<Paper>,
        personal: Option<&Personal>,
    ) -> Result<HandoutInputs> {
        let served = pictures
            .iter()
            .map(|picture| match world::picture_id(&picture.src) {
                Some(id) => Ok((id, picture.for_print())),
                None => Err(Error::Picture {
                    path: article.source.clone().into(),
                    line: None,
                    src: picture.src.clone(),
                    problem: crate::pictures::PictureProblem::Unaddressable,
                }),
            })
            .collect::<Result<Vec<_>>>()?;
        let unserializable = |e: serde_json::Error| Error::Output {
            path: article.source.clone().into(),
            message: e.to_string(),
        };
        // Composed text (NFC): a decomposed letter can lose a mark in typst (nfc.rs).
        let article = &nfc::composed_article(for_print(article, &self.site));
        let personal = personal.map(nfc::composed_personal);
        let personal = personal.as_ref();
        let article_json = serde_json::to_vec(article).map_err(unserializable)?;
        // Only web addresses become a QR code and link: a `javascript:` URL in front
        // matter must not turn into something a reader can activate.
        let qr = article.meta.url.as_deref().filter(|url| crate::validate::is_web_url(url)).and_then(qr_svg);
        let qr_modules = qr.as_ref().map(|(_, modules)| *modules);
        let qr_svg = qr.map(|(svg, _)| svg);
        let actions = crate::labels::action_sections(article, &self.labels);
        let labels = self.labels.for_lang(&article.meta.lang);
        let options = Options {
            paper: paper.unwrap_or(self.paper).typst_name(),
            large_print: variant == Variant::LargePrint,
            questions_box: self.questions_box,
            qr: qr_svg.is_some(),
            qr_modules,
            reviewed: article.meta.reviewed.as_deref().map(|reviewed| reviewed_on(&labels, reviewed)),
            logo,
            long_words: has_long_run(article),
            labels: labels.to_json(),
            disclaimer: self.disclaimer.as_ref().and_then(|d| d.for_lang(&article.meta.lang).0),
            max_pages: article.meta.max_pages.or(self.max_pages),
            glue_last: KeepTogether::for_variant(variant).glues_last(article, &actions),
            long_actions: KeepTogether::for_variant(variant).long_actions(article, &actions),
            actions,
            fit: Fit::DESIGNED,
            personal: personal.map(|personal| match self.shared.reads_personal_file {
                true => PersonalOption::InOwnFile(true),
                false => PersonalOption::Inline(personal),
            }),
        };
        let options_json = serde_json::to_vec(&options).map_err(unserializable)?;
        let personal_json = personal
            .filter(|_| self.shared.reads_personal_file)
            .map(|personal| serde_json::to_vec(personal).map(Bytes::new))
            .transpose()
            .map_err(unserializable)?;
        let max_pages = options.max_pages;
        let closing_key = (
            article.meta.lang.clone(),
            match (&qr_svg, &article.meta.url) {
                (Some(_), Some(url)) if url.chars().count() <= SHORT_URL => ClosingUrl::Short,
                (Some(_), Some(url)) => ClosingUrl::Long(url.clone()),
                _ => ClosingUrl::None,
            },
        );
        let options = serde_json::to_value(&options).map_err(unserializable)?;
        Ok(HandoutInputs {
            ident: format!("{}{}", article.id, variant.suffix()),
            source: PathBuf::from(&article.source),
            article_json: Bytes::new(article_json),
            options_json: Bytes::new(options_json),
            options,
            variant,
            max_pages,
            qr_svg: qr_svg.map(|svg| Bytes::new(svg.into_bytes())),
            pictures: served,
            pictures_hash: crate::pictures::fingerprint(pictures),
            date: self.creation_date(article),
            closing_key,
            personal_json,
        })
    }

    /// A hash of everything that determines this handout's PDF: the tool version, the
    /// fonts, templates and brand, the options and the article. Equal fingerprints mean
    /// byte-identical PDFs, so incremental builds can skip the typesetting.
    pub fn fingerprint(&self, inputs: &HandoutInputs) -> String {
        let hash = typst::utils::hash128(&(
            env!("CARGO_PKG_VERSION"),
            self.shared.fingerprint,
            inputs.article_json.as_slice(),
            inputs.options_json.as_slice(),
            inputs.date.map(|d| format!("{d:?}")),
            inputs.pictures_hash,
        ));
        format!("{hash:032x}")
    }

    /// A hash of everything besides the article that decides a handout: the tool
    /// version, fonts, the main template and the pinned template files, brand, paper,
    /// options and `SOURCE_DATE_EPOCH`. Every `Typesetter` field that reaches a PDF's
    /// bytes belongs here (the brand, disclaimer included, is in the shared fingerprint):
    /// one left out makes a changed setting rebuild nothing (`max-pages` was).
    pub fn settings_fingerprint(&self) -> u128 {
        typst::utils::hash128(&(
            env!("CARGO_PKG_VERSION"),
            self.shared.fingerprint,
            self.paper.typst_name(),
            self.questions_box,
            self.max_pages,
            &self.logo_vpath,
            self.source_date_epoch,
            self.site.enabled.then_some(&self.site.base_url),
        ))
    }

    /// Makes the bytes of these template files part of every fingerprint: a build pins
    /// the files the template read last time (see [`Typesetter::template_files`]), so
    /// editing one of them, say a `theme.typ` the template imports, typesets again.
    /// Files are named by their path in the template folder, as `template_files` gives
    /// them.
    pub fn pin_template_files(&mut self, files: &[String]) {
        self.shared.pin(files);
    }

    /// The files [`Typesetter::pin_template_files`] made part of the fingerprints.
    pub fn pinned_template_files(&self) -> &[String] {
        self.shared.pinned()
    }

    /// The files in the template folder that compiles read so far, besides the main
    /// template, sorted: what the template uses, for the next build to pin.
    pub fn template_files(&self) -> Vec<String> {
        self.shared.used_files()
    }

    /// Writes the typst project that [`Typesetter::typeset_pdf`] compiles for `article`
    /// into `dir` (see [`emit_typst_project`]); returns the main file's path in `dir`.
    /// The PDF date is not part of the project: give the typst CLI
    /// `--creation-timestamp` (or `SOURCE_DATE_EPOCH`) for the same metadata.
    pub fn emit_project(&self, article: &Article, variant: Variant, dir: &Path) -> Result<PathBuf> {
        let inputs = self.prepare(article, variant)?;
        let mut data = vec![(ARTICLE_PATH, inputs.article_json), (OPTIONS_PATH, inputs.options_json)];
        data.extend(inputs.qr_svg.map(|qr| (QR_PATH, qr)));
        data.extend(self.shared.data_file(BRAND_PATH).map(|brand| (BRAND_PATH, brand)));
        if let Some(vpath) = self.logo_vpath.as_deref() {
            data.extend(self.shared.data_file(vpath).map(|logo| (vpath, logo)));
        }
        let pictures: Vec<(String, Bytes)> = inputs
            .pictures
            .iter()
            .map(|(id, bytes)| (id.get().vpath().get_with_slash().to_string(), bytes.clone()))
            .collect();
        data.extend(pictures.iter().map(|(vpath, bytes)| (vpath.as_str(), bytes.clone())));
        emit_typst_project(&self.shared.root, &data, dir)?;
        Ok(dir.join(self.shared.main_path()))
    }

    /// Compiles the template once with a built-in sample article (every kind of block,
    /// a summary, a QR code, the logo), so that a broken template or logo is one error,
    /// found before any handout is touched, rather than the same error once per article.
    pub fn check(&self, variant: Variant) -> Result<()> {
        let (sample, pictures) = sample_article()?;
        {
            let logo = self.logo_vpath.as_deref();
            let Err(err) =
                self.typeset(&self.prepare_with_logo(&sample, variant, logo, &pictures, None, None)?)
            else {
                return Ok(());
            };
            // The same compile without the logo tells a logo the template cannot show
            // from a template error.
            if let Some(path) = &self.logo_path
                && self
                    .typeset(&self.prepare_with_logo(&sample, variant, None, &pictures, None, None)?)
                    .is_ok()
            {
                let message = match err {
                    Error::Template { message, .. } => message,
                    other => other.to_string(),
                };
                let reason = message.split(": error: ").nth(1).unwrap_or(&message).to_string();
                return Err(Error::config(
                    path,
                    None,
                    format!("the logo set in brand.logo cannot be shown: {reason}"),
                ));
            }
            Err(match err {
                Error::Template { message, .. } | Error::Font { message, .. } => {
                    Error::Template { article: None, message }
                }
                other => other,
            })
        }
    }

    /// Typesets one handout.
    pub fn typeset_pdf(&self, article: &Article, variant: Variant) -> Result<Pdf> {
        self.typeset(&self.prepare(article, variant)?)
    }

    /// Typesets one handout from its [prepared](Typesetter::prepare) inputs.
    ///
    /// Most handouts are compiled once. One that takes more than its `max-pages`, or
    /// whose closing parts end up alone on a last page, is compiled again with tighter
    /// layouts ([`REGULAR_FITS`], [`LARGE_PRINT_FITS`]) until one fits; when none does,
    /// the one with the fewest pages is kept (the build reports the page count).
    pub fn typeset(&self, inputs: &HandoutInputs) -> Result<Pdf> {
        // Each glyph of a letter drawn with several glyphs gets its own characters, so
        // the text layer says each letter once (issue 24, text_layer.rs).
        let document = text_layer::repair(self.layout(inputs)?);
        let world = HandoutWorld {
            shared: &self.shared,
            article_json: inputs.article_json.clone(),
            options_json: inputs.options_json.clone(),
            qr_svg: inputs.qr_svg.clone(),
            personal_json: inputs.personal_json.clone(),
            pictures: &inputs.pictures,
            today: inputs.date,
        };
        let options = PdfOptions {
            ident: Smart::Custom(format!("handouts/{}", inputs.ident)),
            creator: Smart::Custom(Some(format!("handouts {}", env!("CARGO_PKG_VERSION")))),
            timestamp: inputs.date.map(Timestamp::new_utc),
            page_ranges: None,
            standards: pdf_standards(),
            tagged: true,
            pretty: false,
        };
        let bytes = typst_pdf::pdf(&document, &options)
            .map_err(|errors| self.template_error(&world, &errors, &inputs.source))?;
        Ok(Pdf { bytes, pages: document.pages().len() })
    }

    /// The height in points of the closing parts with no writing lines (the questions
    /// box's frame, the QR code, the website and the disclaimer), which the template
    /// needs twice per compile (bench/RESULTS.md: measuring it was 5 % of a build).
    /// It is the same for every handout with the same options, language and kind of
    /// web address, so it is measured once per build for each: by compiling the
    /// template with an empty article (and a made-up short address, or the long one),
    /// so that the value depends on nothing else and every build gives the same PDFs
    /// whichever handout comes first. `None` (the template then measures) if that
    /// compile fails.
    fn closing_height(&self, inputs: &HandoutInputs, options: &serde_json::Value) -> Option<f64> {
        #[cfg(test)]
        if !self.share_closing_height {
            return None;
        }
        let mut measured = options.clone();
        for per_article in ["actions", "long_actions", "glue_last", "max_pages", "personal", "reviewed"] {
            if let Some(fields) = measured.as_object_mut() {
                fields.remove(per_article);
            }
        }
        measured["measure_closing"] = serde_json::json!(true);
        let measured = measured.to_string();
        let key = typst::utils::hash128(&(&measured, &inputs.closing_key));
        let mut heights = self.closing_heights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(height) = heights.get(&key) {
            return *height;
        }
        let (lang, url) = &inputs.closing_key;
        let url = match url {
            ClosingUrl::None => None,
            ClosingUrl::Short => Some(format!("https://example.org/{}", "m".repeat(SHORT_URL - 20))),
            ClosingUrl::Long(url) => Some(url.clone()),
        };
        let article = Article {
            schema: crate::model::SCHEMA_VERSION,
            id: "closing-parts".into(),
            source: "(closing parts)".into(),
            meta: crate::model::Meta {
                title: "Closing parts".into(),
                lang: lang.clone(),
                url,
                ..Default::default()
            },
            blocks: Vec::new(),
            removed: Vec::new(),
            stats: None,
            warnings: Vec::new(),
        };
        let qr = article.meta.url.as_deref().and_then(qr_svg).map(|(svg, _)| Bytes::new(svg.into_bytes()));
        let height = serde_json::to_vec(&article).ok().and_then(|article_json| {
            let world = HandoutWorld {
                shared: &self.shared,
                article_json: Bytes::new(article_json),
                options_json: Bytes::new(measured.into_bytes()),
                qr_svg: qr,
                personal_json: None,
                pictures: &[],
                today: None,
            };
            let document = typst::compile::<PagedDocument>(&world).output.ok()?;
            let element = labelled(&document, CLOSING_ZERO_LABEL)?;
            match &element.to_packed::<typst::introspection::MetadataElem>()?.value {
                typst::foundations::Value::Float(points) => Some(*points),
                _ => None,
            }
        });
        heights.insert(key, height);
        height
    }

    /// Lays out one handout: the designed layout, then tighter ones while it is over its
    /// `max-pages` or its closing parts stand alone (see [`Typesetter::typeset`]).
    fn layout(&self, inputs: &HandoutInputs) -> Result<PagedDocument> {
        let fits = match inputs.variant {
            Variant::Regular => REGULAR_FITS,
            Variant::LargePrint => LARGE_PRINT_FITS,
        };
        let mut best: Option<(PagedDocument, (usize, bool))> = None;
        for &fit in fits {
            // Smaller text is only for keeping within max-pages.
            if fit.size.is_some() && inputs.max_pages.is_none() {
                continue;
            }
            let mut options = inputs.options.clone();
            options["fit"] = serde_json::json!(fit);
            if let Some(height) = self.closing_height(inputs, &options) {
                options["closing_zero"] = serde_json::json!(height);
            }
            let options_json = Bytes::new(serde_json::to_vec(&options).unwrap_or_default());
            let world = HandoutWorld {
                shared: &self.shared,
                article_json: inputs.article_json.clone(),
                options_json,
                qr_svg: inputs.qr_svg.clone(),
                personal_json: inputs.personal_json.clone(),
                pictures: &inputs.pictures,
                today: inputs.date,
            };
            let warned = typst::compile::<PagedDocument>(&world);
            let document =
                warned.output.map_err(|errors| self.template_error(&world, &errors, &inputs.source))?;
            let pages = document.pages().len();
            let over = inputs.max_pages.is_some_and(|max| pages > max);
            let alone = closing_parts_alone(&document);
            // Fewer pages over the limit first, then no loose last page; the least
            // tightened layout wins a tie.
            let badness = (if over { pages } else { 0 }, alone);
            let better = best.as_ref().is_none_or(|(_, best)| badness < *best);
            if better {
                best = Some((document, badness));
            }
            if badness == (0, false) {
                break;
            }
        }
        best.map(|(document, _)| document).ok_or_else(|| Error::Template {
            article: Some(inputs.source.clone()),
            message: "no layout to try".into(),
        })
    }

    /// Runs `each` over `work` on the threads of the current rayon pool and returns the
    /// results in input order; `each` typesets (and writes) whatever its item needs.
    ///
    /// Each thread takes the next item from a shared counter, so no thread waits at a
    /// barrier while another finishes a long handout. It is not a `par_iter`: typst
    /// parallelizes inside a compile, and a thread waiting there would steal another
    /// whole handout, nesting compiles until the stack overflows. Every
    /// [`EVICT_EVERY_PER_THREAD`] items per thread, comemo keeps only what the last
    /// stretch used (template parts every handout hits stay warm), so memory stays flat
    /// however long the batch (bench/RESULTS.md).
    pub fn typeset_batch<J: Sync, T: Send>(work: &[J], each: impl Fn(&J) -> T + Sync) -> Vec<T> {
        use std::sync::atomic::{AtomicUsize, Ordering};

        let evict_every = EVICT_EVERY_PER_THREAD * rayon::current_num_threads().max(1);
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let per_thread: Vec<Vec<(usize, T)>> = rayon::broadcast(|_| {
            let mut mine = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = work.get(index) else { break };
                mine.push((index, each(item)));
                if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(evict_every) {
                    typst::comemo::evict(1);
                }
            }
            mine
        });
        typst::comemo::evict(0);
        let mut results: Vec<(usize, T)> = per_thread.into_iter().flatten().collect();
        results.sort_unstable_by_key(|&(index, _)| index);
        results.into_iter().map(|(_, result)| result).collect()
    }

    /// The document date: the article's review date, else `SOURCE_DATE_EPOCH`, else
    /// none at all — never the clock, so builds are reproducible.
    fn creation_date(&self, article: &Article) -> Option<Datetime> {
        if let Some(date) = article.meta.reviewed.as_deref().and_then(|r| crate::validate::date(r).ok()) {
            return Some(Datetime::Date(date));
        }
        self.source_date_epoch.and_then(crate::validate::from_unix).map(Datetime::Datetime)
    }

    /// typst diagnostics as `file:line:column: error: message` lines: a [`Error::Font`]
    /// when every error is a character no font has (the article must change), else a
    /// template error met while typesetting `article`.
    fn template_error(
        &self,
        world: &HandoutWorld,
        diagnostics: &[SourceDiagnostic],
        article: &Path,
    ) -> Error {
        let errors: Vec<&SourceDiagnostic> =
            diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let lines: Vec<String> = errors.iter().map(|d| self.format_diagnostic(world, d)).collect();
        let message = lines.join("\n");
        if !errors.is_empty() && errors.iter().all(|d| d.message.contains("could not be displayed")) {
            return Error::Font { article: article.to_path_buf(), message };
        }
        Error::Template { article: Some(article.to_path_buf()), message }
    }

    fn format_diagnostic(&self, world: &HandoutWorld, diagnostic: &SourceDiagnostic) -> String {
        let id = match diagnostic.span.get() {
            DiagSpanKind::Detached => None,
            DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } => Some(id),
        };
        let location = id.map(|id| {
            let path = self.shared.display_path(id);
            let position = world.range(diagnostic.span).and_then(|range| {
                world.source(id).ok().and_then(|source| source.lines().byte_to_line_column(range.start))
            });
            match position {
                Some((line, column)) => format!("{path}:{}:{}: ", line + 1, column + 1),
                None => format!("{path}: "),
            }
        });
        let mut text = format!("{}error: {}", location.unwrap_or_default(), diagnostic.message);
        for hint in &diagnostic.hints {
            text.push_str(&format!(" (hint: {})", hint.v));
        }
        text
    }
}

/// Whether the closing parts (everything after the template's `<article-end>` label)
/// start on a page after the article's last: a page holding nothing of the article. A
/// template without the label is not checked.
fn closing_parts_alone(document: &PagedDocument) -> bool {
    use typst::introspection::Introspector;
    let Some(location) = labelled(document, ARTICLE_END_LABEL).and_then(|end| end.location()) else {
        return false;
    };
    document.introspector().page(location).is_some_and(|page| page.get() < document.pages().len())
}

/// The element the template marked with `<name>`, if there is exactly one.
fn labelled<'a>(document: &'a PagedDocument, name: &str) -> Option<&'a typst::foundations::Content> {
    use typst::introspection::Introspector;
    let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(name))?;
    let introspector: &dyn Introspector = document.introspector().as_ref();
    introspector.query_label(label).ok()
}

fn pdf_standards() -> PdfStandards {
    // PDF/UA-1: tagged, titled, language-marked, with decorations as artifacts.
    PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default()
}

/// Whether any text the template makes breakable (title, summary, body text) has a
/// run of [`LONG_RUN`] or more characters without whitespace. The template's own test is
/// narrower (letters, marks and digits), so this never misses a run it would break.
fn has_long_run(article: &Article) -> bool {
    fn long(text: &str) -> bool {
        text.split(char::is_whitespace).any(|word| word.len() >= LONG_RUN && word.chars().count() >= LONG_RUN)
    }
    fn in_inlines(inlines: &[Inline]) -> bool {
        inlines.iter().any(|inline| match inline {
            Inline::Text { text } => long(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                in_inlines(content)
            }
            Inline::Code { .. } | Inline::LineBreak => false,
        })
    }
    let mut found = false;
    for_each_inlines(&article.blocks, 0, &mut |inlines, _| found = found || in_inlines(inlines));
    long(&article.meta.title) || article.meta.summary.as_deref().is_some_and(long) || found
}

/// The article with its page on the site (`[site] base-url`) as its `url` when it has
/// none, so the handout's QR code and "Read this online" open that page.
fn with_page_url<'a>(article: &'a Article, site: &crate::config::Site) -> std::borrow::Cow<'a, Article> {
    match site.page_url(&article.id).filter(|_| site.enabled && article.meta.url.is_none()) {
        Some(url) => {
            let mut article = article.clone();
            article.meta.url = Some(url);
            std::borrow::Cow::Owned(article)
        }
        None => std::borrow::Cow::Borrowed(article),
    }
}

/// The article as the template prints it: [`with_page_url`], and every web address
/// without tracking parameters ([`address::for_print`]).
fn for_print<'a>(article: &'a Article, site: &crate::config::Site) -> std::borrow::Cow<'a, Article> {
    let paged = with_page_url(article, site);
    match address::for_print(&paged) {
        Some(clean) => std::borrow::Cow::Owned(clean),
        None => paged,
    }
}

/// The article [`Typesetter::check`] compiles the template with, and its picture: a
/// figure is one more kind of block the template must handle.
fn sample_article() -> Result<(Article, Vec<crate::pictures::Picture>)> {
    let mut article =
        crate::ingest::ingest_bytes(Path::new("(built-in sample article).md"), include_bytes!("sample.md"))?;
    let picture = crate::pictures::Picture::new(
        "(sample)/picture.svg",
        crate::pictures::Format::Svg,
        Bytes::new(SAMPLE_PICTURE.as_bytes()),
    );
    article.blocks.push(crate::model::Block::Figure {
        src: picture.src.clone(),
        alt: "A blue square".into(),
        caption: Some(vec![Inline::text("A caption.")]),
        line: 0,
    });
    Ok((article, vec![picture]))
}

/// The sample article's picture.
const SAMPLE_PICTURE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#0B5394"/></svg>"##;

/// The shortest run the template breaks (`long-run` in templates/handout.typ).
const LONG_RUN: usize = 30;

/// A QR code of `url` as SVG and its width in modules with the quiet zone (4 modules
/// each side), or `None` when the URL is too long to encode.
fn qr_svg(url: &str) -> Option<(String, usize)> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width() + 8;
    Some((
        code.render::<qrcode::render::svg::Color>().quiet_zone(true).min_dimensions(200, 200).build(),
        modules,
    ))
}

/// "Reviewed October 1, 2026" in the labels' language; a date handouts cannot read
/// (front matter is checked, but a JSON article may hold anything) prints as written.
fn reviewed_on(labels: &crate::labels::Labels, reviewed: &str) -> String {
    let date = match crate::validate::date(reviewed) {
        Ok(date) => labels.human_date(date.year(), u32::from(u8::from(date.month())), u32::from(date.day())),
        Err(_) => reviewed.to_string(),
    };
    labels.text("reviewed-on").replace("{date}", &date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;
    use std::cell::Cell;

    thread_local! {
        static ITEMS_IN_PROGRESS: Cell<usize> = const { Cell::new(0) };
    }

    fn article_with(blocks: Vec<Block>) -> Article {
        let mut article =
            crate::ingest::ingest_bytes(std::path::Path::new("a.txt"), b"Title\n\nText.").unwrap();
        article.blocks = blocks;
        article
    }

    /// The repository's own handouts.toml, templates and content.
    fn repo_config() -> crate::config::Config {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let file = crate::config::ConfigFile::load(&root.join("handouts.toml")).unwrap();
        file.resolve(&root.join("handouts.toml"), root.join("content"), root.join("out"), None)
    }

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text { text: s.to_string() }]
    }

    #[test]
    fn long_runs_are_found_wherever_the_template_breaks_them() {
        let run = "x".repeat(LONG_RUN);
        let short = format!("a {} b", "é".repeat(LONG_RUN - 1));
        assert!(!has_long_run(&article_with(vec![Block::Paragraph { content: text(&short), line: 1 }])));
        let cell = Block::Table { header: vec![], rows: vec![vec![text("a"), text(&run)]], line: 1 };
        assert!(has_long_run(&article_with(vec![cell])));
        let nested = Block::List {
            ordered: false,
            start: None,
            items: vec![vec![Block::Quote {
                blocks: vec![Block::Paragraph {
                    content: vec![Inline::Strong { content: text(&format!("see {run}")) }],
                    line: 1,
                }],
                line: 1,
            }]],
            line: 1,
        };
        assert!(has_long_run(&article_with(vec![nested])));
        // Code is set in `raw`, which the template does not break.
        let code = Block::Paragraph { content: vec![Inline::Code { text: run.clone() }], line: 1 };
        assert!(!has_long_run(&article_with(vec![code])));
        let mut titled = article_with(vec![]);
        titled.meta.title = run;
        assert!(has_long_run(&titled));
    }

    #[test]
    fn without_a_url_the_qr_code_opens_the_handouts_page() {
        let site =
            crate::config::Site { base_url: Some("https://example.org/h/".into()), ..Default::default() };
        let mut article = article_with(vec![]);
        article.id = "a-b".into();
        assert_eq!(
            with_page_url(&article, &site).meta.url.as_deref(),
            Some("https://example.org/h/a-b.html")
        );
        article.meta.url = Some("https://other.example/a".into());
        assert_eq!(with_page_url(&article, &site).meta.url.as_deref(), Some("https://other.example/a"));
        article.meta.url = None;
        let off = crate::config::Site { enabled: false, ..site.clone() };
        assert_eq!(with_page_url(&article, &off).meta.url, None);
        assert_eq!(with_page_url(&article, &Default::default()).meta.url, None);
    }

    /// What the care team types reaches typst only as `/_handouts/personal.json`: the
    /// article and the options (which the template evaluates, memoized, once for every
    /// patient) hold no trace of it, so evaluating the template never depends on it.
    #[test]
    fn the_patients_fields_reach_the_template_only_in_their_own_file() {
        let config = repo_config();
        let typesetter = Typesetter::new(&config).unwrap();
        let article = article_with(vec![Block::Paragraph { content: text("Walk every day."), line: 3 }]);
        let personal = Personal {
            patient: "Zelda #Quist".into(),
            clinician: "*Nurse* $Kim$".into(),
            note: "Drink water.\n= Not a heading".into(),
        };
        let inputs = typesetter.prepare_personal(&article, Variant::Regular, None, &personal).unwrap();
        let everything_else = [inputs.article_json.as_slice(), inputs.options_json.as_slice()].concat();
        for field in ["Zelda", "Nurse", "Drink water"] {
            assert!(!String::from_utf8_lossy(&everything_else).contains(field), "{field}");
        }
        let personal_json = String::from_utf8_lossy(inputs.personal_json.as_deref().unwrap()).into_owned();
        assert!(personal_json.contains("Zelda #Quist") && personal_json.contains("Not a heading"));
        assert!(inputs.options["personal"] == true);
        let pdf =
            typesetter.typeset_personal(&article, Variant::Regular, None, &personal, |pdf| pdf).unwrap();
        assert!(pdf.pages >= 1);
        // A built handout has neither.
        let built = typesetter.prepare(&article, Variant::Regular).unwrap();
        assert!(built.personal_json.is_none() && built.options.get("personal").is_none());
    }

    /// A clinic's template from before `/_handouts/personal.json` reads the patient's
    /// fields from `options.personal`: its copies still carry them.
    #[test]
    fn a_template_from_before_the_personal_file_still_prints_the_patient() {
        let mut config = repo_config();
        let dir = tempfile::tempdir().unwrap();
        config.template = dir.path().join("handout.typ");
        std::fs::write(
            &config.template,
            "#set document(title: [T])\n\
             #let options = json(\"/_handouts/options.json\")\n\
             #let personal = options.at(\"personal\", default: none)\n\
             #if personal != none [For #personal.patient]\n",
        )
        .unwrap();
        let typesetter = Typesetter::new(&config).unwrap();
        let article = article_with(vec![Block::Paragraph { content: text("Walk."), line: 3 }]);
        let personal = Personal { patient: "Zelda Quist".into(), ..Default::default() };
        let inputs = typesetter.prepare_personal(&article, Variant::Regular, None, &personal).unwrap();
        assert_eq!(inputs.options["personal"]["patient"], "Zelda Quist");
        assert!(inputs.personal_json.is_none());
        let pdf =
            typesetter.typeset_personal(&article, Variant::Regular, None, &personal, |pdf| pdf).unwrap();
        let text = pdf_extract::extract_text_from_mem(&pdf.bytes).unwrap();
        assert!(text.contains("For Zelda Quist"), "{text}");
    }

    /// The closing parts' height measured once for all handouts alike gives the very PDFs
    /// the template's own measuring in each compile gives: regular and large print, with
    /// and without a QR code, with a web address short and long, in two languages.
    #[test]
    fn the_shared_closing_height_gives_the_same_pdfs_as_measuring_each_time() {
        let config = repo_config();
        let shared = Typesetter::new(&config).unwrap();
        let mut own = Typesetter::new(&config).unwrap();
        own.share_closing_height = false;
        let (sample, pictures) = sample_article().unwrap();
        let long = format!("https://example.org/{}", "a/".repeat(140));
        let short = "https://www.example.org/feet/check-40-ch";
        assert_eq!(short.len(), SHORT_URL);
        for (lang, url) in [("en", None), ("en", Some(short)), ("es", Some(long.as_str()))] {
            let mut article = sample.clone();
            article.meta.lang = lang.into();
            article.meta.url = url.map(str::to_string);
            for variant in [Variant::Regular, Variant::LargePrint] {
                let pdf = |typesetter: &Typesetter| {
                    let inputs =
                        typesetter.prepare_with_logo(&article, variant, None, &pictures, None, None).unwrap();
                    typesetter.typeset(&inputs).unwrap().bytes
                };
                assert!(pdf(&shared) == pdf(&own), "{lang} {url:?} {variant:?}: the PDFs differ");
            }
        }
        // One per language, kind of address and print size, and one per tighter layout tried.
        let measured = shared.closing_heights.lock().unwrap().values().filter(|h| h.is_some()).count();
        assert!(measured >= 6, "{measured}");
    }

    /// Parallel jobs inside each item.
    const INNER: usize = 16;

    /// A few microseconds of work that returns `k`.
    fn spin(k: usize) -> usize {
        let start = std::time::Instant::now();
        while start.elapsed().as_micros() < 20 {}
        std::hint::black_box(k)
    }

    /// rayon only nests when a waiting thread happens to steal, which no small test can
    /// force (the stack overflow this guards against took hundreds of real compiles);
    /// this checks the order and that the invariant holds under whatever it did steal.
    #[test]
    fn batch_keeps_input_order_and_never_nests_items() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let work: Vec<usize> = (0..500).collect();
        let results = pool.install(|| {
            Typesetter::typeset_batch(&work, |&i| {
                let depth = ITEMS_IN_PROGRESS.with(|d| {
                    d.set(d.get() + 1);
                    d.get()
                });
                // Like a typst compile: parallel work inside an item. A thread waiting
                // for its part to come back must not start another item meanwhile.
                use rayon::prelude::*;
                let sum: usize = (0..INNER).into_par_iter().map(spin).sum();
                ITEMS_IN_PROGRESS.with(|d| d.set(d.get() - 1));
                (i * 3 + sum - INNER * (INNER - 1) / 2, depth)
            })
        });
        assert_eq!(results.len(), work.len());
        for (i, &(value, depth)) in results.iter().enumerate() {
            assert_eq!(value, i * 3, "result {i} out of order");
            assert_eq!(depth, 1, "item {i} started inside another item on the same thread");
        }
    }
}
