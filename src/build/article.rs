//! One article's build, and the step that gathers every article's results into the new
//! manifest and the report.
//!
//! [`build_article`] reads only the [`Context`], which is the same for every article
//! and read-only (the progress counter aside, which is atomic): that is what lets the
//! workers run it in parallel, and a panic in it stay that article's error
//! ([`build_guarded`]).

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use super::journal::Journal;
use super::manifest::{ArticleEntry, Manifest, Output, OutputEntry};
use super::plan::Planned;
use super::progress::{Done, Progress};
use super::{BuildOptions, report};
use crate::analyze::{self, WordLists};
use crate::digest::{Digest, hex};
use crate::error::Error;
use crate::fsx::write_atomic;
use crate::ingest;
use crate::labels::LabelTable;
use crate::model::Translation;
use crate::output::{ArticleOutput, ArticleReport, to_json};
use crate::pictures::PictureStore;

/// What every article's build reads: the same for the whole batch.
pub struct Context<'a> {
    pub options: &'a BuildOptions,
    /// The output folder.
    pub out: &'a Path,
    /// The largest article file read.
    pub max_bytes: u64,
    /// What the last build made (see [`super::MANIFEST`]).
    pub old: &'a Manifest,
    /// The outputs made per article, in the order they are made.
    pub outputs: &'a [Box<dyn ArticleOutput + 'a>],
    pub pictures: &'a PictureStore,
    pub labels: &'a LabelTable,
    pub words: &'a WordLists,
    /// Every setting besides the article, hashed: part of each article's reuse key.
    pub settings: u128,
    /// What makes an article a draft, and its review due date.
    pub rules: crate::review::Rules,
    pub progress: &'a Progress,
    /// Where each finished article is recorded at once, so a crash keeps it.
    pub journal: Option<&'a Journal>,
    /// Whether a journal error was printed.
    pub journal_warned: AtomicBool,
    /// Set by the first write that failed because the disk is full or read-only
    /// ([`Error::disk_full`]): no article starts after it, so the build stops with one
    /// error instead of one per handout it would still try.
    pub stopped: OnceLock<std::io::ErrorKind>,
}

impl Context<'_> {
    /// Stops the build when `err` is a full or read-only disk; whether it was.
    fn stop_on(&self, err: &Error) -> bool {
        match err.disk_full() {
            Some(kind) => {
                let _ = self.stopped.set(kind);
                true
            }
            None => false,
        }
    }
}

/// What building one article produced: held for every article until the batch ends, so
/// each path is one allocation, shared by the manifest and the report (a library of
/// 50,000 articles holds 50,000 of these; see bench/RESULTS.md).
#[derive(Default)]
pub struct Built {
    /// The article file.
    pub source: Arc<str>,
    pub report: Option<Arc<ArticleReport>>,
    /// Manifest entries of this article's outputs, written or up to date.
    pub outputs: Vec<Output>,
    pub typeset: Vec<Arc<str>>,
    pub unchanged: Vec<Arc<str>>,
    /// The fingerprint of the article's intermediate form.
    pub fingerprint: Option<Digest>,
    /// The intermediate output, written or up to date, that collection outputs read the
    /// article back from.
    pub intermediate: Option<Arc<str>>,
    /// Each problem, printed and reported at the end (in batch order).
    pub failures: Vec<Error>,
    /// `warning: file:line: message` lines, for `--verbose`.
    pub warnings: Vec<String>,
    /// What the next build may reuse, when everything of this article was built (its
    /// key in the manifest is `source`).
    pub entry: Option<Arc<ArticleEntry>>,
    /// What the last build made of it, when it failed: it goes back into the old
    /// manifest, so the article keeps its last good outputs and place.
    pub last: Option<Arc<ArticleEntry>>,
}

