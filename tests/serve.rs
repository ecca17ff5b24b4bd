//! `handouts serve` (the handout desk) and `handouts print`, through the binary and a
//! plain HTTP/1.1 client: files only from out/site, Host and token checks, live reload,
//! and print for one patient, with nothing about the patient left anywhere.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::desk::{Desk, form, get, project, request, start, start_in};

const PAGE: &str = "checking-your-feet-when-you-have-diabetes";
/// Its Spanish translation (content/diabetes-foot-check.es.md).
const SPANISH: &str = "como-revisar-sus-pies-si-tiene-diabetes";
/// A name and a note no handout holds.
const PATIENT: &str = "Zelda Quixotewright";
const NOTE: &str = "Bring your glucose meter on Tuesday";

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path()).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        })
        .map(|e| e.into_path())
        .collect()
}

/// The PDF's Info dictionary and XMP metadata, as text, for the English handout.
fn pdf_metadata(pdf: &[u8]) -> String {
    let text = pdf_metadata_of(pdf);
    assert!(text.contains("Checking your feet"), "the metadata has the title: {text}");
    text
}

/// The PDF's Info dictionary and XMP metadata, as text.
fn pdf_metadata_of(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let mut text = String::new();
    if let Ok(info) = document.trailer.get(b"Info").and_then(|i| i.as_reference()) {
        text.push_str(&format!("{:?}", document.get_object(info).unwrap()));
    }
    let catalog = document.catalog().unwrap();
    if let Ok(id) = catalog.get(b"Metadata").and_then(|m| m.as_reference())
        && let Ok(stream) = document.get_object(id).and_then(|o| o.as_stream())
    {
        let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        text.push_str(&String::from_utf8_lossy(&content));
    }
    text
}

#[test]
fn serves_the_site_and_nothing_outside_it() {
    let desk = start(&["--port", "0"]);
    let index = get(&desk, "/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    assert!(index.header("content-security-policy").is_some_and(|c| c.contains("script-src 'self'")));
    assert!(index.text().contains("/_handouts/live.js"), "served pages get live reload");
    let built = std::fs::read_to_string(desk.dir.path().join("out/site/index.html")).unwrap();
    assert!(!built.contains("live.js"), "the built site is unchanged");

    let page = get(&desk, &format!("/{PAGE}.html"));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<form method=\"post\" action=\"/print/"), "{html}");
    assert!(html.contains("How to check your feet"));
    assert!(html.contains("(always included)"), "the safety section cannot be unticked");
    // The tab's icon is the clinic's logo, served.
    assert!(index.text().contains("<link rel=\"icon\" href=\"assets/logo.svg\">"));
    let icon = get(&desk, "/assets/logo.svg");
    assert_eq!((icon.status, icon.header("content-type")), (200, Some("image/svg+xml")));
    let css = get(&desk, "/assets/site.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
    assert_eq!(get(&desk, &format!("/pdf/{PAGE}.pdf")).header("content-type"), Some("application/pdf"));

    // Outside out/site: never, however it is spelled.
    std::os::unix::fs::symlink(
        desk.dir.path().join("handouts.toml"),
        desk.dir.path().join("out/site/link.toml"),
    )
    .unwrap();
    for path in [
        "/../handouts.toml",
        "/%2e%2e/handouts.toml",
        "/assets/..%2f..%2fhandouts.toml",
        "/assets/%2e%2e/%2e%2e/handouts.toml",
        "/link.toml",
        "/..%5chandouts.toml",
        "/json/../../handouts.toml",
        "/pdf/../handouts.toml",
        "/.handouts-manifest.json",
    ] {
        let response = get(&desk, path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.text().contains("[brand]"), "{path}");
    }
    assert_eq!(request(&desk.addr, "GET", "/", &["Host: evil.example"], b"").status, 403);
    let port = desk.addr.rsplit(':').next().unwrap();
    assert_eq!(request(&desk.addr, "GET", "/", &[&format!("Host: evil.example:{port}")], b"").status, 403);
    assert_eq!(request(&desk.addr, "GET", "/", &[&format!("Host: localhost:{port}")], b"").status, 200);
    assert_eq!(request(&desk.addr, "PUT", "/index.html", &[], b"x").status, 405);
    assert_eq!(request(&desk.addr, "DELETE", "/index.html", &[], b"").status, 405);
    // HEAD: GET's headers, its real length too, and no body.
    for path in ["/", "/assets/site.css", &format!("/pdf/{PAGE}.pdf"), &format!("/{PAGE}.html")] {
        let full = get(&desk, path);
        let head = request(&desk.addr, "HEAD", path, &[], b"");
        assert_eq!((head.status, full.status), (200, 200), "{path}");
        assert!(head.body.is_empty() && !full.body.is_empty(), "{path}");
        assert_eq!(head.header("content-length"), Some(full.body.len().to_string().as_str()), "{path}");
        assert_eq!(head.header("content-type"), full.header("content-type"), "{path}");
    }
    let form_page = get(&desk, &format!("/print/{PAGE}"));
    assert_eq!(
        (form_page.status, form_page.header("location")),
        (303, Some(format!("/{PAGE}.html#desk").as_str()))
    );
    assert_eq!(get(&desk, "/print//evil.example").status, 404, "no redirect off the desk");
    // A form posted from another site.
    let foreign =
        request(&desk.addr, "POST", &format!("/print/{PAGE}"), &["Origin: http://evil.example"], b"");
    assert_eq!(foreign.status, 403);
}

