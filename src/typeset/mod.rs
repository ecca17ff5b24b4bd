//! Article → PDF handout, with typst as a library.
//!
//! The template reads the article as JSON data (`json("/_handouts/article.json")`),
//! so nothing an article says is ever evaluated as typst. Compiles run in parallel on
//! a rayon pool that typst's own internal parallelism shares, so `--jobs N` really
//! means N busy cores. comemo memoizes template evaluation across articles; its
//! caches are process-global, so they are evicted between chunks to keep memory flat.

mod address;
mod batch;
mod diagnostics;
mod emit;
mod fit;
mod flow;
mod nfc;
mod packet;
mod personal;
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
use fit::*;
pub use packet::{Packet, PaperSides};
pub use personal::Personal;
use personal::*;
pub use world::{ARTICLE_PATH, BRAND_PATH, OPTIONS_PATH, PICTURES_DIR, QR_PATH};
use world::{HandoutWorld, Shared};

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
    /// Words of the article's body: whether it is short enough to try on fewer pages.
    words: usize,
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
    /// The main template's file: the template itself, or its name for one part of a
    /// packet ([`world::Shared::packet_main`]).
    main: typst::syntax::FileId,
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
                false => PersonalOption::Inline(PersonalData::new(personal, &labels)),
            }),
        };
        let options_json = serde_json::to_vec(&options).map_err(unserializable)?;
        let personal_json = personal
            .filter(|_| self.shared.reads_personal_file)
            .map(|personal| serde_json::to_vec(&PersonalData::new(personal, &labels)).map(Bytes::new))
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
            words: words_in(&article.blocks),
            qr_svg: qr_svg.map(|svg| Bytes::new(svg.into_bytes())),
            pictures: served,
            pictures_hash: crate::pictures::fingerprint(pictures),
            date: self.creation_date(article),
            closing_key,
            personal_json,
            main: self.shared.main,
        })
    }

    /// A hash of everything that determines this handout's PDF: the tool version, the
    /// fonts, templates and brand, the options and the article. Equal fingerprints mean
    /// byte-identical PDFs, so incremental builds can skip the typesetting.
    pub fn fingerprint(&self, inputs: &HandoutInputs) -> crate::digest::Digest {
        crate::digest::Digest::of((
            env!("CARGO_PKG_VERSION"),
            FIT_POLICY,
            self.shared.fingerprint,
            inputs.article_json.as_slice(),
            inputs.options_json.as_slice(),
            inputs.date.map(|d| format!("{d:?}")),
            inputs.pictures_hash,
        ))
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
            main: inputs.main,
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

    /// The document date: the article's review date, else `SOURCE_DATE_EPOCH`, else
    /// none at all — never the clock, so builds are reproducible.
    fn creation_date(&self, article: &Article) -> Option<Datetime> {
        if let Some(date) = article.meta.reviewed.as_deref().and_then(|r| crate::validate::date(r).ok()) {
            return Some(Datetime::Date(date));
        }
        self.source_date_epoch.and_then(crate::validate::from_unix).map(Datetime::Datetime)
    }
}

fn pdf_standards() -> PdfStandards {
    // PDF/UA-1: tagged, titled, language-marked, with decorations as artifacts.
    PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default()
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
mod tests;
