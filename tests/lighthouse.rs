//! Lighthouse (12.8, pinned by `scripts/lighthouse/package-lock.json`, installed into
//! `.tools/lighthouse/` by `.ci/run`) over the desk's pages of the shipped `content/`:
//! the catalogue, an English handout and its Spanish translation, as a phone sees them
//! (Lighthouse's default). Accessibility, best practices and SEO must score 100, and
//! nothing may move once painted (cumulative layout shift 0). The performance score
//! itself depends on how busy the machine is, so it is printed, not asserted.

mod common;

use std::path::Path;
use std::process::Command;

use common::desk;
use serde_json::Value;

const CHROMIUM: &str = "/usr/bin/chromium";

fn lighthouse(url: &str) -> Value {
    let cli = common::root().join(".tools/lighthouse/node_modules/.bin/lighthouse");
    assert!(
        cli.exists(),
        "{}: missing; run .ci/run (it installs Lighthouse from scripts/lighthouse/)",
        cli.display()
    );
    assert!(Path::new(CHROMIUM).exists(), "{CHROMIUM}: missing; run .ci/run (it installs Debian's chromium)");
    let home = tempfile::tempdir().unwrap();
    let profile = home.path().join("profile");
    let report = home.path().join("report.json");
    let output = Command::new(&cli)
        .arg(url)
        .args(["--quiet", "--output=json", "--only-categories=performance,accessibility,best-practices,seo"])
        .arg(format!("--output-path={}", report.display()))
        .arg(format!(
            "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking \
             --disable-component-update --no-first-run --user-data-dir={}",
            profile.display()
        ))
        .env("CHROME_PATH", CHROMIUM)
        .env("HOME", home.path())
        .output()
        .expect("lighthouse runs");
    assert!(
        output.status.success() && report.exists(),
        "Lighthouse failed on {url} ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap()
}

/// The audits of a category that did not pass, with what Lighthouse says of them.
fn failing(report: &Value, category: &str) -> Vec<String> {
    let refs = report["categories"][category]["auditRefs"].as_array().cloned().unwrap_or_default();
    refs.iter()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|r| {
            let audit = &report["audits"][r["id"].as_str()?];
            let score = audit["score"].as_f64()?;
            (score < 1.0).then(|| format!("{} ({score}): {}", r["id"], audit["title"]))
        })
        .collect()
}

#[test]
fn the_catalogue_and_handout_pages_score_100_and_nothing_moves() {
    let desk = desk::start(&[]);
    let pages = [
        "/",
        "/checking-your-feet-when-you-have-diabetes.html",
        "/como-revisar-sus-pies-si-tiene-diabetes.html",
    ];
    println!("| page | performance | accessibility | best practices | SEO | layout shift |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut problems = Vec::new();
    for page in pages {
        let report = lighthouse(&format!("http://{}{page}", desk.addr));
        let score = |category: &str| report["categories"][category]["score"].as_f64().unwrap_or(-1.0);
        let shift = report["audits"]["cumulative-layout-shift"]["numericValue"].as_f64().unwrap_or(f64::NAN);
        println!(
            "| {page} | {:.2} | {:.2} | {:.2} | {:.2} | {shift:.3} |",
            score("performance"),
            score("accessibility"),
            score("best-practices"),
            score("seo")
        );
        for category in ["accessibility", "best-practices", "seo"] {
            if score(category) < 1.0 {
                problems.push(format!(
                    "{page}: {category} {}: {:?}",
                    score(category),
                    failing(&report, category)
                ));
            }
        }
        if shift.is_nan() || shift > 0.0 {
            problems.push(format!("{page}: layout shift {shift}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
