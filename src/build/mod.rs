//! The build: plan → every article output, per article, in parallel → every collection
//! output → stale-output removal → manifest and report.
//!
//! This module knows no format. It takes the lists of outputs from [`crate::output`]
//! and gives each the same treatment: a check before any article (a broken template
//! is one error, not one per handout), a fingerprint to skip what is up to date,
//! progress, failure isolation, and removal of files whose article is gone.
//!
//! Per-article failures are collected, never fatal: like ripgrep, a bad file is
//! reported and the batch goes on, and the exit code says something failed. Problems
//! that make the whole run meaningless (no content folder, a broken config, template
//! or logo, an unwritable output folder) are returned as `Err` before any work starts.

mod failures;
mod guard;
mod lock;
mod manifest;
mod plan;
mod progress;
pub mod report;
mod stale;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::analyze;
use crate::config::Config;
use crate::error::{Error, Failure, Result};
use crate::fsx::{ensure_writable_dir, write_atomic};
use crate::ingest;
use crate::output::{self, ArticleOutput, ArticleReport, BuildReport, Collection, hex, to_json};
use crate::typeset::Typesetter;

pub use failures::failure_lines;
pub(crate) use failures::print_failures;
pub use guard::DEFAULT_MAX_REMOVALS;
pub use lock::{LOCK, OutLock, lock_out};
pub use manifest::MANIFEST;
use manifest::{ArticleEntry, Manifest, OutputEntry};
use plan::Planned;
pub use plan::{
    Batch, article_paths, load_batch, load_config, load_named_config, plain_language, print_skipped,
};
use progress::Progress;
pub use report::{check_rows, print_warnings, summary_line, summary_table};

/// What to build.
#[derive(Debug, Clone)]
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
    /// The share (in %) of the published outputs a full build may remove (see
    /// [`guard::refuse_removals`]).
    pub max_removals: u8,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            epub: false,
            quiet: false,
            verbose: false,
            force: false,
            files: Vec::new(),
            only: Vec::new(),
            max_removals: DEFAULT_MAX_REMOVALS,
        }
    }
}

impl BuildOptions {
    /// A partial build touches only some handouts: it never deletes other outputs and
    /// leaves the collection outputs (the EPUB) alone.
    fn partial(&self) -> bool {
        !self.files.is_empty() || !self.only.is_empty()
    }
}

/// Runs the whole build into `config.out_dir`, skipping outputs whose inputs did not
/// change since the last build (see [`MANIFEST`]).
///
/// Articles stream through: a first pass reads every file once, for its hash and id
/// (ids are unique across the batch), and keeps its bytes; then each worker parses,
/// analyses and makes every output of one article at a time from those bytes and keeps
/// only its report line, so no parsed article outlives its worker (the source text is
/// all the batch holds). A stale EPUB, which needs every article at once, reads them
/// back from their intermediate outputs rather than from the content folder.
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    guard::refuse_out_inside_content(config)?;
    // Before anything is read: a second run on this folder stops at once.
    let _lock = lock_out(&config.out_dir)?;
    let mut typesetter = Typesetter::new(config)?;
    ensure_writable_dir(&config.out_dir)?;
    in_pool(config.jobs, || build_in_pool(&mut typesetter, config, options))
}

/// Runs `f` on a rayon pool of `jobs` threads (all cores when `None`), which typst's
/// own parallelism shares, so `--jobs N` means N busy cores.
fn in_pool<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// What building one article produced.
#[derive(Default)]
struct Built {
    /// The article file.
    source: String,
    report: Option<ArticleReport>,
    /// Manifest entries of this article's outputs, written or up to date.
    outputs: Vec<(String, OutputEntry)>,
    typeset: Vec<String>,
    unchanged: Vec<String>,
    /// The fingerprint of the article's intermediate form.
    fingerprint: Option<String>,
    /// The intermediate output, written or up to date, that collection outputs read the
    /// article back from.
    intermediate: Option<String>,
    /// Each problem, printed and reported at the end (in batch order).
    failures: Vec<Error>,
    /// `warning: file:line: message` lines, for `--verbose`.
    warnings: Vec<String>,
    /// What the next build may reuse, when everything of this article was built.
    entry: Option<(String, ArticleEntry)>,
}

