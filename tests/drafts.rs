//! Drafts and the review cycle over the `handouts` binary: a draft's PDFs say so on
//! every page (read back with poppler's `pdftotext`), it is in no catalogue, search data,
//! page, EPUB or translation link until reviewed, `build --drafts` previews it, and
//! `check` lists drafts and reviews due, with `--strict` failing on an overdue one.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn handouts(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("handouts").unwrap();
    cmd.current_dir(dir).env_remove("SOURCE_DATE_EPOCH").env_remove("HANDOUTS_TODAY");
    cmd
}

/// A folder with `handouts.toml` (the repository's template, large print, and `extra`
/// under `[handout]`) and `content/` holding `articles` (file name, text).
fn library(extra: &str, articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let template = common::root().join("templates/handout.typ");
    std::fs::write(
        dir.path().join("handouts.toml"),
        format!("[handout]\ntemplate = {template:?}\nlarge-print = true\n{extra}\n"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for (name, text) in articles {
        std::fs::write(dir.path().join("content").join(name), text).unwrap();
    }
    dir
}

/// Runs `handouts ARGS` in `dir`; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str], today: Option<&str>) -> (i32, String, String) {
    let mut cmd = handouts(dir);
    cmd.args(args);
    if let Some(today) = today {
        cmd.env("HANDOUTS_TODAY", today);
    }
    let output = cmd.output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

/// Each page's text, as `pdftotext` (poppler) reads the PDF's text layer.
fn page_texts(pdf: &Path) -> Vec<String> {
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(output.status.success(), "pdftotext {}", pdf.display());
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    // Pages end with a form feed.
    text.split('\u{c}').filter(|page| !page.trim().is_empty()).map(common::collapse_whitespace).collect()
}

/// Every file name in an EPUB and the text of its chapters.
fn epub_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let name = entry.name().expect("UTF-8 name").into_owned();
        text.push_str(&name);
        text.push('\n');
        if name.ends_with(".xhtml") || name.ends_with(".opf") {
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        }
    }
    text
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A draft long enough for two pages (three in large print).
fn long_draft() -> String {
    let mut text = String::from(
        "---\ntitle: Using your inhaler the right way\nlang: en\nstatus: draft\nowner: Dr. Ana Ruiz\n---\n",
    );
    for n in 1..=14 {
        text.push_str(&format!(
            "## Step {n}\n\nShake the inhaler well before you use it. Breathe out all the way, away from the \
             mouthpiece. Put the mouthpiece in your mouth and close your lips around it. Press down once \
             as you start to breathe in slowly, then hold your breath for ten seconds.\n\n"
        ));
    }
    text
}

const PUBLISHED: &str = "---\ntitle: Washing your hands\nlang: en\nreviewed: 2026-03-01\n---\n\
Wash your hands with soap and water for twenty seconds. Dry them on a clean towel.\n";

/// The Spanish translation of the handout above, still a draft.
const SPANISH_DRAFT: &str = "---\ntitle: Lavarse las manos\nlang: es\nstatus: draft\n\
translation-key: washing-your-hands\n---\n\
Lávese las manos con agua y jabón durante veinte segundos. Séqueselas con una toalla limpia.\n";

const DRAFT_LABEL: &str = "DRAFT – not yet reviewed";

#[test]
fn a_draft_is_marked_on_every_page_and_kept_off_the_site_the_search_data_the_epub_and_links() {
    let long = long_draft();
    let dir = library(
        "",
        &[("inhaler.md", long.as_str()), ("hands.md", PUBLISHED), ("manos.es.md", SPANISH_DRAFT)],
    );
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");

    // Its PDFs are made, for the reviewer, and say so on every page.
    for variant in ["", "-large"] {
        let path = out.join(format!("pdf/using-your-inhaler-the-right-way{variant}.pdf"));
        let pages = page_texts(&path);
        assert!(pages.len() >= 2, "{}: {} pages", path.display(), pages.len());
        for (n, page) in pages.iter().enumerate() {
            assert!(page.contains(DRAFT_LABEL), "{} page {}: {page}", path.display(), n + 1);
        }
        // The band covers no text: every step is still there.
        let all = pages.join(" ");
        assert!((1..=14).all(|n| all.contains(&format!("Step {n}"))), "{all}");
    }
    // The Spanish draft is marked in Spanish.
    let pages = page_texts(&out.join("pdf/lavarse-las-manos.pdf"));
    assert!(pages.iter().all(|page| page.contains("BORRADOR – aún no revisado")), "{pages:?}");
    // A published handout is not.
    let pages = page_texts(&out.join("pdf/washing-your-hands.pdf"));
    assert!(pages.iter().all(|page| !page.contains("DRAFT") && !page.contains("BORRADOR")), "{pages:?}");

    // Off the site: no page, no catalogue entry, no search data, no PDF in site/pdf.
    let site = out.join("site");
    assert!(site.join("washing-your-hands.html").is_file());
    for id in ["using-your-inhaler-the-right-way", "lavarse-las-manos"] {
        assert!(!site.join(format!("{id}.html")).exists(), "{id} has a page");
        assert!(!site.join(format!("pdf/{id}.pdf")).exists(), "{id}'s PDF is on the site");
        assert!(!read(site.join("index.html")).contains(id), "{id} in the catalogue");
    }
    let data = read(site.join("assets/catalogue.js"));
    assert!(data.contains("Washing your hands"), "{data}");
    assert!(!data.contains("inhaler") && !data.contains("Lavarse"), "{data}");
    // The English page does not offer the Spanish draft.
    let page = read(site.join("washing-your-hands.html"));
    assert!(!page.contains("lavarse-las-manos") && !page.contains("hreflang=\"es\""), "{page}");
    let json = read(out.join("json/washing-your-hands.json"));
    assert!(!json.contains("lavarse-las-manos"), "{json}");
    // Not in the EPUB.
    let epub = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB");
    let book = epub_text(&epub);
    assert!(book.contains("Washing your hands"), "{book}");
    assert!(!book.contains("inhaler") && !book.contains("Lavarse"), "{book}");
    // The JSON and report.json say what it is.
    assert!(read(out.join("json/using-your-inhaler-the-right-way.json")).contains("\"status\": \"draft\""));
    let report: serde_json::Value = serde_json::from_str(&read(out.join("report.json"))).unwrap();
    let inhaler = report["articles"].as_array().unwrap().iter().find(|a| a["source"] == "content/inhaler.md");
    assert_eq!(inhaler.unwrap()["status"], "draft");
    assert_eq!(inhaler.unwrap()["owner"], "Dr. Ana Ruiz");

    // `--drafts`: a preview site with the drafts, still marked; the EPUB stays without.
    let (code, _, err) = run(dir.path(), &["build", "--drafts"], None);
    assert_eq!(code, 0, "{err}");
    let page = read(site.join("using-your-inhaler-the-right-way.html"));
    assert!(page.contains(&format!("<p class=\"draft-note\" role=\"note\">{DRAFT_LABEL}</p>")), "{page}");
    assert!(site.join("pdf/using-your-inhaler-the-right-way.pdf").is_file());
    let index = read(site.join("index.html"));
    assert!(index.contains("data-id=\"using-your-inhaler-the-right-way\""), "{index}");
    assert!(index.contains(&format!("<strong class=\"draft-mark\">{DRAFT_LABEL}</strong>")), "{index}");
    assert!(read(site.join("assets/catalogue.js")).contains("Using your inhaler"));
    assert!(read(site.join("washing-your-hands.html")).contains("lavarse-las-manos.html"));
    assert!(!epub_text(&epub).contains("inhaler"));

    // Back to a published site: the preview's pages and PDFs go from the site; the
    // published handout's files are as before.
    let before = std::fs::read(out.join("pdf/washing-your-hands.pdf")).unwrap();
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    assert!(!site.join("using-your-inhaler-the-right-way.html").exists());
    assert!(!site.join("pdf/using-your-inhaler-the-right-way.pdf").exists());
    assert!(!read(site.join("index.html")).contains("inhaler"));
    assert!(!read(site.join("washing-your-hands.html")).contains("lavarse-las-manos"));
    assert_eq!(std::fs::read(out.join("pdf/washing-your-hands.pdf")).unwrap(), before);
}

#[test]
fn a_published_handout_made_a_draft_leaves_the_site_and_comes_back_when_reviewed() {
    let dir = library(
        "",
        &[
            ("hands.md", PUBLISHED),
            (
                "feet.md",
                "Caring for your feet\n\nLook at your feet every day after your bath and dry between your toes.\n",
            ),
        ],
    );
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    let site = dir.path().join("out/site");
    assert!(site.join("washing-your-hands.html").is_file());
    let published = std::fs::read(dir.path().join("out/pdf/washing-your-hands.pdf")).unwrap();

    let article = dir.path().join("content/hands.md");
    std::fs::write(&article, PUBLISHED.replace("lang: en\n", "lang: en\nstatus: draft\n")).unwrap();
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    assert!(!site.join("washing-your-hands.html").exists(), "{err}");
    assert!(!site.join("pdf/washing-your-hands.pdf").exists());
    assert!(!read(site.join("index.html")).contains("washing-your-hands"));
    assert!(page_texts(&dir.path().join("out/pdf/washing-your-hands.pdf"))[0].contains(DRAFT_LABEL));

    // Published again: the same bytes as before it was a draft.
    std::fs::write(&article, PUBLISHED).unwrap();
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    assert!(site.join("washing-your-hands.html").is_file());
    assert_eq!(std::fs::read(dir.path().join("out/pdf/washing-your-hands.pdf")).unwrap(), published);
}

#[test]
fn unreviewed_are_drafts_makes_every_article_without_a_reviewed_date_a_draft() {
    let paste =
        "Caring for your feet\n\nLook at your feet every day after your bath and dry between your toes.\n";
    let articles = [("hands.md", PUBLISHED), ("feet.txt", paste)];
    // Off by default: a paste without front matter is published as it always was.
    let dir = library("", &articles);
    let (code, stdout, err) = run(dir.path(), &["check"], None);
    assert_eq!(code, 0, "{err}");
    assert!(!stdout.contains("draft"), "{stdout}");
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/site/caring-for-your-feet.html").is_file());

    let dir = library("unreviewed-are-drafts = true", &articles);
    let (code, stdout, err) = run(dir.path(), &["check"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("1 draft, not on the site")
            && stdout.contains("content/feet.txt  caring-for-your-feet  (no reviewed: date)"),
        "{stdout}"
    );
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    assert!(!out.join("site/caring-for-your-feet.html").exists());
    assert!(out.join("site/washing-your-hands.html").is_file());
    assert!(page_texts(&out.join("pdf/caring-for-your-feet.pdf")).iter().all(|p| p.contains(DRAFT_LABEL)));
    assert!(page_texts(&out.join("pdf/washing-your-hands.pdf")).iter().all(|p| !p.contains("DRAFT")));

    // Nothing reviewed yet: the PDFs are made for the reviewers, and the EPUB waits.
    let dir = library("unreviewed-are-drafts = true", &articles[1..]);
    let (code, _, err) = run(dir.path(), &["build"], None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("every handout (1) is a draft, not yet reviewed: the EPUB is made once one is reviewed"),
        "{err}"
    );
    assert!(dir.path().join("out/pdf/caring-for-your-feet.pdf").is_file());
}

/// Handouts reviewed long ago, lately, and one with its own `review-by:`.
fn reviewed_library() -> tempfile::TempDir {
    library(
        "review-every = \"2 years\"",
        &[
            (
                "old.md",
                "---\ntitle: Washing your hands\nlang: en\nreviewed: 2024-09-14\nowner: Nurse Lee\n---\nWash your hands with soap and water.\n",
            ),
            (
                "soon.md",
                "---\ntitle: Caring for your feet\nlang: en\nreviewed: 2020-01-01\nreview-by: 2027-01-20\n---\nLook at your feet every day.\n",
            ),
            (
                "fresh.md",
                "---\ntitle: Taking your pills\nlang: en\nreviewed: 2026-06-01\nowner: Dr. Ana Ruiz\n---\nTake your pills with water.\n",
            ),
        ],
    )
}

#[test]
fn check_lists_reviews_overdue_and_due_soon_and_strict_fails_only_on_overdue() {
    let dir = reviewed_library();
    let (code, stdout, err) = run(dir.path(), &["check"], Some("2026-12-07"));
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("Review overdue on 2026-12-07 (1):\n  washing-your-hands  due 2026-09-14  owner: Nurse Lee  content/old.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Review due within 60 days of 2026-12-07 (1):\n  caring-for-your-feet  due 2027-01-20  owner: none"),
        "{stdout}"
    );
    // Due in 2028: in the reading-level table, in no list.
    let lists = stdout.split_once("Review overdue").expect("the lists follow the table").1;
    assert!(!lists.contains("taking-your-pills"), "{stdout}");

    let (code, _, err) = run(dir.path(), &["check", "--strict"], Some("2026-12-07"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/old.md:4: review overdue since 2026-09-14 (owner: Nurse Lee)"), "{err}");
    // `--json` has each handout's due date and the failure.
    let (code, stdout, err) = run(dir.path(), &["check", "--strict", "--json"], Some("2026-12-07"));
    assert_eq!(code, 1, "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let due: Vec<(&str, &str)> = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["review_due"].as_str().unwrap()))
        .collect();
    assert_eq!(
        due,
        [
            ("taking-your-pills", "2028-06-01"),
            ("washing-your-hands", "2026-09-14"),
            ("caring-for-your-feet", "2027-01-20")
        ]
    );
    assert_eq!(report["failures"][0]["line"], 4, "{stdout}");

    // A due-soon handout is listed but fails nothing; on a day before any is due, all pass.
    let (code, stdout, err) = run(dir.path(), &["check", "--strict"], Some("2026-09-13"));
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("Review due within 60 days of 2026-09-13 (1):\n  washing-your-hands"),
        "{stdout}"
    );
    let (code, _, err) = run(dir.path(), &["check", "--strict"], Some("2026-13-01"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("HANDOUTS_TODAY"), "{err}");
}

#[test]
fn report_json_has_due_dates_that_do_not_depend_on_today() {
    let dir = reviewed_library();
    let (code, _, err) = run(dir.path(), &["build"], Some("2026-12-07"));
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    let report = read(out.join("report.json"));
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let old = json["articles"].as_array().unwrap().iter().find(|a| a["id"] == "washing-your-hands").unwrap();
    assert_eq!((old["review_due"].as_str(), old["owner"].as_str()), (Some("2026-09-14"), Some("Nurse Lee")));
    assert!(read(out.join("json/caring-for-your-feet.json")).contains("\"review_due\": \"2027-01-20\""));
    let files = |out: &PathBuf| -> Vec<(String, Vec<u8>)> {
        [
            "report.json",
            "json/washing-your-hands.json",
            "pdf/washing-your-hands.pdf",
            "site/washing-your-hands.html",
        ]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect()
    };
    let first = files(&out);
    let (code, _, err) = run(dir.path(), &["build", "--force"], Some("2030-01-01"));
    assert_eq!(code, 0, "{err}");
    assert!(first == files(&out), "a build on another day wrote other bytes");
}

#[test]
fn bad_status_review_by_and_review_every_are_errors_at_their_line() {
    let dir = library(
        "",
        &[
            ("status.md", "---\ntitle: A\nstatus: drfat\n---\nText of the article.\n"),
            ("review.md", "---\ntitle: B\nlang: en\nreview-by: 2027-02-30\n---\nText of the article.\n"),
            ("ok.md", PUBLISHED),
        ],
    );
    let (code, _, err) = run(dir.path(), &["check"], None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/status.md:3: status: \"drfat\" is not a status: write `status: draft`"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/review.md:4: review-by: \"2027-02-30\" is not a date: February 2027 has 28 days"
        ),
        "{err}"
    );

    let dir = library("review-every = \"2 yeers\"", &[("ok.md", PUBLISHED)]);
    let (code, _, err) = run(dir.path(), &["check"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("handouts.toml:4:16: review-every = \"2 yeers\" is not a period"), "{err}");
    assert!(err.contains("like \"2 years\""), "{err}");
}

#[test]
fn the_desk_neither_shows_nor_prints_a_draft() {
    use common::desk;
    let project = desk::project();
    std::fs::write(
        project.path().join("content/new-cast.md"),
        "---\ntitle: Caring for a new cast\nstatus: draft\n---\n\nKeep the cast dry and clean for the first two days at home.\n\n## When to call us\n\nCall if your fingers or toes turn blue or numb.\n",
    )
    .unwrap();
    let desk = desk::start_in(project, &[]);
    assert!(desk.dir.path().join("out/json/caring-for-a-new-cast.json").exists(), "the draft was built");
    assert_eq!(desk::get(&desk, "/caring-for-a-new-cast.html").status, 404);
    let body = desk::form(&[("patient", "Ana Example")]);
    let response = desk::request(&desk.addr, "POST", "/print/caring-for-a-new-cast", &[], &body);
    assert_eq!(response.status, 404, "a draft is not printed at the desk");
    let catalogue = desk::get(&desk, "/").text();
    assert!(!catalogue.contains("Caring for a new cast"), "{catalogue}");
    // A reviewed handout beside it still prints.
    let response =
        desk::request(&desk.addr, "POST", "/print/checking-your-feet-when-you-have-diabetes", &[], &body);
    assert_eq!(response.status, 200);
    assert!(response.body.starts_with(b"%PDF"));
}
