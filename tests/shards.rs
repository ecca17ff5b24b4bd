//! `handouts build --shard K/N` then `handouts merge` (issue 28, "past one machine"): four
//! shard processes running at once into one folder, then the merge, leave exactly the
//! files one `handouts build` leaves, byte for byte; a merge short of a shard, or with a
//! shard made from other inputs, exits 2 and changes nothing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const ARTICLES: usize = 12;
const SHARDS: u32 = 4;

/// `handouts <args>` in `dir`, large print on (two handouts per article), reproducible.
fn handouts(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handouts"));
    cmd.current_dir(dir)
        .args(args)
        .args(["--quiet", "--large-print", "--jobs", "1"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("HANDOUTS_FAILPOINT")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX");
    cmd
}

fn ok(output: Output, what: &str) -> Output {
    assert_eq!(output.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The ids of the articles in `out/report.json`.
fn ids(out: &Path) -> Vec<String> {
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report.json")).expect("JSON");
    report["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["id"].as_str().unwrap().into())
        .collect()
}

/// Every file of `out` but the shards' parts (those the merge folds and removes).
fn published(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = common::files(out);
    files.retain(|path, _| !path.starts_with(".handouts-shards"));
    files
}

#[test]
fn four_shards_at_once_then_merge_make_the_library_one_build_makes_byte_for_byte() {
    let dir = common::generated_folder(ARTICLES);
    ok(handouts(dir.path(), &["build", "--out", "out-a"]).output().expect("runs"), "full build");

    // Four processes at once, sharing the folder's lock.
    let children: Vec<_> = (1..=SHARDS)
        .map(|k| {
            handouts(dir.path(), &["build", "--out", "out-b", "--shard", &format!("{k}/{SHARDS}")])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    for (k, child) in children.into_iter().enumerate() {
        ok(child.wait_with_output().expect("waits"), &format!("shard {}", k + 1));
    }
    let out_b = dir.path().join("out-b");
    // The shards wrote no collection output, and each typeset only its own share.
    for file in ["report.json", ".handouts-manifest.json", "site/index.html"] {
        assert!(!out_b.join(file).exists(), "a shard wrote {file}");
    }
    let all = ids(&dir.path().join("out-a"));
    let mut made = Vec::new();
    for k in 1..=SHARDS {
        let part = out_b.join(format!(".handouts-shards/{k}-of-{SHARDS}.json"));
        let part: serde_json::Value = serde_json::from_slice(&std::fs::read(&part).expect("part")).unwrap();
        for record in part["articles"].as_array().expect("records") {
            let id = record["report"]["id"].as_str().expect("id").to_string();
            assert_eq!(handouts::build::shard_of(&id, SHARDS), k, "{id} made by shard {k}");
            made.push(id);
        }
    }
    made.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(made, expected, "every article made once");

    // A shard missing: exit 2, and nothing written or removed.
    let before = common::files(&out_b);
    let part = out_b.join(".handouts-shards/3-of-4.json");
    let aside = dir.path().join("3-of-4.json");
    std::fs::rename(&part, &aside).unwrap();
    let before_missing = common::files(&out_b);
    let output = handouts(dir.path(), &["merge", "--out", "out-b"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("shard 3/4 is missing"), "{said}");
    assert_eq!(common::files(&out_b), before_missing, "a refused merge changes nothing");
    std::fs::rename(&aside, &part).unwrap();

    // A shard made from other inputs: the same.
    let text = std::fs::read_to_string(out_b.join(".handouts-shards/2-of-4.json")).unwrap();
    let mut other: serde_json::Value = serde_json::from_str(&text).unwrap();
    other["inputs"] = "0".repeat(32).into();
    std::fs::write(out_b.join(".handouts-shards/2-of-4.json"), serde_json::to_vec(&other).unwrap()).unwrap();
    let output = handouts(dir.path(), &["merge", "--out", "out-b"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("shard 2/4 was made from other inputs"), "{said}");
    std::fs::write(out_b.join(".handouts-shards/2-of-4.json"), &text).unwrap();
    assert_eq!(common::files(&out_b), before);

    ok(handouts(dir.path(), &["merge", "--out", "out-b"]).output().expect("runs"), "merge");
    // No exclusion: the lock file is empty in both (a run that ends empties it), and the
    // merge removed the parts it folded.
    assert!(!out_b.join(".handouts-shards").exists(), "the parts are folded and removed");
    let (a, b) = (common::files(&dir.path().join("out-a")), published(&out_b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between one build and four shards + merge");
    }
    assert!(a.contains_key("site/index.html") && a.keys().any(|p| p.ends_with(".epub")), "{:?}", a.keys());

    // The next sharded build reuses everything: nothing is typeset again.
    ok(handouts(dir.path(), &["build", "--out", "out-b", "--shard", "1/4"]).output().expect("runs"), "again");
    let part = std::fs::read_to_string(out_b.join(".handouts-shards/1-of-4.json")).unwrap();
    let part: serde_json::Value = serde_json::from_str(&part).unwrap();
    for record in part["articles"].as_array().unwrap() {
        assert_eq!(record["typeset"].as_array().unwrap().len(), 0, "{record}");
    }
}

#[test]
fn adding_an_article_moves_no_other_article_between_shards() {
    let dir = common::generated_folder(ARTICLES);
    ok(handouts(dir.path(), &["build", "--out", "out", "--no-epub"]).output().expect("runs"), "build");
    let before: BTreeMap<String, u32> = ids(&dir.path().join("out"))
        .into_iter()
        .map(|id| (id.clone(), handouts::build::shard_of(&id, 4)))
        .collect();
    std::fs::write(
        dir.path().join("content/a00-new.txt"),
        "A new handout about sleep\n\nSleep well at night and rest in the afternoon when you can.\n",
    )
    .unwrap();
    ok(handouts(dir.path(), &["build", "--out", "out", "--no-epub"]).output().expect("runs"), "build");
    let after: BTreeMap<String, u32> = ids(&dir.path().join("out"))
        .into_iter()
        .map(|id| (id.clone(), handouts::build::shard_of(&id, 4)))
        .collect();
    assert_eq!(after.len(), before.len() + 1);
    for (id, shard) in &before {
        assert_eq!(after.get(id), Some(shard), "{id} kept its id and its shard");
    }
}
