//! `handouts.toml` and the command line, resolved into one [`Config`].
//!
//! Like mdBook's `book.toml`: every table denies unknown keys, so a typo is an error
//! naming the key and line instead of a setting that silently does nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{ConfigError, Error};

mod collections;

/// Article files larger than this many MiB are refused unless `[content] max-file-mib`
/// says otherwise.
pub const DEFAULT_MAX_FILE_MIB: u64 = 5;

/// The parsed `handouts.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub brand: Brand,
    #[serde(default)]
    pub handout: Handout,
    #[serde(default)]
    pub collection: Collection,
    /// Books for patients (`[[collections]]`), one EPUB each; when there are none,
    /// `[collection]` is the one book of every handout.
    #[serde(default)]
    pub collections: Vec<Collection>,
    #[serde(default)]
    pub content: ContentSettings,
    #[serde(default)]
    pub site: Site,
    /// Whether this came from a file (rather than built-in defaults).
    #[serde(skip)]
    pub found: bool,
}

/// What `content/` may hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct ContentSettings {
    /// Larger article files are refused (a pasted article is a few KiB; a 50 MiB file
    /// is a mistake, and would stall the batch).
    pub max_file_mib: u64,
}

impl Default for ContentSettings {
    fn default() -> Self {
        ContentSettings { max_file_mib: DEFAULT_MAX_FILE_MIB }
    }
}

/// Who the handouts come from.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Brand {
    /// Printed in the header band and as the EPUB's publisher.
    pub name: String,
    /// SVG or PNG, relative to the config file.
    pub logo: Option<PathBuf>,
    /// `#RRGGBB`; darkened when needed for WCAG AA contrast with white.
    pub primary_color: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// One text for every handout, or a table by language (`[brand.disclaimer]`,
    /// `en = "…"`, `es = "…"`), chosen by each article's language.
    pub disclaimer: Option<Disclaimer>,
}

/// The disclaimer printed at the end of every handout and EPUB chapter.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum Disclaimer {
    One(String),
    /// Primary language subtag → text.
    PerLanguage(std::collections::BTreeMap<String, String>),
}

impl Disclaimer {
    /// The text for an article in `lang`, and whether it is another language's (a table
    /// without this language: English, else the first it has).
    pub fn for_lang(&self, lang: &str) -> (Option<&str>, bool) {
        match self {
            Disclaimer::One(text) => (Some(text.as_str()), false),
            Disclaimer::PerLanguage(table) => {
                let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
                if let Some(text) = table.get(&primary).or_else(|| table.get(lang)) {
                    return (Some(text.as_str()), false);
                }
                let fallback = table.get("en").or_else(|| table.values().next());
                (fallback.map(String::as_str), fallback.is_some())
            }
        }
    }
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: "Patient Education".into(),
            logo: None,
            primary_color: "#0B5394".into(),
            phone: None,
            website: None,
            disclaimer: None,
        }
    }
}

/// How each PDF handout is laid out.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Handout {
    /// The typst template, relative to the config file; its folder is the template root.
    pub template: PathBuf,
    pub paper: Paper,
    /// Also write `<id>-large.pdf` with 18 pt body text.
    pub large_print: bool,
    /// End each handout with a "Questions for my care team" box with lines to write on.
    pub questions_box: bool,
    /// Highest acceptable Flesch-Kincaid grade (English); `check --strict` fails above it.
    pub max_grade: Option<f64>,
    /// Lowest acceptable INFLESZ score (Spanish; 55 is "normal", 65 "fairly easy");
    /// `check --strict` fails below it.
    pub min_inflesz: Option<f64>,
    /// Fit every handout on at most this many pages: spacing is tightened, then the body
    /// text made smaller (never below 11 pt; large print never shrinks), and the build
    /// warns when it still does not fit. An article's front matter `max-pages` wins.
    pub max_pages: Option<std::num::NonZeroUsize>,
    /// Every article without a `reviewed:` date is a draft (see [`crate::review`]). Off
    /// by default, so a paste without front matter is published as it always was.
    pub unreviewed_are_drafts: bool,
    /// How long a review lasts (`"2 years"`, `"18 months"`): an article is due for its
    /// next review this long after its `reviewed:` date, unless it sets `review-by:`.
    pub review_every: Option<crate::review::Period>,
}

