//! The handout desk in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by `.ci/run`), driven over WebDriver: the catalogue's
//! search and filters, a handout page, the print form returning a PDF, live reload, and
//! axe-core (pinned, `.tools/axe/`, installed by `.ci/run`) at WCAG 2.1 AA.
//!
//! The WebDriver client is the few JSON-over-HTTP calls below, on the plain HTTP/1.1
//! client of `tests/serve.rs`'s kind: chromedriver listens on localhost only.
//! `HANDOUTS_SCREENSHOTS=1` saves the catalogue and the print form into docs/.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PAGE: &str = "checking-your-feet-when-you-have-diabetes";
/// Its Spanish translation (content/diabetes-foot-check.es.md).
const SPANISH: &str = "como-revisar-sus-pies-si-tiene-diabetes";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(addr: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open: read what Content-Length says.
    let mut reader = BufReader::new(stream);
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let lower = line.trim().to_ascii_lowercase();
        if lower.is_empty() {
            break;
        }
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        }
        chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
    }
    let mut body = Vec::new();
    if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body).unwrap();
    } else if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut body).unwrap();
    }
    serde_json::from_slice(&body).unwrap_or(Value::Null)
}

/// A WebDriver session.
struct Browser {
    driver: String,
    session: String,
    _chromedriver: Killed,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: run .ci/run (it installs Debian's chromium and chromium-driver)"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let chromedriver = Killed(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let driver = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while TcpStream::connect(&driver).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--no-first-run",
                         format!("--user-data-dir={}", profile.path().display()),
                         "--window-size=1100,900"],
            }
        }}});
        let session = http(&driver, "POST", "/session", Some(&capabilities));
        let id = session["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {session}"));
        Browser { driver, session: id.to_string(), _chromedriver: chromedriver, _profile: profile }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let response = http(&self.driver, method, &format!("/session/{}{path}", self.session), body.as_ref());
        assert!(response["value"].get("error").is_none(), "{method} {path}: {response}");
        response["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn run(&self, script: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    fn run_async(&self, script: &str) -> Value {
        self.call("POST", "/execute/async", Some(json!({"script": script, "args": []})))
    }

    fn element(&self, css: &str) -> String {
        let found = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css);
        self.call("POST", &format!("/element/{element}/value"), Some(json!({"text": text})));
    }

    fn text(&self, css: &str) -> String {
        self.run("return document.querySelector(arguments[0]).innerText;", json!([css]))
            .as_str()
            .unwrap()
            .into()
    }

    fn wait_for(&self, what: &str, test: impl Fn(&Browser) -> bool) {
        let started = Instant::now();
        while !test(self) {
            assert!(started.elapsed() < Duration::from_secs(10), "waited 10 s for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// axe-core's violations at WCAG 2.1 A and AA, as "rule: target" lines.
    fn axe(&self) -> Vec<String> {
        let path = common::root().join(".tools/axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: run .ci/run (it installs axe-core 4.10.2)", path.display()));
        self.run(&source, json!([]));
        let result = self.run_async(
            "const done = arguments[arguments.length - 1];
             axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
        );
        result.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    }

    fn screenshot(&self, name: &str) {
        if std::env::var("HANDOUTS_SCREENSHOTS").as_deref() != Ok("1") {
            return;
        }
        let png = self.call("GET", "/screenshot", None);
        let bytes = base64_decode(png.as_str().unwrap());
        std::fs::write(common::root().join("docs").join(name), bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(&self.driver, "DELETE", &format!("/session/{}", self.session), None);
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &c)| n | (u32::from(value(c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn serve(dir: &Path) -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["serve", "--port", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut url).unwrap();
    (Killed(child), url.trim().to_string())
}

#[test]
fn the_desk_in_a_real_browser() {
    let browser = Browser::start();
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "templates"] {
        copy_dir(&common::root().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(common::root().join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    let (_server, url) = serve(dir.path());
    let visible = |b: &Browser| -> usize {
        b.run(
            "return [...document.querySelectorAll('#results > li')]
               .filter(e => e.offsetParent !== null).length;",
            json!([]),
        )
        .as_u64()
        .unwrap() as usize
    };

    // The catalogue: a word from a heading finds the handout; a filter narrows.
    browser.go(&url);
    browser.wait_for("the catalogue", |b| visible(b) > 0);
    let all = visible(&browser);
    assert!(all >= 4, "{all} handouts listed");
    browser.screenshot("desk-catalogue.png");
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on the catalogue: {violations:#?}");
    // "palliative" is in a heading of one handout only ("Support and Palliative Care").
    browser.type_into("#search", "palliative");
    browser.wait_for("the search to narrow the list", |b| visible(b) < all);
    let found = browser.text("#results");
    assert!(found.contains("Treatment of Metastatic Kidney Cancer"), "{found}");
    assert_eq!(visible(&browser), 1, "{found}");
    browser.go(&url);
    browser.wait_for("the catalogue", |b| visible(b) == all);
    let narrowed = browser.run(
        "const select = document.querySelector('#filter-level');
         const option = [...select.options].find(o => o.value === '1');
         select.value = option.value;
         select.dispatchEvent(new Event('change', {bubbles: true}));
         return option.value;",
        json!([]),
    );
    browser.wait_for(&format!("the filter {narrowed} to narrow the list"), |b| visible(b) < all);
    assert!(browser.text("#results").contains("Checking your feet"));

    // A packet: two handouts ticked in the catalogue, one PDF for one patient, made from
    // the form as the browser sends it (the ticks belong to it by their form attribute).
    browser.go(&url);
    browser.wait_for("the catalogue", |b| visible(b) == all);
    for id in [PAGE, "treatment-of-metastatic-kidney-cancer"] {
        browser.run(
            &format!("document.querySelector('#pick-{id}').scrollIntoView({{block: 'center'}});"),
            json!([]),
        );
        browser.type_into(&format!("#pick-{id}"), " ");
    }
    browser.type_into("#packet-patient", "Zelda Quixotewright");
    browser.run("document.querySelector('#packet').scrollIntoView();", json!([]));
    std::thread::sleep(Duration::from_millis(300));
    browser.screenshot("desk-packet.png");
    let packet = browser.run_async(
        "const done = arguments[arguments.length - 1];
         const form = document.querySelector('#packet');
         fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))})
           .then(r => r.arrayBuffer().then(b => done({type: r.headers.get('content-type'),
              bytes: Array.from(new Uint8Array(b))})));",
    );
    assert_eq!(packet["type"], "application/pdf", "{packet}");
    let bytes: Vec<u8> =
        packet["bytes"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    let text = common::pdf_text(&bytes);
    for expected in ["Zelda Quixotewright", "Checking your feet", "Treatment of Metastatic Kidney Cancer"] {
        assert!(text.contains(expected), "{expected} in the packet: {text}");
    }
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on the catalogue with two handouts ticked: {violations:#?}");

    // A handout page and its sections.
    let page = format!("{url}{PAGE}.html");
    browser.go(&page);
    let main = browser.text("main");
    for heading in ["How to check your feet", "What to look for", "When should I call"] {
        assert!(main.contains(heading), "{heading} in {main}");
    }
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on a handout page with the print form: {violations:#?}");
    browser.run("document.querySelector('#desk').scrollIntoView();", json!([]));
    browser.type_into("#desk-patient", "Zelda Quixotewright");
    browser.type_into("#desk-note", "Bring your glucose meter");
    browser.run("document.querySelector('#desk-section-2').scrollIntoView({block: 'center'});", json!([]));
    browser.type_into("#desk-section-2", " ");
    assert_eq!(
        browser.run("return document.querySelector('#desk-section-2').checked;", json!([])),
        json!(false)
    );
    // The whole form from its title, for README: a taller window, room below the page
    // to scroll the form's top to the window's, no smooth scrolling still under way, no
    // focus ring on the last box touched.
    browser.call("POST", "/window/rect", Some(json!({"width": 1100, "height": 1300})));
    browser.run(
        "document.documentElement.style.scrollBehavior = 'auto';
         document.body.style.paddingBottom = '400px';
         document.activeElement.blur();
         const top = document.querySelector('#desk').getBoundingClientRect().top;
         window.scrollTo({top: window.scrollY + top - 16, behavior: 'instant'});",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    browser.screenshot("desk-print-form.png");
    browser.call("POST", "/window/rect", Some(json!({"width": 1100, "height": 900})));

    // The form as the browser sends it, fetched in the page so the PDF comes back.
    let pdf = browser.run_async(
        "const done = arguments[arguments.length - 1];
         const form = document.querySelector('#desk form');
         fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))})
           .then(r => r.arrayBuffer().then(b => done({type: r.headers.get('content-type'),
              bytes: Array.from(new Uint8Array(b))})));",
    );
    assert_eq!(pdf["type"], "application/pdf");
    let bytes: Vec<u8> = pdf["bytes"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    let text = common::pdf_text(&bytes);
    assert!(text.contains("Zelda Quixotewright") && text.contains("Bring your glucose meter"), "{text}");
    assert!(!text.contains("Look after your feet"), "the unticked section: {text}");
    assert!(text.contains("When should I call"));

    // "Print in: Español" leads to the Spanish translation's own form, which passes
    // axe too (its language links among it).
    browser.go(&page);
    browser.run("document.querySelector('.desk-languages a[hreflang=\"es\"]').click();", json!([]));
    let spanish = format!("/{SPANISH}.html#desk");
    browser.wait_for("the Spanish form", |b| {
        b.run("return location.pathname + location.hash;", json!([])).as_str() == Some(spanish.as_str())
            && b.run("return document.readyState === 'complete';", json!([])).as_bool().unwrap()
    });
    // The form stays in the staff's language (the collection's, English); the section
    // names are the Spanish handout's.
    let form = browser.text("#desk");
    assert!(form.contains("Print in:") && form.contains("Patient's name"), "{form}");
    assert!(form.contains("¿Cuándo debo llamar"), "{form}");
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on the Spanish page with the print form: {violations:#?}");

    // Live reload: the open page follows a save, without a reload by hand. (A page with
    // typing in its form is not reloaded, so start from a fresh one.)
    browser.go(&page);
    browser.wait_for("the live-reload worker", |b| {
        b.run("return document.readyState === 'complete';", json!([])).as_bool().unwrap()
    });
    std::thread::sleep(Duration::from_millis(500));
    let article = dir.path().join("content/diabetes-foot-check.md");
    let source = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, source.replace("How to check your feet", "How to look at your feet")).unwrap();
    browser.wait_for("the page to show the saved article", |b| {
        b.text("main").contains("How to look at your feet")
    });
}

/// A catalogue larger than `[site] catalogue-page-size` (10 here, 30 handouts), as a
/// patient opens it from the folder (file://) and as the desk serves it: the index
/// lists three pages, a page its ten handouts and its neighbours, and a query shows
/// results made from the data, whose links work, with print buttons at the desk.
#[test]
fn a_catalogue_split_into_pages_in_a_real_browser() {
    let browser = Browser::start();
    let dir = common::generated_folder(30);
    // A title that is markup and holds the result template's placeholders: text.
    let hostile = "Zebra <img src=x onerror=\"window.hacked = 1\"> {grade} {id}";
    std::fs::remove_file(dir.path().join("content/a29.txt")).unwrap();
    std::fs::write(
        dir.path().join("content/a29.md"),
        format!("---\ntitle: '{hostile}'\nreview-by: 2020-01-01\n---\nTake care of your rest and water and sleep.\n"),
    )
    .unwrap();
    let template = common::root().join("templates/handout.typ");
    std::fs::write(
        dir.path().join("handouts.toml"),
        format!("[handout]\ntemplate = {template:?}\n[site]\ncatalogue-page-size = 10\n"),
    )
    .unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["build", "--content", "content", "--out", "out", "--config", "handouts.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let count = |b: &Browser, css: &str| -> usize {
        b.run(
            "return [...document.querySelectorAll(arguments[0])].filter(e => e.offsetParent !== null).length;",
            json!([css]),
        )
        .as_u64()
        .unwrap() as usize
    };
    let path = |b: &Browser| b.run("return location.pathname;", json!([])).as_str().unwrap().to_string();
    let ready =
        |b: &Browser| b.run("return document.readyState === 'complete';", json!([])).as_bool().unwrap();

    let index = format!("file://{}", dir.path().join("out/site/index.html").display());
    browser.go(&index);
    assert_eq!(count(&browser, "#catalogue-pages li"), 3);
    assert_eq!(count(&browser, "#results > li"), 0);
    browser.screenshot("catalogue-pages.png");
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on the index of pages: {violations:#?}");

    browser.run("document.querySelector('#catalogue-pages li:nth-child(2) a').click();", json!([]));
    browser.wait_for("page 2", |b| path(b).ends_with("/catalogue_2.html") && ready(b));
    assert_eq!(count(&browser, "#results > li"), 10);
    assert!(browser.text("#page-title").starts_with("Page 2 of 3: "), "{}", browser.text("#page-title"));
    for (rel, page) in [("prev", "catalogue_1.html"), ("next", "catalogue_3.html")] {
        let href = browser.run(&format!("return document.querySelector('a[rel={rel}]').href;"), json!([]));
        assert!(href.as_str().unwrap().ends_with(page), "{rel}: {href}");
    }
    browser.screenshot("catalogue-page.png");
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on a catalogue page: {violations:#?}");

    // "fever" is in the title of handout 15 only, which is on page 1: found from the
    // data, not from this page's list.
    browser.type_into("#search", "fever");
    browser.wait_for("a result made from the data", |b| {
        b.text("#result-count") == "1 handout found" && count(b, "#results > li") == 1
    });
    assert_eq!(count(&browser, "#page-title, .page-nav"), 0, "the page's own parts are hidden");
    // The result is the very markup of the handout's item on its page.
    let result = browser.run("return document.querySelector('#results > li').outerHTML;", json!([]));
    let page_1 = std::fs::read_to_string(dir.path().join("out/site/catalogue_1.html")).unwrap();
    let item = &page_1[page_1.find("<li data-id=\"handout-15-about-fever\">").unwrap()..];
    assert_eq!(result.as_str().unwrap(), &item[..item.find("</li>").unwrap() + "</li>".len()]);
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on results made from the data: {violations:#?}");
    let pdf =
        browser.run("return document.querySelector('#results a[type=\"application/pdf\"]').href;", json!([]));
    assert!(pdf.as_str().unwrap().ends_with("/site/pdf/handout-15-about-fever.pdf"), "{pdf}");
    browser.run("document.querySelector('#results h2 a').click();", json!([]));
    browser.wait_for("the handout's page", |b| path(b).ends_with("/handout-15-about-fever.html") && ready(b));
    assert!(browser.text("h1").contains("Handout 15 about fever"));

    browser.go(&index);
    browser.type_into("#search", "zebra");
    browser.wait_for("the hostile title", |b| count(b, "#results > li") == 1);
    assert_eq!(browser.text("#results h2"), hostile);
    let injected =
        browser.run("return [window.hacked, document.querySelectorAll('#results img').length];", json!([]));
    assert_eq!(injected, json!([null, 0]));

    // Every handout matches "handout"; an empty query shows the list of pages again.
    browser.go(&index);
    browser.type_into("#search", "handout");
    browser.wait_for("every handout", |b| b.text("#result-count") == "29 handouts found");
    assert_eq!(count(&browser, "#results > li"), 29);
    assert_eq!(count(&browser, "#catalogue-pages"), 0);
    browser.run(
        "const input = document.querySelector('#search'); input.value = '';
         input.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    browser.wait_for("the pages again", |b| count(b, "#catalogue-pages li") == 3);
    assert_eq!(count(&browser, "#results > li"), 0);

    // At the desk, a result made from the data has the print button and the pick box
    // of the list's markup; a page has them for each of its handouts.
    let (_server, url) = serve(dir.path());
    browser.go(&url);
    browser.type_into("#search", "fever");
    browser.wait_for("a result at the desk", |b| count(b, "#results > li") == 1);
    let print = browser
        .run("return document.querySelector('#results .print-button').getAttribute('href');", json!([]));
    assert_eq!(print, json!("/print/handout-15-about-fever"));
    let pick = browser.run(
        "const box = document.querySelector('#results input[type=checkbox]');
         return [box.id, box.value, box.getAttribute('form'), document.querySelector('label[for=' + box.id + ']') !== null];",
        json!([]),
    );
    assert_eq!(pick, json!(["pick-handout-15-about-fever", "handout-15-about-fever", "packet", true]));
    assert_eq!(count(&browser, "#results .review-mark"), 0, "no mark on a handout reviewed in time");
    // A handout ticked for the packet stays ticked, and sent, whatever is searched next.
    browser.type_into("#results input[type=checkbox]", " ");
    browser.run(
        "const input = document.querySelector('#search'); input.value = 'zebra';
         input.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    browser.wait_for("the next search", |b| b.text("#results").contains("Zebra"));
    assert_eq!(count(&browser, "#results > li"), 1, "the ticked handout is hidden, not shown");
    // The data has no review dates: the page carries the desk's marks for its results.
    assert_eq!(browser.text("#results .review-mark"), "Review overdue since 2020-01-01");
    browser.type_into("#results input[type=checkbox]", " ");
    let picked =
        browser.run("return new FormData(document.querySelector('#packet')).getAll('id').sort();", json!([]));
    let zebra = "zebra-img-src-x-onerror-window-hacked-1-grade-id";
    assert_eq!(picked, json!(["handout-15-about-fever", zebra]));

    browser.go(&format!("{url}catalogue_2.html"));
    browser.wait_for("the desk's page 2", |b| count(b, "#results > li .print-button") == 10);
    // On a page, its own handouts ticked stay in the packet while a search shows others.
    let first =
        browser.run("return document.querySelector('#results input[type=checkbox]').value;", json!([]));
    browser.type_into("#results input[type=checkbox]", " ");
    browser.type_into("#search", "fever");
    browser.wait_for("a search on the page", |b| count(b, "#results > li") == 1);
    let picked =
        browser.run("return new FormData(document.querySelector('#packet')).getAll('id');", json!([]));
    assert_eq!(picked, json!([first]));
    let violations = browser.axe();
    assert!(violations.is_empty(), "axe on the desk's catalogue page: {violations:#?}");
}
