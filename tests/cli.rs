//! The `handouts` binary over fixture folders: exit codes, messages, outputs.

mod common;
#[path = "cli/logs.rs"]
mod logs;

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
    // --json: report.json's shape on stdout instead of the table.
    let output = handouts().args(["check", "--json", "--content", "tests/fixtures/broken"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> =
        report["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["good-article-one", "good-article-two"], "{report}");
    assert_eq!(report["failures"][0]["kind"], "input", "{report}");
    assert_eq!(report["failures"][0]["line"], 3, "{report}");
}

#[test]
fn check_prints_the_grade_table_for_content() {
    let output = handouts().arg("check").output().unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(table.contains("grade"), "{table}");
    assert!(table.contains("treatment-of-metastatic-kidney-cancer"), "{table}");
    assert!(stderr(&output).contains("ends mid-sentence"));
    // handouts.toml sets max-grade = 8 and every cancer article reads above it (the
    // English foot-care one does not, and its Spanish translation is read on INFLESZ).
    assert!(table.contains("* reads above grade 8 (max-grade in the config): 4 of 6"), "{table}");
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
                // run.json records the run (its times), not the library.
                if path.is_file() && path.file_name().is_some_and(|n| n != "run.json") {
                    files
                        .push((path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let (a, b) = (files(first.path()), files(second.path()));
    // 6 articles (one of them the Spanish translation of another): JSON, PDF and
    // large-print PDF each, plus the EPUB, report.json, the incremental-build manifest and
    // the output folder's lock file (empty once the build is done); run.json, the record
    // of the run, is left out.
    assert!(first.path().join("run.json").is_file());
    assert_eq!(a.len(), 6 * 3 + 4, "{:?}", a.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{} differs between two builds", path_a.display());
    }
}

/// Copies the shipped articles into a fresh folder the test may change.
fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    common::copy_tree(&common::root().join("content"), &dir.path().join("content"));
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
    assert_eq!(names(&first["pdfs"]).len(), 12);
    assert!(first["epub"].is_string());

    let (second, err) = build_in(dir.path(), &[]);
    assert!(names(&second["pdfs"]).is_empty(), "{second}");
    assert_eq!(names(&second["unchanged"]).len(), 12);
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
    assert_eq!(
        removed,
        [
            format!("json/{id}.json"),
            format!("pdf/{id}-large.pdf"),
            format!("pdf/{id}.pdf"),
            format!("site/{id}.html")
        ]
    );
    let catalogue = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
    assert!(!catalogue.contains(id), "the catalogue still lists the deleted article");
    assert!(!dir.path().join(format!("out/pdf/{id}.pdf")).exists());

    let (forced, _) = build_in(dir.path(), &["--force"]);
    assert_eq!(names(&forced["pdfs"]).len(), 10);
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
    // The desk's print form is the clinic's to edit, like the other site templates.
    let form = std::fs::read_to_string(dir.path().join("templates/site/print-form.html")).unwrap();
    assert!(form.contains("<form method=\"post\"") && form.contains("desk-languages"), "{form}");
    // A neutral scaffold: the clinic is named after the folder, not a cancer centre.
    let config = std::fs::read_to_string(dir.path().join("handouts.toml")).unwrap();
    assert!(!config.contains("Cancer"), "{config}");
    let folder = dir.path().file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        config.to_lowercase().contains(&folder.replace(['-', '_', '.'], " ").trim().to_lowercase()),
        "{config}"
    );
    // Running init again keeps the files people have edited.
    let output = handouts().arg("init").arg(dir.path()).output().unwrap();
    assert!(stderr(&output).contains("kept"), "{}", stderr(&output));
    // The starter logo says the clinic's name to a screen reader, not another clinic's.
    let logo = std::fs::read_to_string(dir.path().join("templates/logo.svg")).unwrap();
    assert!(!logo.contains("Riverside") && logo.contains("<title>"), "{logo}");

    // A folder that has articles gets no example article to publish beside them.
    let clinic = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(clinic.path().join("content")).unwrap();
    std::fs::write(clinic.path().join("content/asthma.md"), "# Asthma\n\nUse your inhaler.\n").unwrap();
    let output =
        handouts().arg("init").arg(clinic.path()).args(["--name", "Lake & Hill Clinic"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!clinic.path().join("content/welcome.txt").exists(), "{}", stderr(&output));
    let logo = std::fs::read_to_string(clinic.path().join("templates/logo.svg")).unwrap();
    assert!(logo.contains("<title>Lake &amp; Hill Clinic</title>"), "{logo}");
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
    assert!(
        err.contains("b.txt: id \"same-title\" is already the id of") && err.contains("a.txt (same title?)"),
        "{err}"
    );
    let second: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/json/same-title-2.json")).unwrap())
            .unwrap();
    assert!(second["blocks"].to_string().contains("The second article"), "{second}");
    let pdf = dir.path().join("out/pdf/same-title-2.pdf");
    assert!(pdf_extract::extract_text(&pdf).unwrap().contains("The second article says another."));
    assert!(report["epub"].is_string());

    // The build streams articles one at a time; `check`, `inspect` and the EPUB load
    // them all at once. Both paths must make the same intermediate form.
    let config = handouts::build::load_config(
        &common::root().join("handouts.toml"),
        content,
        dir.path().join("out"),
        None,
    )
    .unwrap();
    let batch = handouts::build::load_batch(&config, None).unwrap();
    assert_eq!(batch.articles.len(), 2);
    for article in &batch.articles {
        let built = std::fs::read(dir.path().join(format!("out/json/{}.json", article.id))).unwrap();
        assert!(
            built == handouts::output::to_json(article),
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
    assert_eq!(again["articles"].as_array().unwrap().len(), 6);
    assert!(again["articles"].as_array().unwrap().iter().all(|a| a["words"].as_u64().unwrap() > 300));

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
    assert_eq!(names(&a4["pdfs"]).len(), 12, "{a4}");
}

/// The shipped articles, templates and handouts.toml in a fresh folder the test may change.
fn project_copy() -> tempfile::TempDir {
    let dir = content_copy();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    for name in ["handout.typ", "logo.svg", "plain-language.toml"] {
        std::fs::copy(common::root().join("templates").join(name), dir.path().join("templates").join(name))
            .unwrap();
    }
    std::fs::copy(common::root().join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let config = dir.join("handouts.toml");
    handouts()
        .args(args)
        .arg("--config")
        .arg(&config)
        .arg("--content")
        .arg(dir.join("content"))
        .args(if args[0] == "build" { vec!["--out".into(), dir.join("out")] } else { vec![] })
        .output()
        .unwrap()
}

/// Every file under `out/pdf`, with its bytes.
fn pdfs(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("out/pdf"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn a_broken_template_keeps_every_earlier_pdf_byte_for_byte_and_is_one_error() {
    let dir = project_copy();
    let output = run_in(dir.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = pdfs(dir.path());
    assert_eq!(before.len(), 12);

    // One stray line at the end of the template.
    let template = dir.path().join("templates/handout.typ");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{good}\n#let broken = (\n")).unwrap();
    let output = run_in(dir.path(), &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("handout.typ:").count(), 1, "the template error once: {err}");
    assert!(!err.contains("old output"), "nothing removed: {err}");
    assert_eq!(pdfs(dir.path()), before, "every earlier PDF is still there, byte for byte");
    // `check` fails the same way, and writes nothing.
    let output = run_in(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stderr(&output).matches("handout.typ:").count(), 1, "{}", stderr(&output));

    // Mended, the template makes the same handouts: nothing to do.
    std::fs::write(&template, good).unwrap();
    let output = run_in(dir.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("Nothing changed"), "{}", stderr(&output));
    assert_eq!(pdfs(dir.path()), before);
}

#[test]
fn a_template_failing_on_one_article_keeps_its_last_good_pdfs_and_names_it() {
    let dir = project_copy();
    assert!(run_in(dir.path(), &["build"]).status.success());
    let before = pdfs(dir.path());
    let template = dir.path().join("templates/handout.typ");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        format!(
            "{good}\n#if article.id == \"treatment-of-metastatic-kidney-cancer\" {{ panic(\"cannot typeset this one\") }}\n"
        ),
    )
    .unwrap();
    let output = run_in(dir.path(), &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("metastatic-kidney-cancer-treatment.txt: "), "{err}");
    assert!(err.contains("cannot typeset this one"), "{err}");
    assert!(!err.contains("old output"), "nothing removed: {err}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap()).unwrap();
    assert!(names(&report["removed"]).is_empty(), "{report}");
    assert_eq!(report["failures"][0]["kind"], "template", "{report}");
    let after = pdfs(dir.path());
    for name in
        ["treatment-of-metastatic-kidney-cancer.pdf", "treatment-of-metastatic-kidney-cancer-large.pdf"]
    {
        assert!(after.get(name) == before.get(name), "{name} changed or went missing");
    }
    assert_eq!(after.len(), 12);
}

#[test]
fn a_broken_or_missing_logo_is_one_error_before_any_handout_in_build_and_check() {
    let dir = project_copy();
    std::fs::write(dir.path().join("templates/logo.svg"), "this is not an SVG").unwrap();
    for command in ["build", "check"] {
        let output = run_in(dir.path(), &[command]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert_eq!(err.matches("logo.svg").count(), 1, "{command}: {err}");
        assert!(err.contains("the logo set in brand.logo cannot be shown"), "{command}: {err}");
    }
    assert!(!dir.path().join("out/pdf").exists());
    std::fs::remove_file(dir.path().join("templates/logo.svg")).unwrap();
    let output = run_in(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot read the logo"), "{}", stderr(&output));
}

/// Replaces `path` the way editors and `sed -i` save: a new file renamed over the old.
fn save_by_replacing(path: &Path, text: &str) {
    let temp = path.with_extension("toml.swp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// Waits until `path` holds bytes other than `before`; returns them.
fn wait_for_change(path: &Path, before: &[u8], what: &str) -> Vec<u8> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    loop {
        if let Ok(now) = std::fs::read(path)
            && now != before
        {
            return now;
        }
        assert!(std::time::Instant::now() < deadline, "no rebuild after {what}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Kills the watch process when the test ends, also when it fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_survives_editors_replacing_the_config_and_config_errors() {
    let dir = project_copy();
    let config = dir.path().join("handouts.toml");
    let original = std::fs::read_to_string(&config).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_handouts"))
        .current_dir(dir.path())
        .args(["watch", "--quiet", "--no-epub", "--no-large-print"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    // Saves before the watch is set up would go unnoticed: wait for it (it is set up
    // before the first build starts).
    let (lines, watching) = std::sync::mpsc::channel();
    let stderr = child.0.stderr.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let ready = std::time::Instant::now() + std::time::Duration::from_secs(240);
    while !watching
        .recv_timeout(std::time::Duration::from_secs(1))
        .is_ok_and(|line| line.starts_with("Watching"))
    {
        assert!(std::time::Instant::now() < ready, "watch never started");
    }
    let manifest = dir.path().join("out/.handouts-manifest.json");
    let mut last = wait_for_change(&manifest, b"", "the first build");
    for n in 1..=3 {
        save_by_replacing(&config, &original.replace("Riverside Cancer Center", &format!("Clinic {n}")));
        last = wait_for_change(&manifest, &last, &format!("save {n} of the config"));
    }
    // A broken config, then an article edit and the fix: the edit is not lost.
    save_by_replacing(&config, "[brand\n");
    std::thread::sleep(std::time::Duration::from_secs(2));
    let kidney = dir.path().join("content/metastatic-kidney-cancer-treatment.txt");
    let text = std::fs::read_to_string(&kidney).unwrap();
    std::fs::write(&kidney, text.replace("This guide aims", "This handout aims")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    save_by_replacing(&config, &original);
    wait_for_change(&manifest, &last, "the config was mended");
    let json =
        std::fs::read_to_string(dir.path().join("out/json/treatment-of-metastatic-kidney-cancer.json"));
    drop(child);
    assert!(json.unwrap().contains("This handout aims"));
}

#[test]
fn command_line_mistakes_are_usage_errors() {
    let output = handouts().args(["build", "--jobs", "0"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("must be at least 1"), "{}", stderr(&output));
    let out = tempfile::tempdir().unwrap();
    let output = handouts().args(["build", "content/nothere.txt", "--out"]).arg(out.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("content/nothere.txt: no such article file"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("Nothing changed"), "{}", stderr(&output));
    // The file the --help example names exists.
    let help = String::from_utf8_lossy(&handouts().arg("--help").output().unwrap().stdout).into_owned();
    for word in help.split_whitespace().filter(|w| w.starts_with("content/") && w.ends_with(".txt")) {
        assert!(common::root().join(word).is_file(), "{word} from --help does not exist");
    }
}

/// Without handouts.toml the built-in defaults and template are used, with a hint;
/// ids of titles in any script are readable and do not depend on the other files;
/// files that are not articles are listed as skipped.
#[test]
fn a_bare_content_folder_builds_with_built_in_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("b.txt"), "Рак почки\n\nЭто статья о раке почки.\n").unwrap();
    std::fs::write(content.join("report.xlsx"), "not an article").unwrap();
    let build = |dir: &Path| {
        handouts().current_dir(dir).args(["build", "--no-epub"]).env("NO_COLOR", "1").output().unwrap()
    };
    let output = build(dir.path());
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("handouts.toml not found: using built-in defaults (`handouts init`"), "{err}");
    assert!(err.contains("skipped content/report.xlsx: not an article"), "{err}");
    assert!(dir.path().join("out/pdf/rak-pochki.pdf").is_file(), "{err}");
    // A file added before it in the folder does not change its id.
    std::fs::write(content.join("a.txt"), "Ελληνικά\n\nΚείμενο.\n").unwrap();
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("out/pdf/rak-pochki.pdf").is_file());
    assert!(dir.path().join("out/pdf/ellenika.pdf").is_file(), "{}", stderr(&output));
}

#[test]
fn a_light_brand_colour_is_darkened_with_a_notice() {
    let dir = project_copy();
    let config = dir.path().join("handouts.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("#0B5394", "#FFD700");
    std::fs::write(&config, text).unwrap();
    let output = run_in(dir.path(), &["build", "--no-epub", "--no-large-print"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("note: brand.primary-color #FFD700 is too light for white text"));
}

/// A template error the sample article does not trigger, met on every article: one
/// message naming the handouts, exit 1, and every earlier PDF kept.
#[test]
fn a_template_error_on_every_article_is_one_message() {
    let dir = project_copy();
    assert!(run_in(dir.path(), &["build"]).status.success());
    let before = pdfs(dir.path());
    let template = dir.path().join("templates/handout.typ");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        format!("{good}\n#if article.id.contains(\"cancer\") {{ panic(\"no cancer here\") }}\n"),
    )
    .unwrap();
    let output = run_in(dir.path(), &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().filter(|l| common::unstamped(l).starts_with("error: ")).count(),
        1,
        "one error while building: {err}"
    );
    // The foot-care handout and its Spanish translation, twice each (regular and large).
    assert!(err.contains("Typeset 4 PDFs, 8 failures (listed below)"), "{err}");
    assert!(err.contains("(the same template error in 4 handouts: "), "{err}");
    assert!(err.lines().any(|l| common::unstamped(l) == "1 problem:"), "{err}");
    assert_eq!(pdfs(dir.path()), before);
}

/// A template at the project root, beside content/ and out/, reads only the files it
/// uses: out/ changing under it is not a change, and editing a file it imports is.
#[test]
fn a_template_at_the_project_root_rebuilds_only_when_a_file_it_uses_changes() {
    let dir = content_copy();
    let shipped = std::fs::read_to_string(common::root().join("templates/handout.typ")).unwrap();
    std::fs::write(dir.path().join("handout.typ"), format!("#import \"theme.typ\": accent\n{shipped}"))
        .unwrap();
    std::fs::write(dir.path().join("theme.typ"), "#let accent = 1\n").unwrap();
    std::fs::write(
        dir.path().join("handouts.toml"),
        "[handout]\ntemplate = \"handout.typ\"\nlarge-print = false\n",
    )
    .unwrap();
    let build = || {
        let output = run_in(dir.path(), &["build", "--no-epub"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap()).unwrap();
        names(&report["pdfs"])
    };
    assert_eq!(build().len(), 6);
    assert_eq!(build(), Vec::<String>::new(), "nothing changed but out/");

    let manifest = || -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join("out/.handouts-manifest.json")).unwrap())
            .unwrap()
    };
    assert_eq!(manifest()["template_files"], serde_json::json!(["theme.typ"]));

    std::fs::write(dir.path().join("theme.typ"), "#let accent = 2\n").unwrap();
    assert_eq!(build().len(), 6, "an edited import typesets again");
    assert_eq!(build(), Vec::<String>::new());

    // Once the template no longer imports it, the theme is no longer one of its files.
    std::fs::write(dir.path().join("handout.typ"), &shipped).unwrap();
    assert_eq!(build().len(), 6);
    assert_eq!(manifest()["template_files"], serde_json::json!([]));
    std::fs::write(dir.path().join("theme.typ"), "#let accent = 3\n").unwrap();
    assert_eq!(build(), Vec::<String>::new());
}

/// The build makes the EPUB from the articles it already read (their intermediate
/// form), not by reading the content folder again: the same book, byte for byte, as
/// `handouts epub` makes from the files, duplicate ids included, whether the articles
/// were typeset by this build or reused from the last one.
#[test]
fn the_build_epub_is_the_epub_command_epub() {
    let dir = content_copy();
    let content = dir.path().join("content");
    std::fs::copy(content.join("immunotherapy-for-advanced-cancer.txt"), content.join("zz-same-title.txt"))
        .unwrap();
    let epub_command = |epub: &Path| {
        std::fs::remove_file(epub).unwrap();
        let output = handouts()
            .args(["epub", "--quiet", "--content"])
            .arg(&content)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        std::fs::read(epub).unwrap()
    };
    let (fresh, _) = build_in(dir.path(), &[]);
    let epub = dir.path().join("out").join(fresh["epub"].as_str().unwrap());
    let built = std::fs::read(&epub).unwrap();
    assert!(epub_command(&epub) == built, "a fresh build's EPUB differs from `handouts epub`'s");

    std::fs::remove_file(&epub).unwrap();
    let (reused, _) = build_in(dir.path(), &[]);
    assert!(names(&reused["pdfs"]).is_empty(), "{reused}");
    let built = std::fs::read(&epub).unwrap();
    assert!(epub_command(&epub) == built, "an EPUB of reused articles differs from `handouts epub`'s");
}

/// A quiet run (cron, CI) prints nothing when all is well, and on failure one summary
/// line and each problem once (issue 28).
#[test]
fn a_quiet_build_prints_each_problem_once_and_one_summary_line() {
    let out = tempfile::tempdir().unwrap();
    let output = handouts()
        .args(["build", "--quiet", "--content", "tests/fixtures/broken", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let problem = "tests/fixtures/broken/bad-encoding.txt:3: invalid UTF-8 at byte offset 34";
    assert_eq!(err.matches(problem).count(), 1, "{err}");
    assert_eq!(err.lines().filter(|l| common::unstamped(l).starts_with("Typeset ")).count(), 1, "{err}");
    assert!(output.stdout.is_empty());
}
