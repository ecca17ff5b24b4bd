//! DAISY Ace, the EPUB accessibility checker, over the EPUB the shipped `content/` makes
//! (the example picture among it). Ace is pinned by `scripts/ace/package-lock.json` and
//! installed into `.tools/ace/` by `.ci/run` without its install scripts, so no browser is
//! downloaded: it drives Debian's Chromium through puppeteer.

mod common;

use std::path::Path;
use std::process::Command;

use handouts::build::{BuildOptions, build};
use serde_json::Value;

const CHROMIUM: &str = "/usr/bin/chromium";

fn ace(epub: &Path, report_dir: &Path) -> Value {
    let cli = common::root().join(".tools/ace/node_modules/.bin/ace-cli");
    assert!(cli.exists(), "{}: missing; run .ci/run (it installs Ace from scripts/ace/)", cli.display());
    assert!(Path::new(CHROMIUM).exists(), "{CHROMIUM}: missing; run .ci/run (it installs Debian's chromium)");
    // Ace's puppeteer gives Chromium a fresh --user-data-dir of its own and most of the
    // flags below; the wrapper makes sure of all the flags every browser here runs with.
    let home = tempfile::tempdir().unwrap();
    let browser = home.path().join("chromium");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nexec {CHROMIUM} --headless --no-sandbox --disable-gpu \
             --disable-background-networking --disable-component-update --no-first-run \"$@\"\n"
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&browser).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&browser, permissions).unwrap();
    let output = Command::new(&cli)
        .args(["--silent", "--force", "--outdir"])
        .arg(report_dir)
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", &browser)
        .env("PUPPETEER_SKIP_DOWNLOAD", "1")
        .env("HOME", home.path())
        .output()
        .expect("ace-cli runs");
    let report = report_dir.join("report.json");
    assert!(
        output.status.success() && report.exists(),
        "Ace failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap()
}

#[test]
fn ace_finds_nothing_in_the_epub_of_the_shipped_articles_and_sees_the_picture_with_its_alt() {
    let out = tempfile::tempdir().unwrap();
    let config = common::repo_config(&common::root().join("content"), out.path());
    let report =
        build(&config, &BuildOptions { epub: true, quiet: true, ..BuildOptions::default() }).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let epub = out.path().join(report.epub.as_deref().expect("an EPUB is written"));

    let ace_dir = tempfile::tempdir().unwrap();
    let result = ace(&epub, ace_dir.path());

    let assertions = result["assertions"].as_array().expect("Ace lists what it checked");
    let checked: Vec<&str> =
        assertions.iter().filter_map(|a| a["earl:testSubject"]["url"].as_str()).collect();
    println!("Ace checked {} documents: {checked:?}", checked.len());
    assert!(checked.contains(&"checking-your-feet-when-you-have-diabetes.xhtml"), "{checked:?}");
    let failed: Vec<String> = assertions
        .iter()
        .flat_map(|document| document["assertions"].as_array().cloned().unwrap_or_default())
        .filter(|a| a["earl:result"]["earl:outcome"] != "pass")
        .map(|a| {
            format!(
                "{}: {} ({})",
                a["earl:test"]["dct:title"],
                a["earl:result"]["dct:description"],
                a["earl:result"]["earl:pointer"]
            )
        })
        .collect();
    assert!(failed.is_empty(), "Ace violations:\n{}", failed.join("\n"));
    assert_eq!(result["earl:result"]["earl:outcome"], "pass", "{:#}", result["earl:result"]);

    let images = result["data"]["images"].as_array().expect("Ace lists the pictures");
    assert!(
        images.iter().any(|image| image["src"].as_str().is_some_and(|s| s.ends_with("foot-check.svg"))
            && image["alt"] == "A person checks the sole of their foot with a hand mirror"),
        "{images:#?}"
    );
}
