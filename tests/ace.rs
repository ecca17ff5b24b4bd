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

/// One Ace at a time: two of them starting Chromium at once (the tests of this file run
/// in parallel) made one exit 1 with no report, now and then, on a 2-core machine.
static ONE_ACE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn ace(epub: &Path, report_dir: &Path) -> Value {
    let _one = ONE_ACE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
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

    let checked = assert_no_violations(&result);
    assert!(checked.contains(&"checking-your-feet-when-you-have-diabetes.xhtml".to_string()), "{checked:?}");

    let images = result["data"]["images"].as_array().expect("Ace lists the pictures");
    assert!(
        images.iter().any(|image| image["src"].as_str().is_some_and(|s| s.ends_with("foot-check.svg"))
            && image["alt"] == "A person checks the sole of their foot with a hand mirror"),
        "{images:#?}"
    );
}

/// Fails on any Ace violation; returns the documents Ace checked.
fn assert_no_violations(result: &Value) -> Vec<String> {
    let assertions = result["assertions"].as_array().expect("Ace lists what it checked");
    let checked: Vec<String> =
        assertions.iter().filter_map(|a| a["earl:testSubject"]["url"].as_str()).map(String::from).collect();
    println!("Ace checked {} documents: {checked:?}", checked.len());
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
    checked
}

fn epubcheck(epub: &Path) {
    let output = Command::new("bash")
        .arg(common::root().join("scripts/epubcheck.sh"))
        .arg(epub)
        .output()
        .expect("bash runs scripts/epubcheck.sh");
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success() && report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "EPUBCheck on {}:\n{report}",
        epub.display()
    );
}

