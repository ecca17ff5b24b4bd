//! The build: discover → ingest → analyze → typeset ∥ epub → report.
//!
//! Per-article failures are collected, never fatal: like ripgrep, a bad file is
//! reported and the batch goes on, and the exit code says something failed. Problems
//! that make the whole run meaningless (no content folder, a broken config, an
//! unwritable output folder) are returned as `Err` before any work starts.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyze::{self, PlainLanguage, WordLists};
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

impl Batch {
    /// Prints each file that could not be read as `error: …` and returns the messages
    /// for the end-of-run summary.
    pub fn report_failures(&self) -> Vec<String> {
        print_failures(&self.failures)
    }
}

/// Prints each failure as `error: …` and returns the messages for the summary.
fn print_failures(failures: &[Error]) -> Vec<String> {
    let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
    for message in &messages {
        eprintln!("error: {message}");
    }
    messages
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

/// The plain-language word lists: the built-in ones, each replaced by the clinic's own
/// beside the template when there is one (`plain-language.toml` for English,
/// `plain-language.<lang>.toml` for another language).
pub fn plain_language(config: &Config) -> Result<WordLists> {
    let mut lists = WordLists::builtin();
    let Some(dir) = config.template.parent() else { return Ok(lists) };
    for (lang, file) in
        [("en", "plain-language.toml".to_string()), ("es", "plain-language.es.toml".to_string())]
    {
        let path = dir.join(file);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let list =
                PlainLanguage::parse(&text).map_err(|message| Error::Config { path, line: None, message })?;
            lists.insert(lang, list);
        }
    }
    Ok(lists)
}

/// Reads every article in the content folder (or just `files`), gives each a unique id
/// and its readability figures.
pub fn load_batch(config: &Config, files: Option<&[PathBuf]>) -> Result<Batch> {
    let (paths, refused) = article_paths(config, files)?;
    let words = plain_language(config)?;
    let mut batch = Batch { failures: refused, ..Batch::default() };
    let max_bytes = config.max_file_bytes;
    // Reading and analysing are independent per file; order is kept for stable ids.
    let results: Vec<Result<Article>> =
        paths.par_iter().map(|path| ingest::ingest_file_limited(path, max_bytes)).collect();
    for result in results {
        match result {
            Ok(article) => batch.articles.push(article),
            Err(err) => batch.failures.push(err),
        }
    }
    ingest::assign_unique_ids(&mut batch.articles);
    batch.articles.par_iter_mut().for_each(|article| analyze::analyze(article, &words));
    Ok(batch)
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub epub: bool,
    pub quiet: bool,
    /// Print each article's warnings as well.
    pub verbose: bool,
    /// Rebuild every output even when its inputs are unchanged.
    pub force: bool,
    /// Build only these article files instead of the whole content folder.
    pub files: Vec<PathBuf>,
    /// Build only the articles with these ids.
    pub only: Vec<String>,
}

impl BuildOptions {
    /// A partial build touches only some handouts: it never deletes other outputs and
    /// leaves the EPUB alone.
    fn partial(&self) -> bool {
        !self.files.is_empty() || !self.only.is_empty()
    }
}

/// One line of the end-of-build table and of `out/report.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleReport {
    pub id: String,
    pub source: String,
    pub title: String,
    pub words: usize,
    /// The reading level on the article's own language's scale.
    pub level: crate::model::ReadingLevel,
    /// Lines of the source left out as web-page furniture (listed in the article's JSON).
    #[serde(default)]
    pub removed: usize,
    pub pages: Option<usize>,
    pub warnings: usize,
}

/// The outcome of a build: what was made and what failed.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    pub articles: Vec<ArticleReport>,
    /// PDFs typeset by this run (paths relative to the output folder).
    pub pdfs: Vec<String>,
    /// PDFs that were already up to date.
    pub unchanged: Vec<String>,
    /// Outputs of articles that no longer exist, deleted by this run.
    pub removed: Vec<String>,
    /// The EPUB, when this run wrote it.
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
        level: stats.map_or(crate::model::ReadingLevel::None, crate::model::Stats::level),
        removed: article.removed.len(),
        pages,
        warnings: article.warnings.len(),
    }
}

/// Name of the incremental-build manifest in the output folder.
pub const MANIFEST: &str = ".handouts-manifest.json";

