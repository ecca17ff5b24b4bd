//! `handouts build --shard K/N`: one of N machines (or processes) typesets a share of
//! the library into a shared output folder, and `handouts merge` ([`super::merge`])
//! then writes what needs the whole collection.
//!
//! - **The split** is by article id: an article belongs to shard
//!   `hash128(id) mod N + 1` ([`shard_of`]; K is 1-based, like Slurm's and a person's
//!   count). Only the id decides, so adding or removing an article moves no other
//!   article between shards, and the shards need not talk to each other. Every shard
//!   still plans the whole batch (reads each file for its id and language, makes ids
//!   unique and links translations exactly as a full build does), so an article gets
//!   the same id, page and handouts whichever shard makes it.
//! - **What a shard writes**: its share's per-article outputs (JSON, PDFs, site
//!   pages: a page depends on its article and the translations planning linked, not on
//!   other shards' results), its own journal (`.handouts-shards/K-of-N.jsonl`, for a
//!   shard killed half way) and, at the end, its part
//!   (`.handouts-shards/K-of-N.json`: the manifest entries of its share, each
//!   article's report line and failures, and the fingerprint of its inputs). It never
//!   writes the manifest, the EPUB, the catalogue or the report, and it removes
//!   nothing: which outputs are stale is known only from the whole batch, so removal
//!   (and `--max-removals`) is the merge's. The early `--max-removals` check (articles
//!   whose files are gone) runs in every shard too, before any typesetting.
//! - **The lock**: shards take the folder's lock shared ([`super::lock`]), so they run
//!   together, while a full build, `merge`, `watch` or `serve` (exclusive) waits for
//!   none of them and is refused while any runs. Two runs of the same shard are kept
//!   apart by an exclusive lock on `.handouts-shards/K-of-N.lock`.

use std::collections::HashSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::gather::Member;
use super::manifest::Manifest;
use super::plan::Planned;
use crate::error::{Error, Failure, Result};
use crate::output::{ArticleReport, hex};

/// The folder, in the output folder, of the shards' parts and journals.
pub const SHARDS: &str = ".handouts-shards";

/// One shard of N: `index` from 1 to `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (1 to `count`) the article with this id belongs to: SipHash-1-3 with fixed
/// keys (typst's `hash128`, the hash the manifest's fingerprints use), never a hasher
/// seeded per process, so every shard and the merge agree.
pub fn shard_of(id: &str, count: u32) -> u32 {
    (typst::utils::hash128(id) % u128::from(count.max(1))) as u32 + 1
}