#[test]
fn listen_needs_the_printed_token() {
    let desk = start(&["--listen", "127.0.0.1:0"]);
    let token = desk.url.split("?token=").nth(1).expect("the address has the token").to_string();
    assert_eq!(token.len(), 64);
    assert_eq!(get(&desk, "/").status, 401);
    // The health check needs no token, and tells nothing but that the desk answers.
    let health = get(&desk, "/healthz");
    assert_eq!((health.status, health.text().trim()), (200, "ok"));
    assert_eq!(get(&desk, "/healthz/../").status, 401);
    assert_eq!(get(&desk, "/?token=wrong").status, 401);
    assert_eq!(request(&desk.addr, "GET", "/", &["Cookie: handouts_token=wrong"], b"").status, 401);
    assert_eq!(request(&desk.addr, "POST", &format!("/print/{PAGE}"), &[], b"patient=A").status, 401);
    let entered = get(&desk, &format!("/?token={token}"));
    assert_eq!(entered.status, 303);
    assert_eq!(entered.header("location"), Some("/"), "the token leaves the address bar");
    // The redirect that takes the token out stays on the desk, however the path is spelled.
    for path in [
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/%2F/evil.example/",
        "/%2f%2fevil.example/",
        "/%5C/evil.example/",
        "/%5c%5cevil.example/",
    ] {
        let response = get(&desk, &format!("{path}?token={token}"));
        assert_eq!(response.status, 303, "{path}: {}", response.text());
        let location = response.header("location").unwrap_or("");
        assert!(
            location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"),
            "{path} led to {location:?}"
        );
        assert!(!location.contains("token"), "{location}");
    }
    let cookie = entered.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let cookie = format!("Cookie: {}", cookie.split(';').next().unwrap());
    assert_eq!(request(&desk.addr, "GET", "/", &[&cookie], b"").status, 200);
    // Request lines never hold the query.
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(log.lines().map(common::unstamped).filter(|l| l.starts_with("GET ")).count() >= 4, "{log}");
    assert!(
        !log.lines().map(common::unstamped).any(|l| l.starts_with("GET ") && l.contains("token")),
        "{log}"
    );
}

