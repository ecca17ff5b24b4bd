//! What a build writes to a log (issue 28). A test's stderr is a pipe: what cron, CI and
//! systemd give a build, so these are the log's lines, not the terminal's.

use std::path::Path;

use super::{common, content_copy, handouts, stderr};

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    handouts()
        .arg("build")
        .args(extra)
        .arg("--content")
        .arg(dir.join("content"))
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap()
}

/// Every line starts with the UTC time, `2026-12-07T08:01:02Z `; the lines without it.
fn stamped_lines(log: &str) -> Vec<&str> {
    log.lines()
        .map(|line| {
            let rest = common::unstamped(line);
            assert_ne!(rest.len(), line.len(), "a line without a time stamp: {line:?} in\n{log}");
            rest
        })
        .collect()
}

fn add_articles(dir: &Path, count: usize) {
    for n in 0..count {
        let text = format!(
            "---\ntitle: \"Extra handout {n}\"\n---\n\nDrink water every day. Walk a little after each meal.\n"
        );
        std::fs::write(dir.join(format!("content/extra-{n}.md")), text).unwrap();
    }
}

#[test]
fn a_no_op_build_logs_one_summary_line_however_many_articles() {
    let dir = content_copy();
    let first = build(dir.path(), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let log = stderr(&first);
    let lines = stamped_lines(&log);
    // The counter counts handouts (regular and large print are one), not PDFs.
    let counted: Vec<&&str> = lines.iter().filter(|line| line.starts_with('[')).collect();
    assert_eq!(counted.len(), 6, "{log}");
    for (n, line) in counted.iter().enumerate() {
        assert!(line.starts_with(&format!("[{}/6] ", n + 1)), "{log}");
        assert!(line.ends_with(" pages)") && line.contains("(typeset 2 PDFs, "), "{log}");
    }
    assert!(!log.contains("reading level"), "no table in a log: {log}");
    assert!(!log.contains("up to date)"), "{log}");

    let noop_lines = |articles: usize| {
        let noop = build(dir.path(), &[]);
        let log = stderr(&noop);
        assert!(noop.status.success(), "{log}");
        let lines: Vec<String> = stamped_lines(&log).into_iter().map(String::from).collect();
        assert!(lines[0].starts_with("Nothing changed: every handout is up to date"), "{articles}: {log}");
        assert!(lines[0].ends_with("warnings in all: `handouts check` lists them."), "{log}");
        lines.len()
    };
    assert_eq!(noop_lines(6), 1);
    // Three more articles: a line each while they are typeset, then one line again.
    add_articles(dir.path(), 3);
    let log = stderr(&build(dir.path(), &[]));
    let counted = stamped_lines(&log).into_iter().filter(|line| line.starts_with('[')).count();
    assert_eq!(counted, 3, "{log}");
    assert!(log.contains("/9] extra-handout-"), "{log}");
    assert_eq!(noop_lines(9), 1);

    // --table brings the table back.
    let table = build(dir.path(), &["--table"]);
    let log = stderr(&table);
    let lines = stamped_lines(&log);
    assert!(lines.iter().any(|line| line.starts_with("id ") && line.contains("reading level")), "{log}");
    assert!(lines.iter().any(|line| line.starts_with("treatment-of-metastatic-kidney-cancer ")), "{log}");
    assert!(lines.last().unwrap().starts_with("Nothing changed"), "{log}");
}

/// Each line of `log` as a JSON object with a `time` and an `event`.
fn events(log: &str) -> Vec<serde_json::Value> {
    log.lines()
        .map(|line| {
            let event: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{log}"));
            let time = event["time"].as_str().unwrap_or_else(|| panic!("no time: {line}"));
            assert_eq!(common::unstamped(&format!("{time} x")), "x", "{line}");
            let name = event["event"].as_str().unwrap_or_else(|| panic!("no event: {line}"));
            let known = ["typeset", "failed", "removed", "note", "warning", "error", "summary"];
            assert!(known.contains(&name), "{line}");
            event
        })
        .collect()
}

fn named<'a>(events: &'a [serde_json::Value], name: &str) -> Vec<&'a serde_json::Value> {
    events.iter().filter(|event| event["event"] == name).collect()
}