/// [`build_article`], with a panic while building the article (a bug met on its text,
/// or in the template engine) made that article's error, so the batch goes on.
///
/// Unwind safety: what `build_article` shares is read-only (settings, the old manifest,
/// the typesetter) or atomic (progress); an output it wrote before panicking is not in
/// the new manifest, so the next build makes it again, and a failed article keeps its
/// last good outputs like any other failure.
pub fn build_guarded(cx: &Context, item: &Planned) -> Built {
    let last = item.take_last();
    let mut built =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_article(cx, item, last.as_ref())))
            .unwrap_or_else(|panic| Built {
                source: item.path.display().to_string().into(),
                failures: vec![Error::internal(&item.path, "building", panic.as_ref())],
                ..Built::default()
            });
    if built.entry.is_none() {
        // Failed, or not started (the build stopped): its last build still stands.
        built.last = last;
    }
    report_progress(cx, &built);
    built
}

/// Counts the article in the progress: one handout, however many PDFs it has.
fn report_progress(cx: &Context, built: &Built) {
    let id = built.report.as_ref().map_or(&*built.source, |report| report.id.as_str());
    let done = if !built.failures.is_empty() {
        Done::Failed
    } else if !built.typeset.is_empty() {
        let pages = |relative: &Arc<str>| {
            built.outputs.iter().find(|(path, _)| path == relative).and_then(|(_, entry)| entry.pages)
        };
        Done::Typeset(built.typeset.iter().map(|relative| (&**relative, pages(relative))).collect())
    } else if !built.unchanged.is_empty() {
        Done::UpToDate
    } else {
        // Not started: the build stopped before it (a full disk).
        return;
    };
    cx.progress.done(id, &built.source, done);
}

/// Builds every output of one article, or reuses what the last build made of it
/// (`last`).
pub fn build_article(cx: &Context, item: &Planned, last: Option<&Arc<ArticleEntry>>) -> Built {
    if cx.stopped.get().is_some() {
        return Built { source: item.path.display().to_string().into(), ..Built::default() };
    }
    let options = cx.options;
    let force = options.force;
    // The bytes the first pass read: taken first, so they are freed on reuse too.
    let kept = item.bytes.lock().ok().and_then(|mut bytes| bytes.take());
    let source: Arc<str> = item.path.display().to_string().into();
    let translations = item.translations();
    let key = reuse_key(item, &translations, cx.settings);
    if !force
        && !options.verbose
        && let Some(mut built) = last.and_then(|last| reuse(cx, &source, last, key))
    {
        // Shared with the old manifest: copied only when it lacks what linking read.
        if let Some(entry) = &mut built.entry
            && entry.link.as_ref() != Some(&item.link)
        {
            Arc::make_mut(entry).link = Some(item.link.clone());
        }
        return built;
    }
    let mut built = Built { source: source.clone(), ..Built::default() };
    let ingested = match kept {
        Some(bytes) => ingest::ingest_bytes(&item.path, &bytes),
        None => ingest::ingest_file_limited(&item.path, cx.max_bytes),
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
    if let Err(err) = cx.pictures.resolve(&mut article) {
        built.failures.push(err);
        return built;
    }
    ingest::set_id(&mut article, item.id.clone(), &item.earlier);
    ingest::set_translations(&mut article, translations, item.link_warning.clone());
    cx.rules.apply(&mut article);
    analyze::analyze(&mut article, cx.words);
    cx.labels.warn_missing(&mut article);
    crate::failpoint::hit("build", &item.path);
    if options.verbose {
        built.warnings = report::warning_lines(&article);
    }
    let mut pages = None;
    for output in cx.outputs.iter().filter(|output| output.publishes(&article)) {
        let relative: Arc<str> = output.path(&article.id).into();
        let made = output.prepare(&article).and_then(|prepared| {
            let fingerprint = prepared.fingerprint();
            if let Some(entry) = cx.old.outputs.get(&relative).filter(|_| !force)
                && cx.old.is_current(cx.out, &relative, fingerprint)
            {
                return Ok((entry.clone(), false));
            }
            let rendered = prepared.render()?;
            write_atomic(&cx.out.join(&*relative), &rendered.bytes)?;
            Ok((
                Arc::new(OutputEntry::written(fingerprint, source.clone(), rendered.pages, &rendered.bytes)),
                true,
            ))
        });
        match made {
            Ok((entry, written)) => {
                if output.is_handout() {
                    pages = pages.or(entry.pages);
                    if written {
                        built.typeset.push(relative.clone());
                    } else {
                        built.unchanged.push(relative.clone());
                    }
                }
                if output.is_intermediate() {
                    built.intermediate = Some(relative.clone());
                }
                built.outputs.push((relative, entry));
            }
            Err(err) => {
                let stop = cx.stop_on(&err);
                built.failures.push(err);
                if stop {
                    break;
                }
            }
        }
    }
    // The pictures' bytes are part of what collection outputs (the EPUB) show.
    let shown = picture_sources(&article);
    let pictures_hash = pictures_hash(cx.pictures, &article.source, &shown);
    let fingerprint = match &pictures_hash {
        None => Digest::of(to_json(&article)),
        Some(hash) => Digest::of((to_json(&article), hash)),
    };
    let article_report = Arc::new(ArticleReport::new(&article, pages));
    if built.failures.is_empty() {
        let entry = Arc::new(ArticleEntry {
            pictures: shown,
            pictures_hash,
            source_hash: item.source_hash,
            base_id: item.base_id.clone(),
            key,
            outputs: built.outputs.iter().map(|(relative, _)| relative.clone()).collect(),
            report: article_report.clone(),
            fingerprint,
            link: Some(item.link.clone()),
        });
        // Every output is in place (written atomically): from now on the article is
        // finished work, whatever becomes of this build.
        if let Some(journal) = cx.journal
            && let Err(err) = journal.append(&source, &entry, &built.outputs)
            && !cx.stop_on(&err)
        {
            unjournaled(cx, err);
        }
        built.entry = Some(entry);
    }
    built.report = Some(article_report);
    built.fingerprint = Some(fingerprint);
    built
}

/// A journal that cannot be written costs only what a crash would then redo: the
/// build goes on, and says so once.
fn unjournaled(cx: &Context, err: Error) {
    if !cx.journal_warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
        super::log::warning(&format!("{err}; a crash of this build would make its handouts again"));
    }
}

