//! The site's catalogue split into pages (issue 28, `src/site/pages.rs`), through the
//! CLI: `[site] catalogue-page-size` splits it, every link of a page resolves, and
//! joining it again gives the very files a catalogue that was never split has.

mod common;

use std::path::Path;

use assert_cmd::Command;

fn build(dir: &Path, page_size: Option<usize>) {
    let own = dir.join("templates/handout.typ");
    let template = if own.is_file() { own } else { common::root().join("templates/handout.typ") };
    let size = page_size.map(|n| format!("catalogue-page-size = {n}\n")).unwrap_or_default();
    std::fs::write(dir.join("handouts.toml"), format!("[handout]\ntemplate = {template:?}\n[site]\n{size}"))
        .unwrap();
    let output = Command::cargo_bin("handouts")
        .unwrap()
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "--content", "content", "--out", "out", "--config", "handouts.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The catalogue's pages in `out/site/`, by name.
fn pages(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("catalogue_"))
        .collect();
    names.sort();
    names
}

/// The `href`s and `src`s of a page that lead to a file of the site.
fn local_links(html: &str) -> Vec<String> {
    html.split(['"'])
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|pair| pair[0].ends_with(" href=") || pair[0].ends_with(" src="))
        .map(|pair| pair[1].to_string())
        .filter(|link| !link.contains(':') && !link.starts_with('#'))
        .collect()
}

#[test]
fn the_page_size_splits_the_catalogue_and_joining_it_again_gives_the_same_files() {
    let dir = common::generated_folder(7);
    let site = dir.path().join("out/site");
    build(dir.path(), None);
    let whole = common::files(&site);
    assert!(pages(&site).is_empty());

    build(dir.path(), Some(3));
    assert_eq!(pages(&site), ["catalogue_1.html", "catalogue_2.html", "catalogue_3.html"]);
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("<li data-id=\"handout"), "the index lists pages, not handouts");
    for (n, guide, count) in [
        (1, "<span>Handout 0 about rest</span> – <span>Handout 2 about sleep</span>", "3 handouts"),
        (3, "<span>Handout 6 about blood</span> – <span>Handout 6 about blood</span>", "1 handout"),
    ] {
        let line = format!(
            "<li><a href=\"catalogue_{n}.html\">{guide}</a> <span class=\"page-count\">({count})</span></li>"
        );
        assert!(index.contains(&line), "{line} in {index}");
    }
    let data = std::fs::read_to_string(site.join("assets/catalogue.js")).unwrap();
    assert!(data.contains("{\"i\":\"handout-0-about-rest\",\"t\":\"Handout 0 about rest\""), "{data}");
    // Every link of every page leads to a file of the site: assets, handouts, PDFs,
    // the neighbouring pages and the index.
    for name in pages(&site) {
        let page = std::fs::read_to_string(site.join(&name)).unwrap();
        let listed = page.split("<template").next().unwrap().matches("<li data-id=").count();
        assert_eq!(listed, if name == "catalogue_3.html" { 1 } else { 3 }, "{name}");
        for link in local_links(&page) {
            let file = link.split(['?', '#']).next().unwrap();
            // The result template's placeholders are filled by search.js.
            if !file.contains("{id}") {
                assert!(site.join(file).is_file(), "{name} links {link}, which is not there");
            }
        }
    }

    // A smaller catalogue's pages past its last are removed.
    build(dir.path(), Some(4));
    assert_eq!(pages(&site), ["catalogue_1.html", "catalogue_2.html"]);
    build(dir.path(), None);
    assert!(pages(&site).is_empty());
    assert!(common::files(&site) == whole, "joined again, the site is not what it was");
}

#[test]
fn a_clinics_index_template_from_before_the_pages_keeps_the_catalogue_whole() {
    let dir = common::generated_folder(5);
    std::fs::create_dir_all(dir.path().join("templates/site")).unwrap();
    std::fs::copy(common::root().join("templates/handout.typ"), dir.path().join("templates/handout.typ"))
        .unwrap();
    // It lists `handouts` and knows no `pages`: split, its index would list nothing.
    std::fs::write(
        dir.path().join("templates/site/index.html"),
        "{% extends \"base.html\" %}{% block main %}<ul id=\"results\">{% for h in handouts %}\n<li data-id=\"{{ h.id }}\">{{ h.title }}</li>{% endfor %}</ul>{% endblock %}",
    )
    .unwrap();
    build(dir.path(), Some(2));
    let site = dir.path().join("out/site");
    assert!(pages(&site).is_empty());
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert_eq!(index.matches("<li data-id=").count(), 5, "{index}");
    assert!(!std::fs::read_to_string(site.join("assets/catalogue.js")).unwrap().contains("\"i\":"));
}
