//! The infobutton (issue 29) through the binary: `serve` answering `/infobutton` with
//! the requests MedlinePlus Connect documents (problem, medication and lab codes, each
//! code system, English and Spanish, Atom and JSON) adapted to tests/fixtures/infobutton,
//! its Atom feeds validated against RFC 4287's RELAX NG schema with jing; the token
//! under `--listen`; `handouts find` and `handouts codes`; wrong codes in front matter.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::desk;

const ICD10CM: &str = "2.16.840.1.113883.6.90";
const SNOMED: &str = "2.16.840.1.113883.6.96";
const RXNORM: &str = "2.16.840.1.113883.6.88";
const LOINC: &str = "2.16.840.1.113883.6.1";
const ICD9CM: &str = "2.16.840.1.113883.6.103";

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/infobutton")
}

/// A project with the fixtures as its content, the repository's config and templates.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixtures(), &dir.path().join("content"));
    common::copy_tree(&common::root().join("templates"), &dir.path().join("templates"));
    std::fs::copy(common::root().join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    dir
}

fn start(extra: &[&str]) -> desk::Desk {
    desk::start_in(project(), extra)
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.body))
    }
}

fn get(addr: &str, path: &str) -> Response {
    let response = desk::request(addr, "GET", path, &[], b"");
    Response { status: response.status, body: response.text(), headers: response.headers }
}

/// `/infobutton?` and the parameters, encoded.
fn infobutton(params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        query.append_pair(name, value);
    }
    format!("/infobutton?{}", query.finish())
}