impl Shard {
    /// `--shard`'s value, with the environment of this process (see [`Shard::parse_with`]).
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        Shard::parse_with(text, |name| std::env::var(name).ok())
    }

    /// `K/N` (1 ≤ K ≤ N), or `auto` from a job array's environment:
    ///
    /// - Slurm (`sbatch --array`): `SLURM_ARRAY_TASK_ID`, counted from
    ///   `SLURM_ARRAY_TASK_MIN` in steps of `SLURM_ARRAY_TASK_STEP` (an array `5-8` or
    ///   `0-6:2` is four shards), of `SLURM_ARRAY_TASK_COUNT`;
    /// - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0-based) of `HANDOUTS_SHARDS`
    ///   (Kubernetes does not pass `completions` on: set it in the pod's `env`), or of N
    ///   given as `auto/N`.
    pub fn parse_with(
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> std::result::Result<Shard, String> {
        let text = text.trim();
        let number = |value: &str, what: &str| -> std::result::Result<u32, String> {
            value.trim().parse::<u32>().map_err(|_| format!("{what} `{value}` is not a whole number"))
        };
        let shard = if let Some(count) = text.strip_prefix("auto") {
            let given = match count.strip_prefix('/') {
                Some(count) => Some(number(count, "the shard count")?),
                None if count.is_empty() => None,
                None => return Err(format!("`{text}`: write `auto` or `auto/N`")),
            };
            auto(given, &env)?
        } else {
            let Some((index, count)) = text.split_once('/') else {
                return Err(format!(
                    "`{text}` is not a shard: write K/N, e.g. `--shard 2/4` for the second of four (K counts from 1), or `auto`"
                ));
            };
            Shard { index: number(index, "the shard")?, count: number(count, "the shard count")? }
        };
        if shard.count == 0 {
            return Err("the shard count must be at least 1".into());
        }
        if shard.index == 0 || shard.index > shard.count {
            return Err(format!(
                "shard {shard} does not exist: shards count from 1 to {} (`--shard 1/{0}` … `--shard {0}/{0}`)",
                shard.count
            ));
        }
        Ok(shard)
    }

    /// Whether this shard makes the article with this id.
    pub fn owns(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }

    /// `K-of-N`, the stem of this shard's files in [`SHARDS`].
    pub fn name(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

/// `--shard auto`.
fn auto(given: Option<u32>, env: &impl Fn(&str) -> Option<String>) -> std::result::Result<Shard, String> {
    let read = |name: &str| -> std::result::Result<Option<i64>, String> {
        match env(name) {
            None => Ok(None),
            Some(value) => value
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{name}=`{value}` is not a whole number")),
        }
    };
    let shard = |index: i64, count: i64| -> std::result::Result<Shard, String> {
        match (u32::try_from(index), u32::try_from(count)) {
            (Ok(index), Ok(count)) => Ok(Shard { index, count }),
            _ => Err(format!("--shard auto: shard {index} of {count} is out of range")),
        }
    };
    if let Some(id) = read("SLURM_ARRAY_TASK_ID")? {
        let min = read("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = read("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
        let count = match (given, read("SLURM_ARRAY_TASK_COUNT")?) {
            (Some(count), _) => i64::from(count),
            (None, Some(count)) => count,
            (None, None) => {
                return Err("--shard auto: SLURM_ARRAY_TASK_COUNT is not set (give --shard auto/N)".into());
            }
        };
        if (id - min) % step != 0 {
            return Err(format!("--shard auto: SLURM_ARRAY_TASK_ID {id} is not in the array {min}…:{step}"));
        }
        return shard((id - min) / step + 1, count);
    }
    if let Some(index) = read("JOB_COMPLETION_INDEX")? {
        let count = match (given, read("HANDOUTS_SHARDS")?) {
            (Some(count), _) => i64::from(count),
            (None, Some(count)) => count,
            (None, None) => {
                return Err("--shard auto: JOB_COMPLETION_INDEX is set but not the number of shards: \
                     set HANDOUTS_SHARDS to the Job's completions, or give --shard auto/N"
                    .into());
            }
        };
        return shard(index + 1, count);
    }
    Err("--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm array) nor JOB_COMPLETION_INDEX \
         (a Kubernetes Indexed Job) is set; give --shard K/N"
        .into())
}

/// One article of a shard's share as the report needs it, in batch order.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub source: std::sync::Arc<str>,
    pub report: Option<std::sync::Arc<ArticleReport>>,
    pub typeset: Vec<std::sync::Arc<str>>,
    pub unchanged: Vec<std::sync::Arc<str>>,
    pub failures: Vec<Failure>,
}

impl Record {
    pub fn of(built: &super::article::Built) -> Record {
        Record {
            source: built.source.clone(),
            report: built.report.clone(),
            typeset: built.typeset.clone(),
            unchanged: built.unchanged.clone(),
            failures: built.failures.iter().map(Failure::from).collect(),
        }
    }
}

/// What a shard leaves for the merge: `.handouts-shards/K-of-N.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Part {
    pub shard: Shard,
    /// [`inputs`]: equal in every part of one run, and to what the merge computes.
    pub inputs: String,
    /// The template files pinned when the settings were hashed.
    pub pinned: Vec<String>,
    /// The manifest entries of the share (with `checked` and `template_files`).
    pub manifest: Manifest,
    pub articles: Vec<Record>,
    pub members: Vec<Member>,
    /// Article files of the share that failed.
    pub failed: Vec<String>,
}

/// The fingerprint of everything a shard's work depends on besides its share: every
/// setting, the last published state of the folder (the manifest and the journal of a
/// killed build: what is reused and what may be removed), the article files with their
/// bytes, ids and translations, and every file that exists. Parts with one fingerprint
/// fit together; a part made from other inputs is refused by the merge.
pub fn inputs(settings: u128, out: &Path, planned: &[Planned], present: &HashSet<String>) -> String {
    // Hashed a piece at a time: 50,000 articles' manifest is 116 MB.
    let read = |name: &str| crate::fsx::file_hash_at(&out.join(name)).ok();
    let articles: Vec<_> = planned
        .iter()
        .map(|p| (p.path.display().to_string(), &p.source_hash, &p.id, p.translations()))
        .collect();
    let mut present: Vec<&String> = present.iter().collect();
    present.sort();
    hex((settings, read(super::MANIFEST), read(super::JOURNAL), articles, present))
}

pub fn part_path(out: &Path, shard: Shard) -> PathBuf {
    out.join(SHARDS).join(format!("{}.json", shard.name()))
}

pub fn journal_path(out: &Path, shard: Shard) -> PathBuf {
    out.join(SHARDS).join(format!("{}.jsonl", shard.name()))
}

/// Takes this shard's own lock (`.handouts-shards/K-of-N.lock`), so a shard started
/// twice (a retried job whose first try still runs) stops at once instead of writing
/// the same journal from two processes.
pub fn lock_shard(out: &Path, shard: Shard) -> Result<Option<File>> {
    let dir = out.join(SHARDS);
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let path = dir.join(format!("{}.lock", shard.name()));
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::write(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(Error::usage(format!(
            "{}: shard {shard} is already running on this folder; nothing was built",
            out.display()
        ))),
        Err(TryLockError::Error(err)) if err.kind() == std::io::ErrorKind::Unsupported => Ok(None),
        Err(TryLockError::Error(err)) => Err(Error::write(&path, err)),
    }
}

/// Folds what an earlier run of this shard finished into `manifest`: its part, then
/// its journal (a run killed half way). Every entry is checked against the bytes on
/// disk before it is reused, as the manifest's are.
pub fn fold_own(out: &Path, shard: Shard, manifest: &mut Manifest) {
    if let Some(part) = load_part(&part_path(out, shard)) {
        manifest.outputs.extend(part.manifest.outputs);
        manifest.articles.extend(part.manifest.articles);
    }
    super::journal::fold_file(&journal_path(out, shard), manifest);
}

/// Writes the part (atomically), then removes the shard's journal, whose lines it holds.
pub fn write_part(out: &Path, part: &Part) -> Result<()> {
    crate::output::write_json_atomic(&part_path(out, part.shard), part)?;
    let journal = journal_path(out, part.shard);
    match std::fs::remove_file(&journal) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(Error::write(journal, err)),
        _ => Ok(()),
    }
}

