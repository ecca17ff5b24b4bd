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
    // handouts.toml sets max-grade = 8 and every seed reads above it: each row is marked.
    assert!(table.contains("* reads above grade 8 (max-grade in the config): 4 of 4"), "{table}");
    let marked = table.lines().filter(|line| line.contains("-cancer") && line.contains('*')).count();
    assert_eq!(marked, 4, "{table}");
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
    // 4 articles: JSON, PDF and large-print PDF each, plus the EPUB, report.json and
    // the incremental-build manifest.
    assert_eq!(a.len(), 4 * 3 + 3, "{:?}", a.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{} differs between two builds", path_a.display());
    }
}

/// Copies the shipped articles into a fresh folder the test may change.
fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for entry in std::fs::read_dir(common::root().join("content")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join("content").join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn build_in(dir: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let output = handouts()
        .arg("build")
        .args(extra)
        .arg("--content")
        .arg(dir.join("content"))
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    let report = serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap();
    (report, err)
}

fn names(value: &serde_json::Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

#[test]
fn incremental_rebuilds_do_only_what_changed() {
    let dir = content_copy();
    let (first, _) = build_in(dir.path(), &[]);
    assert_eq!(names(&first["pdfs"]).len(), 8);
    assert!(first["epub"].is_string());

    let (second, err) = build_in(dir.path(), &[]);
    assert!(names(&second["pdfs"]).is_empty(), "{second}");
    assert_eq!(names(&second["unchanged"]).len(), 8);
    assert!(second["epub"].is_null(), "the EPUB is only rebuilt when an input changed");
    assert!(err.contains("Nothing changed"), "{err}");
    // The report of a no-op build still knows every handout's page count.
    assert!(second["articles"].as_array().unwrap().iter().all(|a| a["pages"].as_u64().unwrap() >= 1));

    let kidney = dir.path().join("content/metastatic-kidney-cancer-treatment.txt");
    let text = std::fs::read_to_string(&kidney).unwrap();
    std::fs::write(&kidney, text.replace("This guide aims", "This handout aims")).unwrap();
    let (third, _) = build_in(dir.path(), &[]);
    assert_eq!(
        names(&third["pdfs"]),
        [
            "pdf/treatment-of-metastatic-kidney-cancer.pdf",
            "pdf/treatment-of-metastatic-kidney-cancer-large.pdf"
        ]
    );
    assert!(third["epub"].is_string(), "a changed article rebuilds the EPUB");

    std::fs::remove_file(dir.path().join("content/stem-cell-therapy-and-metastasis.txt")).unwrap();
    let (fourth, _) = build_in(dir.path(), &[]);
    let id = "the-role-of-stem-cell-therapy-in-the-fight-against-cancer";
    let mut removed = names(&fourth["removed"]);
    removed.sort();
    assert_eq!(removed, [format!("json/{id}.json"), format!("pdf/{id}-large.pdf"), format!("pdf/{id}.pdf")]);
    assert!(!dir.path().join(format!("out/pdf/{id}.pdf")).exists());

    let (forced, _) = build_in(dir.path(), &["--force"]);
    assert_eq!(names(&forced["pdfs"]).len(), 6);
}

#[test]
fn build_only_some_articles_by_id_or_path() {
    let dir = content_copy();
    let (report, _) = build_in(dir.path(), &["--only", "treatment-of-metastatic-kidney-cancer", "--no-epub"]);
    assert_eq!(names(&report["pdfs"]).len(), 2, "{report}");
    let article = dir.path().join("content/immunotherapy-for-advanced-cancer.txt");
    let (report, _) = build_in(dir.path(), &[article.to_str().unwrap()]);
    assert_eq!(
        names(&report["pdfs"]),
        [
            "pdf/can-immunotherapy-cure-advanced-cancer.pdf",
            "pdf/can-immunotherapy-cure-advanced-cancer-large.pdf"
        ]
    );
    // A partial build deletes nothing it did not look at.
    assert!(dir.path().join("out/pdf/treatment-of-metastatic-kidney-cancer.pdf").is_file());
}

#[test]
fn init_scaffolds_a_folder_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let output = handouts().arg("init").arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let output = handouts().current_dir(dir.path()).args(["build", "--quiet"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("out/pdf/welcome-to-your-handouts.pdf").is_file());
    // Running init again keeps the files people have edited.
    let output = handouts().arg("init").arg(dir.path()).output().unwrap();
    assert!(stderr(&output).contains("kept"), "{}", stderr(&output));
}

#[test]
fn completions_are_printed_for_bash() {
    let output = handouts().args(["completions", "bash"]).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("handouts"));
}

#[test]
fn symlinks_out_of_content_and_oversized_files_are_refused_by_the_build() {
    let dir = content_copy();
    let content = dir.path().join("content");
    std::os::unix::fs::symlink("/etc/passwd", content.join("passwd.txt")).unwrap();
    std::fs::write(content.join("huge.txt"), format!("Huge\n\n{}", "word ".repeat(300_000))).unwrap();
    let config = dir.path().join("handouts.toml");
    let template = common::root().join("templates/handout.typ");
    std::fs::write(&config, format!("[content]\nmax-file-mib = 1\n[handout]\ntemplate = {:?}\n", template))
        .unwrap();
    let output = handouts()
        .args(["build", "--no-epub", "--config"])
        .arg(&config)
        .arg("--content")
        .arg(&content)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("passwd.txt: symlink to /etc/passwd, outside the content folder"), "{err}");
    assert!(err.contains("huge.txt: file is 1.4 MiB, larger than the 1 MiB limit"), "{err}");
    assert!(dir.path().join("out/pdf/treatment-of-metastatic-kidney-cancer.pdf").is_file());
}