#[test]
fn a_json_log_is_one_event_per_line_with_the_documented_fields() {
    let dir = content_copy();
    let first = build(dir.path(), &["--log-format", "json"]);
    let log = stderr(&first);
    assert!(first.status.success(), "{log}");
    let all = events(&log);
    let typeset = named(&all, "typeset");
    assert_eq!(typeset.len(), 6, "{log}");
    for (n, event) in typeset.iter().enumerate() {
        assert_eq!(event["n"], n + 1, "{log}");
        assert_eq!(event["total"], 6, "{log}");
        let id = event["id"].as_str().unwrap();
        assert!(
            event["source"].as_str().unwrap().ends_with(".txt")
                || event["source"].as_str().unwrap().ends_with(".md")
        );
        let pdfs = event["pdfs"].as_array().unwrap();
        assert_eq!(pdfs[0]["path"], format!("pdf/{id}.pdf"), "{log}");
        assert_eq!(pdfs[1]["path"], format!("pdf/{id}-large.pdf"), "{log}");
        assert!(pdfs.iter().all(|pdf| pdf["pages"].as_u64().unwrap() >= 1), "{log}");
    }
    let summary = all.last().unwrap();
    assert_eq!(summary["event"], "summary", "the summary comes last: {log}");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/run.json")).unwrap()).unwrap();
    for field in [
        "command",
        "status",
        "exit_code",
        "handouts_typeset",
        "handouts_up_to_date",
        "outputs_removed",
        "articles",
        "warnings",
    ] {
        assert_eq!(summary[field], run[field], "{field}: {log}");
    }
    assert_eq!(summary["handouts_typeset"], 12, "{log}");
    assert_eq!(summary["failed"], 0, "{log}");
    assert!(summary["message"].as_str().unwrap().starts_with("Typeset 12 PDFs"), "{log}");

    // A no-op: the summary alone. A deleted article: its outputs, one `removed` each.
    let noop = stderr(&build(dir.path(), &["--log-format", "json"]));
    assert_eq!(events(&noop).len(), 1, "{noop}");
    std::fs::remove_file(dir.path().join("content/stem-cell-therapy-and-metastasis.txt")).unwrap();
    let log = stderr(&build(dir.path(), &["--log-format", "json"]));
    let all = events(&log);
    let removed: Vec<&str> = named(&all, "removed").iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(removed.len(), 4, "{log}");
    assert!(removed.contains(&"pdf/the-role-of-stem-cell-therapy-in-the-fight-against-cancer-large.pdf"));
    assert_eq!(all.last().unwrap()["outputs_removed"], 4, "{log}");

    // A failed article: a `failed` event with report.json's fields; exit 1.
    let out = tempfile::tempdir().unwrap();
    let broken = handouts()
        .args(["build", "--log-format", "json", "--content", "tests/fixtures/broken", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let log = stderr(&broken);
    assert_eq!(broken.status.code(), Some(1), "{log}");
    let all = events(&log);
    let failed = named(&all, "failed");
    assert_eq!(failed.len(), 1, "{log}");
    assert_eq!(failed[0]["kind"], "input", "{log}");
    assert_eq!(failed[0]["file"], "tests/fixtures/broken/bad-encoding.txt", "{log}");
    assert_eq!(failed[0]["line"], 3, "{log}");
    assert!(failed[0]["message"].as_str().unwrap().contains("invalid UTF-8"), "{log}");
    let summary = all.last().unwrap();
    assert_eq!((summary["status"].as_str(), summary["exit_code"].as_u64()), (Some("failed"), Some(1)));
    assert_eq!(summary["failed"], 1, "{log}");

    // A run that stops (exit 2): the summary alone, with the error.
    let stopped = handouts()
        .args(["build", "--log-format", "json", "--content", "no/such/folder", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let log = stderr(&stopped);
    assert_eq!(stopped.status.code(), Some(2), "{log}");
    let all = events(&log);
    assert_eq!(all.len(), 1, "{log}");
    assert_eq!(all[0]["status"], "stopped", "{log}");
    assert!(all[0]["error"]["message"].as_str().unwrap().contains("content folder not found"), "{log}");
}