/// What decides whether the last build's outputs of `item` can be reused: its file's
/// bytes, its unique id, its translations (a new translation changes its page) and
/// every setting. An article without translations has the key it had before they were
/// linked, so its outputs are reused from a manifest of then.
fn reuse_key(item: &Planned, translations: &[Translation], settings: u128) -> Digest {
    let warning = item.link_warning.as_ref().map(|w| (w.line, &w.message));
    if translations.is_empty() && warning.is_none() {
        Digest::of((&item.source_hash, &item.id, settings))
    } else {
        Digest::of((&item.source_hash, &item.id, translations, warning, settings))
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
fn pictures_hash(store: &PictureStore, source: &str, sources: &[String]) -> Option<String> {
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
fn reuse(cx: &Context, source: &Arc<str>, entry: &Arc<ArticleEntry>, key: Digest) -> Option<Built> {
    let old = cx.old;
    if entry.key != key {
        return None;
    }
    // An edited picture makes its handouts again although the article file is the same.
    if entry.pictures_hash != pictures_hash(cx.pictures, source, &entry.pictures) {
        return None;
    }
    let mut built = Built { source: source.clone(), ..Built::default() };
    for relative in &entry.outputs {
        let output = old.outputs.get(relative)?;
        if !old.is_current(cx.out, relative, output.fingerprint) {
            return None;
        }
        built.outputs.push((relative.clone(), output.clone()));
    }
    let handouts: HashSet<String> =
        cx.outputs.iter().filter(|o| o.is_handout()).map(|o| o.path(&entry.report.id)).collect();
    let intermediate: HashSet<String> =
        cx.outputs.iter().filter(|o| o.is_intermediate()).map(|o| o.path(&entry.report.id)).collect();
    for (relative, _) in &built.outputs {
        if intermediate.contains(&**relative) {
            built.intermediate = Some(relative.clone());
        }
        if handouts.contains(&**relative) {
            built.unchanged.push(relative.clone());
        }
    }
    built.report = Some(entry.report.clone());
    built.fingerprint = Some(entry.fingerprint);
    built.entry = Some(entry.clone());
    Some(built)
}

#[cfg(test)]
mod tests {
    use super::super::gather::{Gather, give_back};
    use super::*;
    use crate::output::{BuildReport, Prepared, Rendered};

    /// A handout made of the article's title: what the build does with an output,
    /// without typst.
    struct Fake;

    struct FakePrepared(Vec<u8>);

    impl Prepared for FakePrepared {
        fn fingerprint(&self) -> Digest {
            Digest::of(&self.0)
        }
        fn render(&self) -> crate::error::Result<Rendered> {
            Ok(Rendered { bytes: self.0.clone(), pages: Some(1) })
        }
    }

    impl ArticleOutput for Fake {
        fn path(&self, id: &str) -> String {
            format!("pdf/{id}.pdf")
        }
        fn is_handout(&self) -> bool {
            true
        }
        fn settings(&self) -> u128 {
            1
        }
        fn prepare<'a>(
            &'a self,
            article: &crate::model::Article,
        ) -> crate::error::Result<Box<dyn Prepared + 'a>> {
            Ok(Box::new(FakePrepared(format!("%PDF-{}", article.meta.title).into_bytes())))
        }
    }

    /// A content folder of `articles` (file name, text) and an output folder beside it.
    fn folder(articles: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("content")).expect("content");
        for (name, text) in articles {
            std::fs::write(dir.path().join("content").join(name), text).expect("write");
        }
        dir
    }

    /// One batch over `dir/content` with the fake output, from `old`: the build loop
    /// without the collection outputs.
    fn batch(dir: &Path, old: &Manifest) -> (Manifest, BuildReport) {
        let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("content"))
            .expect("content")
            .map(|entry| entry.expect("entry").path())
            .collect();
        paths.sort();
        let (planned, failures) =
            super::super::plan::plan_ids(paths.clone(), old, 1 << 20, true, true, &Default::default());
        // As the build does, on a copy: each article's entry goes to its worker.
        let mut old =
            Manifest { outputs: old.outputs.clone(), articles: old.articles.clone(), ..Manifest::default() };
        super::super::plan::hand_over(&planned, &mut old);
        let present = paths.iter().map(|p| p.display().to_string()).collect();
        // As the build does: a file the first pass could not read has failed.
        let mut failed: HashSet<String> =
            failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()).collect();
        let outputs: Vec<Box<dyn ArticleOutput>> = vec![Box::new(Fake)];
        let (options, out) = (BuildOptions::default(), dir.join("out"));
        let (pictures, labels) = (PictureStore::new(&dir.join("content")), LabelTable::builtin());
        let (words, progress) = (WordLists::builtin(), Progress::new(0, true));
        let cx = Context {
            options: &options,
            out: &out,
            max_bytes: 1 << 20,
            old: &old,
            outputs: &outputs,
            pictures: &pictures,
            labels: &labels,
            words: &words,
            settings: 7,
            rules: Default::default(),
            progress: &progress,
            journal: None,
            journal_warned: AtomicBool::new(false),
            stopped: OnceLock::new(),
        };
        let mut results: Vec<Built> = planned.iter().map(|item| build_guarded(&cx, item)).collect();
        drop(cx);
        give_back(&planned, &mut results, &mut old);
        let (mut new, mut report) = (Manifest::default(), BuildReport::default());
        report.failures = super::super::print_failures(&failures, false);
        let gather = Gather { old: &old, out: &out, quiet: false };
        gather.collect(results, &present, &mut failed, &mut new, &mut report);
        (new, report)
    }

    fn paths(list: &[Arc<str>]) -> Vec<&str> {
        list.iter().map(|path| &**path).collect()
    }

    const FEET: (&str, &str) =
        ("feet.txt", "Checking your feet\n\nLook at your feet every day after your bath.");
    const WALK: (&str, &str) = ("walk.txt", "Walking every day\n\nA short walk after each meal helps you.");

    #[test]
    fn an_article_is_built_once_then_reused_until_its_output_changes() {
        let dir = folder(&[FEET, WALK]);
        let (first, report) = batch(dir.path(), &Manifest::default());
        assert_eq!(paths(&report.pdfs), ["pdf/checking-your-feet.pdf", "pdf/walking-every-day.pdf"]);
        assert_eq!(first.articles.len(), 2);
        let pdf = dir.path().join("out/pdf/checking-your-feet.pdf");
        assert_eq!(std::fs::read(&pdf).expect("written"), b"%PDF-Checking your feet");

        let (second, report) = batch(dir.path(), &first);
        assert!(report.pdfs.is_empty() && report.unchanged.len() == 2, "{:?}", report.pdfs);
        assert_eq!(second.outputs.len(), 2);

        // A file that no longer holds what the manifest recorded is made again.
        std::fs::write(&pdf, b"%PDF-Checking your feeT").expect("write");
        let (_, report) = batch(dir.path(), &second);
        assert_eq!(paths(&report.pdfs), ["pdf/checking-your-feet.pdf"]);
        assert_eq!(std::fs::read(&pdf).expect("written"), b"%PDF-Checking your feet");
    }

    /// Gives `source`'s entry in `manifest` an intermediate output, `json/walking-every-day.json`,
    /// written in `dir/out`: what a real build's JSON output would be.
    fn with_intermediate(dir: &Path, manifest: &mut Manifest, source: &str) {
        std::fs::create_dir_all(dir.join("out/json")).expect("json");
        std::fs::write(dir.join("out/json/walking-every-day.json"), "{}").expect("write");
        let entry = manifest.articles.get_mut(source).expect("built");
        Arc::make_mut(entry).outputs.push("json/walking-every-day.json".into());
    }

    #[test]
    fn a_failed_article_keeps_its_place_in_the_collection_as_it_last_built() {
        let dir = folder(&[FEET, WALK]);
        let (mut first, _) = batch(dir.path(), &Manifest::default());
        // What the last build made of walk.txt, with an intermediate output; then the
        // file becomes unreadable.
        let source = dir.path().join("content/walk.txt").display().to_string();
        with_intermediate(dir.path(), &mut first, &source);
        std::fs::write(&source, b"\xff\xfe not text").expect("write");

        let (new, report) = batch(dir.path(), &first);
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        let kept = new.articles.get(&*source).expect("its entry stays for the next build");
        assert_eq!(kept.fingerprint, first.articles[&*source].fingerprint);
        // Its handout is neither made nor removed: the stale step keeps it.
        assert!(!new.outputs.contains_key("pdf/walking-every-day.pdf"));
        assert!(dir.path().join("out/pdf/walking-every-day.pdf").is_file());
    }

    #[test]
    fn an_article_that_fails_in_its_worker_keeps_its_last_entry_and_place() {
        let dir = folder(&[FEET, ("walk.md", "# Walking every day\n\nA short walk after each meal.")]);
        let (mut first, _) = batch(dir.path(), &Manifest::default());
        let source = dir.path().join("content/walk.md").display().to_string();
        with_intermediate(dir.path(), &mut first, &source);
        // Read and planned (its entry went to its worker), then failed there, before its
        // intermediate form: a picture that is not there.
        std::fs::write(&source, "# Walking every day\n\n![A walk](missing.png)\n").expect("write");

        let (new, report) = batch(dir.path(), &first);
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        assert_eq!(report.unchanged.len(), 1, "feet.txt is reused from its entry");
        let kept = new.articles.get(&*source).expect("the failed article's entry stays for the next build");
        assert!(Arc::ptr_eq(kept, &first.articles[&*source]), "the last build's, not a new one");
        assert_eq!(new.articles.len(), 2);
    }
}