/// A part, or `None` when it is missing or unreadable.
pub fn load_part(path: &Path) -> Option<Part> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn shards_are_written_k_of_n_from_one_and_mistakes_say_what_to_write() {
        let none = env(&[]);
        assert_eq!(Shard::parse_with("2/4", &none), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse_with(" 1/1 ", &none), Ok(Shard { index: 1, count: 1 }));
        for (text, says) in [
            ("5/4", "shard 5/4 does not exist: shards count from 1 to 4"),
            ("0/4", "shard 0/4 does not exist"),
            ("1/0", "the shard count must be at least 1"),
            ("two/4", "the shard `two` is not a whole number"),
            ("3", "`3` is not a shard: write K/N"),
            ("-1/4", "is not a whole number"),
            ("auto", "neither SLURM_ARRAY_TASK_ID"),
            ("autox", "write `auto` or `auto/N`"),
        ] {
            let err = Shard::parse_with(text, &none).expect_err(text);
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn auto_reads_slurm_arrays_from_any_base_and_kubernetes_indexed_jobs() {
        let slurm =
            [("SLURM_ARRAY_TASK_ID", "7"), ("SLURM_ARRAY_TASK_MIN", "5"), ("SLURM_ARRAY_TASK_COUNT", "4")];
        assert_eq!(Shard::parse_with("auto", env(&slurm)), Ok(Shard { index: 3, count: 4 }));
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(Shard::parse_with("auto", env(&stepped)), Ok(Shard { index: 3, count: 4 }));
        let k8s = [("JOB_COMPLETION_INDEX", "0"), ("HANDOUTS_SHARDS", "3")];
        assert_eq!(Shard::parse_with("auto", env(&k8s)), Ok(Shard { index: 1, count: 3 }));
        let k8s = [("JOB_COMPLETION_INDEX", "3")];
        assert_eq!(Shard::parse_with("auto/4", env(&k8s)), Ok(Shard { index: 4, count: 4 }));
        let err = Shard::parse_with("auto", env(&k8s)).expect_err("no count");
        assert!(err.contains("HANDOUTS_SHARDS"), "{err}");
        let err = Shard::parse_with("auto/3", env(&k8s)).expect_err("index 3 of 3 is the fourth");
        assert!(err.contains("shard 4/3 does not exist"), "{err}");
    }

    #[test]
    fn every_id_has_one_shard_that_does_not_depend_on_the_others() {
        let ids: Vec<String> = (0..400).map(|n| format!("handout-{n}")).collect();
        let mut sizes = [0usize; 4];
        for id in &ids {
            let k = shard_of(id, 4);
            assert!((1..=4).contains(&k));
            sizes[k as usize - 1] += 1;
            let shard = Shard { index: k, count: 4 };
            assert!(shard.owns(id));
        }
        // A fair split: no shard has twice another's share.
        assert!(sizes.iter().all(|&n| n > 60 && n < 140), "{sizes:?}");
        assert_eq!(shard_of("anything", 1), 1);
    }
}
