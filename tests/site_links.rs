//! The site published on its own (issue 27): `out/site/` alone, served under a path
//! prefix as a clinic would publish it, and every link and source of every page
//! followed over HTTP: each must answer 200. With and without `[site] base-url`.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

const PREFIX: &str = "/clinic/handouts/";

/// Serves the files of `root` under [`PREFIX`] until the test ends; returns the address.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Read the headers to their end.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/");
            let file = path
                .strip_prefix(PREFIX)
                .filter(|rest| !rest.split('/').any(|part| part == ".."))
                .map(|rest| if rest.is_empty() { "index.html".to_string() } else { percent_decode(rest) })
                .map(|rest| root.join(rest))
                .filter(|path| path.is_file());
            let response = match file {
                Some(path) => {
                    let mut body = Vec::new();
                    std::fs::File::open(path).unwrap().read_to_end(&mut body).unwrap();
                    let mut head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    head.extend(body);
                    head
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    addr
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every `href="…"` and `src="…"` value of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// The status of a GET of `url`.
fn status(url: &str) -> u16 {
    match ureq::get(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(ureq::Error::StatusCode(code)) => code,
        Err(err) => panic!("{url}: {err}"),
    }
}

fn build(base_url: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    for folder in ["content", "templates"] {
        common::copy_tree(&root.join(folder), &dir.path().join(folder));
    }
    let mut config = std::fs::read_to_string(root.join("handouts.toml")).unwrap();
    if let Some(base) = base_url {
        let at = config.find("[site]").expect("the shipped config has a [site] table");
        let end = at + config[at..].find('\n').unwrap() + 1;
        config.insert_str(end, &format!("base-url = \"{base}\"\n"));
    }
    std::fs::write(dir.path().join("handouts.toml"), config).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", "--quiet"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    dir
}

fn check_every_link(site: &Path) -> usize {
    // A copy of out/site alone: nothing outside it can be reached.
    let published = tempfile::tempdir().unwrap();
    common::copy_tree(site, published.path());
    let addr = serve(published.path().to_path_buf());
    let base = url::Url::parse(&format!("http://{addr}{PREFIX}")).unwrap();
    let mut checked = BTreeSet::new();
    let mut broken = Vec::new();
    let pages: Vec<PathBuf> = std::fs::read_dir(published.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 3, "{pages:?}");
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let page_url = base.join(&name).unwrap();
        assert_eq!(status(page_url.as_str()), 200, "{page_url}");
        let html = std::fs::read_to_string(page).unwrap();
        for link in links(&html) {
            if link.starts_with("tel:") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            let target = page_url.join(&link).unwrap();
            if target.host_str() != Some("127.0.0.1") {
                continue; // the clinic's own website, an article's source
            }
            let mut target = target;
            target.set_fragment(None);
            if checked.insert(target.to_string()) && status(target.as_str()) != 200 {
                broken.push(format!("{name}: {link}"));
            }
        }
    }
    // The catalogue's data names each handout's files (`{id}` in a pattern), for the
    // search page.
    let data = std::fs::read_to_string(published.path().join("assets/catalogue.js")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&data[data.find('{').unwrap()..=data.rfind('}').unwrap()])
            .expect("catalogue data");
    let ids: Vec<String> = pages
        .iter()
        .filter_map(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| s != "index")
        .collect();
    for (kind, pattern) in json["files"].as_object().expect("files") {
        // `books`: every EPUB, by file name.
        if let Some(books) = pattern.as_array() {
            for file in books.iter().map(|book| book["file"].as_str().expect("a book's file")) {
                let target = base.join(file).unwrap();
                if checked.insert(target.to_string()) && status(target.as_str()) != 200 {
                    broken.push(format!("catalogue.js {kind}: {file}"));
                }
            }
            continue;
        }
        let pattern = pattern.as_str().unwrap();
        for id in &ids {
            let file = pattern.replace("{id}", id);
            let target = base.join(&file).unwrap();
            // Large print is listed for every handout when it is built at all.
            if checked.insert(target.to_string()) && status(target.as_str()) != 200 {
                broken.push(format!("catalogue.js {kind}: {file}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links that lead nowhere when out/site/ is published alone:\n{}",
        broken.join("\n")
    );
    checked.len()
}

#[test]
fn the_site_published_alone_under_a_prefix_has_no_broken_link() {
    for base_url in [None, Some("https://example.org/clinic/handouts")] {
        let dir = build(base_url);
        let site = dir.path().join("out/site");
        let count = check_every_link(&site);
        println!("base-url {base_url:?}: {count} distinct links followed, every one 200");
        assert!(site.join("pdf").read_dir().unwrap().count() >= 2, "the PDFs are in the site");
        let page =
            std::fs::read_to_string(site.join("checking-your-feet-when-you-have-diabetes.html")).unwrap();
        if base_url.is_some() {
            assert!(
                page.contains("<a href=\"index.html\">https://example.org/clinic/handouts/</a>"),
                "More handouts leads to the catalogue"
            );
        }
    }
}

/// A handout removed from the library leaves the site with it.
#[test]
fn a_removed_handout_leaves_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for name in ["a", "b"] {
        std::fs::write(content.join(format!("{name}.md")), format!("---\ntitle: Handout {name}\nlang: en\n---\nWash your hands before you eat and after you use the toilet.\n")).unwrap();
    }
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_handouts"))
            .args(["build", "--quiet", "--no-epub", "--content", "content", "--out", "out"])
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    run(&[]);
    assert!(dir.path().join("out/site/pdf/handout-b.pdf").is_file());
    std::fs::remove_file(content.join("b.md")).unwrap();
    run(&["--max-removals", "100"]);
    assert!(!dir.path().join("out/site/pdf/handout-b.pdf").exists());
    assert!(dir.path().join("out/site/pdf/handout-a.pdf").is_file());
}