impl Default for Handout {
    fn default() -> Self {
        Handout {
            template: PathBuf::from("templates/handout.typ"),
            paper: Paper::UsLetter,
            large_print: false,
            questions_box: true,
            max_grade: None,
            min_inflesz: None,
            max_pages: None,
            unreviewed_are_drafts: false,
            review_every: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// `letter` is what people (and the print dialog) call it.
    #[serde(alias = "letter")]
    UsLetter,
    A4,
}

impl Paper {
    /// The name typst's `page(paper: ..)` expects.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::UsLetter => "us-letter",
            Paper::A4 => "a4",
        }
    }
}

/// One EPUB: `[collection]`, or one of the `[[collections]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Collection {
    pub title: String,
    /// Names the EPUB file; a slug of the title when absent.
    pub id: Option<String>,
    pub language: String,
    /// Article ids (or translation keys) in reading order; the rest follow by title.
    #[serde(default)]
    pub order: Vec<String>,
    /// Only the handouts with one of these tags (compared without case or accents), and
    /// those `order` lists; every handout when empty. A handout's translations follow it.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Collection {
    /// The name of its EPUB without extension: `id`, else a slug of the title. Always a
    /// safe file name (ASCII `a-z`, `0-9`, `-`), even for a hand-written id.
    pub fn file_stem(&self) -> String {
        let source = self.id.as_deref().filter(|id| !id.trim().is_empty()).unwrap_or(&self.title);
        match crate::validate::slug(source) {
            slug if slug.is_empty() => "collection".to_string(),
            slug => slug,
        }
    }
}

impl Default for Collection {
    fn default() -> Self {
        Collection {
            title: "Patient Handouts".into(),
            id: None,
            language: "en".into(),
            order: vec![],
            tags: vec![],
        }
    }
}

/// The HTML site: one page per handout and a catalogue, in `out/site/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Site {
    /// Write the site (default true).
    pub enabled: bool,
    /// Where `out/site/` is published, e.g. `https://example.org/handouts`: a handout
    /// whose article has no `url` gets a QR code to its own page, `{base-url}/{id}.html`.
    pub base_url: Option<String>,
    /// Whether this build writes the EPUB, which the pages then link to (set from the
    /// command line, not the file).
    #[serde(skip)]
    pub epub: bool,
    /// `build --drafts`: the drafts get pages and catalogue entries too, marked as
    /// drafts (set from the command line, not the file).
    #[serde(skip)]
    pub drafts: bool,
    /// The language of the desk's own words (its form, buttons and messages) for the
    /// care team, whatever the handout's language; default the collection's.
    pub staff_language: Option<String>,
    /// At most this many handouts on one catalogue page; a larger catalogue is split
    /// into pages (default `crate::site::pages::CATALOGUE_PAGE_SIZE`).
    pub catalogue_page_size: Option<usize>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            enabled: true,
            base_url: None,
            epub: true,
            drafts: false,
            staff_language: None,
            catalogue_page_size: None,
        }
    }
}

impl Site {
    /// The address of the page of the handout with this id, when `base-url` is set.
    pub fn page_url(&self, id: &str) -> Option<String> {
        self.base_url.as_deref().map(|base| format!("{}/{id}.html", base.trim_end_matches('/')))
    }
}

/// Everything a build needs, with paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file, named in errors about its settings (it need not exist).
    pub config_path: PathBuf,
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    pub brand: Brand,
    /// Resolved logo path, if any.
    pub logo: Option<PathBuf>,
    pub handout: Handout,
    /// Resolved template path.
    pub template: PathBuf,
    pub collection: Collection,
    /// `[[collections]]`: the books for patients; see [`Config::books`].
    pub collections: Vec<Collection>,
    pub site: Site,
    pub jobs: Option<usize>,
    /// Article files larger than this are refused.
    pub max_file_bytes: u64,
    /// `SOURCE_DATE_EPOCH`, read once: the date of outputs whose articles give none.
    pub source_date_epoch: Option<i64>,
    /// No config file and no template where the default one would be: the template
    /// built into the binary is used, as `--help` promises.
    pub builtin_template: bool,
    /// Whether the config file exists.
    pub config_found: bool,
}