/// The file name of an output without extension, for progress lines.
fn display_name(relative: &str) -> &str {
    Path::new(relative).file_stem().and_then(|s| s.to_str()).unwrap_or(relative)
}

/// Checks every article output once, before any article is read, so whatever fails
/// every article (a broken template or logo) is one error; an output checked with the
/// same settings is not checked again. Returns the settings that passed.
///
/// The template files the last check read are pinned first: their bytes are part of
/// the settings. A check that runs reads what the template uses now (a new import, or
/// one fewer), and that is pinned instead.
fn check_outputs(
    typesetter: &mut Typesetter,
    config: &Config,
    old: &Manifest,
    force: bool,
) -> Result<BTreeSet<String>> {
    typesetter.pin_template_files(&old.template_files);
    let mut ran = false;
    for output in output::article_outputs(config, typesetter) {
        if force || !old.checked.contains(&hex(output.settings())) {
            output.check()?;
            ran = true;
        }
    }
    if ran {
        let used = typesetter.template_files();
        typesetter.pin_template_files(&used);
    }
    Ok(output::article_outputs(config, typesetter).iter().map(|o| hex(o.settings())).collect())
}

fn build_in_pool(
    typesetter: &mut Typesetter,
    config: &Config,
    options: &BuildOptions,
) -> Result<BuildReport> {
    let pictures = typesetter.picture_store().clone();
    let collections = output::collection_outputs(
        config,
        options.epub && !options.partial(),
        !options.partial(),
        &pictures,
    )?;
    let out = &config.out_dir;
    let old = Manifest::load(out);
    let checked = check_outputs(typesetter, config, &old, options.force)?;
    let typesetter = &*typesetter;
    let outputs = output::article_outputs(config, typesetter);

    let files = (!options.files.is_empty()).then_some(options.files.as_slice());
    let found = article_paths(config, files)?;
    if !options.quiet {
        print_skipped(&found.skipped);
    }
    let words = plain_language(config)?;
    let labels = crate::labels::LabelTable::load(config.template_dir())?;
    let max_bytes = config.max_file_bytes;
    let mut failures = found.refused;
    // Every article file that exists, read or not: only outputs of other files may go.
    let mut present: HashSet<String> = found.files.iter().map(|p| p.display().to_string()).collect();
    present.extend(failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()));

    let (mut planned, unreadable) =
        plan::plan_ids(found.files, &old, max_bytes, options.quiet, options.files.is_empty());
    failures.extend(unreadable);
    if !options.only.is_empty() {
        for id in &options.only {
            if !planned.iter().any(|p| &p.id == id) {
                failures.push(Error::usage(format!("--only {id}: no article has this id")));
            }
        }
        planned.retain(|p| options.only.contains(&p.id));
    }
    let mut report = BuildReport { failures: print_failures(&failures), ..Default::default() };
    let mut failed: HashSet<String> =
        failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()).collect();

    let handouts = outputs.iter().filter(|o| o.is_handout()).count();
    let progress = Progress::new(planned.len() * handouts, options.quiet);
    let settings = typst::utils::hash128(&(
        outputs.iter().map(|o| (o.path("-"), o.settings())).collect::<Vec<_>>(),
        &words,
        config.source_date_epoch,
    ));
    let force = options.force;
    let build_one = |item: &Planned| -> Built {
        // The bytes the first pass read: taken first, so they are freed on reuse too.
        let kept = item.bytes.lock().ok().and_then(|mut bytes| bytes.take());
        let source = item.path.display().to_string();
        let key = reuse_key(item, settings);
        if !force
            && !options.verbose
            && let Some(mut built) = reuse(&old, out, &source, &key, &progress, &outputs, &pictures)
        {
            if let Some((_, entry)) = &mut built.entry {
                entry.link = Some(item.link.clone());
            }
            return built;
        }
        let mut built = Built { source: source.clone(), ..Built::default() };
        let ingested = match kept {
            Some(bytes) => ingest::ingest_bytes(&item.path, &bytes),
            None => ingest::ingest_file_limited(&item.path, max_bytes),
        };
        let mut article = match ingested {
            Ok(article) => article,
            Err(err) => {
                built.failures.push(err);
                return built;
            }
        };
        // Pictures are checked (and read, once per build) before any output: a picture
        // path leaving the content folder or a missing file fails this article only.
        if let Err(err) = pictures.resolve(&mut article) {
            built.failures.push(err);
            return built;
        }
        ingest::set_id(&mut article, item.id.clone(), &item.earlier);
        ingest::set_translations(&mut article, item.translations.clone(), item.link_warning.clone());
        analyze::analyze(&mut article, &words);
        labels.warn_missing(&mut article);
        crate::failpoint::hit("build", &item.path);
        if options.verbose {
            built.warnings = report::warning_lines(&article);
        }
        let mut pages = None;
        for output in &outputs {
            let relative = output.path(&article.id);
            let made = output.prepare(&article).and_then(|prepared| {
                let fingerprint = prepared.fingerprint();
                if let Some(entry) = old.outputs.get(&relative).filter(|_| !force)
                    && old.is_current(out, &relative, &fingerprint)
                {
                    return Ok((entry.clone(), false));
                }
                let rendered = prepared.render()?;
                write_atomic(&out.join(&relative), &rendered.bytes)?;
                Ok((OutputEntry::written(fingerprint, source.clone(), rendered.pages, &rendered.bytes), true))
            });
            let name = display_name(&relative);
            match made {
                Ok((entry, written)) => {
                    if output.is_handout() {
                        pages = pages.or(entry.pages);
                        if written {
                            let n = entry.pages.unwrap_or(0);
                            progress.finished(name, &format!("{n} page{}", if n == 1 { "" } else { "s" }));
                            built.typeset.push(relative.clone());
                        } else {
                            progress.skipped(name);
                            built.unchanged.push(relative.clone());
                        }
                    }
                    if output.is_intermediate() {
                        built.intermediate = Some(relative.clone());
                    }
                    built.outputs.push((relative, entry));
                }
                Err(err) => {
                    if output.is_handout() {
                        progress.finished(name, "failed");
                    }
                    built.failures.push(err);
                }
            }
        }
        // The pictures' bytes are part of what collection outputs (the EPUB) show.
        let shown = picture_sources(&article);
        let pictures_hash = pictures_hash(&pictures, &article.source, &shown);
        let fingerprint = match &pictures_hash {
            None => hex(to_json(&article)),
            Some(hash) => hex((to_json(&article), hash)),
        };
        let article_report = ArticleReport::new(&article, pages);
        if built.failures.is_empty() {
            let entry = ArticleEntry {
                pictures: shown,
                pictures_hash,
                source_hash: item.source_hash.clone(),
                base_id: item.base_id.clone(),
                key,
                outputs: built.outputs.iter().map(|(relative, _)| relative.clone()).collect(),
                report: article_report.clone(),
                fingerprint: fingerprint.clone(),
                link: Some(item.link.clone()),
            };
            built.entry = Some((source, entry));
        }
        built.report = Some(article_report);
        built.fingerprint = Some(fingerprint);
        built
    };
    if !options.partial() {
        let made: Vec<String> = planned.iter().flat_map(|p| outputs.iter().map(|o| o.path(&p.id))).collect();
        guard::refuse_removals_early(out, &old, &made, &present, options.max_removals)?;
    }
    // A panic while building one article (a bug met on its text, or in the template
    // engine) is that article's error and the batch goes on. Unwind safety: what
    // `build_one` shares is read-only (settings, the old manifest, the typesetter) or
    // atomic (progress); an output it wrote before panicking is not in the new
    // manifest, so the next build makes it again, and a failed article keeps its last
    // good outputs like any other failure.
    let results = Typesetter::typeset_batch(&planned, |item| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_one(item))).unwrap_or_else(|panic| {
            Built {
                source: item.path.display().to_string(),
                failures: vec![Error::internal(&item.path, "building", panic.as_ref())],
                ..Built::default()
            }
        })
    });
    progress.clear();

    // An article may read a template file the sample article did not (one imported for
    // its language): the next build pins it too.
    let mut template_files: BTreeSet<String> = typesetter.pinned_template_files().iter().cloned().collect();
    template_files.extend(typesetter.template_files());
    let mut new =
        Manifest { checked, template_files: template_files.into_iter().collect(), ..Manifest::default() };
    // Each article's intermediate form and its fingerprint, which the collection outputs
    // are made from, by article file.
    let mut members: Vec<(PathBuf, Option<String>, Option<String>)> = Vec::new();
    let mut article_failures = Vec::new();
    for built in results {
        for warning in &built.warnings {
            eprintln!("{warning}");
        }
        if !built.failures.is_empty() {
            failed.insert(built.source.clone());
        }
        article_failures.extend(built.failures);
        new.outputs.extend(built.outputs);
        report.pdfs.extend(built.typeset);
        report.unchanged.extend(built.unchanged);
        report.articles.extend(built.report);
        if built.fingerprint.is_some() || built.intermediate.is_some() {
            members.push((PathBuf::from(&built.source), built.fingerprint, built.intermediate));
        }
        new.articles.extend(built.entry);
    }
    report.failures.extend(print_failures(&article_failures));
    // An article that failed before its intermediate form was made (unreadable, not
    // UTF-8, a bad picture) stays in the collection outputs (catalogue, EPUB) as it
    // last built, in its place: a failed build must not take it out of them any more
    // than it deletes its PDFs. Its manifest entry stays for the next build.
    let made: HashSet<PathBuf> = members.iter().map(|(path, _, _)| path.clone()).collect();
    for source in &failed {
        let path = PathBuf::from(source);
        if !present.contains(source) || made.contains(&path) {
            continue;
        }
        if let Some(entry) = old.articles.get(source)
            && let Some(json) = entry.outputs.iter().find(|o| o.starts_with("json/"))
            && out.join(json).is_file()
        {
            members.push((path, Some(entry.fingerprint.clone()), Some(json.clone())));
            new.articles.insert(source.clone(), entry.clone());
        }
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));
    let fingerprints: Vec<String> = members.iter().filter_map(|(_, f, _)| f.clone()).collect();
    let intermediates: Vec<String> = members.iter().filter_map(|(_, _, json)| json.clone()).collect();

    // Collection outputs with a fingerprint (the EPUB) are made when it changed. They
    // need every article at once, so the articles are loaded only then, from their
    // intermediate outputs: no article file is read, parsed or analysed twice, and the
    // ids are the ones this build gave.
    let load =
        || intermediates.iter().map(|relative| output::read_intermediate(&out.join(relative))).collect();
    let (cached, always): (Vec<_>, Vec<_>) =
        collections.iter().partition(|c| c.fingerprint(&fingerprints).is_some());
    for collection in cached {
        let relative = collection.path();
        let Some(fingerprint) = collection.fingerprint(&fingerprints) else { continue };
        if !force
            && old.is_current(out, &relative, &fingerprint)
            && let Some(entry) = old.outputs.get(&relative)
        {
            new.outputs.insert(relative, entry.clone());
            continue;
        }
        let input = Collection { articles: &load, report: &report };
        let written = collection.render(&input).and_then(|bytes| {
            write_atomic(&out.join(&relative), &bytes)?;
            Ok(OutputEntry::written(fingerprint, String::new(), None, &bytes))
        });
        match written {
            Ok(entry) => {
                new.outputs.insert(relative.clone(), entry);
                if relative.ends_with(".epub") {
                    report.epub = Some(relative.clone());
                }
                report.collections.push(relative);
            }
            Err(err) => {
                eprintln!("error: {err}");
                report.failures.push(Failure::from(&err));
            }
        }
    }

    if options.partial() {
        // Keep everything this run did not look at.
        for (relative, entry) in old.outputs.iter() {
            new.outputs.entry(relative.clone()).or_insert_with(|| entry.clone());
        }
        for (source, entry) in old.articles.iter() {
            new.articles.entry(source.clone()).or_insert_with(|| entry.clone());
        }
    } else {
        let stale = stale::stale_outputs(&old, &mut new, &present, &failed, &report);
        if let Err(err) = guard::refuse_removals(out, &stale, &old, options.max_removals) {
            // Nothing is removed. The stale outputs stay in the manifest, so the next
            // build asks again, and what this one made is not made again.
            new.outputs.extend(stale.into_iter().map(|(relative, entry)| (relative.clone(), entry.clone())));
            write_atomic(&out.join(MANIFEST), &to_json(&new))?;
            return Err(err);
        }
        stale::remove_outputs(out, &stale, &mut report);
    }
    write_atomic(&out.join(MANIFEST), &to_json(&new))?;

    // Outputs written on every build (the report) record the build, so they come last.
    for collection in always {
        let input = Collection { articles: &load, report: &report };
        let relative = collection.path();
        if let Err(err) =
            collection.render(&input).and_then(|bytes| write_atomic(&out.join(&relative), &bytes))
        {
            eprintln!("error: {err}");
            report.failures.push(Failure::from(&err));
        }
    }
    Ok(report)
}