/// What the last build wrote, so the next one can skip unchanged outputs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// Output path (relative to the output folder) → what it was built from.
    outputs: BTreeMap<String, ManifestEntry>,
    /// Article file → what its last build learned, so a file whose bytes and settings
    /// did not change is not even parsed again.
    #[serde(default)]
    articles: BTreeMap<String, ArticleEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ArticleEntry {
    /// Hash of the file's bytes (and the tool version).
    source_hash: String,
    /// The id its title or file name gives, before the batch makes ids unique.
    base_id: String,
    /// Hash of the file's bytes, its unique id and every build setting; equal means
    /// each of `outputs` is what this build would make.
    key: String,
    outputs: Vec<String>,
    report: ArticleReport,
    /// Fingerprint of the article's JSON, which the EPUB's fingerprint is made of.
    json_fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ManifestEntry {
    /// Hash of every input of this output; equal means the output is up to date.
    fingerprint: String,
    /// The article file it came from (empty for the EPUB).
    source: String,
    /// Page count, for the report of a skipped PDF.
    #[serde(default)]
    pages: Option<usize>,
}

impl Manifest {
    /// A missing or unreadable manifest just means "build everything".
    fn load(out_dir: &Path) -> Manifest {
        std::fs::read(out_dir.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn is_current(&self, out_dir: &Path, relative: &str, fingerprint: &str) -> bool {
        self.outputs.get(relative).is_some_and(|entry| entry.fingerprint == fingerprint)
            && out_dir.join(relative).is_file()
    }
}

/// Progress for long runs: a bar on a terminal, plain lines in logs and CI.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    done: std::sync::atomic::AtomicUsize,
    total: usize,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && total > 0 && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} handouts  {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, quiet, done: Default::default(), total }
    }

    fn finished(&self, name: &str, status: &str) {
        let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(name.to_string());
                bar.inc(1);
            }
            None if !self.quiet => eprintln!("[{n}/{}] {name} ({status})", self.total),
            None => {}
        }
    }

    /// An output that was already up to date: counted, but not worth a line of its own.
    fn skipped(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs the whole build into `config.out_dir`, skipping outputs whose inputs did not
/// change since the last build (see [`MANIFEST`]).
///
/// Articles stream through: a first pass reads every file only to learn its id (ids
/// are unique across the batch), then each worker reads, analyses and typesets one
/// article at a time and keeps only its report line, so memory does not grow with
/// the batch. Reading a file twice costs far less than keeping 10,000 articles.
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    let typesetter = Typesetter::new(config)?;
    ensure_writable_dir(&config.out_dir)?;
    in_pool(config.jobs, || build_in_pool(&typesetter, config, options))
}

/// Runs `f` on a rayon pool of `jobs` threads (all cores when `None`), which typst's
/// own parallelism shares, so `--jobs N` means N busy cores.
fn in_pool<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// An article the build will make, known by its file and unique id.
struct Planned {
    path: PathBuf,
    source_hash: String,
    /// The id its title or file name gives, and the unique one the batch gave it.
    base_id: String,
    id: String,
}

/// What building one article produced.
#[derive(Default)]
struct Built {
    report: Option<ArticleReport>,
    /// Manifest entries of this article's outputs, written or up to date.
    outputs: Vec<(String, ManifestEntry)>,
    typeset: Vec<String>,
    unchanged: Vec<String>,
    /// The article JSON's fingerprint, which the EPUB's fingerprint is made of.
    json_fingerprint: Option<String>,
    /// Each problem, printed and reported at the end (in batch order).
    failures: Vec<Error>,
    /// `warning: file:line: message` lines, for `--verbose`.
    warnings: Vec<String>,
    /// What the next build may reuse, when everything of this article was built.
    entry: Option<(String, ArticleEntry)>,
}

