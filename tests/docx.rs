//! Word documents (issue 25) made by real word processors (`tests/docx/`, see its
//! README): their structure against pandoc's docx reader, the errors for files that
//! are not `.docx`, the PDF they build, and `handouts add FILE.docx`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use handouts::model::{Article, Block, Inline, plain_text};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/docx").join(name)
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct Found {
    headings: Vec<Value>,
    items: Vec<Value>,
    tables: Vec<Value>,
    alts: Vec<Value>,
    links: Vec<Value>,
}

/// Our reader's structure in the oracle's shape (see tests/docx/structure.py). Heading
/// levels are pandoc's (Heading 1 → 1): the handout's title is level 1, so its
/// headings start at 2.
fn our_structure(article: &Article, footnotes: &[String]) -> Value {
    // Notes are printed in brackets where they are cited; pandoc keeps them apart.
    let strip = |text: String| {
        let mut text = text;
        for note in footnotes {
            text = text.replace(&format!(" ({note})"), "");
        }
        clean(&text)
    };
    fn walk_links(inlines: &[Inline], out: &mut Vec<Value>) {
        for inline in inlines {
            match inline {
                Inline::Link { url, content } => {
                    out.push(json!(url));
                    walk_links(content, out);
                }
                Inline::Strong { content } | Inline::Emphasis { content } => walk_links(content, out),
                _ => {}
            }
        }
    }
    fn walk(blocks: &[Block], depth: usize, strip: &dyn Fn(String) -> String, out: &mut Found) {
        for block in blocks {
            match block {
                Block::Heading { level, content, .. } => {
                    out.headings.push(json!([level - 1, strip(plain_text(content))]));
                    walk_links(content, &mut out.links);
                }
                Block::Paragraph { content, .. } => walk_links(content, &mut out.links),
                Block::List { ordered, items, .. } => {
                    for item in items {
                        let first = match item.first() {
                            Some(Block::Paragraph { content, .. }) => strip(plain_text(content)),
                            _ => String::new(),
                        };
                        out.items.push(json!([depth + 1, ordered, first]));
                        walk(item, depth + 1, strip, out);
                    }
                }
                Block::Table { header, rows, .. } => {
                    let cells = |row: &Vec<Vec<Inline>>| -> Vec<String> {
                        row.iter().map(|cell| strip(plain_text(cell))).collect()
                    };
                    out.tables.push(
                        json!({"header": cells(header), "rows": rows.iter().map(cells).collect::<Vec<_>>()}),
                    );
                    for cell in header.iter().chain(rows.iter().flatten()) {
                        walk_links(cell, &mut out.links);
                    }
                }
                Block::Figure { alt, .. } => out.alts.push(json!(alt)),
                Block::Quote { blocks, .. } => walk(blocks, depth, strip, out),
                Block::CodeBlock { .. } => {}
            }
        }
    }
    let mut out = Found::default();
    walk(&article.blocks, 0, &strip, &mut out);
    let Found { headings, items, tables, alts, links } = out;
    json!({
        "title": article.meta.title,
        "headings": headings,
        "items": items,
        "tables": tables,
        "alts": alts,
        "links": links,
    })
}

/// Where our reader and pandoc's differ on purpose: (fixture, field, index, why).
/// Every listed difference must occur, so the list stays true.
const EXPLAINED: &[(&str, &str, usize, &str)] = &[
    (
        "en-low-salt",
        "items",
        2,
        "\"List Bullet 2\" is its own list set further in: nested by its indent; pandoc nests by w:ilvl only",
    ),
    ("en-low-salt", "items", 3, "the same, second item of \"List Bullet 2\""),
    (
        "es-pies-diabetes",
        "headings",
        2,
        "\"Subtítulo clínica\" is a heading through its outline level alone; pandoc reads only heading style names",
    ),
    ("es-pies-diabetes", "headings", 3, "the headings after it shift by one"),
    ("es-pies-diabetes", "headings", 4, "the headings after it shift by one"),
    (
        "en-big-photo",
        "title",
        0,
        "a document without a Title style that opens with a heading is titled by it; pandoc leaves it untitled",
    ),
    ("en-big-photo", "headings", 0, "that heading is the title, so it is not also a heading"),
];

