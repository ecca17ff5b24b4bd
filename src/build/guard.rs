//! Checks that keep a build from publishing a wrong library: each refuses, before
//! anything is written or deleted, a run whose inputs look like an accident rather than
//! an intent (issue 28).
//!
//! - the output folder inside the content folder (the next run would read its own
//!   outputs as articles);
//! - a content folder without a single article (a failed mount or sync looks like
//!   this, and the build would otherwise delete the whole published library);
//! - a build that would remove more than `--max-removals` of the published outputs.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::manifest::{Manifest, OutputEntry};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Discovery;

/// `path` made absolute, with the part that exists resolved through symlinks (the rest
/// may not exist yet: a first build creates the output folder).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(canonical, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Lexically drops `.` and resolves `..` (after [`resolved`], only a part that does not
/// exist yet can hold them).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Refuses an output folder inside (or equal to) the content folder: the next run would
/// read last run's JSON and pages as articles (50 articles became 353 in issue 28), and
/// `watch` would rebuild on its own writes.
pub fn refuse_out_inside_content(config: &Config) -> Result<()> {
    let out = normalized(&resolved(&config.out_dir));
    let content = normalized(&resolved(&config.content_dir));
    if out.starts_with(&content) {
        return Err(Error::usage(format!(
            "--out {} is inside --content {}: the next build would read its own outputs as articles; \
             choose an output folder outside the content folder",
            config.out_dir.display(),
            config.content_dir.display()
        )));
    }
    Ok(())
}

/// Refuses a content folder in which discovery found no article at all (neither one to
/// read nor one it refused): an empty folder is what a failed mount or sync looks like,
/// and building it would remove every published handout. Files that are not articles
/// (`notes.xlsx`) do not count.
pub fn refuse_empty_content(content: &Path, found: &Discovery) -> Result<()> {
    if found.files.is_empty() && found.refused.is_empty() {
        return Err(Error::usage(format!(
            "{}: no articles in the content folder (.txt, .md, .json, .html, .docx); nothing was built or removed. \
             If it should hold articles, check that it is mounted or synced",
            content.display()
        )));
    }
    Ok(())
}

/// `--max-removals`' default, in %.
pub const DEFAULT_MAX_REMOVALS: u8 = 10;

/// How many outputs a full build may remove: `max_removals` % of those the last build
/// published, but never fewer than one article's outputs (its PDFs, JSON and page).
///
/// Counted in files, as what is unpublished is files. The floor is what makes a small
/// library workable: with 6 articles, deleting one handout is 17 % of the files, and a
/// clinic deleting one handout must not need a flag, while deleting most of them (what
/// a half-synced folder looks like) still stops.
pub fn removal_limit(old: &Manifest, max_removals: u8) -> usize {
    let published = old.outputs.len();
    let share = published * usize::from(max_removals.min(100)) / 100;
    let mut per_article: HashMap<&str, usize> = HashMap::new();
    for entry in old.outputs.values().filter(|entry| !entry.source.is_empty()) {
        *per_article.entry(&*entry.source).or_default() += 1;
    }
    share.max(per_article.values().copied().max().unwrap_or(0))
}

/// Refuses to remove `stale` when it is more than [`removal_limit`] allows.
pub fn refuse_removals(
    out: &Path,
    stale: &[(&Arc<str>, &OutputEntry)],
    old: &Manifest,
    max_removals: u8,
) -> Result<()> {
    if stale.len() <= removal_limit(old, max_removals) {
        return Ok(());
    }
    let articles: HashSet<&str> =
        stale.iter().map(|(_, entry)| &*entry.source).filter(|s| !s.is_empty()).collect();
    Err(Error::usage(format!(
        "{}: this build would remove {} of the {} published files (the outputs of {} article{}), \
         more than --max-removals {max_removals} % allows; nothing was removed. If the articles were \
         deleted, renamed or made drafts on purpose, run again with --max-removals 100",
        out.display(),
        stale.len(),
        old.outputs.len(),
        articles.len(),
        if articles.len() == 1 { "" } else { "s" },
    )))
}

