//! "Never publish a wrong library" (issue 28), through the binary: one run at a time
//! per output folder, outputs trusted only while their bytes are the ones recorded, no
//! removal from an empty folder or past `--max-removals`, and the command-line and
//! environment mistakes that used to build something wrong with exit 0.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn handouts() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handouts"));
    cmd.current_dir(common::root()).env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder with `content/` holding the shipped articles, or only those whose file
/// name starts with one of `only` (pictures are always copied).
fn project(only: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_tree(&common::root().join("content"), &content);
    if !only.is_empty() {
        for entry in std::fs::read_dir(&content).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_file() && !only.iter().any(|keep| name.starts_with(keep)) {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    dir
}

/// A config for the clinic `name`, with the repository's template; `extra` is added to
/// `[handout]`.
fn clinic_config(dir: &Path, file: &str, name: &str, extra: &str) -> PathBuf {
    let template = common::root().join("templates/handout.typ");
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!(
            "[brand]\nname = \"{name}\"\n\n[handout]\ntemplate = \"{}\"\n{extra}\n",
            template.display().to_string().replace('\\', "/")
        ),
    )
    .unwrap();
    path
}

/// `handouts <command> --content dir/content [--out dir/out] --config <config> <extra>`.
fn run(dir: &Path, command: &str, config: Option<&Path>, extra: &[&str]) -> Output {
    let mut cmd = handouts();
    cmd.arg(command).arg("--content").arg(dir.join("content"));
    if command == "build" {
        cmd.arg("--out").arg(dir.join("out"));
    }
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    cmd.args(extra).output().unwrap()
}

fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap()
}