#[test]
fn word_fixtures_have_the_structure_pandoc_reads_except_where_explained() {
    let mut table = vec![format!(
        "{:<24} {:>8} {:>6} {:>6} {:>5} {:>5}  {}",
        "fixture", "headings", "items", "tables", "alts", "links", "differences"
    )];
    let mut unexplained = Vec::new();
    let mut explained_seen = std::collections::BTreeSet::new();
    for name in
        ["en-low-salt", "es-pies-diabetes", "en-libreoffice-asthma", "en-twenty-pages", "en-big-photo"]
    {
        let docx = fixture(&format!("{name}.docx"));
        let saved: Value =
            serde_json::from_slice(&std::fs::read(fixture(&format!("{name}.pandoc.json"))).unwrap()).unwrap();
        // pandoc itself, from the pinned wheel (.ci/run installs it; scripts/pandoc.sh
        // installs it on first use elsewhere): the saved answer must be what it says now.
        let output =
            Command::new("python3").arg(fixture("structure.py")).arg(&docx).output().expect("python3 runs");
        assert!(
            output.status.success(),
            "{name}: pandoc oracle failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let live: Value = serde_json::from_slice(&output.stdout).expect("the oracle prints JSON");
        assert_eq!(live, saved, "{name}: tests/docx/{name}.pandoc.json is stale; run tests/docx/make.sh");

        let article = handouts::ingest::ingest_file(&docx).expect("reads");
        let footnotes: Vec<String> =
            saved["footnotes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
        let body = clean(&common::article_words(&article).join(" "));
        for note in &footnotes {
            let words = clean(&common::words(note).join(" "));
            assert!(body.contains(&words), "{name}: footnote printed where it is cited: {note}");
        }
        let ours = our_structure(&article, &footnotes);
        let mut differences = 0;
        for field in ["title", "headings", "items", "tables", "alts", "links"] {
            let (a, b) = (&ours[field], &saved[field]);
            let (a_list, b_list) = match (a, b) {
                (Value::Array(a), Value::Array(b)) => (a.clone(), b.clone()),
                (a, b) => (vec![a.clone()], vec![b.clone()]),
            };
            for index in 0..a_list.len().max(b_list.len()) {
                let (x, y) = (a_list.get(index), b_list.get(index));
                if x == y {
                    continue;
                }
                differences += 1;
                match EXPLAINED.iter().find(|(f, w, i, _)| *f == name && *w == field && *i == index) {
                    Some((_, _, _, why)) => {
                        explained_seen.insert((name, field, index));
                        println!("{name} {field}[{index}]: ours {x:?}, pandoc {y:?}: {why}");
                    }
                    None => unexplained.push(format!("{name} {field}[{index}]: ours {x:?}, pandoc {y:?}")),
                }
            }
        }
        let count = |field: &str| ours[field].as_array().map_or(0, Vec::len);
        table.push(format!(
            "{name:<24} {:>8} {:>6} {:>6} {:>5} {:>5}  {differences}",
            count("headings"),
            count("items"),
            count("tables"),
            count("alts"),
            count("links")
        ));
    }
    println!("{}", table.join("\n"));
    assert!(unexplained.is_empty(), "differences from pandoc nobody explained:\n{}", unexplained.join("\n"));
    let stale: Vec<_> =
        EXPLAINED.iter().filter(|(f, w, i, _)| !explained_seen.contains(&(*f, *w, *i))).collect();
    assert!(stale.is_empty(), "explained differences that no longer occur: {stale:?}");
}

fn handouts(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handouts")).args(args).output().expect("handouts runs")
}

#[test]
fn files_that_are_not_docx_say_what_to_do() {
    let cases = [
        ("en-libreoffice-asthma.doc", "old Word document (.doc"),
        ("en-protected.docx", "password-protected"),
        ("en-empty.docx", "the document has no text"),
        ("en-libreoffice-asthma.odt", "OpenDocument file (.odt)"),
    ];
    for (name, expected) in cases {
        let path = fixture(name);
        let output = handouts(&["inspect", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name}");
        assert!(stderr.contains(&format!("{}: ", path.display())), "{name}: names the file: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_word_document_builds_a_pdf_with_its_structure_picture_and_link_and_without_its_footer() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for name in ["en-low-salt.docx", "es-pies-diabetes.docx", "en-big-photo.docx"] {
        std::fs::copy(fixture(name), content.join(name)).unwrap();
    }
    let config = common::repo_config(&content, &dir.path().join("out"));
    let options = handouts::build::BuildOptions { quiet: true, ..Default::default() };
    let report = handouts::build::build(&config, &options).expect("build runs");
    assert!(report.failures.is_empty(), "{:?}", report.failures);

    let pdf = std::fs::read(dir.path().join("out/pdf/eating-less-salt.pdf")).unwrap();
    let text = common::collapse_whitespace(&common::pdf_text(&pdf));
    assert!(text.contains("Eating Less Salt"));
    // The address is set in pieces that break after `/` or `-` (pdf-extract puts a space
    // between them): compared without spaces.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains("www.example.org/low-salt-recipes"), "the link's address is printed: {text}");
    assert!(!text.contains("PE-104"), "the Word footer's form number is not printed");
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let mut tags = std::collections::BTreeMap::new();
    let mut alts = Vec::new();
    for object in document.objects.values() {
        let lopdf::Object::Dictionary(dict) = object else { continue };
        if let Ok(tag) = dict.get(b"S").and_then(|s| s.as_name()) {
            *tags.entry(String::from_utf8_lossy(tag).into_owned()).or_insert(0) += 1;
            if tag == b"Figure" {
                alts.push(dict.get(b"Alt").and_then(|a| a.as_str()).map(|a| a.to_vec()).unwrap_or_default());
            }
        }
    }
    for tag in ["H2", "H3", "L", "LI", "Table", "Figure"] {
        assert!(tags.contains_key(tag), "tagged {tag}: {tags:?}");
    }
    assert!(
        alts.iter().any(|alt| String::from_utf8_lossy(alt).contains("dinner plate")
            || String::from_utf16_lossy(
                &alt.chunks(2).skip(1).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()
            )
            .contains("dinner plate")),
        "a Figure with the Word alt text"
    );

    let spanish =
        std::fs::read(dir.path().join("out/pdf/cuidado-de-los-pies-si-tiene-diabetes.pdf")).unwrap();
    let text = common::collapse_whitespace(&common::pdf_text(&spanish));
    assert!(text.contains("¿Cuándo debo llamar al médico?"));
    assert!(!text.contains("si le sobra tiempo"), "text deleted in tracked changes is not printed");

    let photo =
        std::fs::metadata(dir.path().join("out/pdf").join(big_photo_pdf(&dir.path().join("out/pdf"))))
            .unwrap();
    assert!(
        photo.len() < 2 * 1024 * 1024,
        "a 3000×2000 photo gives a PDF under 2 MiB: {} bytes",
        photo.len()
    );
}

fn big_photo_pdf(pdf_dir: &Path) -> String {
    let article = handouts::ingest::ingest_file(&fixture("en-big-photo.docx")).unwrap();
    assert!(pdf_dir.join(format!("{}.pdf", article.id)).exists());
    format!("{}.pdf", article.id)
}

#[test]
fn add_turns_a_word_document_into_an_editable_article_with_its_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let docx = fixture("en-low-salt.docx");
    let output = handouts(&["add", docx.to_str().unwrap(), "--content", content.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("1 picture"), "{stderr}");
    assert!(stderr.contains("not a review date"), "{stderr}");
    let markdown = std::fs::read_to_string(content.join("eating-less-salt.md")).unwrap();
    assert!(markdown.contains("## When to call your doctor"), "{markdown}");
    assert!(markdown.contains("(<pictures/eating-less-salt-1.png>"), "{markdown}");
    assert!(content.join("pictures/eating-less-salt-1.png").is_file());

    // Read back, the article has the document's blocks, the picture now a file.
    let mut from_word = handouts::ingest::ingest_file(&docx).unwrap();
    // The header and footer the document had are not part of the editable article.
    assert_eq!(from_word.removed.len(), 2);
    from_word.removed.clear();
    let from_markdown = handouts::ingest::ingest_file(&content.join("eating-less-salt.md")).unwrap();
    assert_eq!(common::article_words(&from_markdown), common::article_words(&from_word));
    assert_eq!(from_markdown.meta.title, from_word.meta.title);
}

/// Damaged documents (cut short, bytes changed, in each part) are an error of their
/// own, never a panic: the reader's code has no path that panics on input.
#[test]
fn damaged_word_documents_are_errors_not_panics() {
    let bytes = std::fs::read(fixture("es-pies-diabetes.docx")).unwrap();
    let path = Path::new("content/damaged.docx");
    let mut outcomes = std::collections::BTreeMap::new();
    let mut check = |damaged: &[u8]| {
        let outcome = match handouts::ingest::ingest_bytes(path, damaged) {
            Ok(_) => "read".to_string(),
            Err(err) => {
                assert_ne!(err.kind(), handouts::error::Kind::Internal, "a panic: {err}");
                let message = err.to_string();
                message.split(": ").nth(1).unwrap_or(&message).chars().take(40).collect()
            }
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
    };
    for cut in (0..bytes.len()).step_by(97) {
        check(&bytes[..cut]);
    }
    // Uncompressed copies of the parts, changed byte by byte: XML that is cut, tags
    // that do not close, attributes that are not numbers.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        parts.push((entry.name().unwrap().to_string(), data));
    }
    let rebuild = |changed: usize, at: usize, byte: u8| {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (index, (name, data)) in parts.iter().enumerate() {
            let mut data = data.clone();
            if index == changed && at < data.len() {
                data[at] = byte;
            }
            zip.start_file(name.as_str(), options).unwrap();
            std::io::Write::write_all(&mut zip, &data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    };
    for (changed, (name, data)) in parts.iter().enumerate() {
        if !name.ends_with(".xml") && !name.ends_with(".rels") {
            continue;
        }
        for at in (0..data.len()).step_by((data.len() / 40).max(1)) {
            for byte in [b'<', b'"', b'9', b'-', 0xFF] {
                check(&rebuild(changed, at, byte));
            }
        }
    }
    println!("{outcomes:#?}");
    assert!(outcomes.contains_key("read"), "most small changes still read");
}
