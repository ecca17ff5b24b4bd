//! The HTML site (`out/site/`) over the `handouts` binary: a page per handout with its
//! landmarks and links, the catalogue and its search data, escaping, reproducibility,
//! and a failed article keeping its page.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn handouts() -> Command {
    let mut cmd = Command::cargo_bin("handouts").unwrap();
    cmd.current_dir(common::root()).env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Builds `content` into `out` (with `config`, else the repository's handouts.toml);
/// returns stderr. Panics unless the exit code is `code`.
fn build(content: &Path, out: &Path, config: Option<&Path>, code: i32) -> String {
    let mut cmd = handouts();
    cmd.arg("build").arg("--content").arg(content).arg("--out").arg(out);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    let output = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{err}");
    err
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The ids the build made, from its intermediate outputs.
fn ids(out: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(out.join("json"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// `window.HANDOUTS = {…};` parsed as JSON.
fn catalogue_data(out: &Path) -> serde_json::Value {
    let text = read(out.join("site/assets/catalogue.js"));
    let json =
        text.strip_prefix("window.HANDOUTS = ").expect("prefix").trim_end().strip_suffix(';').expect(";");
    serde_json::from_str(json).expect("catalogue data is JSON")
}

/// The ids of the catalogue's list, in its order: the data file's handouts are in the
/// same order and do not repeat them.
fn listed_ids(out: &Path) -> Vec<String> {
    read(out.join("site/index.html"))
        .split("<li data-id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// The data file's entry for the handout `id`.
fn entry<'a>(data: &'a serde_json::Value, out: &Path, id: &str) -> &'a serde_json::Value {
    let position = listed_ids(out).iter().position(|listed| listed.as_str() == id).expect("listed");
    &data["handouts"][position]
}

/// A handout's search words in `field` ("h" or "s") of the data file: word codes, each
/// a run of digits from the upper half of the code alphabet ending in one from the
/// lower half, numbering the words of `words`.
fn search_words(data: &serde_json::Value, handout: &serde_json::Value, field: &str) -> String {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    let vocabulary: Vec<&str> = data["words"].as_str().unwrap().split(' ').collect();
    let mut words = Vec::new();
    let mut n = 0;
    for c in handout[field].as_str().unwrap_or("").chars() {
        let digit = DIGITS.find(c).expect("a code digit");
        n = n * 32 + digit % 32;
        if digit < 32 {
            words.push(vocabulary[n]);
            n = 0;
        }
    }
    words.join(" ")
}

/// A handout's topics, from the numbers in its `g`.
fn topics(data: &serde_json::Value, handout: &serde_json::Value) -> Vec<String> {
    let g = handout["g"].as_array().map(Vec::as_slice).unwrap_or_default();
    g.iter().map(|n| data["topics"][n.as_u64().unwrap() as usize].as_str().unwrap().to_string()).collect()
}

/// Every `href="…"` and `src="…"` in `html`.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            found.push(part.split('"').next().unwrap().replace("&amp;", "&"));
        }
    }
    found
}

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        files.insert(entry.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&entry).unwrap());
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/site")
}

/// A fresh folder holding a copy of the fixtures as `content/`, for a test that edits them.
fn fixtures_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, content.join(path.file_name().unwrap())).unwrap();
    }
    (dir, content)
}

