//! A full or read-only disk stops the build at the first such error (issue 28): one
//! error line, exit 2, no half-written file, and the finished handouts kept for the next
//! build through the journal.
//!
//! Always: the error injected where outputs are written (`HANDOUTS_FAILPOINT=disk-full:N`,
//! debug builds). Where the machine allows it (root, tmpfs): a real 1 MiB file system
//! that fills up, then grows.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const ARTICLES: usize = 40;

fn build(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("handouts"));
    cmd.current_dir(dir)
        .args(["build", "--large-print", "--jobs", "2"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("HANDOUTS_FAILPOINT");
    cmd
}

/// Checks a build stopped by the disk: one error line, exit 2, whole files only, and a
/// journal that holds what was finished. Returns the handouts it holds.
fn assert_stopped(output: &Output, dir: &Path, what: &str) -> usize {
    let out = &dir.join("out");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let errors: Vec<&str> =
        err.lines().map(common::unstamped).filter(|line| line.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    let expected = format!(
        "{what} after (\\d+) of {} handouts; free space and run `handouts build` again: finished handouts are kept",
        2 * ARTICLES
    );
    let line = errors[0];
    let done: usize = line
        .strip_prefix(&format!("error: out: {what} after "))
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}\nis not like\n{expected}"));
    assert!(
        line.ends_with(&format!(
            " of {} handouts; free space and run `handouts build` again: finished handouts are kept",
            2 * ARTICLES
        )),
        "{line}"
    );
    assert_eq!(common::temp_files(out), Vec::<String>::new(), "half-written files");
    common::assert_whole_pdfs(out, "after the stop");
    let held = common::held_pdfs(out).len();
    assert!(held > 0 && held <= done && done < 2 * ARTICLES, "{held} held, {done} done");
    assert!(!out.join(".handouts-manifest.json").exists(), "no manifest: the journal holds the work");
    held
}

/// The next build, with room again: it typesets only what the stopped one did not
/// finish.
fn assert_resumed(dir: &Path, held: usize) {
    let output = build(dir).output().expect("handouts runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).expect("report")).expect("json");
    assert_eq!(report["pdfs"].as_array().expect("pdfs").len(), 2 * ARTICLES - held);
    assert_eq!(report["unchanged"].as_array().expect("unchanged").len(), held);
    assert!(!dir.join("out/.handouts-journal.jsonl").exists());
}

#[test]
fn a_full_disk_stops_the_build_with_one_line_and_keeps_finished_handouts() {
    let dir = common::generated_folder(ARTICLES);
    let output = build(dir.path()).env("HANDOUTS_FAILPOINT", "disk-full:30").output().expect("handouts runs");
    let held = assert_stopped(&output, dir.path(), "no space left on device");
    assert_resumed(dir.path(), held);
}

/// Unmounts the tmpfs when the test ends, passed or not.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_real_full_file_system_stops_the_build_the_same_way() {
    let dir = common::generated_folder(ARTICLES);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out");
    let mount = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"]).arg(&out).output();
    match mount {
        Ok(result) if result.status.success() => {}
        Ok(result) => {
            let why = String::from_utf8_lossy(&result.stderr);
            eprintln!(
                "skipped: cannot mount a tmpfs here ({}); the injected full disk is tested",
                why.trim()
            );
            return;
        }
        Err(err) => {
            eprintln!("skipped: no mount command ({err}); the injected full disk is tested");
            return;
        }
    }
    let _mounted = Mounted(out.clone());
    let output = build(dir.path()).output().expect("handouts runs");
    let held = assert_stopped(&output, dir.path(), "no space left on device");
    // Space is freed: the file system grows.
    let grown = Command::new("mount").args(["-o", "remount,size=16m"]).arg(&out).status().expect("mount");
    assert!(grown.success());
    assert_resumed(dir.path(), held);
}
