//! `handouts.toml` and the command line, resolved into one [`Config`].
//!
//! Like mdBook's `book.toml`: every table denies unknown keys, so a typo is an error
//! naming the key and line instead of a setting that silently does nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

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
    #[serde(default)]
    pub content: ContentSettings,
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
        ContentSettings { max_file_mib: crate::ingest::DEFAULT_MAX_FILE_BYTES / (1024 * 1024) }
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
    pub disclaimer: Option<String>,
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
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

/// The EPUB compilation.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Collection {
    pub title: String,
    /// Names the EPUB file; a slug of the title when absent.
    pub id: Option<String>,
    pub language: String,
    /// Article ids in reading order; the rest follow sorted by id.
    #[serde(default)]
    pub order: Vec<String>,
}

impl Default for Collection {
    fn default() -> Self {
        Collection { title: "Patient Handouts".into(), id: None, language: "en".into(), order: vec![] }
    }
}

/// Everything a build needs, with paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    pub brand: Brand,
    /// Resolved logo path, if any.
    pub logo: Option<PathBuf>,
    pub handout: Handout,
    /// Resolved template path.
    pub template: PathBuf,
    pub collection: Collection,
    pub jobs: Option<usize>,
    /// Article files larger than this are refused.
    pub max_file_bytes: u64,
}

impl ConfigFile {
    /// Parses `text` (the contents of `path`), reporting errors as `path:line: message`.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Error> {
        let file: ConfigFile = toml::from_str(text).map_err(|err| {
            let line = err.span().map(|span| line_of(text, span.start));
            Error::Config { path: path.to_path_buf(), line, message: err.message().trim().to_string() }
        })?;
        file.validate(path)?;
        Ok(file)
    }

    /// Reads `path`; a missing file means all defaults.
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => ConfigFile::parse(path, &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(source) => Err(Error::Io { path: path.to_path_buf(), source }),
        }
    }

    fn validate(&self, path: &Path) -> Result<(), Error> {
        if parse_hex_color(&self.brand.primary_color).is_none() {
            return Err(Error::Config {
                path: path.to_path_buf(),
                line: None,
                message: format!(
                    "brand.primary-color `{}` is not a colour like \"#0B5394\"",
                    self.brand.primary_color
                ),
            });
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
        let logo = self.brand.logo.as_ref().map(|logo| base.join(logo));
        Config {
            content_dir,
            out_dir,
            brand: self.brand,
            logo,
            handout: self.handout,
            template,
            collection: self.collection,
            jobs,
            max_file_bytes: self.content.max_file_mib.saturating_mul(1024 * 1024),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
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
        assert!(err.starts_with("handouts.toml:3:"), "{err}");
        assert!(err.contains("primary-colour"), "{err}");
    }

    #[test]
    fn bad_value_is_an_error() {
        let err =
            ConfigFile::parse(Path::new("h.toml"), "[handout]\npaper = \"legal\"\n").unwrap_err().to_string();
        assert!(err.starts_with("h.toml:2:"), "{err}");
        assert!(err.contains("legal"), "{err}");
    }

    #[test]
    fn light_colours_are_darkened_for_contrast() {
        assert_eq!(accessible_color("#0B5394"), "#0B5394");
        let fixed = accessible_color("#FFD700");
        assert!(contrast_with_white(parse_hex_color(&fixed).unwrap()) >= 4.5, "{fixed}");
    }
}
