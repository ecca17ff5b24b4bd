//! Packets (issue 26): several handouts for one patient in one PDF, with a cover list,
//! each handout on a new sheet (a right-hand page when printed on both sides) and the
//! patient's name and print date on every page, through `handouts print` and through
//! the typesetting API the desk calls; and sections by number (from 1) or name.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handouts::serve::print::{self, PacketItem, Request};
use handouts::typeset::{PaperSides, Personal, Typesetter};

const FEET: &str = "checking-your-feet-when-you-have-diabetes";
const KIDNEY: &str = "treatment-of-metastatic-kidney-cancer";
const STEM: &str = "the-role-of-stem-cell-therapy-in-the-fight-against-cancer";
/// A name and a note no handout holds.
const PATIENT: &str = "Zelda Quixotewright";
const NOTE: &str = "Bring your glucose meter on Tuesday";

/// A copy of the repository's content, templates and handouts.toml.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "templates"] {
        common::copy_tree(&common::root().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(common::root().join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    dir
}

/// `handouts ARGS` in `dir`, with its own temporary folder `tmp`.
fn handouts(dir: &Path, tmp: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle)))
        .map(|e| e.into_path())
        .collect()
}

/// Each page's text, whitespace collapsed.
fn pages(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf)
        .unwrap()
        .iter()
        .map(|page| common::collapse_whitespace(page))
        .collect()
}

/// The PDF's Info dictionary and XMP metadata, as text.
fn metadata(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let mut text = String::new();
    if let Ok(info) = document.trailer.get(b"Info").and_then(|i| i.as_reference()) {
        text.push_str(&format!("{:?}", document.get_object(info).unwrap()));
    }
    if let Ok(id) = document.catalog().unwrap().get(b"Metadata").and_then(|m| m.as_reference())
        && let Ok(stream) = document.get_object(id).and_then(|o| o.as_stream())
    {
        let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        text.push_str(&String::from_utf8_lossy(&content));
    }
    text
}

