//! A bug met on one article is that article's error: the batch goes on, the article's
//! last good outputs stay, and the exit code says something failed (issue 23).
//!
//! The panics are injected with `HANDOUTS_FAILPOINT` (see `src/failpoint.rs`, debug
//! builds only), at the two places a batch does per-article work: reading and building.

mod common;

use std::path::Path;

use assert_cmd::Command;

fn handouts(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("handouts").unwrap();
    cmd.current_dir(dir).env_remove("SOURCE_DATE_EPOCH").env_remove("HANDOUTS_FAILPOINT");
    cmd
}

const ARTICLES: [(&str, &str); 3] = [
    (
        "rest.txt",
        "Resting after a cold\n\nRest at home for a few days and drink plenty of water, tea or soup every day.",
    ),
    (
        "feet.txt",
        "Checking your feet\n\nLook at your feet every day after your bath, and use a mirror to see the soles.",
    ),
    (
        "walk.txt",
        "Walking every day\n\nA short walk after each meal helps your blood sugar, and it is good for your heart.",
    ),
];

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for (name, text) in ARTICLES {
        std::fs::write(dir.path().join("content").join(name), text).unwrap();
    }
    dir
}

fn pdf(dir: &Path, id: &str) -> Vec<u8> {
    std::fs::read(dir.join("out/pdf").join(format!("{id}.pdf"))).unwrap_or_else(|e| panic!("{id}.pdf: {e}"))
}

#[test]
fn a_panic_in_one_article_fails_that_article_only_and_keeps_its_last_good_outputs() {
    let dir = folder();
    let first = handouts(dir.path()).args(["build", "--no-large-print"]).output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let good = pdf(dir.path(), "checking-your-feet");

    for (stage, during) in [("read", "reading"), ("build", "building")] {
        // The article changes, and the new version meets a bug.
        std::fs::write(
            dir.path().join("content/feet.txt"),
            format!(
                "Checking your feet\n\nA new paragraph for the {stage} case, long enough to be a paragraph."
            ),
        )
        .unwrap();
        let other = "content/walk.txt";
        std::fs::write(
            dir.path().join(other),
            format!("{}\n\nAnd one more sentence for {stage}.", ARTICLES[2].1),
        )
        .unwrap();
        let output = handouts(dir.path())
            .args(["build", "--no-large-print"])
            .env("HANDOUTS_FAILPOINT", format!("{stage}:feet.txt"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{err}");
        let line = format!("error: internal error while {during} content/feet.txt; please report it");
        assert!(err.contains(&line), "{line} not in:\n{err}");
        // Its last good PDF is untouched; the other changed article was built.
        assert_eq!(pdf(dir.path(), "checking-your-feet"), good, "{stage}");
        let walk = pdf(dir.path(), "walking-every-day");
        let text = common::collapse_whitespace(&common::pdf_text(&walk));
        assert!(text.contains(&format!("more sentence for {stage}")), "{stage}: {text}");
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap()).unwrap();
        let failures = report["failures"].as_array().unwrap();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(failures[0]["kind"], "internal");
        assert_eq!(failures[0]["file"], "content/feet.txt");
        // The catalogue still lists it.
        let catalogue = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
        assert!(catalogue.contains("Checking your feet"), "{stage}");
    }

    // The bug gone, the next build makes the new version.
    let output = handouts(dir.path()).args(["build", "--no-large-print"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(pdf(dir.path(), "checking-your-feet"), good);
}

/// The byline that stopped whole batches: "By", a no-break space, a name.
#[test]
fn a_byline_with_a_no_break_space_builds() {
    let dir = folder();
    std::fs::write(
        dir.path().join("content/byline.txt"),
        "Skip to main content\nHome\nCaring for Your Feet\nBy\u{a0}Dana Ortiz, RN\nUpdated\u{a0}May\u{a0}3, 2024\nCheck your feet every day for cuts and blisters, and call us when one does not heal.\nWear shoes that fit well, and never walk barefoot, not even at home or on the beach.",
    )
    .unwrap();
    let output = handouts(dir.path()).args(["build", "--no-large-print"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json = std::fs::read_to_string(dir.path().join("out/json/caring-for-your-feet.json")).unwrap();
    assert!(json.contains("\"reason\": \"byline\""), "{json}");
}