/// What decides whether the last build's outputs of `item` can be reused: its file's
/// bytes, its unique id, its translations (a new translation changes its page) and
/// every setting. An article without translations has the key it had before they were
/// linked, so its outputs are reused from a manifest of then.
fn reuse_key(item: &Planned, settings: u128) -> String {
    let warning = item.link_warning.as_ref().map(|w| (w.line, &w.message));
    if item.translations.is_empty() && warning.is_none() {
        hex((&item.source_hash, &item.id, settings))
    } else {
        hex((&item.source_hash, &item.id, &item.translations, warning, settings))
    }
}

/// The distinct pictures an article shows (`src`, relative to the content folder), in
/// reading order.
fn picture_sources(article: &crate::model::Article) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for (src, _) in crate::pictures::figures(&article.blocks) {
        if !sources.iter().any(|s| s == src) {
            sources.push(src.to_string());
        }
    }
    sources
}

/// The hash of the pictures `sources` of the article file `source` as they are now
/// (from the store: read once per build); `None` without pictures, and a hash that
/// matches nothing when one cannot be read (the article is then built, and fails).
fn pictures_hash(store: &crate::pictures::PictureStore, source: &str, sources: &[String]) -> Option<String> {
    if sources.is_empty() {
        return None;
    }
    let root = store.root_for(Path::new(source));
    let pictures: Option<Vec<_>> = sources.iter().map(|src| store.load(&root, src).ok()).collect();
    Some(match pictures {
        Some(pictures) => hex(crate::pictures::fingerprint(&pictures)),
        None => "unreadable".to_string(),
    })
}

