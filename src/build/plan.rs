//! Planning: the config, the article files, and each article's unique id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{LinkFacts, Manifest};
use crate::analyze::{self, PlainLanguage, WordLists};
use crate::config::{Config, ConfigFile};
use crate::error::{Error, Kind, Result};
use crate::ingest;
use crate::ingest::translations::Group;
use crate::model::{Article, Translation, Warning};

/// Articles that were read, and the files that could not be.
#[derive(Debug, Default)]
pub struct Batch {
    pub articles: Vec<Article>,
    pub failures: Vec<Error>,
}

impl Batch {
    /// Prints each file that could not be read as `error: …` and returns them for the
    /// end-of-run summary.
    pub fn report_failures(&self) -> Vec<crate::error::Failure> {
        super::print_failures(&self.failures, false)
    }
}

/// Loads the config and resolves it with the command-line paths. A `SOURCE_DATE_EPOCH`
/// that is set but not a number is an error here, before any command reads it.
pub fn load_config(
    config_path: &Path,
    content: PathBuf,
    out: PathBuf,
    jobs: Option<usize>,
) -> Result<Config> {
    crate::validate::source_date_epoch().map_err(Error::usage)?;
    Ok(ConfigFile::load(config_path)?.resolve(config_path, content, out, jobs))
}

/// [`load_config`] for a command's `--config`: `named` is the file the command line
/// gave, which must exist (a misspelt path built unbranded handouts with exit 0); without
/// one, `handouts.toml` is read, and built-in defaults are used when it is missing.
pub fn load_named_config(
    named: Option<&Path>,
    content: PathBuf,
    out: PathBuf,
    jobs: Option<usize>,
) -> Result<Config> {
    if let Some(path) = named
        && !path.exists()
    {
        return Err(Error::config(
            path,
            None,
            "config file not found (check the --config path; without --config, handouts.toml or the built-in defaults are used)",
        ));
    }
    load_config(crate::cli::config_path(named), content, out, jobs)
}

/// The plain-language word lists: the built-in ones, each replaced by the clinic's own
/// beside the template when there is one (`plain-language.toml` for English,
/// `plain-language.<lang>.toml` for another language).
pub fn plain_language(config: &Config) -> Result<WordLists> {
    let mut lists = WordLists::builtin();
    let Some(dir) = config.template_dir() else { return Ok(lists) };
    for (lang, file) in
        [("en", "plain-language.toml".to_string()), ("es", "plain-language.es.toml".to_string())]
    {
        let path = dir.join(file);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                kind: Kind::Config,
                path: path.clone(),
                source,
            })?;
            let list = PlainLanguage::parse(&text).map_err(|message| Error::config(&path, None, message))?;
            lists.insert(lang, list);
        }
    }
    Ok(lists)
}

/// Reads every article in the content folder (or just `files`), gives each a unique id
/// and its readability figures.
pub fn load_batch(config: &Config, files: Option<&[PathBuf]>) -> Result<Batch> {
    let found = article_paths(config, files)?;
    let words = plain_language(config)?;
    let mut batch = Batch { failures: found.refused, ..Batch::default() };
    let max_bytes = config.max_file_bytes;
    // Reading and analysing are independent per file; order is kept for stable ids.
    let results: Vec<Result<Article>> =
        found.files.par_iter().map(|path| ingest::ingest_file_limited(path, max_bytes)).collect();
    // Pictures are checked where the articles are read: a path leaving the content
    // folder (or, for a file outside it, the file's own folder) fails that article.
    let pictures = crate::pictures::PictureStore::new(&config.content_dir);
    for result in results {
        match result.and_then(|mut article| pictures.resolve(&mut article).map(|()| article)) {
            Ok(article) => batch.articles.push(article),
            Err(err) => batch.failures.push(err),
        }
    }
    // The ids the last build published (check, inspect and the EPUB agree with it).
    let published = super::manifest::Manifest::load(&config.out_dir);
    ingest::assign_unique_ids(&mut batch.articles, |source| {
        published.articles.get(source).map(|entry| entry.report.id.clone())
    });
    let rules = config.review_rules();
    batch.articles.iter_mut().for_each(|article| rules.apply(article));
    ingest::link_translations(&mut batch.articles, files.is_none(), ingest::translation_key_line);
    if !rules.include_drafts {
        ingest::unlink_drafts(&mut batch.articles);
    }
    let labels = crate::labels::LabelTable::load(config.template_dir())?;
    batch.articles.par_iter_mut().for_each(|article| {
        analyze::analyze(article, &words);
        labels.warn_missing(article);
    });
    Ok(batch)
}