#[test]
fn articles_with_the_same_title_get_distinct_handouts() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("a.txt"), "Same Title\n\nThe first article says one thing.\n").unwrap();
    std::fs::write(content.join("b.txt"), "Same Title\n\nThe second article says another.\n").unwrap();
    let (report, err) = build_in(dir.path(), &["--verbose"]);
    let ids: Vec<&str> =
        report["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["same-title", "same-title-2"]);
    assert!(err.contains("b.txt: id \"same-title\" is used by an earlier article"), "{err}");
    let second: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/json/same-title-2.json")).unwrap())
            .unwrap();
    assert!(second["blocks"].to_string().contains("The second article"), "{second}");
    let pdf = dir.path().join("out/pdf/same-title-2.pdf");
    assert!(pdf_extract::extract_text(&pdf).unwrap().contains("The second article says another."));
    assert!(report["epub"].is_string());

    // The build streams articles one at a time; `check`, `inspect` and the EPUB load
    // them all at once. Both paths must make the same intermediate form.
    let config = handouts::pipeline::load_config(
        &common::root().join("handouts.toml"),
        content,
        dir.path().join("out"),
        None,
    )
    .unwrap();
    let batch = handouts::pipeline::load_batch(&config, None).unwrap();
    assert_eq!(batch.articles.len(), 2);
    for article in &batch.articles {
        let built = std::fs::read(dir.path().join(format!("out/json/{}.json", article.id))).unwrap();
        assert!(
            built == handouts::pipeline::to_json(article),
            "json/{}.json differs from load_batch",
            article.id
        );
    }
}

#[test]
fn unchanged_articles_are_reused_until_a_setting_or_an_output_changes() {
    let dir = content_copy();
    build_in(dir.path(), &["--no-epub"]);
    // Nothing changed: nothing is typeset, and the report still has every article.
    let (again, _) = build_in(dir.path(), &["--no-epub"]);
    assert!(names(&again["pdfs"]).is_empty(), "{again}");
    assert_eq!(again["articles"].as_array().unwrap().len(), 4);
    assert!(again["articles"].as_array().unwrap().iter().all(|a| a["words"].as_u64().unwrap() > 400));

    // --verbose needs each article's warnings, so it reads them again (and typesets nothing).
    let (verbose, err) = build_in(dir.path(), &["--no-epub", "--verbose"]);
    assert!(names(&verbose["pdfs"]).is_empty(), "{verbose}");
    assert!(err.contains("warning: ") && err.contains("immunotherapy-for-advanced-cancer.txt:"), "{err}");

    // A deleted output is made again, and only that one.
    let id = "treatment-of-metastatic-kidney-cancer";
    std::fs::remove_file(dir.path().join(format!("out/pdf/{id}-large.pdf"))).unwrap();
    let (repaired, _) = build_in(dir.path(), &["--no-epub"]);
    assert_eq!(names(&repaired["pdfs"]), [format!("pdf/{id}-large.pdf")]);

    // A different paper size changes every handout.
    let (a4, _) = build_in(dir.path(), &["--no-epub", "--paper", "a4"]);
    assert_eq!(names(&a4["pdfs"]).len(), 8, "{a4}");
}