#[test]
fn every_handout_has_an_accessible_page_linking_files_that_exist() {
    let out = tempfile::tempdir().unwrap();
    build(&fixtures(), out.path(), None, 0);
    let ids = ids(out.path());
    assert_eq!(ids.len(), 3, "{ids:?}");
    let site = out.path().join("site");
    for id in &ids {
        let html = read(site.join(format!("{id}.html")));
        let lang = if id.starts_with("el-") { "es" } else { "en" };
        assert!(html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")), "{id}");
        // The skip link comes first and leads to main.
        let body = html.split("<body>\n").nth(1).unwrap();
        assert!(body.starts_with("<a class=\"skip-link\" href=\"#main\""), "{id}: {body}");
        for landmark in ["<header", "<nav", "<main id=\"main\"", "<footer", "<meta name=\"viewport\""] {
            assert!(html.contains(landmark), "{id}: no {landmark}");
        }
        assert_eq!(html.matches("<h1").count(), 1, "{id}");
        // The clinic's logo is the tab's icon: no browser asks for a missing /favicon.ico.
        assert!(html.contains("<link rel=\"icon\" href=\"assets/logo.svg\">"), "{id}");
        for link in links(&html) {
            if link.starts_with("http") || link.starts_with("tel:") || link.starts_with('#') {
                continue;
            }
            assert!(site.join(&link).is_file(), "{id}: {link} does not exist");
        }
        // The files a page links are in the site: it can be published on its own.
        for file in [format!("pdf/{id}.pdf"), format!("pdf/{id}-large.pdf")] {
            assert!(html.contains(&format!("href=\"{file}\"")), "{id}: no link to {file}");
        }
        assert!(html.contains("href=\"understanding-metastatic-cancer.epub\""), "{id}");
        // The place for the print-for-one-patient form is not in a static page.
        assert!(!html.contains("id=\"desk\""), "{id}");
    }
    let table = read(site.join("managing-side-effects.html"));
    assert!(table.contains("<th scope=\"col\">Symptom</th>"), "{table}");
    assert!(table.contains("class=\"call-us\""), "{table}");
    // The clinical codes are data on the page, for the EHR team's tools, not text.
    assert!(
        table.contains("<article class=\"handout\" aria-labelledby=\"title\" data-codes=\"icd10cm:R11.0 snomed:422587007\">"),
        "{table}"
    );
    assert!(!table.contains(">R11.0") && !table.contains("422587007<"), "no code is shown");
    assert_eq!(
        catalogue_data(out.path())["handouts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["c"] == "R11.0 422587007")
            .count(),
        1
    );
    assert!(!read(site.join("el-cansancio-durante-el-tratamiento.html")).contains("data-codes"));
    let report: serde_json::Value = serde_json::from_str(&read(out.path().join("report.json"))).unwrap();
    let coded: Vec<&serde_json::Value> =
        report["articles"].as_array().unwrap().iter().filter(|a| a.get("codes").is_some()).collect();
    assert_eq!(coded.len(), 1, "only the coded article has codes in report.json");
    assert_eq!(coded[0]["codes"], serde_json::json!(["icd10cm:R11.0", "snomed:422587007"]));
    // A Spanish page's wording is Spanish.
    let spanish = read(site.join("el-cansancio-durante-el-tratamiento.html"));
    assert!(
        spanish.contains("Saltar al contenido principal") && spanish.contains("Puntos clave"),
        "{spanish}"
    );
    assert!(spanish.contains("Esta hoja informativa no reemplaza"), "the Spanish disclaimer");
    for asset in ["site.css", "search.js", "logo.svg", "fonts/AtkinsonHyperlegible-Regular.ttf"] {
        assert!(site.join("assets").join(asset).is_file(), "{asset}");
    }
    assert!(read(site.join("assets/site.css")).contains("@media print"));
}

#[test]
fn the_catalogue_lists_every_handout_with_search_and_filters() {
    let out = tempfile::tempdir().unwrap();
    build(&fixtures(), out.path(), None, 0);
    let ids = ids(out.path());
    let index = read(out.path().join("site/index.html"));
    for id in &ids {
        assert!(index.contains(&format!("<li data-id=\"{id}\">")), "{id}");
        assert!(index.contains(&format!("href=\"{id}.html\"")), "{id}");
    }
    for stable in [
        "id=\"search\"",
        "type=\"search\"",
        "<label for=\"search\">",
        "id=\"results\"",
        "id=\"filter-lang\"",
        "<label for=\"filter-lang\">",
        "id=\"filter-topic\"",
        "id=\"filter-level\"",
        "<option value=\"es\">Español</option>",
        "<script src=\"assets/catalogue.js\"></script>",
    ] {
        assert!(index.contains(stable), "no {stable}");
    }
    let count = index.split("id=\"result-count\"").nth(1).unwrap().split("</p>").next().unwrap();
    assert!(count.contains("aria-live=\"polite\"") && count.ends_with(">3 handouts found"), "{count}");
    let data = catalogue_data(out.path());
    let listed = listed_ids(out.path());
    assert_eq!(data["handouts"].as_array().unwrap().len(), listed.len());
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, ids);
    let side_effects = entry(&data, out.path(), "managing-side-effects");
    // Heading words for search, folded, without the title's words.
    assert_eq!(search_words(&data, side_effects, "h"), "nausea when should call my care team");
    assert_eq!(topics(&data, side_effects)[0], "side effects");
    assert_eq!(side_effects["l"], "en");
    assert_eq!(data["files"]["large"], "pdf/{id}-large.pdf");
}

#[test]
fn hostile_text_and_config_values_are_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("handouts.toml");
    let template = common::root().join("templates/handout.typ");
    std::fs::write(
        &config,
        format!(
            "[brand]\nname = \"Clinic <script>alert('brand')</script> & Co\"\nphone = \"<b>555</b>\"\n\
             [handout]\ntemplate = {template:?}\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&fixtures(), &out, Some(&config), 0);
    let site = out.join("site");
    let mut texts = vec![read(site.join("index.html")), read(site.join("assets/catalogue.js"))];
    for id in ids(&out) {
        texts.push(read(site.join(format!("{id}.html"))));
    }
    for text in &texts {
        assert!(!text.contains("<script>alert") && !text.contains("<b>555"), "{text}");
        assert!(!text.contains("</script><"), "{text}");
    }
    let page = read(site.join("fatigue-script-alert-title-script-tiredness.html"));
    assert!(
        page.contains("Fatigue &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; tiredness"),
        "{page}"
    );
    assert!(page.contains("Clinic &lt;script&gt;alert(&#39;brand&#39;)&lt;/script&gt; &amp; Co"), "{page}");
    // Without a logo, the tab's icon is a square in the brand colour, drawn in the page.
    assert!(
        page.contains("<link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg ")
            && page.contains("fill='%230B5394'/%3E%3C/svg%3E\">"),
        "{page}"
    );
    // The only scripts in the catalogue are the site's own.
    assert_eq!(texts[0].matches("<script").count(), 2);
    let data = catalogue_data(&out);
    let hostile = entry(&data, &out, "fatigue-script-alert-title-script-tiredness");
    assert_eq!(hostile["t"], "Fatigue <script>alert('title')</script> & tiredness");
    assert_eq!(topics(&data, hostile)[0], "<script>alert('tag')</script>");
}

#[test]
fn rebuilding_gives_byte_identical_files_and_a_failed_article_keeps_its_page() {
    let (dir, content) = fixtures_copy();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    build(&content, &first, None, 0);
    build(&content, &second, None, 0);
    assert_eq!(files(&first.join("site")), files(&second.join("site")));

    let page = first.join("site/managing-side-effects.html");
    let before = read(&page);
    let (index, data) = (read(first.join("site/index.html")), read(first.join("site/assets/catalogue.js")));
    let epub_path = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("the build writes an EPUB");
    let epub = std::fs::read(&epub_path).unwrap();
    std::fs::write(content.join("side-effects.md"), b"Caf\xe9 broken").unwrap();
    let err = build(&content, &first, None, 1);
    assert!(err.contains("invalid UTF-8"), "{err}");
    assert_eq!(read(&page), before, "the failed article's page was changed");
    // It stays in the catalogue (and the EPUB) as it last built.
    assert!(index.contains("data-id=\"managing-side-effects\""));
    assert_eq!(read(first.join("site/index.html")), index, "the catalogue lost the failed article");
    assert_eq!(read(first.join("site/assets/catalogue.js")), data);
    assert!(std::fs::read(&epub_path).unwrap() == epub, "the EPUB lost the failed article");
    // A second failed build still keeps it.
    build(&content, &first, None, 1);
    assert_eq!(read(first.join("site/index.html")), index);

    // A build of one article leaves the catalogue of all of them alone.
    std::fs::copy(fixtures().join("side-effects.md"), content.join("side-effects.md")).unwrap();
    let catalogue = read(second.join("site/index.html"));
    let output = handouts()
        .args(["build", "--only", "el-cansancio-durante-el-tratamiento", "--force", "--content"])
        .arg(&content)
        .arg("--out")
        .arg(&second)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(read(second.join("site/index.html")), catalogue);
}

#[test]
fn base_url_points_the_qr_code_of_a_handout_without_url_at_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("handouts.toml");
    let template = common::root().join("templates/handout.typ");
    std::fs::write(
        &config,
        format!("[handout]\ntemplate = {template:?}\n[site]\nbase-url = \"https://example.org/handouts/\"\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&fixtures(), &out, Some(&config), 0);
    let pdf = std::fs::read(out.join("pdf/el-cansancio-durante-el-tratamiento.pdf")).unwrap();
    // The address is set in pieces that break only after `/` or `-`; pdf-extract puts a
    // space between them, so spaces are taken out before comparing.
    let text: String = common::pdf_text(&pdf).split_whitespace().collect();
    // Printed as a reader types it (no scheme); the QR code holds the whole address.
    assert!(text.contains("example.org/handouts/el-cansancio-durante-el-tratamiento.html"), "{text}");
    // An article with its own url keeps it.
    let own: String = common::pdf_text(&std::fs::read(out.join("pdf/managing-side-effects.pdf")).unwrap())
        .split_whitespace()
        .collect();
    assert!(own.contains("example.org/handouts/side-effects") && !own.contains("side-effects.html"), "{own}");
    // The intermediate form is the article as written.
    let json = read(out.join("json/el-cansancio-durante-el-tratamiento.json"));
    assert!(json.contains("\"url\": null"), "{json}");
}

#[test]
fn the_search_script_ranks_and_filters_the_catalogue_data() {
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("node not found: skipping the search script test");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    build(&fixtures(), out.path(), None, 0);
    let script = r#"
        const search = require(process.argv[1]);
        global.window = {};
        require(process.argv[2]);
        const data = window.HANDOUTS;
        const index = search.prepare(data, JSON.parse(process.argv[3]));
        const run = (q, f) => search.search(index, q, f || {}).join(",");
        console.log(JSON.stringify({
            all: run(""),
            accents: run("CANSANCIO tratamiénto"),
            stop: run("the nausea"),
            prefix: run("naus"),
            title_first: run("fatigue"),
            none: run("fatigue zebra"),
            lang: run("", { lang: "es" }),
            topic: run("", { topic: "nausea" }),
            level: run("", { level: "3" }),
            code: run("R11"),
            snomed: run("422587007"),
            count: [0, 1, 5].map(n => search.countText({ many: "{n} found", one: "one", none: "none" }, n)),
            first: search.countText({ many: "{n} found", first: "{n} found; the first {shown}", group: "," }, 2345, 100),
            grouped: [search.countText({ many: "{n} found", group: "." }, 50000), search.countText({ many: "{n} found" }, 1234567)],
        }));
    "#;
    let output = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(common::root().join("templates/site/search.js"))
        .arg(out.path().join("site/assets/catalogue.js"))
        .arg(serde_json::to_string(&listed_ids(out.path())).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fatigue = "fatigue-script-alert-title-script-tiredness";
    assert_eq!(result["all"].as_str().unwrap().split(',').count(), 3);
    assert_eq!(result["accents"], "el-cansancio-durante-el-tratamiento");
    assert_eq!(result["prefix"], "managing-side-effects");
    assert_eq!(result["stop"], "managing-side-effects");
    // "fatigue" is in one title and in the other's… nowhere: only the title match.
    assert_eq!(result["title_first"].as_str().unwrap().split(',').next().unwrap(), fatigue);
    assert_eq!(result["none"], "");
    assert_eq!(result["lang"], "el-cansancio-durante-el-tratamiento");
    assert_eq!(result["topic"], "managing-side-effects");
    assert_eq!(result["level"], "");
    // Staff search by clinical code (front matter `codes`).
    assert_eq!(result["code"], "managing-side-effects");
    assert_eq!(result["snomed"], "managing-side-effects");
    assert_eq!(result["count"], serde_json::json!(["none", "one", "5 found"]));
    // A split catalogue shows at most 100 results made from the data, and says so.
    assert_eq!(result["first"], "2,345 found; the first 100");
    // Digits grouped by the language's digit-group label; none without it.
    assert_eq!(result["grouped"], serde_json::json!(["50.000 found", "1234567 found"]));
}

#[test]
fn pictures_are_copied_beside_the_pages_and_never_from_outside_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("pictures")).unwrap();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>";
    std::fs::write(content.join("pictures/kidney.svg"), svg).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "not for the web").unwrap();
    for (id, src) in [("with-picture", "pictures/kidney.svg"), ("escaping-picture", "../secret.txt")] {
        let article = format!(
            "# {id}\n\nThe kidneys clean the blood.\n\n![A drawing of a kidney]({src})\n\nThey sit below the ribs.\n"
        );
        std::fs::write(content.join(format!("{id}.md")), article).unwrap();
    }
    let out = dir.path().join("out");
    let err = build(&content, &out, None, 1);
    assert!(
        err.contains(
            "escaping-picture.md:5: picture \"../secret.txt\": picture path leads outside the content folder"
        ),
        "{err}"
    );
    let page = read(out.join("site/with-picture.html"));
    assert!(
        page.contains("<img src=\"pictures/pictures/kidney.svg\" alt=\"A drawing of a kidney\"/>"),
        "{page}"
    );
    assert_eq!(read(out.join("site/pictures/pictures/kidney.svg")), svg);
    assert!(!out.join("site/escaping-picture.html").exists());
    assert!(!out.join("secret.txt").exists() && !out.join("site/secret.txt").exists());
}

#[test]
fn a_broken_site_template_is_one_error_before_any_handout() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("site")).unwrap();
    std::fs::copy(common::root().join("templates/handout.typ"), templates.join("handout.typ")).unwrap();
    std::fs::write(
        templates.join("site/handout.html"),
        "{% extends \"base.html\" %}\n{% block main %}{{ title \n",
    )
    .unwrap();
    let config = dir.path().join("handouts.toml");
    std::fs::write(&config, "[handout]\ntemplate = \"templates/handout.typ\"\n").unwrap();
    let out = dir.path().join("out");
    let err = build(&fixtures(), &out, Some(&config), 2);
    assert!(err.contains("site/handout.html:2: error: syntax error"), "{err}");
    assert_eq!(err.lines().filter(|line| common::unstamped(line).starts_with("error:")).count(), 1, "{err}");
    assert!(!out.join("pdf").exists());
}