/// What the last build made of an article, when its file, id, pictures and every
/// setting are unchanged and all its outputs are still there: nothing to read or
/// typeset.
fn reuse(
    old: &Manifest,
    out: &Path,
    source: &str,
    key: &str,
    progress: &Progress,
    outputs: &[Box<dyn ArticleOutput + '_>],
    pictures: &crate::pictures::PictureStore,
) -> Option<Built> {
    let entry = old.articles.get(source).filter(|entry| entry.key == key)?;
    // An edited picture makes its handouts again although the article file is the same.
    if entry.pictures_hash != pictures_hash(pictures, source, &entry.pictures) {
        return None;
    }
    let mut built = Built { source: source.to_string(), ..Built::default() };
    for relative in &entry.outputs {
        let output = old.outputs.get(relative)?;
        if !old.is_current(out, relative, &output.fingerprint) {
            return None;
        }
        built.outputs.push((relative.clone(), output.clone()));
    }
    let handouts: HashSet<String> =
        outputs.iter().filter(|o| o.is_handout()).map(|o| o.path(&entry.report.id)).collect();
    let intermediate: HashSet<String> =
        outputs.iter().filter(|o| o.is_intermediate()).map(|o| o.path(&entry.report.id)).collect();
    for (relative, _) in &built.outputs {
        if intermediate.contains(relative) {
            built.intermediate = Some(relative.clone());
        }
        if handouts.contains(relative) {
            progress.skipped(display_name(relative));
            built.unchanged.push(relative.clone());
        }
    }
    built.report = Some(entry.report.clone());
    built.fingerprint = Some(entry.fingerprint.clone());
    built.entry = Some((source.to_string(), entry.clone()));
    Some(built)
}