#[test]
fn prints_for_one_patient_and_keeps_nothing() {
    let desk = start(&["--port", "0"]);
    let body = form(&[
        ("patient", PATIENT),
        ("clinician", "Dr Ruiz"),
        ("note", NOTE),
        ("choose", "1"),
        ("section", "0"),
        ("section", "1"),
        // Section 2 ("Look after your feet") unticked; 3 is the safety section,
        // left out here too: it is printed all the same.
        ("paper", "a4"),
    ]);
    let response = request(&desk.addr, "POST", &format!("/print/{PAGE}"), &[], &body);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(
        response.header("content-disposition"),
        Some(format!("inline; filename=\"{PAGE}.pdf\"").as_str())
    );
    let text = common::pdf_text(&response.body);
    assert!(text.contains(PATIENT), "{text}");
    assert!(text.contains(NOTE), "{text}");
    // The name and the day it was printed (the desk's default: today) on every page.
    let today = time::OffsetDateTime::now_utc().date();
    let printed = format!("Printed {} {}, {}", today.month(), today.day(), today.year());
    let pages = pdf_extract::extract_text_from_mem_by_pages(&response.body).unwrap();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (number, page) in pages.iter().enumerate() {
        let page = common::collapse_whitespace(page);
        assert!(page.contains(&format!("{PATIENT} {printed}")), "page {}: {page}", number + 1);
    }
    assert!(text.contains("Notes from your care team"));
    assert!(text.contains("How to check your feet"));
    assert!(!text.contains("Look after your feet"), "the unticked section is left out: {text}");
    assert!(text.contains("When should I call"), "the safety section stays: {text}");
    let metadata = pdf_metadata(&response.body);
    assert!(!metadata.contains(PATIENT) && !metadata.contains("Zelda"), "{metadata}");
    assert!(!metadata.contains("glucose meter"));

    // Too long: a clear message, nothing typeset.
    let long = "x".repeat(101);
    let response = request(&desk.addr, "POST", &format!("/print/{PAGE}"), &[], &form(&[("patient", &long)]));
    assert_eq!(response.status, 413);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert!(response.text().contains("at most 100"), "{}", response.text());
    assert!(response.text().contains("aria-describedby=\"desk-patient-error\""));
    let response = request(&desk.addr, "POST", "/print/no-such-handout", &[], &form(&[("patient", PATIENT)]));
    assert_eq!(response.status, 404);

    assert_nothing_kept(&desk, PAGE);
    assert_eq!(files_holding(&desk.dir.path().join("out"), b"glucose meter"), Vec::<PathBuf>::new());
}

/// The desk logged printing `page` but nothing the form held ("Zelda", "glucose"), and
/// no file under `out/` or the temporary folder holds the patient's name.
fn assert_nothing_kept(desk: &Desk, page: &str) {
    let Desk { dir, tmp, log, .. } = desk;
    let log_text = std::fs::read_to_string(log).unwrap();
    assert!(log_text.contains(&format!("POST /print/{page} 200")), "{log_text}");
    assert!(!log_text.contains("Zelda") && !log_text.contains("glucose"), "{log_text}");
    assert_eq!(files_holding(&dir.path().join("out"), b"Zelda"), Vec::<PathBuf>::new());
    assert_eq!(files_holding(tmp, b"Zelda"), Vec::<PathBuf>::new());
}

/// The form's "Print in:" paragraph on a served page.
fn languages_line(html: &str) -> &str {
    html.split("<p class=\"desk-languages\">").nth(1).and_then(|rest| rest.split("</p>").next()).unwrap_or("")
}