/// The article files to build: `files` when given, else everything in the content
/// folder, with the files discovery refused (e.g. symlinks leading outside it) and
/// those it skipped as not articles.
pub fn article_paths(config: &Config, files: Option<&[PathBuf]>) -> Result<ingest::Discovery> {
    match files {
        Some(files) => {
            // A file named on the command line that is not there is a mistake in the
            // command, not "nothing changed".
            for file in files {
                if !file.is_file() {
                    return Err(Error::usage(format!("{}: no such article file", file.display())));
                }
            }
            Ok(ingest::Discovery { files: files.to_vec(), ..Default::default() })
        }
        None => {
            if !config.content_dir.is_dir() {
                return Err(Error::usage(format!(
                    "{}: content folder not found (use --content DIR, or `handouts init` to start one)",
                    config.content_dir.display()
                )));
            }
            let found = ingest::discover_all(&config.content_dir)?;
            super::guard::refuse_empty_content(&config.content_dir, &found)?;
            Ok(found)
        }
    }
}

/// Prints one line per file in the content folder that is not an article.
pub fn print_skipped(skipped: &[PathBuf]) {
    for path in skipped {
        super::log::note(&format!(
            "skipped {}: not an article (articles are .txt, .md, .json, .html or .docx files)",
            path.display()
        ));
    }
}

/// An article the build will make, known by its file and unique id.
/// The most source text the plan holds for the workers: a batch of new articles up to
/// this size is read once; past it, each worker reads its file again rather than the
/// plan holding 50,000 articles' text (300 MB) until the last is built.
const KEPT_SOURCE_BUDGET: usize = 64 << 20;

pub struct Planned {
    pub path: PathBuf,
    pub source_hash: crate::digest::Digest,
    /// The id its title or file name gives, and the unique one the batch gave it.
    pub base_id: String,
    pub id: String,
    /// The file that holds `base_id` (for the warning when this one got a suffix).
    pub earlier: String,
    /// Its language and `translation-key`, which linking read (kept in the manifest).
    pub link: LinkFacts,
    /// Its translation group in the batch (see [`Planned::translations`]), and the
    /// warning when its `translation-key` links it to none.
    pub group: Group,
    pub link_warning: Option<Warning>,
    /// The bytes the first pass read, for the worker that builds the article: a file is
    /// read once per build, and built from exactly the bytes its hash and id came from.
    /// Taken, and so freed, by the worker (also when it reuses the last build's outputs),
    /// so at most the batch's source text is held, never its parsed articles.
    pub bytes: std::sync::Mutex<Option<Vec<u8>>>,
    /// What the last build made of it, moved here from the old manifest before the
    /// batch ([`hand_over`]) and taken by the worker: the old manifest then holds only
    /// the articles nobody builds, and a rebuild of every article (a template change)
    /// does not hold each one's old and new entries side by side to the end.
    pub last: std::sync::Mutex<Option<std::sync::Arc<super::manifest::ArticleEntry>>>,
}

impl Planned {
    /// Its translations: the other articles of its group, in language-tag order.
    pub fn translations(&self) -> Vec<Translation> {
        self.group.others(&self.id)
    }