fn build_in_pool(typesetter: &Typesetter, config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    let files = (!options.files.is_empty()).then_some(options.files.as_slice());
    let (paths, mut failures) = article_paths(config, files)?;
    let words = plain_language(config)?;
    let max_bytes = config.max_file_bytes;

    let out = &config.out_dir;
    let old = Manifest::load(out);

    // Pass 1: ids. Only the id is kept of each article read here, and a file whose
    // bytes the last build saw is not parsed at all.
    let read: Vec<Result<(String, String)>> = paths
        .par_iter()
        .map(|path| {
            let bytes = ingest::read_limited(path, max_bytes)?;
            // The version is part of it: another version may derive another id.
            let source_hash = format!("{:032x}", typst::utils::hash128(&(env!("CARGO_PKG_VERSION"), &bytes)));
            let known =
                old.articles.get(&path.display().to_string()).filter(|e| e.source_hash == source_hash);
            let base_id = match known {
                Some(entry) => entry.base_id.clone(),
                None => ingest::ingest_bytes(path, &bytes)?.id,
            };
            Ok((source_hash, base_id))
        })
        .collect();
    let mut readable = Vec::new();
    for (path, result) in paths.into_iter().zip(read) {
        match result {
            Ok((source_hash, base_id)) => readable.push((path, source_hash, base_id)),
            Err(err) => failures.push(err),
        }
    }
    let ids = ingest::unique_ids(&readable.iter().map(|(_, _, id)| id.as_str()).collect::<Vec<_>>());
    let mut planned: Vec<Planned> = readable
        .into_iter()
        .zip(ids)
        .map(|((path, source_hash, base_id), id)| Planned { path, source_hash, base_id, id })
        .collect();
    if !options.only.is_empty() {
        for id in &options.only {
            if !planned.iter().any(|p| &p.id == id) {
                failures.push(Error::Other(format!("--only {id}: no article has this id")));
            }
        }
        planned.retain(|p| options.only.contains(&p.id));
    }
    let mut report = BuildReport { failures: print_failures(&failures), ..Default::default() };

    let mut variants = vec![Variant::Regular];
    if config.handout.large_print {
        variants.push(Variant::LargePrint);
    }

    // Pass 2: each article read again, analysed and typeset where its inputs changed.
    let progress = Progress::new(planned.len() * variants.len(), options.quiet);
    let settings = typst::utils::hash128(&(typesetter.settings_fingerprint(), &words, &variants));
    let build_one = |item: &Planned| -> Built {
        let source = item.path.display().to_string();
        let key = format!("{:032x}", typst::utils::hash128(&(&item.source_hash, &item.id, settings)));
        if !options.force
            && !options.verbose
            && let Some(built) = reuse(&old, out, &source, &key, &progress)
        {
            return built;
        }
        let mut built = Built::default();
        let mut article = match ingest::ingest_file_limited(&item.path, max_bytes) {
            Ok(article) => article,
            Err(err) => {
                // The file changed or vanished since the first pass.
                built.failures.push(err);
                return built;
            }
        };
        ingest::set_id(&mut article, item.id.clone());
        analyze::analyze(&mut article, &words);
        if options.verbose {
            built.warnings = warning_lines(&article);
        }
        match build_article(typesetter, &article, &variants, &old, out, options.force, &progress, &mut built)
        {
            Ok(pages) => built.report = Some(article_report(&article, pages)),
            Err(err) => built.failures.push(err),
        }
        if let (Some(report), Some(json_fingerprint), true) =
            (&built.report, &built.json_fingerprint, built.failures.is_empty())
        {
            let entry = ArticleEntry {
                source_hash: item.source_hash.clone(),
                base_id: item.base_id.clone(),
                key,
                outputs: built.outputs.iter().map(|(relative, _)| relative.clone()).collect(),
                report: report.clone(),
                json_fingerprint: json_fingerprint.clone(),
            };
            built.entry = Some((source, entry));
        }
        built
    };
    let results = Typesetter::typeset_batch(&planned, build_one);
    progress.clear();

    let mut new = Manifest::default();
    let mut json_fingerprints = Vec::new();
    for built in results {
        for warning in &built.warnings {
            eprintln!("{warning}");
        }
        report.failures.extend(print_failures(&built.failures));
        new.outputs.extend(built.outputs);
        report.pdfs.extend(built.typeset);
        report.unchanged.extend(built.unchanged);
        report.articles.extend(built.report);
        json_fingerprints.extend(built.json_fingerprint);
        failures.extend(built.failures);
        new.articles.extend(built.entry);
    }

    if options.partial() {
        // Keep everything this run did not look at.
        for (relative, entry) in old.outputs {
            new.outputs.entry(relative).or_insert(entry);
        }
        for (source, entry) in old.articles {
            new.articles.entry(source).or_insert(entry);
        }
    } else {
        if options.epub {
            build_epub_if_changed(config, &json_fingerprints, options.force, &old, &mut new, &mut report);
        }
        remove_stale_outputs(out, &old, &mut new, &failures, &mut report);
    }
    write_atomic(&out.join(MANIFEST), &to_json(&new))?;
    write_atomic(&out.join("report.json"), &to_json(&report))?;
    Ok(report)
}