fn entry(epub: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// The chapters of a book, in spine order.
fn spine(epub: &Path) -> Vec<String> {
    let opf = entry(epub, "OEBPS/package.opf");
    opf.split("<itemref idref=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter_map(|id| id.strip_prefix("ch-"))
        .map(String::from)
        .collect()
}

/// Two `[[collections]]` make two books from the shipped articles, each valid for
/// EPUBCheck and clean for Ace, with the right chapters in the right order (the
/// Spanish translation straight after its original, named in the contents); each page
/// links the books that hold it, and out/site/ holds both.
#[test]
fn two_collections_make_two_valid_accessible_books_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("handouts.toml");
    let shipped = std::fs::read_to_string(common::root().join("handouts.toml")).unwrap();
    let shipped = shipped.replace("templates/", &format!("{}/templates/", common::root().display()));
    std::fs::write(
        &config_path,
        format!(
            "{shipped}\n[[collections]]\ntitle = \"Diabetes: <Caring> for your feet & more\"\nid = \"diabetes\"\n\
             language = \"en\"\ntags = [\"DIABETES\"]\n\n[[collections]]\ntitle = \"Living with metastatic cancer\"\n\
             id = \"cancer\"\nlanguage = \"en\"\ntags = [\"no-handout-has-this\"]\n\
             order = [\"treatment-of-metastatic-kidney-cancer\", \"is-there-a-cure-for-metastatic-cancer\"]\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let config = handouts::config::ConfigFile::load(&config_path).expect("config parses").resolve(
        &config_path,
        common::root().join("content"),
        out.clone(),
        None,
    );
    assert_eq!(config.books().len(), 2);
    let report =
        build(&config, &BuildOptions { epub: true, quiet: true, ..BuildOptions::default() }).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let epubs: Vec<&String> = report.collections.iter().filter(|c| c.ends_with(".epub")).collect();
    assert_eq!(epubs, ["diabetes.epub", "cancer.epub"], "{:?}", report.collections);
    assert!(!out.join("understanding-metastatic-cancer.epub").exists(), "[collection] makes no book");

    let diabetes = out.join("diabetes.epub");
    let cancer = out.join("cancer.epub");
    assert_eq!(
        spine(&diabetes),
        ["checking-your-feet-when-you-have-diabetes", "como-revisar-sus-pies-si-tiene-diabetes"]
    );
    assert_eq!(
        spine(&cancer),
        ["treatment-of-metastatic-kidney-cancer", "is-there-a-cure-for-metastatic-cancer"]
    );
    let nav = entry(&diabetes, "OEBPS/nav.xhtml");
    assert!(
        nav.contains("lang=\"es\" xml:lang=\"es\">Cómo revisar sus pies si tiene diabetes (Español)</a>"),
        "{nav}"
    );
    assert!(!nav.contains("diabetes (English)"), "the original names no language: {nav}");
    for epub in [&diabetes, &cancer] {
        let opf = entry(epub, "OEBPS/package.opf");
        assert!(opf.contains("<dc:creator>Riverside Cancer Center</dc:creator>"), "{opf}");
        assert!(opf.contains("<dc:publisher>Riverside Cancer Center</dc:publisher>"), "{opf}");
        assert!(
            opf.contains("href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\""),
            "{opf}"
        );
    }
    assert!(entry(&diabetes, "OEBPS/cover.svg").contains("Diabetes: &lt;Caring&gt; for"));

    // Each page links the books that hold it; out/site/ holds both.
    let page =
        std::fs::read_to_string(out.join("site/como-revisar-sus-pies-si-tiene-diabetes.html")).unwrap();
    assert!(page.contains("href=\"diabetes.epub\"") && !page.contains("href=\"cancer.epub\""), "{page}");
    let page = std::fs::read_to_string(out.join("site/treatment-of-metastatic-kidney-cancer.html")).unwrap();
    assert!(page.contains("href=\"cancer.epub\"") && !page.contains("href=\"diabetes.epub\""), "{page}");
    let page = std::fs::read_to_string(out.join("site/can-immunotherapy-cure-advanced-cancer.html")).unwrap();
    assert!(!page.contains(".epub\""), "in no book: {page}");
    assert!(out.join("site/diabetes.epub").is_file() && out.join("site/cancer.epub").is_file());

    // The catalogue filters by book: a "Book" list of both, and each handout's books in
    // the search data (indices into files.books).
    let index = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(index.contains("<label for=\"filter-book\">Book</label>"), "{index}");
    assert!(index.contains("<option value=\"1\">Living with metastatic cancer</option>"), "{index}");
    let data = std::fs::read_to_string(out.join("site/assets/catalogue.js")).unwrap();
    let data: Value =
        serde_json::from_str(&data[data.find('{').unwrap()..=data.rfind('}').unwrap()]).unwrap();
    let books_of = |title: &str| {
        let handout = data["handouts"].as_array().unwrap().iter().find(|h| h["t"] == title).expect(title);
        handout["k"]
            .as_array()
            .map(|k| k.iter().map(|n| n.as_u64().unwrap()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(books_of("Cómo revisar sus pies si tiene diabetes"), [0]);
    assert_eq!(books_of("Treatment of Metastatic Kidney Cancer"), [1]);
    assert!(books_of("Can immunotherapy cure advanced cancer?").is_empty());

    for epub in [&diabetes, &cancer] {
        epubcheck(epub);
        let ace_dir = tempfile::tempdir().unwrap();
        assert_no_violations(&ace(epub, ace_dir.path()));
    }
}

/// A book of more chapters than a part holds ([`handouts::epub::PART_SIZE`], 5 here) is
/// in parts: each opens with an index page titled by its guide words and listing its
/// chapters, the nav lists only the parts, a translation stays in its original's part
/// (the first part closes early rather than split one), and no chapter takes a part
/// page's name. Valid for EPUBCheck and clean for Ace.
#[test]
fn a_book_in_parts_is_valid_accessible_and_its_nav_lists_the_parts() {
    let dir = common::generated_folder(10);
    let content = dir.path().join("content");
    common::copy_tree(&common::root().join("content"), &content);
    for title in ["Abdominal pain", "Asthma", "Back pain", "Part 2"] {
        std::fs::write(
            content.join(format!("{title}.md")),
            format!("---\ntitle: {title}\nlang: en\n---\n\nWhat to do at home, and when to call us.\n"),
        )
        .unwrap();
    }
    let config = common::repo_config(&content, &dir.path().join("out"));
    let batch = handouts::build::load_batch(&config, None).unwrap();
    assert!(batch.failures.is_empty(), "{:?}", batch.failures);
    assert_eq!(batch.articles.len(), 20);
    let labels = handouts::labels::LabelTable::load(config.template_dir()).unwrap();
    let settings = handouts::epub::EpubSettings {
        collection: &config.collection,
        brand: &config.brand,
        source_date_epoch: None,
        labels: &labels,
        catalogue: None,
        logo: None,
        part_size: 5,
    };
    let pictures = handouts::pictures::PictureStore::new(&config.content_dir);
    let bytes = handouts::epub::build_epub_with_pictures(&batch.articles, &settings, &pictures).unwrap();
    let epub = dir.path().join("in-parts.epub");
    std::fs::write(&epub, &bytes).unwrap();

    let opf = entry(&epub, "OEBPS/package.opf");
    let spine: Vec<&str> =
        opf.split("<itemref idref=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let handout = |n: usize| {
        format!(
            "ch-handout-{n}-about-{}",
            ["rest", "water", "sleep", "walk", "heart", "lungs", "blood", "sugar", "doctor", "nurse"][n]
        )
    };
    let mut expected: Vec<String> =
        ["cover", "nav", "part-1", "ch-abdominal-pain", "ch-asthma", "ch-back-pain"].map(String::from).into();
    expected.extend(["ch-can-immunotherapy-cure-advanced-cancer", "part-2"].map(String::from));
    expected.extend(
        ["ch-checking-your-feet-when-you-have-diabetes", "ch-como-revisar-sus-pies-si-tiene-diabetes"]
            .map(String::from),
    );
    expected.extend((0..3).map(handout));
    expected.push("part-3".into());
    expected.extend((3..8).map(handout));
    expected.push("part-4".into());
    expected.extend((8..10).map(handout));
    // "Part 2" is named so that its file would be a part page's: it takes another.
    expected.extend(["ch-is-there-a-cure-for-metastatic-cancer", "ch-part-2-2"].map(String::from));
    expected.push("ch-the-role-of-stem-cell-therapy-in-the-fight-against-cancer".into());
    expected.extend(["part-5", "ch-treatment-of-metastatic-kidney-cancer"].map(String::from));
    assert_eq!(spine, expected);
    for n in 1..=5 {
        assert!(
            opf.contains(&format!(
                "<item id=\"part-{n}\" href=\"part-{n}.xhtml\" media-type=\"application/xhtml+xml\"/>"
            )),
            "{opf}"
        );
    }
    assert!(opf.contains("the table of contents lists the parts of the book"), "{opf}");

    // The nav lists the five parts by their guide words, and no chapter.
    let nav = entry(&epub, "OEBPS/nav.xhtml");
    let toc = &nav[..nav.find("epub:type=\"landmarks\"").unwrap()];
    assert_eq!(toc.matches("<li>").count(), 5, "{toc}");
    assert!(
        toc.contains(
            "<li><a href=\"part-1.xhtml\">Abdominal pain – Can immunotherapy cure advanced cancer?</a></li>"
        ),
        "{toc}"
    );
    assert!(
        toc.contains("<li><a href=\"part-5.xhtml\">Treatment of Metastatic Kidney Cancer</a></li>"),
        "{toc}"
    );
    assert!(!toc.contains("handout-0"), "{toc}");
    assert!(nav.contains("<a epub:type=\"bodymatter\" href=\"part-1.xhtml\">"), "{nav}");

    // A part's page lists its chapters; the translation with its language, in Spanish.
    let part = entry(&epub, "OEBPS/part-2.xhtml");
    assert!(
        part.contains("<title>Checking your feet when you have diabetes – Handout 2 about sleep</title>"),
        "{part}"
    );
    assert!(part.contains("<section class=\"part\" epub:type=\"part\" role=\"doc-part\""), "{part}");
    assert_eq!(part.matches("<li><a href=").count(), 5, "{part}");
    assert!(
        part.contains(
            "<li><a href=\"como-revisar-sus-pies-si-tiene-diabetes.xhtml\" lang=\"es\" xml:lang=\"es\">\
             Cómo revisar sus pies si tiene diabetes (Español)</a></li>"
        ),
        "{part}"
    );
    assert!(entry(&epub, "OEBPS/part-4.xhtml").contains("<li><a href=\"part-2-2.xhtml\">Part 2</a></li>"));

    epubcheck(&epub);
    let ace_dir = tempfile::tempdir().unwrap();
    let checked = assert_no_violations(&ace(&epub, ace_dir.path()));
    for n in 1..=5 {
        assert!(checked.contains(&format!("part-{n}.xhtml")), "{checked:?}");
    }
}
