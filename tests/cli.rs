//! The `handouts` binary over fixture folders: exit codes, messages, outputs.

mod common;

use std::path::Path;

use assert_cmd::Command;

fn handouts() -> Command {
    let mut cmd = Command::cargo_bin("handouts").unwrap();
    cmd.current_dir(common::root()).env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_has_examples_and_exit_codes() {
    let output = handouts().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(help.contains("handouts build --paper a4"), "{help}");
    assert!(help.contains("Exit codes"), "{help}");
}

#[test]
fn build_with_one_broken_article_builds_the_rest_and_exits_1() {
    let out = tempfile::tempdir().unwrap();
    let output = handouts()
        .args(["build", "--content", "tests/fixtures/broken", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("tests/fixtures/broken/bad-encoding.txt:3: invalid UTF-8 at byte offset 34"),
        "{err}"
    );
    for id in ["good-article-one", "good-article-two"] {
        assert!(out.path().join(format!("pdf/{id}.pdf")).is_file(), "{id}.pdf missing; {err}");
        assert!(out.path().join(format!("json/{id}.json")).is_file());
    }
    assert!(out.path().join("understanding-metastatic-cancer.epub").is_file());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["failures"].as_array().unwrap().len(), 1);
    // No temporary files are left behind by the atomic writes.
    for dir in ["", "pdf", "json"] {
        for entry in std::fs::read_dir(out.path().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "{name}");
        }
    }
}

#[test]
fn check_reports_bad_file_checks_the_rest_and_exits_1() {
    let output = handouts().args(["check", "--content", "tests/fixtures/broken"]).output().unwrap();
    let err = stderr(&output);
    let table = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("bad-encoding.txt:3: invalid UTF-8"), "{err}");
    assert!(table.contains("good-article-one") && table.contains("good-article-two"), "{table}");
}

#[test]
fn check_prints_the_grade_table_for_content() {
    let output = handouts().arg("check").output().unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(table.contains("grade"), "{table}");
    assert!(table.contains("treatment-of-metastatic-kidney-cancer"), "{table}");
    assert!(stderr(&output).contains("ends mid-sentence"));
    // Every seed reads well above grade 8, so --strict fails with max-grade = 8.
    let strict = handouts().args(["check", "--strict"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    assert!(stderr(&strict).contains("above max-grade 8"), "{}", stderr(&strict));
}

#[test]
fn inspect_prints_the_intermediate_form() {
    let output = handouts().args(["inspect", "tests/seeds/002_c498833ed1b98829.txt"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let article: handouts::model::Article = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(article.id, "treatment-of-metastatic-kidney-cancer");
    assert!(article.stats.is_some());
}

#[test]
fn inspect_of_a_bad_file_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "empty.txt: file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary.txt: binary data (NUL byte at byte offset 8)"),
        ("front.md", b"---\ntitle: [unclosed\n---\nBody", "front.md:2: malformed front matter"),
        ("latin1.txt", b"Caf\xe9", "latin1.txt:1: invalid UTF-8 at byte offset 3"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = handouts().arg("inspect").arg(&path).output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn missing_content_or_bad_config_exit_2_before_work() {
    let out = tempfile::tempdir().unwrap();
    let output =
        handouts().args(["build", "--content", "no/such/folder", "--out"]).arg(out.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/folder: content folder not found"), "{}", stderr(&output));

    let config = out.path().join("handouts.toml");
    std::fs::write(&config, "[brand]\nname = \"X\"\nlogo-file = \"x.svg\"\n").unwrap();
    let output = handouts().args(["check", "--config"]).arg(&config).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("handouts.toml:3:"), "{}", stderr(&output));
    assert!(stderr(&output).contains("logo-file"), "{}", stderr(&output));

    std::fs::write(&config, "[brand]\nname = \"X\"\nlogo = \"missing-logo.svg\"\n").unwrap();
    let output =
        handouts().args(["build", "--config"]).arg(&config).arg("--out").arg(out.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing-logo.svg: cannot read the logo"), "{}", stderr(&output));
}

#[test]
fn build_of_content_writes_everything_and_is_reproducible() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    for out in [&first, &second] {
        let output =
            handouts().args(["build", "--quiet", "--jobs", "2", "--out"]).arg(out.path()).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let files = |dir: &Path| {
        let mut files = Vec::new();
        for sub in ["", "pdf", "json"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    files
                        .push((path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let (a, b) = (files(first.path()), files(second.path()));
    // 4 articles: JSON, PDF and large-print PDF each, plus the EPUB and report.json.
    assert_eq!(a.len(), 4 * 3 + 2, "{:?}", a.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{} differs between two builds", path_a.display());
    }
}