/// What the last build made of an article, when its file, id and every setting are
/// unchanged and all its outputs are still there: nothing to read or typeset.
fn reuse(old: &Manifest, out: &Path, source: &str, key: &str, progress: &Progress) -> Option<Built> {
    let entry = old.articles.get(source).filter(|entry| entry.key == key)?;
    let mut built = Built::default();
    for relative in &entry.outputs {
        let output = old.outputs.get(relative)?;
        if !old.is_current(out, relative, &output.fingerprint) {
            return None;
        }
        built.outputs.push((relative.clone(), output.clone()));
    }
    for (relative, _) in &built.outputs {
        if relative.starts_with("pdf/") {
            progress.skipped();
            built.unchanged.push(relative.clone());
        }
    }
    built.report = Some(entry.report.clone());
    built.json_fingerprint = Some(entry.json_fingerprint.clone());
    built.entry = Some((source.to_string(), entry.clone()));
    Some(built)
}

/// Writes one article's JSON and typesets each variant whose inputs changed, recording
/// everything in `built`; returns the regular handout's page count.
#[allow(clippy::too_many_arguments)]
fn build_article(
    typesetter: &Typesetter,
    article: &Article,
    variants: &[Variant],
    old: &Manifest,
    out: &Path,
    force: bool,
    progress: &Progress,
    built: &mut Built,
) -> Result<Option<usize>> {
    let relative = format!("json/{}.json", article.id);
    let bytes = to_json(article);
    let fingerprint = format!("{:032x}", typst::utils::hash128(&bytes));
    if force || !old.is_current(out, &relative, &fingerprint) {
        write_atomic(&out.join(&relative), &bytes)?;
    }
    built.json_fingerprint = Some(fingerprint.clone());
    built
        .outputs
        .push((relative, ManifestEntry { fingerprint, source: article.source.clone(), pages: None }));

    let mut regular_pages = None;
    for &variant in variants {
        let relative = format!("pdf/{}{}.pdf", article.id, variant.suffix());
        let inputs = typesetter.prepare(article, variant)?;
        let fingerprint = typesetter.fingerprint(&inputs);
        let previous = old.outputs.get(&relative).filter(|_| !force);
        let pages = if let Some(entry) = previous.filter(|_| old.is_current(out, &relative, &fingerprint)) {
            progress.skipped();
            built.outputs.push((relative.clone(), entry.clone()));
            built.unchanged.push(relative);
            entry.pages
        } else {
            let written = typesetter
                .typeset(&inputs)
                .and_then(|pdf| write_atomic(&out.join(&relative), &pdf.bytes).map(|()| pdf.pages));
            let name = format!("{}{}", article.id, variant.suffix());
            match written {
                Ok(pages) => {
                    progress.finished(&name, &format!("{pages} page{}", if pages == 1 { "" } else { "s" }));
                    let entry =
                        ManifestEntry { fingerprint, source: article.source.clone(), pages: Some(pages) };
                    built.outputs.push((relative.clone(), entry));
                    built.typeset.push(relative);
                    Some(pages)
                }
                Err(err) => {
                    progress.finished(&name, "failed");
                    built.failures.push(Error::Other(format!("{}: {err}", article.source)));
                    None
                }
            }
        };
        if variant == Variant::Regular {
            regular_pages = pages;
        }
    }
    Ok(regular_pages)
}

/// The article files to build: `files` when given, else everything in the content
/// folder, with the files discovery refused (e.g. symlinks leading outside it).
fn article_paths(config: &Config, files: Option<&[PathBuf]>) -> Result<(Vec<PathBuf>, Vec<Error>)> {
    match files {
        Some(files) => Ok((files.to_vec(), Vec::new())),
        None => {
            if !config.content_dir.is_dir() {
                return Err(Error::Other(format!(
                    "{}: content folder not found (use --content DIR)",
                    config.content_dir.display()
                )));
            }
            let discovery = ingest::discover_all(&config.content_dir)?;
            Ok((discovery.files, discovery.refused))
        }
    }
}

