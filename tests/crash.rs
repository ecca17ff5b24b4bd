//! Finished work survives a crash (issue 28): a build killed with SIGKILL at any moment
//! leaves only whole files, the next build typesets exactly what was not finished, and
//! the library it ends with is byte for byte the one an uninterrupted build makes.
//!
//! The kills land at 20 moments drawn from a seeded generator over the length of one
//! uninterrupted build (measured first, so the moments scale with the machine). Each
//! kill starts from what the previous one left, so journals of several killed runs pile
//! up; a copy of that state is then built to the end to compare what it typesets with
//! what the manifest and the journal held.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

const ARTICLES: usize = 40;
const KILLS: usize = 20;
const JOURNAL: &str = ".handouts-journal.jsonl";

/// `handouts build` in `dir`, large print on (two handouts per article), reproducible.
fn build(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("handouts"));
    cmd.current_dir(dir)
        .args(["build", "--quiet", "--large-print", "--jobs", "2"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("HANDOUTS_FAILPOINT");
    cmd
}

fn run_to_end(dir: &Path) -> Output {
    let output = build(dir).output().expect("handouts runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

#[test]
fn killed_builds_keep_finished_handouts_and_end_byte_identical_to_an_uninterrupted_build() {
    let started = Instant::now();
    let reference = common::generated_folder(ARTICLES);
    run_to_end(reference.path());
    // Timed again with everything warm (the binary, the fonts, the disk cache), as the
    // killed builds will be: every handout made again, to the same bytes.
    let clock = Instant::now();
    let output = build(reference.path()).arg("--force").output().expect("handouts runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let duration = clock.elapsed();
    let every: BTreeSet<String> = common::files(&reference.path().join("out/pdf"))
        .into_keys()
        .map(|name| format!("pdf/{name}"))
        .collect();
    assert_eq!(every.len(), 2 * ARTICLES);

    let work = common::generated_folder(ARTICLES);
    let out = work.path().join("out");
    let mut rng = common::Rng(0x5eed_0028);
    let mut mid_build = 0;
    let mut lines = Vec::new();
    for kill in 0..KILLS {
        // Up to a little past the end: a kill after the last handout, or after the
        // process ended, must be no problem either.
        let delay = duration.mul_f64(rng.unit() * 1.1);
        let mut child = build(work.path()).spawn().expect("handouts starts");
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let when = format!("kill {kill} after {} ms", delay.as_millis());
        common::assert_whole_pdfs(&out, &when);

        let held = common::held_pdfs(&out);
        let unfinished: BTreeSet<String> = every.difference(&held).cloned().collect();
        if !held.is_empty() && !unfinished.is_empty() {
            mid_build += 1;
        }
        // What the next build does from here, on a copy: exactly the unfinished ones.
        let probe = tempfile::tempdir().expect("temp dir");
        common::copy_tree(work.path(), probe.path());
        run_to_end(probe.path());
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(probe.path().join("out/report.json")).expect("report"))
                .expect("report parses");
        let typeset: BTreeSet<String> = report["pdfs"]
            .as_array()
            .expect("pdfs")
            .iter()
            .map(|p| p.as_str().expect("path").to_string())
            .collect();
        assert_eq!(typeset, unfinished, "{when}: typeset again vs unfinished");
        let probe_out = probe.path().join("out");
        assert_eq!(
            common::temp_files(&probe_out),
            Vec::<String>::new(),
            "{when}: temporary files after the next build"
        );
        assert!(!probe_out.join(JOURNAL).exists(), "{when}: the journal outlived the manifest");
        common::assert_whole_pdfs(&probe_out, &when);
        lines.push(format!(
            "{when}: {} of {} held, {} typeset again",
            held.len(),
            every.len(),
            typeset.len()
        ));
        if unfinished.is_empty() {
            // Everything was finished: start again from nothing, so the next kill again
            // lands in the middle of work.
            std::fs::remove_dir_all(&out).expect("remove out");
        }
    }
    run_to_end(work.path());

    let mut ours = common::files(&out);
    let mut theirs = common::files(&reference.path().join("out"));
    // The report lists what this run typeset: the one file that differs by design.
    ours.remove("report.json");
    theirs.remove("report.json");
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>());
    for (path, bytes) in &ours {
        assert!(bytes == &theirs[path], "{path} differs from the uninterrupted build");
    }
    eprintln!("{}", lines.join("\n"));
    eprintln!(
        "uninterrupted build {} ms; {mid_build} of {KILLS} kills in the middle of typesetting; test {:.1} s",
        duration.as_millis(),
        started.elapsed().as_secs_f64()
    );
    // Most moments fall while handouts are being made, or the test proves little.
    assert!(mid_build >= KILLS / 4, "only {mid_build} kills landed mid-build:\n{}", lines.join("\n"));
}