impl Config {
    /// The EPUBs to make: each of `[[collections]]`, else `[collection]` (every handout).
    pub fn books(&self) -> Vec<&Collection> {
        if self.collections.is_empty() { vec![&self.collection] } else { self.collections.iter().collect() }
    }

    /// What decides drafts and review dates: `[handout]` and `build --drafts`.
    pub fn review_rules(&self) -> crate::review::Rules {
        crate::review::Rules {
            unreviewed_are_drafts: self.handout.unreviewed_are_drafts,
            review_every: self.handout.review_every,
            include_drafts: self.site.drafts,
        }
    }

    /// The template's folder (the template root), or `None` for the built-in template.
    pub fn template_dir(&self) -> Option<&Path> {
        if self.builtin_template { None } else { self.template.parent() }
    }

    /// Things a person should know about how the config was read, one sentence each.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.config_found {
            notes.push(format!(
                "{} not found: using built-in defaults (`handouts init` writes one to edit)",
                self.config_path.display()
            ));
        }
        let color = accessible_color(&self.brand.primary_color);
        if parse_hex_color(&color) != parse_hex_color(&self.brand.primary_color) {
            notes.push(format!(
                "brand.primary-color {} is too light for white text; handouts use {color} (WCAG AA contrast)",
                self.brand.primary_color
            ));
        }
        notes
    }
}

impl ConfigFile {
    /// Parses `text` (the contents of `path`), reporting errors as
    /// `path:line:column: message` with the line, a caret and the fix.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Error> {
        let mut file: ConfigFile =
            toml::from_str(text).map_err(|err| toml_error(path, text, err.span(), err.message()))?;
        file.validate(path, text)?;
        file.found = true;
        Ok(file)
    }

    /// Reads `path`; a missing file means all defaults.
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => ConfigFile::parse(path, &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(source) => {
                Err(Error::Io { kind: crate::error::Kind::Config, path: path.to_path_buf(), source })
            }
        }
    }

    /// Checks values serde cannot: each error points at the key's line in `text`.
    fn validate(&self, path: &Path, text: &str) -> Result<(), Error> {
        let bad = |table: &str, key: &str, message: String, help: String| {
            let mut error =
                ConfigError { path: path.to_path_buf(), message, help: Some(help), ..Default::default() };
            if let Some(found) = locate(text, table, key) {
                (error.line, error.column, error.width, error.snippet) =
                    (Some(found.line), Some(found.column), found.width, Some(found.snippet));
            }
            Error::Config(Box::new(error))
        };
        if parse_hex_color(&self.brand.primary_color).is_none() {
            return Err(bad(
                "brand",
                "primary-color",
                format!("brand.primary-color \"{}\" is not a colour", self.brand.primary_color),
                "write a hex colour, e.g. `primary-color = \"#0B5394\"`".into(),
            ));
        }
        if let Err(problem) = crate::validate::language_tag(&self.collection.language) {
            return Err(bad(
                "collection",
                "language",
                format!("collection.language {problem}"),
                format!("write a language tag, e.g. `language = \"{}\"`", problem.suggestion()),
            ));
        }
        collections::validate(&self.collections, path, text)?;
        if let Some(website) = &self.brand.website
            && !crate::validate::is_web_url(website)
        {
            return Err(bad(
                "brand",
                "website",
                format!("brand.website \"{website}\" is not a web address"),
                "write the full address, e.g. `website = \"https://example.org\"`".into(),
            ));
        }
        if let Some(base_url) = &self.site.base_url
            && !crate::validate::is_web_url(base_url)
        {
            return Err(bad(
                "site",
                "base-url",
                format!("site.base-url \"{base_url}\" is not a web address"),
                "write where out/site/ is published, e.g. `base-url = \"https://example.org/handouts\"`"
                    .into(),
            ));
        }
        if let Some(tag) = &self.site.staff_language
            && !crate::render::xml::is_lang_tag(tag.trim())
        {
            return Err(bad(
                "site",
                "staff-language",
                format!("site.staff-language \"{tag}\" is not a language tag"),
                "write a tag such as `staff-language = \"en\"` or `\"es-MX\"`".into(),
            ));
        }
        if self.site.catalogue_page_size == Some(0) {
            return Err(bad(
                "site",
                "catalogue-page-size",
                "site.catalogue-page-size is 0: a catalogue page must hold at least one handout".into(),
                "write how many handouts one catalogue page lists, e.g. `catalogue-page-size = 1000`".into(),
            ));
        }
        Ok(())
    }

    /// Resolves relative paths against the config file's folder.
    pub fn resolve(
        self,
        config_path: &Path,
        content_dir: PathBuf,
        out_dir: PathBuf,
        jobs: Option<usize>,
    ) -> Config {
        let base = config_path.parent().unwrap_or(Path::new("."));
        let template = base.join(&self.handout.template);
        let builtin_template = !self.found && !template.is_file();
        let logo = self.brand.logo.as_ref().map(|logo| base.join(logo));
        Config {
            config_path: config_path.to_path_buf(),
            content_dir,
            out_dir,
            brand: self.brand,
            logo,
            handout: self.handout,
            template,
            collection: self.collection,
            collections: self.collections,
            site: self.site,
            jobs,
            max_file_bytes: self.content.max_file_mib.saturating_mul(1024 * 1024),
            // A bad value is refused by `load_config` before any command gets here.
            source_date_epoch: crate::validate::source_date_epoch().ok().flatten(),
            builtin_template,
            config_found: self.found,
        }
    }
}