    /// Takes what the last build made of it (see [`Planned::last`]).
    pub fn take_last(&self) -> Option<std::sync::Arc<super::manifest::ArticleEntry>> {
        self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Moves each planned article's entry from `old` into its [`Planned::last`].
pub fn hand_over(planned: &[Planned], old: &mut Manifest) {
    for item in planned {
        if let Some(entry) = old.articles.remove(&*item.path.display().to_string()) {
            *item.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(entry);
        }
    }
}

/// Puts back into `old` the entries no worker took (a build stopped by a full disk).
pub fn take_back(planned: &[Planned], old: &mut Manifest) {
    for item in planned {
        if let Some(entry) = item.take_last() {
            old.articles.insert(item.path.display().to_string().into(), entry);
        }
    }
}

/// Reads every file only for its id (ids are unique across the batch), language and
/// `translation-key`; a file whose bytes the last build saw is not parsed at all. Files
/// that cannot be read are returned as failures; duplicate ids are warned about, naming
/// both files, and so is a `translation-key` that links an article to none. Translations
/// are linked here, before any article is built, so every page can list them.
/// `whole_batch` is false when only some files were named (see
/// [`ingest::translations::link`]).
pub fn plan_ids(
    paths: Vec<PathBuf>,
    old: &Manifest,
    max_bytes: u64,
    quiet: bool,
    whole_batch: bool,
    rules: &crate::review::Rules,
) -> (Vec<Planned>, Vec<Error>) {
    type Read = (crate::digest::Digest, String, LinkFacts, Option<Vec<u8>>);
    let kept_bytes = std::sync::atomic::AtomicUsize::new(0);
    let read: Vec<Result<Read>> = paths
        .par_iter()
        .map(|path| {
            let bytes = ingest::read_limited(path, max_bytes)?;
            // The version is part of it: another version may derive another id.
            let source_hash = crate::digest::Digest::of((env!("CARGO_PKG_VERSION"), &bytes));
            let known = old
                .articles
                .get(&*path.display().to_string())
                .filter(|e| e.source_hash == source_hash)
                .and_then(|e| Some((e.base_id.clone(), e.link.clone().filter(|l| l.reviewed.is_some())?)));
            let (base_id, link, keep) = match known {
                // Most likely reused as it is: not held (a no-op over 50,000 articles held
                // 300 MB of text); should it be built, its worker reads it again.
                Some((base_id, link)) => (base_id, link, false),
                None => {
                    let article = ingest::ingest_bytes(path, &bytes)?;
                    let link = LinkFacts::of(&article);
                    let held = kept_bytes.fetch_add(bytes.len(), std::sync::atomic::Ordering::Relaxed);
                    (article.id, link, held + bytes.len() <= KEPT_SOURCE_BUDGET)
                }
            };
            Ok((source_hash, base_id, link, keep.then_some(bytes)))
        })
        .collect();
    let mut readable = Vec::new();
    let mut failures = Vec::new();
    // A file that fails keeps its last good outputs; its translations keep linking to
    // them, so one article's typo does not unlink the others' language links.
    let mut kept: Vec<(String, LinkFacts)> = Vec::new();
    for (path, result) in paths.into_iter().zip(read) {
        match result {
            Ok((source_hash, base_id, link, bytes)) => {
                readable.push((path, source_hash, base_id, link, bytes))
            }
            Err(err) => {
                if let Some(entry) = old.articles.get(&*path.display().to_string())
                    && let Some(link) = &entry.link
                {
                    kept.push((entry.report.id.clone(), link.clone()));
                }
                failures.push(err)
            }
        }
    }
    // Each file keeps the id it was last published under; a file renamed since (same
    // bytes, old name gone) keeps its old name's id.
    let present: std::collections::HashSet<String> =
        readable.iter().map(|(path, ..)| path.display().to_string()).collect();
    let vanished: HashMap<crate::digest::Digest, &str> = old
        .articles
        .iter()
        .filter(|(source, _)| !present.contains(&***source))
        .map(|(_, entry)| (entry.source_hash, entry.report.id.as_str()))
        .collect();
    let previous: Vec<Option<String>> = readable
        .iter()
        .map(|(path, source_hash, ..)| {
            let published = old.articles.get(&*path.display().to_string()).map(|e| e.report.id.clone());
            published.or_else(|| vanished.get(source_hash).map(|id| id.to_string()))
        })
        .collect();
    let bases: Vec<&str> = readable.iter().map(|(_, _, id, _, _)| id.as_str()).collect();
    let ids = ingest::stable_unique_ids(&bases, &previous);
    let sources: Vec<String> = readable.iter().map(|(path, ..)| path.display().to_string()).collect();
    let holders = ingest::id_holders(sources.iter().map(String::as_str), &ids);
    let mut planned: Vec<Planned> = readable
        .into_iter()
        .zip(ids)
        .map(|((path, source_hash, base_id, link, bytes), id)| {
            let earlier = holders.get(&base_id).cloned().unwrap_or_else(|| path.display().to_string());
            if id != base_id && !quiet {
                // Two handouts with one title confuse patients and staff alike: say so
                // on every build, not only with --verbose.
                super::log::warning(&format!(
                    "{}: id \"{base_id}\" is already the id of {earlier} (same title?); this one is \"{id}\"",
                    path.display()
                ));
            }
            Planned {
                path,
                source_hash,
                base_id,
                id,
                earlier,
                link,
                group: Group::default(),
                link_warning: None,
                bytes: std::sync::Mutex::new(bytes),
                last: Default::default(),
            }
        })
        .collect();
    link_translations(&mut planned, &kept, whole_batch, quiet);
    if !rules.include_drafts {
        unlink_drafts(&mut planned, &kept, rules);
    }
    (planned, failures)
}

/// Takes the drafts out of every article's translations: a draft has no page, so no
/// page may offer it ("This handout in: Español" leading nowhere, or to text nobody
/// reviewed). A draft keeps its own links, which only its JSON shows.
fn unlink_drafts(planned: &mut [Planned], kept: &[(String, LinkFacts)], rules: &crate::review::Rules) {
    let drafts: std::collections::HashSet<String> = planned
        .iter()
        .filter(|p| p.link.is_draft(rules))
        .map(|p| p.id.clone())
        .chain(kept.iter().filter(|(_, link)| link.is_draft(rules)).map(|(id, _)| id.clone()))
        .collect();
    if drafts.is_empty() {
        return;
    }
    // One group without its drafts for all its members, as the group was one.
    let mut published: HashMap<*const Translation, Group> = HashMap::new();
    for p in planned.iter_mut().filter(|p| !p.link.is_draft(rules)) {
        let group =
            published.entry(p.group.address()).or_insert_with(|| p.group.without(|t| drafts.contains(&t.id)));
        p.group = group.clone();
    }
}

/// Links the planned articles to their translations, printing (unless `quiet`) each
/// warning the way duplicate ids are: on every build, as a patient could be handed the
/// wrong language's copy.
fn link_translations(planned: &mut [Planned], kept: &[(String, LinkFacts)], whole_batch: bool, quiet: bool) {
    let linked: Vec<(Group, Option<Warning>)> = {
        // The failed files' last good entries are members too (after the planned ones),
        // so their translations still link to them; their own links are not remade.
        let members: Vec<ingest::translations::Member> = planned
            .iter()
            .map(|p| ingest::translations::Member {
                id: &p.id,
                key: p.link.translation_key.as_deref(),
                lang: &p.link.lang,
            })
            .chain(kept.iter().map(|(id, link)| ingest::translations::Member {
                id,
                key: link.translation_key.as_deref(),
                lang: &link.lang,
            }))
            .collect();
        // The line of `translation-key`, from the bytes the first pass kept.
        let key_line = |p: &Planned| -> Option<usize> {
            p.link.translation_key.as_ref()?;
            let line = |bytes: &[u8]| ingest::line_of_key(&String::from_utf8_lossy(bytes), "translation-key");
            match p.bytes.lock().ok()?.as_deref() {
                Some(held) => line(held),
                // Not held (an unchanged file, or past the budget): read for this warning.
                None => line(&std::fs::read(&p.path).ok()?),
            }
        };
        let place = |index: usize| {
            let Some(p) = planned.get(index) else {
                // A failed file's last good version.
                let id = kept.get(index - planned.len()).map_or("?", |(id, _)| id.as_str());
                return format!("the last good version of \"{id}\"");
            };
            match key_line(p) {
                Some(line) => format!("{}:{line}", p.path.display()),
                None => p.path.display().to_string(),
            }
        };
        ingest::translations::link(&members, whole_batch)
            .into_iter()
            .take(planned.len())
            .enumerate()
            .map(|(index, linked)| {
                let warning = linked.problem.map(|problem| Warning {
                    line: key_line(&planned[index]),
                    message: ingest::translations::warning(&members, index, problem, place),
                });
                if let Some(warning) = &warning
                    && !quiet
                {
                    super::log::warning(&format!("{}: {}", place(index), warning.message));
                }
                (linked.group, warning)
            })
            .collect()
    };
    for (p, (group, warning)) in planned.iter_mut().zip(linked) {
        p.group = group;
        p.link_warning = warning;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_pass_hands_each_file_s_bytes_to_its_worker() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::fs::write(&a, "Hand Washing\n\nWash your hands with soap and water for twenty seconds.")
            .unwrap();
        std::fs::write(&b, "Hand Washing\n\nDry your hands on a clean towel after washing them.").unwrap();
        let (planned, failures) = plan_ids(
            vec![a.clone(), b.clone()],
            &Manifest::default(),
            1 << 20,
            true,
            true,
            &Default::default(),
        );
        assert!(failures.is_empty());
        assert_eq!(
            planned.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            ["hand-washing", "hand-washing-2"]
        );
        // The files may change or vanish now: the build uses what the first pass read.
        std::fs::remove_file(&a).unwrap();
        let kept = planned[0].bytes.lock().unwrap().take().expect("bytes kept for the worker");
        assert!(String::from_utf8(kept).unwrap().contains("twenty seconds"));
    }

    #[test]
    fn translations_are_linked_before_any_article_is_built_and_from_the_manifest_when_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (en, es) = (dir.path().join("foot.md"), dir.path().join("pies.es.md"));
        std::fs::write(&en, "---\ntitle: Foot care\nlang: en\n---\nWash your feet every day.").unwrap();
        std::fs::write(&es, "---\ntitle: Pies\nlang: es\ntranslation-key: foot-care\n---\nLávese los pies.")
            .unwrap();
        let paths = vec![en.clone(), es.clone()];
        let (planned, _) =
            plan_ids(paths.clone(), &Manifest::default(), 1 << 20, true, true, &Default::default());
        let linked = |planned: &[Planned]| -> Vec<Vec<String>> {
            planned
                .iter()
                .map(|p| p.translations().iter().map(|t| format!("{} {}", t.lang, t.id)).collect())
                .collect()
        };
        assert_eq!(linked(&planned), [vec!["es pies"], vec!["en foot-care"]]);
        assert_eq!(planned[1].link.translation_key.as_deref(), Some("foot-care"));

        // A file the last build saw is not parsed again: what the manifest says is used
        // (here a language the file does not have, to tell).
        let mut old = Manifest::default();
        for p in &planned {
            let article = ingest::ingest_file(&p.path).unwrap();
            let lang = if p.id == "pies" { "es-MX" } else { "en" };
            let entry = super::super::manifest::ArticleEntry {
                source_hash: p.source_hash,
                base_id: p.base_id.clone(),
                key: Default::default(),
                outputs: Vec::new(),
                report: crate::output::ArticleReport::new(&article, None).into(),
                fingerprint: Default::default(),
                pictures: Vec::new(),
                pictures_hash: None,
                link: Some(LinkFacts {
                    lang: lang.into(),
                    translation_key: p.link.translation_key.clone(),
                    status: Default::default(),
                    reviewed: Some(false),
                }),
            };
            old.articles.insert(p.path.display().to_string().into(), entry.into());
        }
        let (planned, _) = plan_ids(paths, &old, 1 << 20, true, true, &Default::default());
        assert_eq!(linked(&planned), [vec!["es-MX pies"], vec!["en foot-care"]]);

        // Some files only: the Spanish one alone links to nothing, and that is no problem.
        let (planned, _) =
            plan_ids(vec![es], &Manifest::default(), 1 << 20, true, false, &Default::default());
        assert!(planned[0].translations().is_empty() && planned[0].link_warning.is_none());
    }
}
