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

mod article;
mod failures;
mod gather;
mod guard;
mod journal;
mod lock;
pub mod log;
mod manifest;
mod merge;
mod plan;
mod progress;
pub mod report;
mod review_list;
pub mod run_record;
mod shard;
mod site_files;
mod stale;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::error::{Error, Failure, Result};
use crate::fsx::ensure_writable_dir;
use crate::output::{self, BuildReport, Collection, hex};
use crate::typeset::Typesetter;

use article::Context;
pub use failures::failure_lines;
pub(crate) use failures::print_failures;
pub use guard::DEFAULT_MAX_REMOVALS;
pub use journal::JOURNAL;
pub use lock::{LOCK, OutLock, lock_out, lock_out_shared};
pub use manifest::MANIFEST;
use manifest::{Manifest, OutputEntry};
pub use merge::merge;
pub use plan::{
    Batch, article_paths, load_batch, load_config, load_named_config, plain_language, print_skipped,
};
use progress::Progress;
pub use report::{check_rows, print_warnings, summary_line, summary_table};
pub use review_list::ReviewLists;
pub use shard::{SHARDS, Shard, shard_of};

/// Where a project's files are: all `watch` watches and `serve` serves, without the
/// rest of a build's options.
#[derive(Debug, Clone)]
pub struct ProjectPaths {
    pub content: PathBuf,
    /// The config file (it need not exist: then the built-in defaults apply).
    pub config: PathBuf,
    pub out: PathBuf,
}

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
    /// Make only this shard's share of the articles (see [`shard`]).
    pub shard: Option<Shard>,
    /// `--drafts`: the site's catalogue and search data list the drafts too (marked),
    /// and `out/site/pdf/` holds their PDFs. The EPUB never holds a draft.
    pub drafts: bool,
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
            shard: None,
            drafts: false,
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
    if let Some(shard) = options.shard
        && options.partial()
    {
        return Err(Error::usage(format!(
            "--shard {shard} builds its share of the whole content folder: it cannot be combined with --only or article files"
        )));
    }
    // Before anything is read: a second run on this folder stops at once (the shards of
    // one `--shard` build share it).
    let lock = match options.shard {
        Some(_) => lock_out_shared(&config.out_dir)?,
        None => lock_out(&config.out_dir)?,
    };
    lock.tidy(&config.out_dir);
    let _shard_lock = options.shard.map(|shard| shard::lock_shard(&config.out_dir, shard)).transpose()?;
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
    let shard = options.shard;
    // A shard writes no collection output: the merge does, from every shard's work.
    let collections = match shard {
        Some(_) => Vec::new(),
        None => output::collection_outputs(
            config,
            options.epub && !options.partial(),
            !options.partial(),
            &pictures,
        )?,
    };
    let out = &config.out_dir;
    // What the last build finished, and what builds killed since then finished.
    let mut old = Manifest::load(out);
    journal::fold(out, &mut old);
    let journal = match shard {
        Some(shard) => {
            shard::fold_own(out, shard, &mut old);
            journal::Journal::at(shard::journal_path(out, shard))
        }
        None => journal::Journal::new(out),
    };
    let checked = check_outputs(typesetter, config, &old, options.force)?;
    let pinned = typesetter.pinned_template_files().to_vec();
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

    let (mut planned, unreadable) = plan::plan_ids(
        found.files,
        &old,
        max_bytes,
        options.quiet,
        options.files.is_empty(),
        &config.review_rules(),
    );
    failures.extend(unreadable);
    if !options.only.is_empty() {
        for id in &options.only {
            if !planned.iter().any(|p| &p.id == id) {
                failures.push(Error::usage(format!("--only {id}: no article has this id")));
            }
        }
        planned.retain(|p| options.only.contains(&p.id));
    }
    let mut report = BuildReport { failures: print_failures(&failures, options.quiet), ..Default::default() };
    // The files that failed before they were planned are the merge's to report (every
    // shard meets them).
    let mut failed: HashSet<String> = match shard {
        Some(_) => HashSet::new(),
        None => failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()).collect(),
    };

    let settings = settings_hash(&outputs, &words, config);
    if !options.partial() {
        let made: Vec<String> = planned.iter().flat_map(|p| outputs.iter().map(|o| o.path(&p.id))).collect();
        guard::refuse_removals_early(out, &old, &made, &present, options.max_removals)?;
    }
    // Only a shard's part records them.
    let inputs = shard.map(|_| shard::inputs(settings, out, &planned, &present));
    if let Some(shard) = shard {
        planned.retain(|p| shard.owns(&p.id));
    }
    plan::hand_over(&planned, &mut old);
    let handouts = outputs.iter().filter(|o| o.is_handout()).count();
    // Counted in articles: an article's regular and large-print PDFs are one handout.
    let progress = Progress::new(if handouts > 0 { planned.len() } else { 0 }, options.quiet);
    let cx = Context {
        options,
        out,
        max_bytes,
        old: &old,
        outputs: &outputs,
        pictures: &pictures,
        labels: &labels,
        words: &words,
        settings,
        rules: config.review_rules(),
        progress: &progress,
        journal: Some(&journal),
        journal_warned: Default::default(),
        stopped: Default::default(),
    };
    let mut results = Typesetter::typeset_batch(&planned, |item| article::build_guarded(&cx, item));
    let stopped = cx.stopped.get().copied();
    drop(cx);
    gather::give_back(&planned, &mut results, &mut old);
    // Its articles are built: what follows (the EPUB, the site) needs only the results,
    // and a plan of 50,000 articles holds tens of MB.
    let planned_count = planned.len();
    drop(planned);
    progress.clear();
    let gather = gather::Gather { old: &old, out, quiet: options.quiet };
    if let Some(kind) = stopped {
        // A full or read-only disk: one error for the build, not one per handout it
        // was writing. Nothing more is written (the manifest would fail the same way):
        // the journal keeps the finished articles for the next build.
        for built in &mut results {
            built.failures.retain(|err| err.disk_full().is_none());
        }
        let done = results.iter().map(|built| built.typeset.len() + built.unchanged.len()).sum();
        let mut failed = HashSet::new();
        gather.collect(results, &present, &mut failed, &mut Manifest::default(), &mut report);
        return Err(Error::disk_stopped(out, kind, done, planned_count * handouts));
    }

    // An article may read a template file the sample article did not (one imported for
    // its language): the next build pins it too.
    let mut template_files: BTreeSet<String> = typesetter.pinned_template_files().iter().cloned().collect();
    template_files.extend(typesetter.template_files());
    let mut new =
        Manifest { checked, template_files: template_files.into_iter().collect(), ..Manifest::default() };
    if let Some(shard) = shard {
        let articles = results.iter().map(shard::Record::of).collect();
        let members = gather.collect(results, &present, &mut failed, &mut new, &mut report);
        let mut failed: Vec<String> = failed.into_iter().collect();
        failed.sort();
        let part = shard::Part {
            shard,
            inputs: inputs.unwrap_or_default(),
            pinned,
            manifest: new,
            articles,
            members,
            failed,
        };
        shard::write_part(out, &part)?;
        return Ok(report);
    }
    let members = gather.collect(results, &present, &mut failed, &mut new, &mut report);
    let gathered = Gathered { new, report, members, present, failed };
    publish(out, options, &collections, &old, gathered, true)
}