/// The entries' ids of a JSON answer, in order.
fn json_ids(value: &serde_json::Value) -> Vec<String> {
    value["feed"]["entry"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

/// Validates an Atom document with jing against RFC 4287's schema. No skipping: when
/// jing is missing (`.ci/run` installs Debian's), this fails loudly.
fn assert_valid_atom(feed: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, feed).unwrap();
    let schema = common::root().join("tests/infobutton/atom.rnc");
    let output = Command::new("jing").arg("-c").arg(&schema).arg(&path).output().unwrap_or_else(|e| {
        panic!("cannot run jing ({e}): install it with `apt-get install jing` (.ci/run does)")
    });
    assert!(
        output.status.success(),
        "{what}: the Atom feed is not valid against RFC 4287's schema:\n{}{}\n{feed}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_desk_answers_medlineplus_connect_style_requests() {
    let desk = start(&["--port", "0"]);
    let addr = desk.addr.as_str();

    // A problem (diagnosis) request, ICD-10-CM, the default response (Atom): E11.65 is
    // not coded on any handout; its parent E11 is.
    let problem = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", ICD10CM),
            ("mainSearchCriteria.v.c", "E11.65"),
            ("mainSearchCriteria.v.dn", "Type 2 diabetes mellitus with hyperglycemia"),
        ]),
    );
    assert_eq!(problem.status, 200, "{}", problem.body);
    assert_eq!(problem.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    assert_valid_atom(&problem.body, "ICD-10-CM problem");
    let doc = roxmltree::Document::parse(&problem.body).unwrap();
    let entries: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 1, "{}", problem.body);
    let entry = entries[0];
    let child = |name: &str| entry.children().find(|n| n.has_tag_name(name)).unwrap();
    assert_eq!(child("title").text(), Some("Living with type 2 diabetes"));
    assert_eq!(child("id").text(), Some(format!("http://{addr}/living-with-type-2-diabetes.html").as_str()));
    assert!(child("summary").text().unwrap().starts_with("Eat well"));
    assert_eq!(child("category").attribute("term"), Some("E11"), "the code that matched");
    let links: Vec<&str> =
        entry.children().filter(|n| n.has_tag_name("link")).filter_map(|n| n.attribute("href")).collect();
    assert_eq!(
        links,
        [
            format!("http://{addr}/living-with-type-2-diabetes.html"),
            format!("http://{addr}/pdf/living-with-type-2-diabetes.pdf"),
            format!("http://{addr}/pdf/living-with-type-2-diabetes-large.pdf"),
        ]
    );
    // The addresses answer: the page and both PDFs.
    for link in &links {
        let path = link.trim_start_matches(&format!("http://{addr}"));
        assert_eq!(get(addr, path).status, 200, "{link}");
    }

    // The most specific first: the foot ulcer handout (E11.621), then E11's.
    let ulcer = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", ICD10CM),
            ("mainSearchCriteria.v.c", "E11.621"),
            ("knowledgeResponseType", "application/json"),
        ]),
    );
    assert_eq!(ulcer.header("content-type"), Some("application/json"));
    let value = ulcer.json();
    assert_eq!(json_ids(&value), ["caring-for-a-foot-ulcer", "living-with-type-2-diabetes"]);
    assert_eq!(value["feed"]["entry"][0]["code"]["code"], "icd10cm:E11.621");
    assert_eq!(value["feed"]["entry"][1]["code"]["code"], "icd10cm:E11");

    // The same problem in SNOMED CT, in Spanish (MedlinePlus Connect's `sp`, and `es`).
    for spanish in ["sp", "es"] {
        let value = get(
            addr,
            &infobutton(&[
                ("mainSearchCriteria.v.cs", SNOMED),
                ("mainSearchCriteria.v.c", "44054006"),
                ("informationRecipient.languageCode.c", spanish),
                ("knowledgeResponseType", "application/json"),
            ]),
        )
        .json();
        assert_eq!(json_ids(&value), ["vivir-con-diabetes-tipo-2"], "{spanish}");
        assert_eq!(value["feed"]["entry"][0]["lang"], "es");
        assert_eq!(value["feed"]["entry"][0]["title"], "Vivir con diabetes tipo 2");
    }
    let spanish_feed = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", SNOMED),
            ("mainSearchCriteria.v.c", "44054006"),
            ("informationRecipient.languageCode.c", "es"),
        ]),
    );
    assert_valid_atom(&spanish_feed.body, "SNOMED CT, Spanish");
    assert!(spanish_feed.body.contains("<entry xml:lang=\"es\">"), "{}", spanish_feed.body);

    // A medication request (RxNorm), and a lab request (LOINC) in Spanish: there is no
    // Spanish A1C handout, so the English one.
    let medication =
        get(addr, &infobutton(&[("mainSearchCriteria.v.cs", RXNORM), ("mainSearchCriteria.v.c", "860975")]));
    assert_valid_atom(&medication.body, "RxNorm medication");
    assert!(medication.body.contains("<title type=\"text\">Taking metformin</title>"), "{}", medication.body);
    let lab = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", LOINC),
            ("mainSearchCriteria.v.c", "4548-4"),
            ("informationRecipient.languageCode.c", "es"),
            ("knowledgeResponseType", "application/json"),
        ]),
    )
    .json();
    assert_eq!(json_ids(&lab), ["your-a1c-blood-test"]);
    assert_eq!(lab["feed"]["entry"][0]["code"]["oid"], LOINC);

    // Several criteria in one request, indexed as MedlinePlus Connect documents.
    let several = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.c0", "6809"),
            ("mainSearchCriteria.v.cs0", RXNORM),
            ("mainSearchCriteria.v.c1", "4548-4"),
            ("mainSearchCriteria.v.cs1", LOINC),
            ("mainSearchCriteria.v.c2", "E11.9"),
            ("mainSearchCriteria.v.cs2", ICD10CM),
            ("knowledgeResponseType", "application/json"),
        ]),
    )
    .json();
    assert_eq!(
        json_ids(&several),
        ["taking-metformin", "your-a1c-blood-test", "living-with-type-2-diabetes"]
    );

    // No match: an empty feed, 200, never an error page.
    for response_type in ["text/xml", "application/json"] {
        let empty = get(
            addr,
            &infobutton(&[
                ("mainSearchCriteria.v.cs", ICD10CM),
                ("mainSearchCriteria.v.c", "J45.909"),
                ("knowledgeResponseType", response_type),
            ]),
        );
        assert_eq!(empty.status, 200, "{response_type}: {}", empty.body);
        if response_type == "text/xml" {
            assert!(!empty.body.contains("<entry"), "{}", empty.body);
            assert_valid_atom(&empty.body, "empty feed");
        } else {
            assert!(json_ids(&empty.json()).is_empty());
        }
    }
    // A code system handouts are not coded in (ICD-9-CM): the display name finds titles.
    let by_name = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", ICD9CM),
            ("mainSearchCriteria.v.c", "493.12"),
            ("mainSearchCriteria.v.dn", "Extrinsic asthma with exacerbation"),
            ("knowledgeResponseType", "application/json"),
        ]),
    )
    .json();
    assert_eq!(json_ids(&by_name), ["your-asthma-action-plan"]);
    assert!(by_name["feed"]["entry"][0].get("code").is_none(), "found by name, not by code");

    // text/html: straight to the one handout; a page listing several.
    let one = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", LOINC),
            ("mainSearchCriteria.v.c", "4548-4"),
            ("knowledgeResponseType", "text/html"),
        ]),
    );
    assert_eq!(one.status, 303);
    assert_eq!(one.header("location"), Some(format!("http://{addr}/your-a1c-blood-test.html").as_str()));
    let page = get(
        addr,
        &infobutton(&[
            ("mainSearchCriteria.v.cs", ICD10CM),
            ("mainSearchCriteria.v.c", "E11.621"),
            ("informationRecipient.languageCode.c", "es"),
            ("knowledgeResponseType", "text/html"),
        ]),
    );
    assert_eq!((page.status, page.header("content-type")), (200, Some("text/html; charset=utf-8")));
    assert!(page.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"), "{}", page.body);
    assert!(
        page.body.contains("<h1>Folletos para usted</h1>") && page.body.contains("2 folletos"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("href=\"http://") && page.body.contains("vivir-con-diabetes-tipo-2.html"),
        "{}",
        page.body
    );

    // Malformed: 400, naming the parameter.
    for (params, parameter) in [
        (vec![("mainSearchCriteria.v.c", "E11.9")], "mainSearchCriteria.v.cs"),
        (
            vec![("mainSearchCriteria.v.cs", LOINC), ("mainSearchCriteria.v.c", "4548-5")],
            "mainSearchCriteria.v.c",
        ),
        (
            vec![
                ("mainSearchCriteria.v.cs", SNOMED),
                ("mainSearchCriteria.v.c", "44054006"),
                ("mainSearchCriteria.v.c1", "44054007"),
            ],
            "mainSearchCriteria.v.cs1",
        ),
        (
            vec![
                ("mainSearchCriteria.v.cs", SNOMED),
                ("mainSearchCriteria.v.c", "44054006"),
                ("knowledgeResponseType", "application/javascript"),
            ],
            "knowledgeResponseType",
        ),
        (vec![("informationRecipient.languageCode.c", "es")], "mainSearchCriteria.v.c"),
    ] {
        let bad = get(addr, &infobutton(&params));
        assert_eq!(bad.status, 400, "{params:?}: {}", bad.body);
        assert!(
            bad.body.starts_with(&format!("Bad infobutton request: {parameter}: ")),
            "{params:?}: {}",
            bad.body
        );
    }

    // The log: codes and counts, never a display name or a query.
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(
        log.contains("infobutton: icd10cm:E11.65, 1 display name(s) -> 1 handout(s)")
            || log.contains("infobutton: icd10cm:E11.65 -> 1 handout(s)"),
        "{log}"
    );
    assert!(log.contains("infobutton: loinc:4548-4 -> 1 handout(s)"), "{log}");
    assert!(log.contains("infobutton: bad request (mainSearchCriteria.v.cs)"), "{log}");
    assert!(
        !log.contains("hyperglycemia")
            && !log.contains("Extrinsic")
            && !log.contains("mainSearchCriteria.v.c="),
        "{log}"
    );
}

#[test]
fn on_the_clinic_network_the_token_comes_with_the_request_and_is_never_logged() {
    let desk = start(&["--listen", "127.0.0.1:0"]);
    let token = desk.url.split("?token=").nth(1).expect("the address has the token").to_string();
    let question = [("mainSearchCriteria.v.cs", ICD10CM), ("mainSearchCriteria.v.c", "E11.9")];
    assert_eq!(get(&desk.addr, &infobutton(&question)).status, 401);
    let mut wrong = question.to_vec();
    wrong.push(("token", "wrong"));
    assert_eq!(get(&desk.addr, &infobutton(&wrong)).status, 401);
    let mut with_token = question.to_vec();
    with_token.push(("token", &token));
    let answer = get(&desk.addr, &infobutton(&with_token));
    assert_eq!(answer.status, 200, "answered at once, not redirected: {}", answer.body);
    assert_valid_atom(&answer.body, "with the token");
    assert!(answer.body.contains("living-with-type-2-diabetes.html"), "{}", answer.body);
    assert!(!answer.body.contains(&token), "the token is not in the feed");
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(log.contains("infobutton: icd10cm:E11.9 -> 1 handout(s)"), "{log}");
    // The generated token is printed once, for the operator; no request line holds it.
    let requests: Vec<&str> = log
        .lines()
        .map(common::unstamped)
        .filter(|l| l.starts_with("GET ") || l.starts_with("infobutton"))
        .collect();
    assert!(requests.len() >= 4, "{log}");
    assert!(!requests.iter().any(|l| l.contains(&token) || l.contains('?')), "{log}");
}

fn handouts(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handouts")).args(args).current_dir(common::root()).output().unwrap()
}

#[test]
fn find_and_codes_from_the_command_line() {
    let content = fixtures();
    let content = content.to_str().unwrap();
    let out = handouts(&["find", "--content", content, "--code", "icd10cm:E11.621"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "icd10cm:E11.621\ten\tcaring-for-a-foot-ulcer\tCaring for a foot ulcer when you have diabetes\n\
         icd10cm:E11\ten\tliving-with-type-2-diabetes\tLiving with type 2 diabetes\n"
    );
    let out = handouts(&["find", "--content", content, "--code", "icd10cm:E11.9", "--lang", "es", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json_ids(&value), ["vivir-con-diabetes-tipo-2"]);
    assert_eq!(value["feed"]["entry"][0]["pdf"], "pdf/vivir-con-diabetes-tipo-2.pdf");
    // No match: an empty list, and exit 0.
    let out = handouts(&["find", "--content", content, "--code", "snomed:195967001"]);
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No handout has snomed:195967001"));
    // A wrong code is a usage error that says what is wrong.
    let out = handouts(&["find", "--content", content, "--code", "loinc:4548-5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the check digit of 4548 is 4, not 5"));

    let out = handouts(&["codes", "--content", content]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("icd10cm:E11\tliving-with-type-2-diabetes vivir-con-diabetes-tipo-2\n"), "{text}");
    assert!(text.contains("rxnorm:6809\ttaking-metformin\n"), "{text}");
    assert!(text.ends_with("1 handout(s) without codes (an EHR cannot find them; add `codes:` to their front matter):\n  your-asthma-action-plan\n"), "{text}");
    let out = handouts(&["codes", "--content", content, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["uncoded"], serde_json::json!(["your-asthma-action-plan"]));
    assert_eq!(value["codes"][0]["code"], "icd10cm:E11");
}

#[test]
fn a_wrong_code_in_front_matter_is_an_error_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(
        content.join("a1c.md"),
        "---\ntitle: A1C\ncodes:\n  - icd10cm:E11\n  - snomed:44054060\n---\nThe A1C test shows your blood sugar.\n",
    )
    .unwrap();
    let out = handouts(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a1c.md:5: codes: \"snomed:44054060\": \"44054060\" is not a SNOMED CT identifier: its last digit is not the Verhoeff check digit"),
        "{err}"
    );
}