/// The pages (from 1) on which a handout starts: its first page says "Page 1 of" (or
/// "Página 1 de").
fn starts(pages: &[String]) -> Vec<usize> {
    pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contains("Page 1 of") || p.contains("Página 1 de"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn a_packet_holds_every_handout_on_its_own_sheet_with_the_name_on_every_page() {
    let dir = project();
    let tmp = tempfile::tempdir().unwrap();
    let printed = "Printed December 7, 2026";
    let run = |sides: &[&str], out: &str| {
        let mut args = vec!["print", FEET, KIDNEY, STEM, "--patient", PATIENT, "--clinician", "Dr Ruiz"];
        args.extend(["--note", NOTE, "--date", "2026-12-07", "--out", out]);
        args.extend(sides);
        let output = handouts(dir.path(), tmp.path(), &args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty() && output.stderr.is_empty(), "prints nothing");
        std::fs::read(dir.path().join(out)).unwrap()
    };
    for (sides, out) in [(&[][..], "one.pdf"), (&["--two-sided"][..], "two.pdf")] {
        let pdf = run(sides, out);
        let pages = pages(&pdf);
        // The cover: what is inside, in order, and the note (once).
        let cover = &pages[0];
        assert!(cover.contains("Your handouts") && cover.contains("In this packet:"), "{cover}");
        let listed = ["Checking your feet when you have diabetes", "Treatment of Metastatic Kidney Cancer"];
        let at: Vec<usize> = listed.iter().map(|t| cover.find(t).expect(t)).collect();
        assert!(at[0] < at[1], "{cover}");
        assert!(cover.contains("The Role of Stem Cell Therapy"), "{cover}");
        assert!(cover.contains(NOTE) && cover.contains("From: Dr Ruiz"), "{cover}");
        assert_eq!(pages.iter().filter(|p| p.contains(NOTE)).count(), 1, "the note is on the cover only");
        // Each handout from its own first page, with its title and its text.
        let starts = starts(&pages);
        assert_eq!(starts.len(), 4, "the cover and three handouts: {starts:?}");
        assert_eq!(starts[0], 1);
        for (start, (title, text)) in starts[1..].iter().zip([
            ("Checking your feet when you have diabetes", "When should I call my care team?"),
            ("Treatment of Metastatic Kidney Cancer", "Targeted Therapy"),
            ("The Role of Stem Cell Therapy in the Fight Against Cancer", "stem cell"),
        ]) {
            assert!(pages[start - 1].contains(title), "page {start}: {}", pages[start - 1]);
            assert!(pages.iter().any(|p| p.contains(text)), "{text}");
        }
        // The name and the print date on every page that has anything on it; the only
        // empty pages are the backs of sheets before a handout, when two-sided.
        let mut blank = Vec::new();
        for (index, page) in pages.iter().enumerate() {
            if page.is_empty() {
                blank.push(index + 1);
                continue;
            }
            assert!(page.contains(&format!("{PATIENT} {printed}")), "page {}: {page}", index + 1);
        }
        if sides.is_empty() {
            assert!(blank.is_empty(), "{blank:?}");
        } else {
            assert!(starts.iter().all(|s| s % 2 == 1), "every handout on a right-hand page: {starts:?}");
            assert!(!blank.is_empty() && blank.iter().all(|b| starts.contains(&(b + 1))), "{blank:?}");
        }
        let metadata = metadata(&pdf);
        assert!(metadata.contains("Your handouts"), "{metadata}");
        assert!(!metadata.contains("Zelda") && !metadata.contains("glucose"), "{metadata}");
        let document = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(document.catalog().unwrap().get(b"StructTreeRoot").is_ok(), "a tagged PDF");
    }
    // The same request, the same bytes.
    assert_eq!(run(&[], "again.pdf"), std::fs::read(dir.path().join("one.pdf")).unwrap());
    // Nothing of the patient anywhere but the PDFs asked for.
    let mut holding = files_holding(dir.path(), b"Zelda");
    holding.extend(files_holding(tmp.path(), b"Zelda"));
    holding.extend(files_holding(dir.path(), b"glucose meter"));
    assert!(holding.is_empty(), "{holding:?}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn sections_are_listed_from_one_and_chosen_by_number_or_name() {
    let dir = project();
    let tmp = tempfile::tempdir().unwrap();
    let listed = handouts(dir.path(), tmp.path(), &["sections", FEET]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("   1  How to check your feet\n"), "{listed}");
    assert!(listed.contains("   4  When should I call my care team?  (always printed)\n"), "{listed}");
    let json = handouts(dir.path(), tmp.path(), &["sections", FEET, "--lang", "es", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["id"], "como-revisar-sus-pies-si-tiene-diabetes");
    assert_eq!(
        json["sections"][1],
        serde_json::json!({"number": 2, "title": "Qué debe buscar", "always_printed": false})
    );
    assert_eq!(json["sections"][3]["always_printed"], true);

    // By name (case aside) and by number; the "when to call" section whatever is asked.
    let out = dir.path().join("feet.pdf");
    let output = handouts(
        dir.path(),
        tmp.path(),
        &["print", FEET, "--section", "what to LOOK for", "--section", "3", "--out", "feet.pdf"],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = common::pdf_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("What to look for") && text.contains("Look after your feet"), "{text}");
    assert!(!text.contains("How to check your feet"), "section 1 left out: {text}");
    assert!(text.contains("When should I call my care team?"), "never left out: {text}");

    for (args, message) in [
        (
            vec!["print", FEET, "--section", "0", "--out", "x.pdf"],
            "error: --section: there is no section \"0\"; give a number or a name: 1 \"How to check your feet\", \
             2 \"What to look for\", 3 \"Look after your feet\", 4 \"When should I call my care team?\"\n",
        ),
        (
            vec!["print", FEET, KIDNEY, "--section", "1", "--out", "x.pdf"],
            "error: --section chooses sections of one handout: print a packet of several handouts whole, or \
             print that handout on its own\n",
        ),
        (
            vec!["print", FEET, "--date", "7/12/2026", "--out", "x.pdf"],
            "error: --date: \"7/12/2026\" is not a date written YYYY-MM-DD, like 2026-09-14\n",
        ),
        (
            [&["print"][..], &[FEET; 21], &["--out", "x.pdf"]].concat(),
            "error: a packet holds at most 20 handouts; this one has 21: print it as two\n",
        ),
    ] {
        let output = handouts(dir.path(), tmp.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), message);
        assert!(!dir.path().join("x.pdf").exists());
    }
}

/// The function the desk calls: each handout with its own sections, the safety section
/// kept whatever is chosen, the cover in the first handout's language, and the same
/// bytes for the same request.
#[test]
fn the_typesetting_api_makes_a_packet_with_sections_per_handout() {
    let dir = project();
    let config = common::repo_config(&dir.path().join("content"), &dir.path().join("out"));
    let batch = handouts::build::load_batch(&config, None).unwrap();
    let article = |id: &str| batch.articles.iter().find(|a| a.id == id).unwrap();
    let labels = handouts::labels::LabelTable::load(config.template_dir()).unwrap();
    let typesetter = Typesetter::new(&config).unwrap();
    let spanish = print::in_language(article(FEET), &batch.articles, "es").unwrap();
    let feet_sections = print::sections(spanish, &labels);
    let safety = feet_sections.iter().find(|s| s.safety).unwrap().title.clone();
    let items = [
        // Only "Qué debe buscar": the safety section stays all the same.
        PacketItem { article: spanish, sections: Some(vec![1]) },
        PacketItem { article: article(KIDNEY), sections: None },
    ];
    let request = Request {
        personal: Personal {
            patient: PATIENT.into(),
            printed: time::Date::from_calendar_date(2026, time::Month::December, 7).ok(),
            ..Personal::default()
        },
        large_print: true,
        ..Request::default()
    };
    let make = || {
        print::typeset_packet(&typesetter, &labels, &items, &request, PaperSides::Both, |pdf| pdf).unwrap()
    };
    let pdf = make();
    let pages = pages(&pdf);
    assert!(pages[0].contains("Sus folletos") && pages[0].contains("En este paquete:"), "{}", pages[0]);
    assert!(pages[0].contains("Cómo revisar sus pies si tiene diabetes"), "{}", pages[0]);
    let all = pages.join(" ");
    assert!(all.contains("Qué debe buscar") && all.contains(&safety), "{all}");
    assert!(!all.contains("Cuide sus pies"), "an unchosen section is left out");
    assert!(all.contains("Impreso el 7 de diciembre de 2026") && all.contains("Printed December 7, 2026"));
    for (index, page) in pages.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        let printed = if index == 0 || page.contains("Página") { "Impreso el" } else { "Printed" };
        assert!(page.contains(PATIENT) && page.contains(printed), "page {}: {page}", index + 1);
    }
    let starts = starts(&pages);
    assert_eq!(starts.len(), 3, "{starts:?}");
    assert!(starts.iter().all(|s| s % 2 == 1), "{starts:?}");
    assert_eq!(make(), pdf, "byte-identical for the same request");
    // The extra footer line stays clear of the paper's edge in large print, as
    // tests/print_fit.rs asks of every handout: nothing in the outer 8 mm.
    let file = dir.path().join("packet.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let bbox = Command::new("pdftotext").arg("-bbox").arg(&file).arg("-").output().expect("pdftotext runs");
    let html = String::from_utf8_lossy(&bbox.stdout);
    let number = |tag: &str, key: &str| -> f64 {
        let at = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let (mut height, mut words) = (0.0, 0);
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            height = number(line, "height");
        } else if line.starts_with("<word ") {
            words += 1;
            let bottom = height - number(line, "yMax");
            assert!(bottom >= 8.0 / 25.4 * 72.0, "{line} is {:.1} mm from the edge", bottom / 72.0 * 25.4);
        }
    }
    assert!(words > 500, "{words} words read back");

    // The lower-level call reports where each handout starts.
    let articles: Vec<_> = items
        .iter()
        .map(|i| print::select(i.article, &print::sections(i.article, &labels), i.sections.as_deref()))
        .collect();
    let packet = typesetter
        .typeset_packet(
            &articles,
            handouts::typeset::Variant::LargePrint,
            None,
            &request.personal,
            PaperSides::Both,
            |p| p,
        )
        .unwrap();
    assert_eq!(packet.starts, starts[1..].to_vec());
    assert_eq!(packet.pages, pages.len());
    assert_eq!(packet.bytes, pdf);
}