/// [`refuse_removals`] before any article is built, for the outputs that will go
/// whatever the build makes: those of articles whose files are gone, except outputs
/// this build makes again (`made`: the same ids, read from another spelling of the
/// content path). A folder that lost most of its articles then stops before the EPUB and
/// the catalogue are written without them. What only the build can tell (an article
/// built without its large print) is checked again before removing.
pub fn refuse_removals_early(
    out: &Path,
    old: &Manifest,
    made: &[String],
    present: &HashSet<String>,
    max_removals: u8,
) -> Result<()> {
    let made: HashSet<&str> = made.iter().map(String::as_str).collect();
    let gone: Vec<(&Arc<str>, &OutputEntry)> = old
        .outputs
        .iter()
        .filter(|(relative, entry)| {
            !entry.source.is_empty() && !present.contains(&*entry.source) && !made.contains(&***relative)
        })
        .map(|(relative, entry)| (relative, &**entry))
        .collect();
    refuse_removals(out, &gone, old, max_removals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Digest;

    fn config(content: &Path, out: &Path) -> Config {
        crate::config::ConfigFile::default().resolve(
            Path::new("handouts.toml"),
            content.to_path_buf(),
            out.to_path_buf(),
            None,
        )
    }

    #[test]
    fn an_output_folder_inside_the_content_folder_is_refused_however_it_is_spelt() {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir(&content).expect("content");
        for out in [content.join("out"), content.clone(), dir.path().join("x/../content/./new/out")] {
            let err = refuse_out_inside_content(&config(&content, &out)).expect_err("refused");
            assert!(err.to_string().contains("is inside --content"), "{err}");
        }
        // Beside it, or a folder whose name merely starts the same, is fine.
        for out in [dir.path().join("out"), dir.path().join("content-out")] {
            refuse_out_inside_content(&config(&content, &out)).expect("allowed");
        }
        // Through a symlink to the content folder.
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&content, &link).expect("symlink");
            assert!(refuse_out_inside_content(&config(&link.join("."), &content.join("out"))).is_err());
            assert!(refuse_out_inside_content(&config(&content, &link.join("out"))).is_err());
        }
    }

    /// A manifest of `articles` articles with 4 outputs each, plus the EPUB.
    fn published(articles: usize) -> Manifest {
        let mut old = Manifest::default();
        for n in 0..articles {
            for kind in ["json/{n}.json", "pdf/{n}.pdf", "pdf/{n}-large.pdf", "site/{n}.html"] {
                let entry = OutputEntry::written(Digest(1), format!("content/{n}.md").into(), None, b"");
                old.outputs.insert(kind.replace("{n}", &n.to_string()).into(), entry.into());
            }
        }
        old.outputs.insert("book.epub".into(), OutputEntry::written(Digest(1), "".into(), None, b"").into());
        old
    }

    #[test]
    fn one_article_may_always_go_and_more_only_within_the_share() {
        // 6 articles: 25 files, 10 % is 2, one article is 4.
        let six = published(6);
        assert_eq!(removal_limit(&six, 10), 4);
        assert_eq!(removal_limit(&six, 100), 25);
        assert_eq!(removal_limit(&six, 0), 4);
        // 100 articles: 401 files, 10 % is 40: ten articles.
        assert_eq!(removal_limit(&published(100), 10), 40);
        assert_eq!(removal_limit(&Manifest::default(), 10), 0);

        let present: HashSet<String> = (1..6).map(|n| format!("content/{n}.md")).collect();
        let made: Vec<String> = Vec::new();
        refuse_removals_early(Path::new("out"), &six, &made, &present, 10).expect("one article gone");
        let present: HashSet<String> = HashSet::from(["content/0.md".to_string()]);
        let err =
            refuse_removals_early(Path::new("out"), &six, &made, &present, 10).expect_err("5 of 6 gone");
        let err = err.to_string();
        assert!(err.starts_with("out: this build would remove 20 of the 25 published files"), "{err}");
        assert!(err.contains("(the outputs of 5 articles)") && err.contains("--max-removals 100"), "{err}");
        refuse_removals_early(Path::new("out"), &six, &made, &present, 100).expect("allowed");
        // The same articles under another spelling of the content path are no removal.
        let made: Vec<String> = six.outputs.keys().map(|relative| relative.to_string()).collect();
        refuse_removals_early(Path::new("out"), &six, &made, &present, 10).expect("all made again");
    }

    #[test]
    fn a_folder_without_articles_is_refused_and_one_with_a_refused_file_is_not() {
        let mut found = Discovery { skipped: vec!["notes.xlsx".into()], ..Discovery::default() };
        let err = refuse_empty_content(Path::new("content"), &found).expect_err("refused");
        assert!(err.to_string().starts_with("content: no articles"), "{err}");
        found.refused.push(Error::input("content/link.md", None, "leads outside"));
        refuse_empty_content(Path::new("content"), &found).expect("a refused article is still an article");
    }
}