/// Writes the EPUB when any article in it (`json_fingerprints`, in batch order) or the
/// collection settings changed. Only then are the articles read a third time: the
/// EPUB needs all of them at once, and by now typst's memory is released.
fn build_epub_if_changed(
    config: &Config,
    json_fingerprints: &[String],
    force: bool,
    old: &Manifest,
    new: &mut Manifest,
    report: &mut BuildReport,
) {
    let relative = format!("{}.epub", crate::epub::collection_id(&config.collection));
    let fingerprint = format!(
        "{:032x}",
        typst::utils::hash128(&(
            env!("CARGO_PKG_VERSION"),
            json_fingerprints,
            format!("{:?}{:?}", config.collection, config.brand),
            source_date_epoch()
        ))
    );
    let entry = ManifestEntry { fingerprint: fingerprint.clone(), source: String::new(), pages: None };
    if !force && old.is_current(&config.out_dir, &relative, &fingerprint) {
        new.outputs.insert(relative, entry);
        return;
    }
    match load_batch(config, None).and_then(|batch| write_epub(config, &batch.articles)) {
        Ok(_) => {
            new.outputs.insert(relative.clone(), entry);
            report.epub = Some(relative);
        }
        Err(err) => {
            eprintln!("error: {err}");
            report.failures.push(err.to_string());
        }
    }
}

/// Deletes outputs the last build made that this one did not, when their article is
/// gone (deleted or renamed). Outputs of articles that failed to read this time are
/// kept: a typo in a file should not also delete its handout.
fn remove_stale_outputs(
    out: &Path,
    old: &Manifest,
    new: &mut Manifest,
    failures: &[Error],
    report: &mut BuildReport,
) {
    let failed: Vec<String> = failures
        .iter()
        .filter_map(|f| match f {
            Error::Input { path, .. } | Error::Io { path, .. } => Some(path.display().to_string()),
            _ => None,
        })
        .collect();
    for (relative, entry) in &old.outputs {
        if new.outputs.contains_key(relative) {
            continue;
        }
        if failed.contains(&entry.source) {
            new.outputs.insert(relative.clone(), entry.clone());
            continue;
        }
        match std::fs::remove_file(out.join(relative)) {
            Ok(()) => report.removed.push(relative.clone()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => report.failures.push(Error::io(out.join(relative), err).to_string()),
        }
    }
}

/// One sentence on what a build did, for the end of the run.
pub fn summary_line(report: &BuildReport, config: &Config, elapsed: std::time::Duration) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if report.pdfs.is_empty() && report.epub.is_none() && report.removed.is_empty() {
        parts.push("Nothing changed: every handout is up to date".to_string());
    } else {
        parts.push(format!("Typeset {}", plural(report.pdfs.len(), "PDF")));
    }
    if !report.unchanged.is_empty() && !report.pdfs.is_empty() {
        parts.push(format!("{} up to date", report.unchanged.len()));
    }
    if let Some(epub) = &report.epub {
        parts.push(format!("wrote {}", config.out_dir.join(epub).display()));
    }
    if !report.removed.is_empty() {
        parts.push(format!("removed {} of deleted articles", plural(report.removed.len(), "output")));
    }
    format!(
        "{} in {:.1} s (output in {}).",
        parts.join(", "),
        elapsed.as_secs_f64(),
        config.out_dir.display()
    )
}

/// Each article's warnings as `warning: file:line: message`.
pub fn print_warnings(articles: &[Article]) {
    for line in articles.iter().flat_map(warning_lines) {
        eprintln!("{line}");
    }
}