fn names(value: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> =
        value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.strip_prefix(dir).unwrap() != Path::new("run.json") {
                // run.json records the last run (see run_records_every_run), not the library.
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

fn assert_unchanged(before: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) {
    let after = files(dir);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    for (path, bytes) in before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

#[test]
fn two_builds_started_together_on_one_out_leave_one_clinic_s_library() {
    let dir = project(&[]);
    let alpha = clinic_config(dir.path(), "alpha.toml", "Alpha Clinic", "");
    let bravo = clinic_config(dir.path(), "bravo.toml", "Bravo Clinic", "");
    let spawn = |config: &Path| {
        handouts()
            .arg("build")
            .arg("--content")
            .arg(dir.path().join("content"))
            .arg("--out")
            .arg(dir.path().join("out"))
            .arg("--config")
            .arg(config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&alpha), spawn(&bravo));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (won, lost, winner, loser) = match (a.status.code(), b.status.code()) {
        (Some(0), Some(2)) => (&a, &b, "Alpha Clinic", "Bravo Clinic"),
        (Some(2), Some(0)) => (&b, &a, "Bravo Clinic", "Alpha Clinic"),
        codes => panic!(
            "expected one build to stop: {codes:?}\nalpha:\n{}\nbravo:\n{}\nreport: {}",
            stderr(&a),
            stderr(&b),
            std::fs::read_to_string(dir.path().join("out/report.json")).unwrap_or_default()
        ),
    };
    let message = stderr(lost);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("another run is writing this folder: `handouts build"), "{message}");
    let winner_file = if winner.starts_with("Alpha") { "alpha.toml" } else { "bravo.toml" };
    assert!(message.contains(winner_file) && message.contains("(pid "), "{message}");
    assert!(message.contains("started ") && message.contains(" UTC)"), "{message}");
    assert!(stderr(won).contains("Typeset 6 PDFs"), "{}", stderr(won));

    // The folder holds one clinic's library: every handout, the site and the EPUB.
    let pdfs: Vec<PathBuf> = std::fs::read_dir(dir.path().join("out/pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 6);
    for pdf in &pdfs {
        let text = common::pdf_text(&std::fs::read(pdf).unwrap());
        assert!(text.contains(winner) && !text.contains(loser), "{}: {text}", pdf.display());
    }
    let catalogue = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
    assert!(catalogue.contains(winner) && !catalogue.contains(loser));
    let manifest = std::fs::read_to_string(dir.path().join("out/.handouts-manifest.json")).unwrap();
    assert!(!manifest.contains(loser));
    // The lock is released: the next build runs, and finds nothing to do.
    let output = run(
        dir.path(),
        "build",
        Some(if winner_file == "alpha.toml" { alpha.as_path() } else { bravo.as_path() }),
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(names(&report(dir.path())["pdfs"]).is_empty());
    assert_eq!(std::fs::read(dir.path().join("out/.handouts-lock")).unwrap(), b"");
}

#[test]
fn a_build_while_serve_holds_the_folder_stops_and_names_serve() {
    let dir = project(&["diabetes-foot-check.md"]);
    let config = clinic_config(dir.path(), "handouts.toml", "Alpha Clinic", "");
    let log = dir.path().join("serve.log");
    let mut serve = handouts()
        .args(["serve", "--port", "0", "--content"])
        .arg(dir.path().join("content"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    // The desk prints its address once its first build is done.
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(serve.stdout.take().unwrap()), &mut line)
        .unwrap();
    let output = run(dir.path(), "build", Some(config.as_path()), &["--force"]);
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(line.starts_with("http://"), "{line}: {}", std::fs::read_to_string(&log).unwrap());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("another run is writing this folder: `handouts serve --port 0"), "{err}");
}

#[test]
fn an_output_replaced_by_other_bytes_is_rebuilt_byte_identical() {
    let dir = project(&["diabetes-foot-check", "immunotherapy"]);
    let alpha = clinic_config(dir.path(), "alpha.toml", "Alpha Clinic", "");
    let output = run(dir.path(), "build", Some(alpha.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let clean = files(&dir.path().join("out/pdf"));
    assert_eq!(clean.len(), 3);

    // Another clinic's build of the same handouts, elsewhere.
    let other = project(&["diabetes-foot-check", "immunotherapy"]);
    let bravo = clinic_config(other.path(), "bravo.toml", "Bravo Clinic", "");
    let output = run(other.path(), "build", Some(bravo.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let theirs = files(&other.path().join("out/pdf"));

    // One PDF replaced by the other clinic's; another changed in one byte, keeping its size.
    let mut names_iter = clean.keys();
    let (replaced, flipped) = (names_iter.next().unwrap().clone(), names_iter.next().unwrap().clone());
    std::fs::write(dir.path().join("out/pdf").join(&replaced), &theirs[&replaced]).unwrap();
    let mut bytes = clean[&flipped].clone();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(dir.path().join("out/pdf").join(&flipped), &bytes).unwrap();

    let output = run(dir.path(), "build", Some(alpha.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut expected = vec![format!("pdf/{}", replaced.display()), format!("pdf/{}", flipped.display())];
    expected.sort();
    assert_eq!(names(&report(dir.path())["pdfs"]), expected);
    assert_unchanged(&clean, &dir.path().join("out/pdf"));
}

#[test]
fn an_emptied_or_missing_content_folder_is_an_error_that_deletes_nothing() {
    let dir = project(&["diabetes-foot-check", "immunotherapy"]);
    let output = run(dir.path(), "build", None, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = files(&dir.path().join("out"));
    assert!(before.len() > 10, "{:?}", before.keys());

    // What a failed mount or sync looks like: the folder is there, the articles are not
    // (a file that is not an article does not count).
    for entry in std::fs::read_dir(dir.path().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    std::fs::write(dir.path().join("content/notes.xlsx"), "not an article").unwrap();
    for command in ["build", "check"] {
        let output = run(dir.path(), command, None, &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("content: no articles in the content folder"), "{command}: {err}");
        assert!(err.contains("nothing was built or removed"), "{err}");
        assert_unchanged(&before, &dir.path().join("out"));
    }

    std::fs::remove_dir_all(dir.path().join("content")).unwrap();
    for command in ["build", "check"] {
        let output = run(dir.path(), command, None, &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("content folder not found"), "{command}: {err}");
        assert_unchanged(&before, &dir.path().join("out"));
    }
}

#[test]
fn deleting_one_article_works_and_deleting_most_stops_before_removing_anything() {
    let dir = project(&[]);
    // The shipped config: large print too, so 4 files an article (JSON, 2 PDFs, page).
    let config = common::root().join("handouts.toml");
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // One handout of six (17 % of the files) goes without a flag.
    std::fs::remove_file(dir.path().join("content/stem-cell-therapy-and-metastasis.txt")).unwrap();
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(names(&report(dir.path())["removed"]).len(), 4);

    // Four of the five left: stopped before anything is written or removed.
    let before = files(&dir.path().join("out"));
    for name in ["cure-for", "immunotherapy", "metastatic-kidney", "diabetes-foot-check.es"] {
        for entry in std::fs::read_dir(dir.path().join("content")).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap().to_string_lossy().starts_with(name) {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("this build would remove 16 of the "), "{err}");
    assert!(err.contains("published files (the outputs of 4 articles)"), "{err}");
    assert!(err.contains("more than --max-removals 10 % allows; nothing was removed"), "{err}");
    assert!(err.contains("run again with --max-removals 100"), "{err}");
    assert_unchanged(&before, &dir.path().join("out"));

    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub", "--max-removals", "100"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(names(&report(dir.path())["removed"]).len(), 16);
    assert_eq!(files(&dir.path().join("out/pdf")).len(), 2);
}

#[test]
fn turning_large_print_off_for_many_articles_asks_first_and_keeps_the_work_done() {
    let dir = project(&[]);
    let config = common::root().join("handouts.toml");
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // 6 large-print PDFs of 25 files: only the build can tell, so it asks before removing.
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub", "--no-large-print"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("would remove 6 of the ") && err.contains("(the outputs of 6 articles)"), "{err}");
    assert_eq!(files(&dir.path().join("out/pdf")).len(), 12, "nothing removed");
    let output = run(
        dir.path(),
        "build",
        Some(config.as_path()),
        &["--no-epub", "--no-large-print", "--max-removals", "100%"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = report(dir.path());
    assert!(names(&report["pdfs"]).is_empty(), "the first run's work was kept: {report}");
    assert_eq!(names(&report["removed"]).len(), 6);
}

#[test]
fn a_config_named_on_the_command_line_must_exist() {
    let dir = project(&["diabetes-foot-check.md"]);
    for command in ["build", "check"] {
        let output = run(dir.path(), command, Some(Path::new("clinic-typo.toml")), &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("clinic-typo.toml: config file not found"), "{command}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!dir.path().join("out").exists(), "nothing built");
    // Without --config, a missing handouts.toml still means the built-in defaults.
    let output = handouts().current_dir(dir.path()).args(["build", "--no-epub"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("handouts.toml not found: using built-in defaults"));
}

#[test]
fn an_output_folder_inside_the_content_folder_is_refused() {
    let dir = project(&["diabetes-foot-check.md"]);
    let output = handouts()
        .arg("build")
        .arg("--content")
        .arg(dir.path().join("content"))
        .arg("--out")
        .arg(dir.path().join("content/out"))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("content/out is inside --content"), "{err}");
    assert!(!dir.path().join("content/out").exists());
}

#[test]
fn a_bad_source_date_epoch_is_an_error_naming_the_variable() {
    let dir = project(&["diabetes-foot-check.md"]);
    for command in ["build", "check"] {
        let output = handouts()
            .arg(command)
            .arg("--content")
            .arg(dir.path().join("content"))
            .args(if command == "build" { vec!["--out".into(), dir.path().join("out")] } else { vec![] })
            .env("SOURCE_DATE_EPOCH", "abc")
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("SOURCE_DATE_EPOCH=\"abc\" is not a date"), "{err}");
    }
    assert!(!dir.path().join("out").exists());
}

/// The keys a table of handouts.toml accepts, from the error for an unknown one: a key
/// added to config.rs without a case below fails this test.
fn accepted_keys(dir: &Path, table: &str) -> Vec<String> {
    let path = dir.join("probe.toml");
    std::fs::write(&path, format!("[{table}]\nno-such-key = 1\n")).unwrap();
    let err = stderr(&run(dir, "check", Some(path.as_path()), &[]));
    let (_, expected) = err.split_once("expected one of").unwrap_or_else(|| panic!("{err}"));
    let line = expected.lines().next().unwrap();
    line.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn every_handout_and_brand_setting_rebuilds_the_handouts_it_changes() {
    let dir = project(&["diabetes-foot-check.md"]);
    let template = common::root().join("templates/handout.typ");
    let other_template = dir.path().join("other/handout.typ");
    std::fs::create_dir(dir.path().join("other")).unwrap();
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&other_template, format!("{text}\n// another clinic's copy\n")).unwrap();
    let logo = dir.path().join("logo.svg");
    std::fs::write(
        &logo,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    let path = |p: &Path| p.display().to_string().replace('\\', "/");

    // Each step changes one more key; `None` means no output's bytes depend on it.
    let steps: [(&str, &str, String, Option<&str>); 15] = [
        ("brand", "name", "\"Bravo Clinic\"".into(), Some("pdf/")),
        ("brand", "logo", format!("\"{}\"", path(&logo)), Some("pdf/")),
        ("brand", "primary-color", "\"#7A1F1F\"".into(), Some("pdf/")),
        ("brand", "phone", "\"(555) 010-0123\"".into(), Some("pdf/")),
        ("brand", "website", "\"https://example.org/bravo\"".into(), Some("pdf/")),
        ("brand", "disclaimer", "\"Ask your nurse.\"".into(), Some("pdf/")),
        ("handout", "template", format!("\"{}\"", path(&other_template)), Some("pdf/")),
        ("handout", "paper", "\"a4\"".into(), Some("pdf/")),
        ("handout", "large-print", "true".into(), Some("-large.pdf")),
        ("handout", "questions-box", "false".into(), Some("pdf/")),
        // The reading targets only mark the summary table and `check --strict`.
        ("handout", "max-grade", "6".into(), None),
        ("handout", "min-inflesz", "70".into(), None),
        ("handout", "max-pages", "1".into(), Some("pdf/")),
        // Drafts and due dates: the article is reviewed, and no handout prints its due date.
        ("handout", "unreviewed-are-drafts", "true".into(), None),
        ("handout", "review-every", "\"2 years\"".into(), None),
    ];
    for table in ["brand", "handout"] {
        let mut covered: Vec<String> =
            steps.iter().filter(|s| s.0 == table).map(|s| s.1.to_string()).collect();
        let mut accepted = accepted_keys(dir.path(), table);
        covered.sort();
        accepted.sort();
        assert_eq!(covered, accepted, "[{table}]: every key needs a step");
    }

    let mut settings: BTreeMap<(&str, &str), String> = BTreeMap::new();
    settings.insert(("handout", "template"), format!("\"{}\"", path(&template)));
    let config = dir.path().join("handouts.toml");
    let write = |settings: &BTreeMap<(&str, &str), String>| {
        let mut text = String::new();
        for table in ["brand", "handout"] {
            text.push_str(&format!("[{table}]\n"));
            for ((t, key), value) in settings {
                if *t == table {
                    text.push_str(&format!("{key} = {value}\n"));
                }
            }
        }
        std::fs::write(&config, text).unwrap();
    };
    write(&settings);
    let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (table, key, value, affects) in steps {
        settings.insert((table, key), value);
        write(&settings);
        let output = run(dir.path(), "build", Some(config.as_path()), &["--no-epub"]);
        assert!(output.status.success(), "[{table}] {key}: {}", stderr(&output));
        let pdfs = names(&report(dir.path())["pdfs"]);
        match affects {
            Some(part) => {
                assert!(pdfs.iter().any(|p| p.contains(part)), "[{table}] {key} rebuilt nothing: {pdfs:?}")
            }
            None => assert!(pdfs.is_empty(), "[{table}] {key} rebuilt {pdfs:?}"),
        }
    }
}

/// `out/run.json` says how the last run ended, an exit 2 included, so a monitor never
/// reads an old success; `--max-warnings` fails a run with more warnings than it allows.
#[test]
fn run_records_every_run() {
    let dir = project(&["cure-for-metastatic-cancer.txt"]);
    let record = |dir: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.join("out/run.json")).unwrap()).unwrap()
    };
    let output = run(dir.path(), "build", None, &["--no-epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let first = record(dir.path());
    assert_eq!(
        (first["schema"].as_u64(), first["status"].as_str(), first["exit_code"].as_u64()),
        (Some(1), Some("ok"), Some(0))
    );
    assert_eq!(first["version"], env!("CARGO_PKG_VERSION"));
    assert!(first["handouts_typeset"].as_u64().unwrap() >= 1, "{first}");
    assert!(
        first["started"].as_str().unwrap().ends_with('Z') && first["finished"].as_str().unwrap().len() == 20
    );

    // More warnings than allowed: built, and exit 1.
    assert!(first["warnings"].as_u64().unwrap() > 0, "a pasted page has warnings: {first}");
    {
        let output = run(dir.path(), "build", None, &["--no-epub", "--max-warnings", "0"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(stderr(&output).contains("more than --max-warnings 0"), "{}", stderr(&output));
        assert_eq!(record(dir.path())["status"], "failed");
    }

    // Stopped before building (an empty content folder): exit 2, and the record says so.
    for entry in std::fs::read_dir(dir.path().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    let output = run(dir.path(), "build", None, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stopped = record(dir.path());
    assert_eq!((stopped["status"].as_str(), stopped["exit_code"].as_u64()), (Some("stopped"), Some(2)));
    assert!(stopped["error"]["message"].as_str().unwrap().contains("no articles"), "{stopped}");
}

/// A published handout keeps its id (its PDF, page, QR codes and what `print ID`
/// prints) when a new file with the same title appears before it in the folder; the
/// new file gets the suffix, and the warning names it. A renamed file keeps its id.
#[test]
fn a_new_file_never_takes_over_a_published_id() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let article =
        |words: &str| format!("---\ntitle: How to use your asthma inhaler\nlang: en\n---\n{words}\n");
    std::fs::write(
        content.join("asthma-inhaler.md"),
        article("Shake the inhaler, breathe out, then press it once as you breathe in slowly."),
    )
    .unwrap();
    let build = |dir: &Path| run(dir, "build", None, &["--no-epub", "--max-removals", "100"]);
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let published = std::fs::read(dir.path().join("out/json/how-to-use-your-asthma-inhaler.json")).unwrap();

    std::fs::write(
        content.join("aa-draft-inhaler.txt"),
        "How to use your asthma inhaler\n\nA draft of 26 words.\n",
    )
    .unwrap();
    let output = build(dir.path());
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    let json = |id: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(format!("out/json/{id}.json"))).unwrap())
            .unwrap()
    };
    assert_eq!(
        json("how-to-use-your-asthma-inhaler")["source"].as_str().unwrap(),
        content.join("asthma-inhaler.md").display().to_string()
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/json/how-to-use-your-asthma-inhaler.json")).unwrap(),
        published
    );
    assert!(
        json("how-to-use-your-asthma-inhaler-2")["source"]
            .as_str()
            .unwrap()
            .ends_with("aa-draft-inhaler.txt")
    );
    assert!(
        err.contains("aa-draft-inhaler.txt: id \"how-to-use-your-asthma-inhaler\" is already the id of"),
        "{err}"
    );

    // Renamed (same bytes): it keeps its id.
    std::fs::rename(content.join("asthma-inhaler.md"), content.join("inhaler.md")).unwrap();
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(json("how-to-use-your-asthma-inhaler")["source"].as_str().unwrap().ends_with("inhaler.md"));
    assert!(
        json("how-to-use-your-asthma-inhaler-2")["source"]
            .as_str()
            .unwrap()
            .ends_with("aa-draft-inhaler.txt")
    );
}

/// One article failing (a typo in its front matter) keeps its last good outputs, and
/// its translation keeps linking to them: the Spanish page still offers English.
#[test]
fn a_failing_article_keeps_its_translations_linked() {
    let dir = project(&["diabetes-foot-check"]);
    let build = |dir: &Path| run(dir, "build", None, &["--no-epub"]);
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let spanish = dir.path().join("out/site/como-revisar-sus-pies-si-tiene-diabetes.html");
    let english_link = "href=\"checking-your-feet-when-you-have-diabetes.html\"";
    assert!(std::fs::read_to_string(&spanish).unwrap().contains(english_link));

    // The English article breaks; the Spanish one changes, so its page is made again.
    let english = dir.path().join("content/diabetes-foot-check.md");
    let text = std::fs::read_to_string(&english).unwrap();
    std::fs::write(&english, text.replacen("lang: en", "lang: English", 1)).unwrap();
    let es = dir.path().join("content/diabetes-foot-check.es.md");
    let text = std::fs::read_to_string(&es).unwrap();
    std::fs::write(&es, format!("{text}\nLlame si tiene dudas.\n")).unwrap();
    let output = build(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let page = std::fs::read_to_string(&spanish).unwrap();
    assert!(page.contains("Llame si tiene dudas"), "the Spanish page was made again");
    assert!(page.contains(english_link), "and still links the English one: {page}");
    assert!(dir.path().join("out/pdf/checking-your-feet-when-you-have-diabetes.pdf").is_file());
}
