//! The build: discover → ingest → analyze → typeset ∥ epub → report.
//!
//! Per-article failures are collected, never fatal: like ripgrep, a bad file is
//! reported and the batch goes on, and the exit code says something failed. Problems
//! that make the whole run meaningless (no content folder, a broken config, an
//! unwritable output folder) are returned as `Err` before any work starts.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analyze::{self, PlainLanguage};
use crate::config::{Config, ConfigFile};
use crate::error::{Error, Result};
use crate::fsx::{ensure_writable_dir, write_atomic};
use crate::ingest;
use crate::model::Article;
use crate::typeset::{Typesetter, Variant};

/// Articles that were read, and the files that could not be.
#[derive(Debug, Default)]
pub struct Batch {
    pub articles: Vec<Article>,
    pub failures: Vec<Error>,
}

/// Loads the config and resolves it with the command-line paths.
pub fn load_config(
    config_path: &Path,
    content: PathBuf,
    out: PathBuf,
    jobs: Option<usize>,
) -> Result<Config> {
    Ok(ConfigFile::load(config_path)?.resolve(config_path, content, out, jobs))
}

/// The plain-language word list: `plain-language.toml` beside the template when the
/// clinic has one, else the built-in list.
pub fn plain_language(config: &Config) -> Result<PlainLanguage> {
    let custom = config.template.parent().map(|dir| dir.join("plain-language.toml"));
    match custom {
        Some(path) if path.is_file() => {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            PlainLanguage::parse(&text).map_err(|message| Error::Config { path, line: None, message })
        }
        _ => Ok(PlainLanguage::builtin()),
    }
}

/// Reads every article in the content folder (or just `files`), gives each a unique id
/// and its readability figures.
pub fn load_batch(config: &Config, files: Option<&[PathBuf]>) -> Result<Batch> {
    let paths = match files {
        Some(files) => files.to_vec(),
        None => {
            if !config.content_dir.is_dir() {
                return Err(Error::Other(format!(
                    "{}: content folder not found (use --content DIR)",
                    config.content_dir.display()
                )));
            }
            ingest::discover(&config.content_dir)?
        }
    };
    let words = plain_language(config)?;
    let mut batch = Batch::default();
    for path in paths {
        match ingest::ingest_file(&path) {
            Ok(article) => batch.articles.push(article),
            Err(err) => batch.failures.push(err),
        }
    }
    ingest::assign_unique_ids(&mut batch.articles);
    for article in &mut batch.articles {
        analyze::analyze(article, &words);
    }
    Ok(batch)
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub epub: bool,
    pub quiet: bool,
}

/// One line of the end-of-build table and of `out/report.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    pub id: String,
    pub source: String,
    pub title: String,
    pub words: usize,
    pub grade: f64,
    pub pages: Option<usize>,
    pub warnings: usize,
}

/// The outcome of a build: what was made and what failed.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    pub articles: Vec<ArticleReport>,
    pub pdfs: Vec<String>,
    pub epub: Option<String>,
    pub failures: Vec<String>,
}

impl BuildReport {
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }
}

fn article_report(article: &Article, pages: Option<usize>) -> ArticleReport {
    let stats = article.stats.as_ref();
    ArticleReport {
        id: article.id.clone(),
        source: article.source.clone(),
        title: article.meta.title.clone(),
        words: stats.map_or(0, |s| s.words),
        grade: stats.map_or(0.0, |s| s.flesch_kincaid_grade),
        pages,
        warnings: article.warnings.len(),
    }
}

/// Runs the whole build into `config.out_dir`.
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    let typesetter = Typesetter::new(config)?;
    ensure_writable_dir(&config.out_dir)?;
    let batch = load_batch(config, None)?;
    let mut report = BuildReport {
        failures: batch.failures.iter().map(ToString::to_string).collect(),
        ..Default::default()
    };
    let log = |line: String| {
        if !options.quiet {
            eprintln!("{line}");
        }
    };
    for failure in &report.failures {
        eprintln!("error: {failure}");
    }

    for article in &batch.articles {
        let path = config.out_dir.join("json").join(format!("{}.json", article.id));
        write_atomic(&path, &to_json(article))?;
    }

    let mut variants = vec![Variant::Regular];
    if config.handout.large_print {
        variants.push(Variant::LargePrint);
    }
    let total = batch.articles.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results =
        typesetter.typeset_all(&batch.articles, &variants, config.jobs, |article, variant, result| {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            let status = match result {
                Ok(pdf) => format!("{} page{}", pdf.pages, if pdf.pages == 1 { "" } else { "s" }),
                Err(_) => "failed".to_string(),
            };
            log(format!("[{n}/{}] {}{} ({status})", total * variants.len(), article.id, variant.suffix()));
        });

    for (article, outputs) in batch.articles.iter().zip(results) {
        let mut pages = None;
        for (variant, result) in variants.iter().zip(outputs) {
            match result {
                Ok(pdf) => {
                    let path =
                        config.out_dir.join("pdf").join(format!("{}{}.pdf", article.id, variant.suffix()));
                    write_atomic(&path, &pdf.bytes)?;
                    if *variant == Variant::Regular {
                        pages = Some(pdf.pages);
                    }
                    report.pdfs.push(relative_to(&path, &config.out_dir));
                }
                Err(err) => {
                    eprintln!("error: {}: {err}", article.source);
                    report.failures.push(format!("{}: {err}", article.source));
                }
            }
        }
        report.articles.push(article_report(article, pages));
    }

    if options.epub {
        match write_epub(config, &batch.articles) {
            Ok(path) => report.epub = Some(relative_to(&path, &config.out_dir)),
            Err(err) => {
                eprintln!("error: {err}");
                report.failures.push(err.to_string());
            }
        }
    }
    write_atomic(&config.out_dir.join("report.json"), &to_json(&report))?;
    Ok(report)
}

/// Builds the EPUB of `articles` into the output folder.
pub fn write_epub(config: &Config, articles: &[Article]) -> Result<PathBuf> {
    let settings = crate::epub::EpubSettings {
        collection: &config.collection,
        brand: &config.brand,
        source_date_epoch: source_date_epoch(),
    };
    let bytes = crate::epub::build_epub(articles, &settings)?;
    let path = config.out_dir.join(format!("{}.epub", crate::epub::collection_id(&config.collection)));
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// `path` relative to `base`, so report.json is the same wherever `out/` is.
fn relative_to(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).display().to_string()
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org), when set and valid.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// Pretty JSON with a final newline, so files diff well.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The per-article table printed by `check` and at the end of `build`.
pub fn summary_table(rows: &[ArticleReport]) -> String {
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let mut out =
        format!("{:<id_width$}  {:>6}  {:>5}  {:>5}  {:>8}\n", "id", "words", "grade", "pages", "warnings");
    for row in rows {
        let pages = row.pages.map_or("-".to_string(), |p| p.to_string());
        out.push_str(&format!(
            "{:<id_width$}  {:>6}  {:>5.1}  {:>5}  {:>8}\n",
            row.id, row.words, row.grade, pages, row.warnings
        ));
    }
    out
}

/// Rows for `check`, where nothing is typeset.
pub fn check_rows(articles: &[Article]) -> Vec<ArticleReport> {
    articles.iter().map(|a| article_report(a, None)).collect()
}
