//! `handouts add` against a local HTTP server started by the test (no internet): a page
//! with pictures, a redirect, a 404, a non-HTML answer, a slow server, a huge page, a
//! redirect loop, refusal of 127.0.0.1 without `--allow-private`, `--force`, a saved
//! `.html` file, and the written article building.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// A 4×3 PNG.
fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 4, 3);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[200u8; 36]).unwrap();
    drop(writer);
    bytes
}
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";

fn page() -> String {
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
     <meta property=\"og:title\" content=\"Caring for Your Feet | Lakeside Health\">\
     <meta name=\"author\" content=\"Maren Okafor\"><meta property=\"article:published_time\" content=\"2025-03-14\">\
     <script>alert('never');</script></head><body><nav><a href=\"/\">Home</a> <a href=\"/a\">Health A-Z</a></nav>\
     <article><h1>Caring for Your Feet</h1>\
     <p>Check your feet every day for cuts, blisters, redness or swelling. Call your doctor if a sore does not heal in a few days, because small wounds can turn into serious infections when you have diabetes.</p>\
     <figure><img src=\"/pictures/mirror.png?size=large\" alt=\"A hand mirror held under a foot\"><figcaption>Use a mirror to see your soles.</figcaption></figure>\
     <h2>Washing</h2><p>Wash your feet every day in warm, not hot, water. Dry them well, especially between the toes, where moisture can lead to infections.</p>\
     <p><img src=\"drawing.svg\" alt=\"A drawing of a shoe\"></p><p><img src=\"/fake.png\" alt=\"Not really a picture\"></p>\
     </article><footer>© 2026 Lakeside Health</footer></body></html>"
        .to_string()
}

fn respond(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match path.split('?').next().unwrap_or("") {
        "/page" => {
            reply(&mut stream, "200 OK", "Content-Type: text/html; charset=utf-8\r\n", page().as_bytes())
        }
        "/pictures/mirror.png" => reply(&mut stream, "200 OK", "Content-Type: image/png\r\n", &png()),
        "/drawing.svg" => reply(&mut stream, "200 OK", "Content-Type: image/svg+xml\r\n", SVG),
        "/fake.png" => reply(&mut stream, "200 OK", "Content-Type: image/png\r\n", b"GIF89a not a png"),
        "/old" => reply(&mut stream, "301 Moved Permanently", "Location: /page\r\n", b""),
        "/loop" => reply(&mut stream, "302 Found", "Location: /loop\r\n", b""),
        "/empty" => reply(
            &mut stream,
            "200 OK",
            "Content-Type: text/html\r\n",
            b"<html><body><div id=\"app\"></div><script>render()</script></body></html>",
        ),
        "/pdf" => reply(&mut stream, "200 OK", "Content-Type: application/pdf\r\n", b"%PDF-1.7 ..."),
        "/slow" => {
            // Far longer than the 1 s timeout, so a loaded machine cannot blur the two.
            std::thread::sleep(Duration::from_secs(30));
            reply(&mut stream, "200 OK", "Content-Type: text/html\r\n", page().as_bytes());
        }
        "/huge" => {
            // No Content-Length: the cap must hold while reading.
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>",
            );
            let chunk = "<p>Lots of words in a page that never ends.</p>".repeat(100);
            for _ in 0..200 {
                if stream.write_all(chunk.as_bytes()).is_err() {
                    return;
                }
            }
        }
        "/huge-declared" => reply(&mut stream, "200 OK", "Content-Type: text/html\r\n", &vec![b' '; 300_000]),
        _ => reply(&mut stream, "404 Not Found", "Content-Type: text/html\r\n", b"<h1>Not found</h1>"),
    }
}

/// A server on 127.0.0.1 for the whole test binary; returns its base address.
fn server() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let base = format!("http://127.0.0.1:{}", listener.local_addr().expect("address").port());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || respond(stream));
            }
        });
        base
    })
}

fn add(content: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("handouts")
        .unwrap()
        .current_dir(common::root())
        .env("SOURCE_DATE_EPOCH", "1764633600")
        .arg("add")
        .arg("--content")
        .arg(content)
        .args(["--timeout", "1", "--max-bytes", "100000"])
        .args(args)
        .output()
        .unwrap()
}