/// Every setting besides the articles, hashed: part of each article's reuse key.
fn settings_hash(
    outputs: &[Box<dyn output::ArticleOutput + '_>],
    words: &crate::analyze::WordLists,
    config: &Config,
) -> u128 {
    let outputs: Vec<_> = outputs.iter().map(|o| (o.path("-"), o.settings())).collect();
    let rules = config.review_rules();
    // Without drafts or reviews configured, the hash is the one made before they
    // existed: a library's outputs are reused, not all made again.
    if rules.is_default() {
        typst::utils::hash128(&(outputs, words, config.source_date_epoch))
    } else {
        typst::utils::hash128(&(outputs, words, config.source_date_epoch, rules))
    }
}

/// What the articles' outputs gave, for the collection outputs and the stale step.
struct Gathered {
    new: Manifest,
    report: BuildReport,
    /// The collection's members, sorted by file.
    members: Vec<gather::Member>,
    /// Every article file that exists, and those that failed.
    present: HashSet<String>,
    failed: HashSet<String>,
}

/// The article files that are drafts: those this build made, and those that failed and
/// keep their last good version (in `new` without a report line of this build).
fn draft_sources(report: &BuildReport, new: &Manifest) -> HashSet<String> {
    let built = report.articles.iter().filter(|a| a.status == crate::model::Status::Draft);
    let kept =
        new.articles.values().map(|entry| &entry.report).filter(|a| a.status == crate::model::Status::Draft);
    built.chain(kept).map(|a| a.source.clone()).collect()
}

/// After every article: the collection outputs, the removal of stale outputs (within
/// `--max-removals`), the manifest, then the report. A full build and `merge` end alike.
/// `keep_refused`: when the removals are refused, whether the manifest is still written
/// (with the stale outputs in it, so the next build asks again); the merge writes none,
/// so its shards' parts still fit the folder when it is run again.
fn publish(
    out: &std::path::Path,
    options: &BuildOptions,
    collections: &[Box<dyn output::CollectionOutput>],
    old: &Manifest,
    gathered: Gathered,
    keep_refused: bool,
) -> Result<BuildReport> {
    let Gathered { mut new, mut report, mut members, present, failed } = gathered;
    let force = options.force;
    let drafts = draft_sources(&report, &new);
    if !options.drafts {
        // Out of the catalogue, its search data and the EPUB: published handouts only.
        members.retain(|(path, _, _)| !drafts.contains(&**path));
    }
    let (mut fingerprints, mut intermediates) = (Vec::new(), Vec::new());
    for (_, fingerprint, intermediate) in members {
        fingerprints.extend(fingerprint);
        intermediates.extend(intermediate);
    }

    // Collection outputs with a fingerprint (the EPUB) are made when it changed. They
    // need every article at once, so the articles are loaded only then, from their
    // intermediate outputs: no article file is read, parsed or analysed twice, and the
    // ids are the ones this build gave.
    let load = |index: usize| match intermediates.get(index) {
        Some(relative) => output::read_intermediate(&out.join(&**relative)),
        None => Err(crate::error::Error::Output {
            path: out.to_path_buf(),
            message: format!("no intermediate output {index} in this build"),
        }),
    };
    let (cached, always): (Vec<_>, Vec<_>) =
        collections.iter().partition(|c| c.fingerprint(&fingerprints).is_some());
    for collection in cached {
        let relative: Arc<str> = collection.path().into();
        let Some(fingerprint) = collection.fingerprint(&fingerprints) else { continue };
        if !force
            && old.is_current(out, &relative, fingerprint)
            && let Some(entry) = old.outputs.get(&relative)
        {
            new.outputs.insert(relative, entry.clone());
            continue;
        }
        let input = Collection { count: intermediates.len(), article: &load, report: &report };
        let written = collection.write(&input, &out.join(&*relative)).map(|written| OutputEntry {
            fingerprint,
            source: "".into(),
            pages: None,
            size: Some(written.size),
            hash: Some(written.hash),
        });
        match written {
            Ok(entry) => {
                new.outputs.insert(relative.clone(), Arc::new(entry));
                if relative.ends_with(".epub") {
                    report.epub = Some(relative.to_string());
                }
                report.collections.push(relative.to_string());
            }
            Err(err) => {
                let failure = Failure::from(&err);
                log::failures(std::slice::from_ref(&failure));
                report.failures.push(failure);
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
        let stale = stale::stale_outputs(old, &mut new, &present, &failed, &report);
        if let Err(err) = guard::refuse_removals(out, &stale, old, options.max_removals) {
            // Nothing is removed. The stale outputs stay in the manifest, so the next
            // build asks again, and what this one made is not made again.
            if keep_refused {
                new.outputs.extend(
                    stale.into_iter().map(|(relative, entry)| (relative.clone(), Arc::new(entry.clone()))),
                );
                journal::write_manifest(out, &new)?;
            }
            return Err(err);
        }
        stale::remove_outputs(out, &stale, &mut report);
    }
    journal::write_manifest(out, &new)?;
    site_files::mirror(out, &new, options.drafts)?;

    // Outputs written on every build (the report) record the build, so they come last.
    for collection in always {
        let input = Collection { count: intermediates.len(), article: &load, report: &report };
        if let Err(err) = collection.write(&input, &out.join(collection.path())) {
            let failure = Failure::from(&err);
            log::failures(std::slice::from_ref(&failure));
            report.failures.push(failure);
        }
    }
    Ok(report)
}