/// Where a key's value is written in a TOML file.
struct Located {
    line: usize,
    column: usize,
    width: usize,
    snippet: String,
}

/// Finds `key = value` under `[table]` by reading the lines: the parsed config keeps no
/// spans, and a person only needs to be pointed at the line.
fn locate(text: &str, table: &str, key: &str) -> Option<Located> {
    locate_nth(text, table, 0, key)
}

/// [`locate`] in the `nth` (from 0) table of that name: `[[collections]]` is named
/// `[collections` here, as its header reads.
fn locate_nth(text: &str, table: &str, nth: usize, key: &str) -> Option<Located> {
    let mut current = String::new();
    let mut seen = 0;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) {
            current = name.trim().to_string();
            if current == table {
                seen += 1;
            }
            continue;
        }
        let Some((name, value)) = trimmed.split_once('=') else { continue };
        if current != table || seen != nth + 1 || name.trim().trim_matches('"') != key {
            continue;
        }
        let value_start = line.len() - line.trim_start().len() + trimmed.len() - value.len();
        let value = value.trim_start();
        let value_start = value_start + (line[value_start..].len() - value.len());
        let shown = value.split(" #").next().unwrap_or(value).trim_end();
        return Some(Located {
            line: index + 1,
            column: line[..value_start].chars().count() + 1,
            width: shown.chars().count().max(1),
            snippet: line.to_string(),
        });
    }
    None
}