#[test]
fn the_form_offers_the_translations_and_prints_the_spanish_copy() {
    let dir = project();
    // A clinic folder from before the form was a template: the built-in one is used.
    std::fs::remove_file(dir.path().join("templates/site/print-form.html")).unwrap();
    let desk = start_in(dir, &["--port", "0"]);
    let english = get(&desk, &format!("/{PAGE}.html")).text();
    assert_eq!(
        languages_line(&english),
        format!(
            "<span>Print in:</span> <a href=\"{PAGE}.html#desk\" hreflang=\"en\" lang=\"en\" aria-current=\"page\">\
             English</a><span aria-hidden=\"true\"> ·</span> <a href=\"{SPANISH}.html#desk\" hreflang=\"es\" \
             lang=\"es\">Español</a>"
        )
    );
    // The links come before the form's fields, and lead to pages with a form.
    assert!(english.find("desk-languages").unwrap() < english.find("<form").unwrap());
    let spanish = get(&desk, &format!("/{SPANISH}.html"));
    assert_eq!(spanish.status, 200);
    let spanish = spanish.text();
    let line = languages_line(&spanish);
    // The form speaks the staff's language (the collection's: English), on a Spanish page too.
    assert!(line.starts_with("<span>Print in:</span>"), "{line}");
    assert!(line.contains("lang=\"es\" aria-current=\"page\">Español</a>"), "{line}");
    assert!(!line.contains("lang=\"en\" aria-current"), "{line}");
    assert!(spanish.contains(&format!("action=\"/print/{SPANISH}\"")), "{spanish}");
    // A handout without translations offers no choice.
    let kidney = get(&desk, "/treatment-of-metastatic-kidney-cancer.html").text();
    assert!(kidney.contains("<form") && !kidney.contains("desk-languages"), "{kidney}");

    // The Spanish copy, printed from its own form: its sections, its labels.
    let body =
        form(&[("patient", PATIENT), ("note", NOTE), ("choose", "1"), ("section", "0"), ("section", "1")]);
    let response = request(&desk.addr, "POST", &format!("/print/{SPANISH}"), &[], &body);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let text = common::pdf_text(&response.body);
    assert!(text.contains(PATIENT) && text.contains(NOTE), "{text}");
    assert!(text.contains("Preparado para:") && text.contains("Notas de su equipo de atención"), "{text}");
    assert!(text.contains("Cómo revisar sus pies") && text.contains("Qué debe buscar"), "{text}");
    assert!(!text.contains("Cuide sus pies"), "the unticked section is left out: {text}");
    assert!(text.contains("¿Cuándo debo llamar"), "the safety section stays: {text}");
    let metadata = pdf_metadata_of(&response.body);
    assert!(metadata.contains("Cómo revisar sus pies") || metadata.contains("C\\363mo"), "{metadata}");
    assert!(!metadata.contains("Zelda"), "{metadata}");

    assert_nothing_kept(&desk, SPANISH);
    let dir = &desk.dir;

    // The clinic's own print-form.html, saved while the desk runs, is used from the
    // next rebuild on.
    let builtin = std::fs::read_to_string(common::root().join("templates/site/print-form.html")).unwrap();
    std::fs::write(
        dir.path().join("templates/site/print-form.html"),
        builtin.replace("<h2 id=\"desk-title\">", "<h2 id=\"desk-title\" class=\"our-clinic\">"),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !get(&desk, &format!("/{PAGE}.html")).text().contains("class=\"our-clinic\"") {
        assert!(std::time::Instant::now() < deadline, "the edited form never showed");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn saving_an_article_reloads_open_pages() {
    let desk = start(&["--port", "0"]);
    let mut streams: Vec<BufReader<TcpStream>> = (0..3)
        .map(|_| {
            let mut stream = TcpStream::connect(&desk.addr).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
            write!(stream, "GET /_events HTTP/1.1\r\nHost: {}\r\n\r\n", desk.addr).unwrap();
            BufReader::new(stream)
        })
        .collect();
    // The streams are open before the save.
    for stream in &mut streams {
        let mut line = String::new();
        stream.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    }
    let article = desk.dir.path().join("content/diabetes-foot-check.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("How to check your feet", "How to look at your feet")).unwrap();
    for stream in &mut streams {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(stream.read_line(&mut line).unwrap() > 0, "the stream ended");
            if line.trim() == "event: reload" {
                break;
            }
        }
    }
    // A save can reach the watcher as two events (the file emptied, then written): the
    // first rebuild may have read it half-written, and the second sends another reload.
    let shows = |seconds: u64| {
        let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            if get(&desk, &format!("/{PAGE}.html")).text().contains("How to look at your feet") {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    if !shows(10) {
        // Seen once in four CI runs on a loaded 2-core machine, never alone: the page kept
        // the old text after the reload. Until it is understood (the desk's log below says
        // what the rebuilds did), a second save must still reach the page.
        let log = std::fs::read_to_string(&desk.log).unwrap_or_default();
        println!("note: the first save did not reach the page within 10 s; serve's log:\n{log}");
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, text).unwrap();
        assert!(
            shows(15),
            "the page never showed the saved text; serve's log:\n{}",
            std::fs::read_to_string(&desk.log).unwrap_or_default()
        );
    }
}

#[test]
fn print_command_writes_one_patients_copy() {
    let dir = project();
    let out = dir.path().join("copy.pdf");
    let status = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["print", PAGE, "--patient", PATIENT, "--note", NOTE, "--section", "1", "--out"])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let pdf = std::fs::read(&out).unwrap();
    let text = common::pdf_text(&pdf);
    assert!(text.contains(PATIENT) && text.contains(NOTE), "{text}");
    assert!(text.contains("How to check your feet") && !text.contains("Look after your feet"), "{text}");
    assert!(text.contains("When should I call"));
    assert!(!pdf_metadata(&pdf).contains("Zelda"));
    // Nothing else was written.
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!written.iter().any(|n| n == "out"), "{written:?}");

    let long = "n".repeat(1001);
    let refused = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["print", PAGE, "--note", &long, "--out", "x.pdf"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("at most 1000"), "{stderr}");
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn print_command_prints_a_translation_by_its_language() {
    let dir = project();
    let out = dir.path().join("copia.pdf");
    let output = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["print", PAGE, "--lang", "es", "--patient", PATIENT, "--section", "2", "--out"])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = common::pdf_text(&std::fs::read(&out).unwrap());
    assert!(text.contains(PATIENT) && text.contains("Cómo revisar sus pies si tiene diabetes"), "{text}");
    // The sections are the translation's: 2 is "Qué debe buscar", 1 is left out.
    assert!(text.contains("Qué debe buscar") && !text.contains("Siéntese en un lugar"), "{text}");
    // The handout's own language is the handout itself, from either side.
    let output = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["print", SPANISH, "--lang", "en", "--out", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(common::pdf_text(&output.stdout).contains("Checking your feet when you have diabetes"));

    for (lang, message) in [
        (
            "fr",
            format!("error: `{PAGE}` has no translation in \"fr\"; it is in: en ({PAGE}), es ({SPANISH})\n"),
        ),
        (
            "spanish",
            "error: --lang: \"spanish\" is not a language tag like \"en\" or \"es-MX\"; write `--lang es`\n"
                .into(),
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_handouts"))
            .args(["print", PAGE, "--lang", lang, "--out", "x.pdf"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&output.stderr), message);
        assert!(!dir.path().join("x.pdf").exists());
    }
}

/// An operator's token (a file, or `HANDOUTS_TOKEN`) guards the desk as a made one does,
/// stays the same at every start, and is printed nowhere.
#[test]
fn a_token_the_operator_gives_guards_the_desk_and_is_never_printed() {
    let dir = project();
    let token = "0123456789abcdef0123456789abcdef-clinic";
    std::fs::write(dir.path().join("token"), format!("{token}\n")).unwrap();
    let desk = start_in(dir, &["--listen", "127.0.0.1:0", "--token-file", "token"]);
    assert!(!desk.url.contains("token"), "{}", desk.url);
    assert_eq!(get(&desk, "/").status, 401);
    assert_eq!(get(&desk, "/healthz").status, 200);
    assert_eq!(get(&desk, &format!("/?token={token}")).status, 303);
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(!log.contains(token), "{log}");

    let short = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["serve", "--port", "0"])
        .current_dir(desk.dir.path())
        .env("HANDOUTS_TOKEN", "secret")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&short.stderr);
    assert_eq!(short.status.code(), Some(2), "{err}");
    assert!(err.contains("HANDOUTS_TOKEN: the access token must be at least 32"), "{err}");
    assert!(!err.contains("Typeset"), "refused before building: {err}");
}

/// A port in use is said before minutes of typesetting, not after.
#[test]
fn a_port_in_use_is_said_before_the_build() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = project();
    let output = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("cannot listen on 127.0.0.1:{port}")) && err.contains("--port"), "{err}");
    assert!(!dir.path().join("out/pdf").exists(), "nothing was built: {err}");
}