fn build(content: &Path, out: &Path) -> std::process::Output {
    Command::cargo_bin("handouts")
        .unwrap()
        .current_dir(common::root())
        .args(["build", "--no-epub", "--content"])
        .arg(content)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_page_with_pictures_becomes_an_article_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let url = format!("{}/old", server());
    let output = add(&content, &["--allow-private", &url]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("and 2 pictures"), "{err}");
    assert!(err.contains("`reviewed:` is empty"), "{err}");
    assert!(err.contains("/fake.png not saved: not a PNG, JPEG or SVG picture"), "{err}");
    let md = std::fs::read_to_string(content.join("caring-for-your-feet.md")).unwrap();
    assert!(md.starts_with("---\ntitle: \"Caring for Your Feet\"\nlang: \"en\"\n"), "{md}");
    // The address after the redirect, the day of SOURCE_DATE_EPOCH.
    assert!(md.contains(&format!("url: \"{}/page\"", server())), "{md}");
    assert!(md.contains("retrieved: \"2025-12-02\""), "{md}");
    assert!(md.contains("author: \"Maren Okafor\"") && md.contains("published: \"2025-03-14\""), "{md}");
    assert!(md.contains("reviewed:\n"), "{md}");
    assert!(md.contains("![A hand mirror held under a foot](<pictures/caring-for-your-feet-1.png> \"Use a mirror to see your soles.\")"), "{md}");
    assert!(md.contains("(<pictures/caring-for-your-feet-2.svg>)"), "{md}");
    assert!(md.contains("Not really a picture"), "the alt text of a picture not saved stays: {md}");
    assert!(!md.contains("alert") && !md.contains("Health A-Z") && !md.contains("2026 Lakeside"), "{md}");
    assert_eq!(std::fs::read(content.join("pictures/caring-for-your-feet-1.png")).unwrap(), png());
    assert_eq!(std::fs::read(content.join("pictures/caring-for-your-feet-2.svg")).unwrap(), SVG);

    // The article builds, its pictures in the handout.
    let out = dir.path().join("out");
    let built = build(&content, &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(out.join("pdf/caring-for-your-feet.pdf").is_file());

    // Not again without --force; with it, yes.
    let again = add(&content, &["--allow-private", &url]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again)
            .contains("caring-for-your-feet.md: an article with this id exists already; pass --force"),
        "{}",
        stderr(&again)
    );
    let forced = add(&content, &["--allow-private", "--force", "--no-pictures", &url]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let md = std::fs::read_to_string(content.join("caring-for-your-feet.md")).unwrap();
    assert!(!md.contains("![") && md.contains("A hand mirror held under a foot"), "{md}");

    // And still builds with the alt text in place of the pictures.
    let built = build(&content, &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(out.join("pdf/caring-for-your-feet.pdf").is_file());
}

fn add_fails(path: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}{path}", server());
    let mut args = extra.to_vec();
    args.push(&url);
    let output = add(&dir.path().join("content"), &args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!dir.path().join("content").join("caring-for-your-feet.md").exists());
    err
}

#[test]
fn bad_answers_are_clear_errors() {
    let private = ["--allow-private"];
    let err = add_fails("/missing", &private);
    assert!(err.contains("/missing: the server answered HTTP 404 Not Found"), "{err}");
    let err = add_fails("/pdf", &private);
    assert!(err.contains("the server answered with application/pdf, not a web page"), "{err}");
    let err = add_fails("/empty", &private);
    assert!(err.contains("found no article text in the page"), "{err}");
    let err = add_fails("/loop", &private);
    assert!(err.contains("more than 5 redirects"), "{err}");
    let started = std::time::Instant::now();
    let err = add_fails("/slow", &private);
    assert!(err.contains("/slow: "), "{err}");
    assert!(err.contains("1 s"), "{err}");
    // The error says the timeout fired; not waiting for the 30 s answer says it held.
    assert!(started.elapsed() < Duration::from_secs(20), "the timeout held: {:?}", started.elapsed());
    let err = add_fails("/huge", &private);
    assert!(err.contains("/huge: the answer is larger than the 97 KiB limit"), "{err}");
    let err = add_fails("/huge-declared", &private);
    assert!(err.contains("larger than"), "{err}");
}

#[test]
fn local_addresses_are_refused_unless_allowed() {
    let err = add_fails("/page", &[]);
    assert!(err.contains("127.0.0.1, a private or local address; pass --allow-private"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let output = add(&dir.path().join("content"), &["file:///etc/passwd"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("only http:// and https://"), "{}", stderr(&output));
}

#[test]
fn a_saved_page_with_its_files_folder() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    std::fs::create_dir_all(saved.join("page_files")).unwrap();
    std::fs::write(saved.join("page_files/mirror 1.png"), png()).unwrap();
    let html = page().replace("/pictures/mirror.png?size=large", "page_files/mirror%201.png");
    std::fs::write(saved.join("page.html"), html).unwrap();
    let content = dir.path().join("content");
    let output = add(&content, &[saved.join("page.html").to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("and 1 picture"), "{err}");
    let md = std::fs::read_to_string(content.join("caring-for-your-feet.md")).unwrap();
    assert!(md.contains("pictures/caring-for-your-feet-1.png"), "{md}");
    assert!(!md.contains("retrieved:"), "a saved page was not retrieved by us: {md}");
    // Pictures that only the web has become their words.
    assert!(md.contains("A drawing of a shoe"), "{md}");
}

#[test]
fn help_has_examples() {
    let output = Command::cargo_bin("handouts").unwrap().args(["add", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(help.contains("handouts add https://example.org/health/foot-care"), "{help}");
    assert!(
        help.contains("--allow-private") && help.contains("--no-pictures") && help.contains("--force"),
        "{help}"
    );
    assert!(!help.contains("--max-bytes"), "test-only flags stay hidden: {help}");
}