/// A toml error as a [`ConfigError`]: the span becomes line, column and snippet, and the
/// parser's words are put plainly where we know a better way to say them.
fn toml_error(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> Error {
    let mut error =
        ConfigError { path: path.to_path_buf(), message: message.trim().to_string(), ..Default::default() };
    if let Some(span) = span {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[line_start..line_end];
        error.line = Some(text[..start].matches('\n').count() + 1);
        error.column = Some(text[line_start..start].chars().count() + 1);
        let end = span.end.clamp(start, line_end);
        error.width = text[start..end].chars().count().max(1);
        error.snippet = Some(line.to_string());
        let key = line.split_once('=').map(|(k, _)| k.trim().trim_matches('"').to_string());
        let value = line.split_once('=').map(|(_, v)| v.split(" #").next().unwrap_or(v).trim().to_string());
        if let (Some(key), Some(value)) = (key, value) {
            plain_words(&mut error, &key, &value);
        }
    }
    Error::Config(Box::new(error))
}

/// Turns the parser's wording ("invalid type: string \"8\", expected f64") into what to
/// write instead.
fn plain_words(error: &mut ConfigError, key: &str, value: &str) {
    let message = error.message.clone();
    let unquoted = value.trim_matches(|c| c == '"' || c == '\'');
    let boolean = match unquoted.to_ascii_lowercase().as_str() {
        "yes" | "on" | "true" | "y" => Some(true),
        "no" | "off" | "false" | "n" => Some(false),
        _ => None,
    };
    if message.starts_with("unknown field") && key.contains('_') {
        // `large_print = true`: the keys are written with dashes.
        let dashed = key.replace('_', "-");
        error.message = format!("unknown setting `{key}`: settings are written with dashes");
        error.help = Some(format!("write `{dashed} = {value}`"));
    } else if message.contains("expected a boolean") || (boolean.is_some() && !value.starts_with('"')) {
        let fix = boolean.unwrap_or(true);
        error.message = format!("`{key}` is a yes/no setting: true or false, without quotes");
        error.help = Some(format!("write `{key} = {fix}`"));
    } else if message.contains("expected f64")
        || message.contains("expected u64")
        || message.contains("expected i64")
    {
        error.message = format!("`{key}` must be a number, written without quotes");
        let number: String = unquoted.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
        let number = if number.is_empty() { "8".to_string() } else { number };
        error.help = Some(format!("write `{key} = {number}`"));
    } else if key == "review-every" && !message.starts_with("review-every") {
        error.message = "`review-every` is a period in quotes: a number and \"years\" or \"months\"".into();
        error.help = Some("write `review-every = \"2 years\"`".into());
    } else if message.contains("expected a string") || message.contains("string values must be quoted") {
        error.message = format!("`{key}` is text and must be in quotes");
        error.help = Some(format!("write `{key} = \"{unquoted}\"`"));
    } else if message.starts_with("unknown field") {
        error.help = Some("check the spelling; README.md lists every setting".into());
    }
}

/// `#RRGGBB` or `#RGB` → (r, g, b).
pub fn parse_hex_color(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    let digits: Vec<u8> = hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

fn relative_luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG contrast ratio of a colour against white.
pub fn contrast_with_white(rgb: (u8, u8, u8)) -> f64 {
    1.05 / (relative_luminance(rgb) + 0.05)
}

/// The brand colour, darkened step by step until white text on it (and it on white)
/// reaches WCAG AA for normal text (4.5:1). Returns `#RRGGBB`.
pub fn accessible_color(hex: &str) -> String {
    let mut rgb = parse_hex_color(hex).unwrap_or((0x0B, 0x53, 0x94));
    while contrast_with_white(rgb) < 4.5 {
        rgb = ((rgb.0 as f64 * 0.9) as u8, (rgb.1 as f64 * 0.9) as u8, (rgb.2 as f64 * 0.9) as u8);
    }
    format!("#{:02X}{:02X}{:02X}", rgb.0, rgb.1, rgb.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = ConfigFile::parse(
            Path::new("handouts.toml"),
            "[brand]\nname = \"X\"\nprimary-colour = \"#000000\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("handouts.toml:3:1:"), "{err}");
        assert!(err.contains("primary-colour"), "{err}");
        assert!(err.contains("3 | primary-colour = \"#000000\""), "{err}");
    }

    fn config_err(text: &str) -> String {
        ConfigFile::parse(Path::new("handouts.toml"), text).unwrap_err().to_string()
    }

    #[test]
    fn underscores_are_told_to_be_dashes_and_letter_is_us_letter() {
        let err = config_err("[handout]\nlarge_print = true\n");
        assert!(err.contains("settings are written with dashes"), "{err}");
        assert!(err.contains("write `large-print = true`"), "{err}");
        let file = ConfigFile::parse(Path::new("h.toml"), "[handout]\npaper = \"letter\"\n").unwrap();
        assert_eq!(file.handout.paper, Paper::UsLetter);
    }

    #[test]
    fn parser_words_become_plain_fixes() {
        let err = config_err("[handout]\nmax-grade = \"8\"\n");
        assert!(err.starts_with("handouts.toml:2:13: `max-grade` must be a number"), "{err}");
        assert!(err.contains("write `max-grade = 8`"), "{err}");
        assert!(!err.contains("f64"), "{err}");
        let err = config_err("[handout]\nlarge-print = yes\n");
        assert!(err.starts_with("handouts.toml:2:"), "{err}");
        assert!(err.contains("write `large-print = true`"), "{err}");
        let err = config_err("[handout]\nlarge-print = \"no\"\n");
        assert!(err.contains("write `large-print = false`"), "{err}");
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let err = config_err("[brand]\nname = \"X\"\nprimary-color = \"blue-ish\"\n");
        assert!(err.starts_with("handouts.toml:3:17: brand.primary-color \"blue-ish\""), "{err}");
        assert!(err.contains("^^^^^^^^^^"), "{err}");
        let err = config_err("[collection]\nlanguage = \"english\"\n");
        assert!(err.starts_with("handouts.toml:2:12:"), "{err}");
        assert!(err.contains("`language = \"en\"`"), "{err}");
        let err = config_err("[brand]\nwebsite = \"javascript:alert(1)\"\n");
        assert!(err.starts_with("handouts.toml:2:11:"), "{err}");
        let err = config_err("[site]\nbase-url = \"example.org/handouts\"\n");
        assert!(err.starts_with("handouts.toml:2:12: site.base-url"), "{err}");
        let err = config_err("[site]\ncatalogue-page-size = 0\n");
        assert!(err.starts_with("handouts.toml:2:23: site.catalogue-page-size is 0"), "{err}");
        let file = ConfigFile::parse(Path::new("h.toml"), "[site]\ncatalogue-page-size = 500\n").unwrap();
        assert_eq!(file.site.catalogue_page_size, Some(500));
    }

    #[test]
    fn review_settings_and_their_errors() {
        let file = ConfigFile::parse(
            Path::new("h.toml"),
            "[handout]\nunreviewed-are-drafts = true\nreview-every = \"2 years\"\n",
        )
        .unwrap();
        assert!(file.handout.unreviewed_are_drafts);
        assert_eq!(file.handout.review_every, Some(crate::review::Period { months: 24 }));
        let defaults = ConfigFile::parse(Path::new("h.toml"), "[handout]\n").unwrap().handout;
        assert!(!defaults.unreviewed_are_drafts && defaults.review_every.is_none());
        let err = config_err("[brand]\nname = \"X\"\n\n[handout]\nreview-every = \"2 yeers\"\n");
        assert!(err.starts_with("handouts.toml:5:16: review-every = \"2 yeers\" is not a period"), "{err}");
        assert!(err.contains("like \"2 years\""), "{err}");
        let err = config_err("[handout]\nreview-every = 2\n");
        assert!(err.starts_with("handouts.toml:2:16: `review-every` is a period in quotes"), "{err}");
        assert!(err.contains("write `review-every = \"2 years\"`"), "{err}");
    }

    #[test]
    fn bad_value_is_an_error() {
        let err =
            ConfigFile::parse(Path::new("h.toml"), "[handout]\npaper = \"legal\"\n").unwrap_err().to_string();
        assert!(err.starts_with("h.toml:2:"), "{err}");
        assert!(err.contains("legal"), "{err}");
    }

    #[test]
    fn site_defaults_and_page_urls() {
        let file = ConfigFile::parse(Path::new("h.toml"), "[site]\nbase-url = \"https://example.org/h/\"\n")
            .unwrap();
        assert!(file.site.enabled && file.site.epub);
        assert_eq!(file.site.page_url("a-b").as_deref(), Some("https://example.org/h/a-b.html"));
        let off = ConfigFile::parse(Path::new("h.toml"), "[site]\nenabled = false\n").unwrap();
        assert!(!off.site.enabled && off.site.epub && off.site.page_url("a").is_none());
    }

    #[test]
    fn disclaimer_by_language() {
        let file = ConfigFile::parse(
            Path::new("h.toml"),
            "[brand.disclaimer]\nen = \"Not advice.\"\nes = \"No es consejo médico.\"\n",
        )
        .unwrap();
        let disclaimer = file.brand.disclaimer.unwrap();
        assert_eq!(disclaimer.for_lang("es-MX"), (Some("No es consejo médico."), false));
        assert_eq!(disclaimer.for_lang("fr"), (Some("Not advice."), true));
        let one = ConfigFile::parse(Path::new("h.toml"), "[brand]\ndisclaimer = \"One.\"\n").unwrap();
        assert_eq!(one.brand.disclaimer.unwrap().for_lang("es"), (Some("One."), false));
    }

    #[test]
    fn light_colours_are_darkened_for_contrast() {
        assert_eq!(accessible_color("#0B5394"), "#0B5394");
        let fixed = accessible_color("#FFD700");
        assert!(contrast_with_white(parse_hex_color(&fixed).unwrap()) >= 4.5, "{fixed}");
    }
}
