//! Planning: the config, the article files, and each article's unique id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::Manifest;
use crate::analyze::{self, PlainLanguage, WordLists};
use crate::config::{Config, ConfigFile};
use crate::error::{Error, Kind, Result};
use crate::ingest;
use crate::model::Article;

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
        super::print_failures(&self.failures)
    }
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
    ingest::assign_unique_ids(&mut batch.articles);
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
            ingest::discover_all(&config.content_dir)
        }
    }
}

/// Prints one line per file in the content folder that is not an article.
pub fn print_skipped(skipped: &[PathBuf]) {
    for path in skipped {
        eprintln!("note: skipped {}: not an article (articles are .txt, .md or .json files)", path.display());
    }
}

/// An article the build will make, known by its file and unique id.
pub struct Planned {
    pub path: PathBuf,
    pub source_hash: String,
    /// The id its title or file name gives, and the unique one the batch gave it.
    pub base_id: String,
    pub id: String,
    /// The first file in the batch whose id is `base_id`.
    pub earlier: String,
    /// The bytes the first pass read, for the worker that builds the article: a file is
    /// read once per build, and built from exactly the bytes its hash and id came from.
    /// Taken, and so freed, by the worker (also when it reuses the last build's outputs),
    /// so at most the batch's source text is held, never its parsed articles.
    pub bytes: std::sync::Mutex<Option<Vec<u8>>>,
}

/// Reads every file only for its id (ids are unique across the batch); a file whose
/// bytes the last build saw is not parsed at all. Files that cannot be read are
/// returned as failures; duplicate ids are warned about, naming both files.
pub fn plan_ids(
    paths: Vec<PathBuf>,
    old: &Manifest,
    max_bytes: u64,
    quiet: bool,
) -> (Vec<Planned>, Vec<Error>) {
    type Read = (String, String, Option<Vec<u8>>);
    let read: Vec<Result<Read>> = paths
        .par_iter()
        .map(|path| {
            let bytes = ingest::read_limited(path, max_bytes)?;
            // The version is part of it: another version may derive another id.
            let source_hash = super::hex((env!("CARGO_PKG_VERSION"), &bytes));
            let known =
                old.articles.get(&path.display().to_string()).filter(|e| e.source_hash == source_hash);
            let base_id = match known {
                Some(entry) => entry.base_id.clone(),
                None => ingest::ingest_bytes(path, &bytes)?.id,
            };
            Ok((source_hash, base_id, Some(bytes)))
        })
        .collect();
    let mut readable = Vec::new();
    let mut failures = Vec::new();
    for (path, result) in paths.into_iter().zip(read) {
        match result {
            Ok((source_hash, base_id, bytes)) => readable.push((path, source_hash, base_id, bytes)),
            Err(err) => failures.push(err),
        }
    }
    let ids = ingest::unique_ids(&readable.iter().map(|(_, _, id, _)| id.as_str()).collect::<Vec<_>>());
    let mut first_with: HashMap<String, String> = HashMap::new();
    let planned = readable
        .into_iter()
        .zip(ids)
        .map(|((path, source_hash, base_id, bytes), id)| {
            let earlier = first_with.entry(base_id.clone()).or_insert_with(|| path.display().to_string()).clone();
            if id != base_id && !quiet {
                // Two handouts with one title confuse patients and staff alike: say so
                // on every build, not only with --verbose.
                eprintln!(
                    "warning: {}: id \"{base_id}\" is already the id of {earlier} (same title?); this one is \"{id}\"",
                    path.display()
                );
            }
            Planned { path, source_hash, base_id, id, earlier, bytes: std::sync::Mutex::new(bytes) }
        })
        .collect();
    (planned, failures)
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
        let (planned, failures) = plan_ids(vec![a.clone(), b.clone()], &Manifest::default(), 1 << 20, true);
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
}
