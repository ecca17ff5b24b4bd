//! Finished work survives a crash (issue 28): a build killed with SIGKILL at any moment
//! leaves only whole files, the next build typesets exactly what was not finished, and
//! the library it ends with is byte for byte the one an uninterrupted build makes.
//!
//! The kills land at 20 moments drawn from a seeded generator over the length of one
//! uninterrupted build (measured first, so the moments scale with the machine). Each
//! kill starts from what the previous one left, so journals of several killed runs pile
//! up; a copy of that state is then built to the end to compare what it typesets with
//! what the manifest and the journal held.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

const ARTICLES: usize = 40;
const KILLS: usize = 20;
const JOURNAL: &str = ".handouts-journal.jsonl";
const MANIFEST: &str = ".handouts-manifest.json";

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

/// xorshift64*: the same 20 moments on every run.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A folder with `content/` holding 40 small generated articles of 2–3 paragraphs.
fn folder() -> tempfile::TempDir {
    let words = [
        "rest", "water", "sleep", "walk", "heart", "lungs", "blood", "sugar", "doctor", "nurse", "medicine",
        "dose", "morning", "evening", "pain", "fever", "cough", "hands", "food", "fruit", "salt", "breathe",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir(&content).expect("content");
    let mut rng = Rng(0x00c0_ffee);
    for n in 0..ARTICLES {
        let mut text = format!("Handout {n} about {}\n", words[n % words.len()]);
        for _ in 0..2 + n % 2 {
            text.push('\n');
            for _ in 0..3 {
                let sentence: Vec<&str> = (0..10)
                    .map(|_| words[(rng.unit() * words.len() as f64) as usize % words.len()])
                    .collect();
                text.push_str(&format!("Take care of your {}. ", sentence.join(" ")));
            }
            text.push('\n');
        }
        std::fs::write(content.join(format!("a{n:02}.txt")), text).expect("write");
    }
    dir
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(|e| e.expect("walk")) {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).expect("inside").display().to_string();
            files.insert(relative, std::fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// The handouts the manifest and the journal's complete lines hold (what the next
/// build may reuse), as `pdf/…` paths.
fn held(out: &Path) -> BTreeSet<String> {
    let mut held = BTreeSet::new();
    let mut take = |value: &serde_json::Value| {
        if let Some(outputs) = value.get("outputs").and_then(|o| o.as_object()) {
            held.extend(outputs.keys().filter(|k| k.starts_with("pdf/")).cloned());
        }
    };
    if let Ok(bytes) = std::fs::read(out.join(MANIFEST)) {
        take(&serde_json::from_slice(&bytes).expect("the manifest is whole: it is written atomically"));
    }
    let journal = std::fs::read(out.join(JOURNAL)).unwrap_or_default();
    let complete = journal.iter().rposition(|&b| b == b'\n').map_or(&[][..], |end| &journal[..end]);
    for line in complete.split(|&b| b == b'\n') {
        if let Ok(line) = serde_json::from_slice::<serde_json::Value>(line) {
            take(&line);
        }
    }
    held
}

/// Every PDF in `out/pdf` is a whole PDF.
fn assert_readable(out: &Path, when: &str) {
    let Ok(entries) = std::fs::read_dir(out.join("pdf")) else { return };
    for entry in entries {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let end = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(16)..]).trim_end().to_string();
        assert!(bytes.starts_with(b"%PDF-") && end.ends_with("%%EOF"), "{when}: {name} is not a whole PDF");
        lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{when}: {name} does not parse: {e}"));
    }
}

fn temp_files(out: &Path) -> Vec<String> {
    files(out).into_keys().filter(|path| path.ends_with(".tmp")).collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in files(from) {
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, bytes).expect("write");
    }
}

#[test]
fn killed_builds_keep_finished_handouts_and_end_byte_identical_to_an_uninterrupted_build() {
    let started = Instant::now();
    let reference = folder();
    run_to_end(reference.path());
    // Timed again with everything warm (the binary, the fonts, the disk cache), as the
    // killed builds will be: every handout made again, to the same bytes.
    let clock = Instant::now();
    let output = build(reference.path()).arg("--force").output().expect("handouts runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let duration = clock.elapsed();
    let every: BTreeSet<String> =
        files(&reference.path().join("out/pdf")).into_keys().map(|name| format!("pdf/{name}")).collect();
    assert_eq!(every.len(), 2 * ARTICLES);

    let work = folder();
    let out = work.path().join("out");
    let mut rng = Rng(0x5eed_0028);
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
        assert_readable(&out, &when);

        let held = held(&out);
        let unfinished: BTreeSet<String> = every.difference(&held).cloned().collect();
        if !held.is_empty() && !unfinished.is_empty() {
            mid_build += 1;
        }
        // What the next build does from here, on a copy: exactly the unfinished ones.
        let probe = tempfile::tempdir().expect("temp dir");
        copy_tree(work.path(), probe.path());
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
            temp_files(&probe_out),
            Vec::<String>::new(),
            "{when}: temporary files after the next build"
        );
        assert!(!probe_out.join(JOURNAL).exists(), "{when}: the journal outlived the manifest");
        assert_readable(&probe_out, &when);
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

    let mut ours = files(&out);
    let mut theirs = files(&reference.path().join("out"));
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