fn warning_lines(article: &Article) -> Vec<String> {
    article
        .warnings
        .iter()
        .map(|warning| {
            let at = warning.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("warning: {}{at}: {}", article.source, warning.message)
        })
        .collect()
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

/// The per-article table printed by `check` and at the end of `build`. A reading level
/// that misses the target (a grade above `max-grade`, an INFLESZ score below `min-inflesz`)
/// is marked `*`, and notes under the table say what the marks mean and where the warnings
/// are, so staff see which handouts need rewriting without reading JSON.
pub fn summary_table(
    rows: &[ArticleReport],
    targets: &crate::config::Handout,
    warnings_hint: &str,
) -> String {
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let misses = |row: &ArticleReport| row.level.misses(targets.max_grade, targets.min_inflesz);
    let mut out = format!(
        "{:<id_width$}  {:>6}  {:>14}  {:>7}  {:>5}  {:>8}\n",
        "id", "words", "reading level", "removed", "pages", "warnings"
    );
    for row in rows {
        let pages = row.pages.map_or("-".to_string(), |p| p.to_string());
        let mark = if misses(row) { "*" } else { " " };
        out.push_str(&format!(
            "{:<id_width$}  {:>6}  {:>13}{mark}  {:>7}  {:>5}  {:>8}\n",
            row.id,
            row.words,
            row.level.label(),
            row.removed,
            pages,
            row.warnings
        ));
    }
    let count = |scale: fn(&ArticleReport) -> bool| rows.iter().filter(|r| scale(r) && misses(r)).count();
    let graded = count(|r| matches!(r.level, crate::model::ReadingLevel::Grade(_)));
    if let Some(max) = targets.max_grade.filter(|_| graded > 0) {
        out.push_str(&format!(
            "* reads above grade {max} (max-grade in the config): {graded} of {}\n",
            rows.len()
        ));
    }
    let scored = count(|r| matches!(r.level, crate::model::ReadingLevel::Inflesz(_)));
    if let Some(min) = targets.min_inflesz.filter(|_| scored > 0) {
        out.push_str(&format!(
            "* INFLESZ below {min} (min-inflesz in the config): {scored} of {}\n",
            rows.len()
        ));
    }
    let removed: usize = rows.iter().map(|row| row.removed).sum();
    if removed > 0 {
        out.push_str(&format!(
            "{removed} line{} of web-page furniture left out (menus, bylines, ads, footers): \
             each is listed under \"removed\" in out/json/<id>.json\n",
            if removed == 1 { "" } else { "s" }
        ));
    }
    let warnings: usize = rows.iter().map(|row| row.warnings).sum();
    if warnings > 0 {
        let plural = if warnings == 1 { "" } else { "s" };
        out.push_str(&format!("{warnings} warning{plural} in all: {warnings_hint}\n"));
    }
    out
}

/// Rows for `check`, where nothing is typeset.
pub fn check_rows(articles: &[Article]) -> Vec<ArticleReport> {
    articles.iter().map(|a| article_report(a, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, grade: f64, warnings: usize) -> ArticleReport {
        ArticleReport {
            id: id.into(),
            source: format!("content/{id}.txt"),
            title: id.into(),
            words: 100,
            level: crate::model::ReadingLevel::Grade(grade),
            removed: 0,
            pages: Some(2),
            warnings,
        }
    }

    #[test]
    fn summary_table_marks_grades_above_the_maximum_and_points_at_the_warnings() {
        let rows = [row("easy", 6.0, 0), row("hard", 11.5, 3), row("edge", 8.0, 1)];
        let targets = crate::config::Handout { max_grade: Some(8.0), ..Default::default() };
        let table = summary_table(&rows, &targets, "see check.");
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].starts_with("easy") && lines[1].contains(" 6.0 "), "{table}");
        assert!(lines[2].contains("11.5*"), "{table}");
        // At the maximum is not above it.
        assert!(lines[3].contains(" 8.0 "), "{table}");
        assert_eq!(lines[4], "* reads above grade 8 (max-grade in the config): 1 of 3");
        assert_eq!(lines[5], "4 warnings in all: see check.");
    }

    #[test]
    fn summary_table_marks_spanish_below_the_inflesz_minimum() {
        let mut spanish = row("es", 0.0, 1);
        spanish.level = crate::model::ReadingLevel::Inflesz(48.2);
        let targets =
            crate::config::Handout { max_grade: Some(8.0), min_inflesz: Some(55.0), ..Default::default() };
        let table = summary_table(&[row("en", 6.0, 0), spanish], &targets, "see check.");
        assert!(table.contains("INFLESZ 48.2*"), "{table}");
        assert!(table.contains("* INFLESZ below 55 (min-inflesz in the config): 1 of 2"), "{table}");
        assert!(table.contains("1 warning in all"), "{table}");
    }

    #[test]
    fn summary_table_without_maximum_or_warnings_has_no_notes() {
        let table = summary_table(&[row("hard", 14.0, 0)], &Default::default(), "see check.");
        assert_eq!(table.lines().count(), 2, "{table}");
        assert!(!table.contains('*'), "{table}");
    }
}