/// The handout's `<p class="translations">`, or "" without one.
fn translations_line(html: &str) -> &str {
    html.split("<p class=\"translations\">").nth(1).and_then(|rest| rest.split("</p>").next()).unwrap_or("")
}

#[test]
fn a_handout_page_links_its_translations_and_a_new_translation_updates_it() {
    let (dir, content) = fixtures_copy();
    let config = dir.path().join("handouts.toml");
    let template = common::root().join("templates/handout.typ");
    std::fs::write(
        &config,
        format!("[handout]\ntemplate = {template:?}\n[site]\nbase-url = \"https://example.org/handouts/\"\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&content, &out, Some(&config), 0);
    let english_page = out.join("site/managing-side-effects.html");
    let alone = read(&english_page);
    assert!(!alone.contains("class=\"translations\"") && !alone.contains("hreflang"), "{alone}");

    // A Spanish translation names the English article's id; the next build (not forced)
    // links both pages.
    std::fs::write(
        content.join("efectos.es.md"),
        "---\ntitle: Cómo controlar los efectos secundarios\nlang: es\nreviewed: 2026-08-01\n\
         translation-key: managing-side-effects\n---\nLa mayoría de los efectos secundarios se pueden tratar.\n",
    )
    .unwrap();
    build(&content, &out, Some(&config), 0);
    let english = read(&english_page);
    let spanish = read(out.join("site/como-controlar-los-efectos-secundarios.html"));
    assert_eq!(
        translations_line(&english),
        "<span>This handout in:</span> <a href=\"como-controlar-los-efectos-secundarios.html\" \
         hreflang=\"es\" lang=\"es\">Español</a>"
    );
    assert_eq!(
        translations_line(&spanish),
        "<span>Este folleto en:</span> <a href=\"managing-side-effects.html\" hreflang=\"en\" \
         lang=\"en\">English</a>"
    );
    // Every language's page, this one's too, at its published address, in the head.
    for page in [&english, &spanish] {
        let head = page.split("</head>").next().unwrap();
        for (lang, id) in [("en", "managing-side-effects"), ("es", "como-controlar-los-efectos-secundarios")]
        {
            let link = format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.org/handouts/{id}.html\">"
            );
            assert!(head.contains(&link), "no {link} in {head}");
        }
    }
    for link in links(&english).into_iter().filter(|l| l.ends_with(".html") && !l.starts_with("http")) {
        assert!(out.join("site").join(&link).is_file(), "{link}");
    }
    // A Spanish article that is no translation has none.
    assert_eq!(translations_line(&read(out.join("site/el-cansancio-durante-el-tratamiento.html"))), "");
    let json = read(out.join("json/managing-side-effects.json"));
    assert!(json.contains("\"translations\": [\n      {\n        \"id\": \"como-controlar"), "{json}");

    // Without it, the page is as it was.
    std::fs::remove_file(content.join("efectos.es.md")).unwrap();
    build(&content, &out, Some(&config), 0);
    assert_eq!(read(&english_page), alone);
}

#[test]
fn a_second_translation_in_one_language_is_a_warning_naming_both_files_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::copy(fixtures().join("side-effects.md"), content.join("side-effects.md")).unwrap();
    for name in ["a.es.md", "b.es.md"] {
        std::fs::write(
            content.join(name),
            format!(
                "---\ntitle: Efectos {name}\nlang: es\ntranslation-key: managing-side-effects\n---\nTexto de prueba.\n"
            ),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let err = build(&content, &out, None, 0);
    let (a, b) = (content.join("a.es.md"), content.join("b.es.md"));
    let expected = format!(
        "warning: {}:4: {}:4 is already the \"es\" article with the translation key \"managing-side-effects\": \
         this one is linked to no translation (change its lang or translation-key)",
        b.display(),
        a.display()
    );
    assert!(err.contains(&expected), "{err}");
    let english = read(out.join("site/managing-side-effects.html"));
    assert!(english.contains("href=\"efectos-a-es-md.html\""), "{english}");
    assert!(!english.contains("efectos-b-es-md"), "{english}");
    // `handouts check` says the same, with the line.
    let output = handouts().args(["check", "--content"]).arg(&content).output().unwrap();
    let check = String::from_utf8_lossy(&output.stderr);
    assert!(check.contains(&format!("{}:4: {}:4 is already", b.display(), a.display())), "{check}");
}
