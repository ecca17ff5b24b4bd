//! The EPUB stage through its public API: validity (EPUBCheck), navigation, escaping,
//! determinism and container layout.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

static LABELS: std::sync::LazyLock<handouts::labels::LabelTable> =
    std::sync::LazyLock::new(handouts::labels::LabelTable::builtin);

use handouts::config::{Brand, Collection};
use handouts::epub::{EpubSettings, build_epub, collection_id};
use handouts::model::{Article, Block, Inline, Meta, SCHEMA_VERSION};

fn text(s: &str) -> Inline {
    Inline::text(s)
}

fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph { content, line: 0 }
}

fn heading(level: u8, s: &str) -> Block {
    Block::Heading { level, content: vec![text(s)], line: 0 }
}

fn list(ordered: bool, start: Option<u64>, items: Vec<Vec<Block>>) -> Block {
    Block::List { ordered, start, items, line: 0 }
}

fn article(id: &str, title: &str, lang: &str, reviewed: &str, blocks: Vec<Block>) -> Article {
    Article {
        schema: SCHEMA_VERSION,
        id: id.into(),
        source: format!("content/{id}.md"),
        meta: Meta {
            title: title.into(),
            lang: lang.into(),
            reviewed: Some(reviewed.into()),
            ..Meta::default()
        },
        blocks,
        removed: vec![],
        stats: None,
        warnings: vec![],
    }
}

fn fixture(name: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/epub").join(name);
    let json = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&json).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Everything a hostile paste could contain, in every place text can go.
const HOSTILE: &str = "<script>alert(1)</script> & ]]> \"double\" 'single' #set page(width: 1pt) $x$ \u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{FFFE}\r end";

fn hostile_article() -> Article {
    let mut a = article(
        "hostile",
        &format!("Hostile {HOSTILE}"),
        "en",
        "2026-10-31",
        vec![
            para(vec![text(HOSTILE)]),
            heading(2, HOSTILE),
            // A skipped level and an empty heading must not break the outline.
            heading(4, "Deep <b>heading</b>"),
            heading(3, " \u{1} "),
            para(vec![
                text("Click "),
                Inline::Link {
                    url: "javascript:alert(1)".into(),
                    content: vec![text("this javascript link")],
                },
                text(" or "),
                Inline::Link { url: " JAVASCRIPT:alert(2)".into(), content: vec![] },
                text(" or "),
                Inline::Link {
                    url: "https://example.org/?a=1&b=\"2\"<x>".into(),
                    content: vec![
                        text("a real link with "),
                        Inline::Link {
                            url: "https://nested.example/".into(),
                            content: vec![text("a nested one")],
                        },
                    ],
                },
                text(" or "),
                Inline::Link {
                    url: "data:text/html,<script>alert(3)</script>".into(),
                    content: vec![text("data")],
                },
                Inline::LineBreak,
                Inline::Code { text: "<script>alert(4)</script>".into() },
            ]),
            Block::Table {
                header: vec![vec![text("<th>")], vec![text("&amp;")]],
                rows: vec![vec![vec![text("]]>")], vec![text("\u{0}'\"")]], vec![]],
                line: 0,
            },
            Block::CodeBlock { text: "<?xml version=\"1.0\"?>\n<!DOCTYPE x>\n\t]]>\u{1}".into(), line: 0 },
            list(true, Some(0), vec![vec![para(vec![text(HOSTILE)])], vec![]]),
        ],
    );
    a.meta.summary = Some(format!("{HOSTILE}\nSecond line"));
    a
}

/// A few English articles with every block type, one Spanish and one hostile article.
fn sample_articles() -> Vec<Article> {
    let mut side_effects = article(
        "side-effects",
        "Managing Side Effects",
        "en",
        "2026-09-01",
        vec![
            para(vec![
                text("Most side effects are "),
                Inline::Strong { content: vec![text("short-lived")] },
                text(" and "),
                Inline::Emphasis { content: vec![text("treatable")] },
                text("."),
            ]),
            heading(2, "Common side effects"),
            list(
                false,
                None,
                vec![
                    vec![para(vec![text("Tiredness")])],
                    vec![
                        para(vec![text("Stomach problems:")]),
                        list(
                            false,
                            None,
                            vec![vec![para(vec![text("Nausea")])], vec![para(vec![text("Diarrhea")])]],
                        ),
                    ],
                ],
            ),
            heading(3, "How long they last"),
            Block::Table {
                header: vec![vec![text("Side effect")], vec![text("Usually lasts")]],
                rows: vec![
                    vec![vec![text("Tiredness")], vec![text("Weeks to months")]],
                    vec![vec![text("Nausea")], vec![text("A few days")]],
                ],
                line: 0,
            },
            heading(2, "When should I call my care team?"),
            list(true, Some(3), vec![vec![para(vec![text("A fever of 100.4 °F (38 °C) or higher.")])]]),
            Block::Quote {
                blocks: vec![para(vec![
                    text("Call us any time, day or night."),
                    Inline::LineBreak,
                    text("— Your nurse"),
                ])],
                line: 0,
            },
            para(vec![
                text("Read more at "),
                Inline::Link {
                    url: "https://example.org/side-effects".into(),
                    content: vec![text("our website")],
                },
                text(" or write to "),
                Inline::Link {
                    url: "mailto:nurse@example.org".into(),
                    content: vec![text("nurse@example.org")],
                },
                text(". Use "),
                Inline::Code { text: "printf".into() },
                text(" nowhere."),
            ]),
            Block::CodeBlock { text: "Medicine   Dose\nOndansetron 8 mg".into(), line: 0 },
        ],
    );
    side_effects.meta.summary =
        Some("- Most side effects go away.\n- Call your care team about a fever.".into());
    let no_headings = article(
        "a-first-visit",
        "Your First Visit",
        "en",
        "2025-01-15",
        vec![para(vec![text("Bring your medicines and a list of questions.")])],
    );
    vec![
        hostile_article(),
        side_effects,
        fixture("quimioterapia-en-casa.json"),
        fixture("metastatic-kidney-cancer-treatment.json"),
        no_headings,
    ]
}

fn collection() -> Collection {
    Collection {
        title: "Understanding Metastatic Cancer".into(),
        id: None,
        language: "en".into(),
        order: vec![
            "metastatic-kidney-cancer-treatment".into(),
            "no-such-article".into(),
            "side-effects".into(),
        ],
        tags: vec![],
    }
}

fn brand() -> Brand {
    Brand {
        name: "Riverside Cancer Center & Clinic".into(),
        logo: None,
        primary_color: "#4A90E2".into(),
        phone: Some("(555) 010-0199".into()),
        website: Some("https://example.org/handouts?a=1&b=2".into()),
        disclaimer: Some(handouts::config::Disclaimer::PerLanguage(
            [
                ("en".to_string(), "This book does not replace advice from your care team.".to_string()),
                (
                    "es".to_string(),
                    "Este libro no reemplaza los consejos de su equipo de atención.".to_string(),
                ),
            ]
            .into(),
        )),
    }
}

static LOGO: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/logo.svg")).expect("the shipped logo")
});

fn build(articles: &[Article]) -> Vec<u8> {
    let (collection, brand) = (collection(), brand());
    let settings = EpubSettings {
        collection: &collection,
        brand: &brand,
        source_date_epoch: None,
        labels: &LABELS,
        catalogue: None,
        logo: handouts::epub::Logo::from_extension("svg", &LOGO),
        part_size: handouts::epub::PART_SIZE,
    };
    build_epub(articles, &settings).expect("EPUB builds")
}

fn read_entry(epub: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("EPUB is a zip");
    let mut entry = archive.by_name(name).unwrap_or_else(|err| panic!("{name}: {err}"));
    let mut out = String::new();
    entry.read_to_string(&mut out).expect("UTF-8 entry");
    out
}

fn entry_names(epub: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("EPUB is a zip");
    (0..archive.len())
        .map(|i| archive.by_index(i).expect("entry").name().expect("UTF-8 name").into_owned())
        .collect()
}

fn xhtml_entries(epub: &[u8]) -> Vec<(String, String)> {
    entry_names(epub)
        .into_iter()
        .filter(|name| name.ends_with(".xhtml"))
        .map(|name| {
            let body = read_entry(epub, &name);
            (name, body)
        })
        .collect()
}

/// Writes the sample EPUB where a person can open it (`target/epub-sample/`), for the
/// Ace check and for reading.
fn write_sample(epub: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("epub-sample");
    std::fs::create_dir_all(&dir).expect("create sample dir");
    let path = dir.join(format!("{}.epub", collection_id(&collection())));
    std::fs::write(&path, epub).expect("write sample EPUB");
    path
}

#[test]
fn epubcheck_reports_no_errors_or_warnings() {
    let epub = build(&sample_articles());
    write_sample(&epub);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(format!("{}.epub", collection_id(&collection())));
    std::fs::write(&path, &epub).expect("write EPUB");

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/epubcheck.sh");
    // No skipping: if EPUBCheck cannot run, this test must fail loudly.
    let output = Command::new("bash")
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", script.display()));
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "EPUBCheck failed:\n{report}");
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "unexpected EPUBCheck output:\n{report}"
    );
    assert!(report.contains("No errors or warnings detected"), "unexpected EPUBCheck output:\n{report}");
}

#[test]
fn nav_lists_titles_in_order_with_nested_headings() {
    let epub = build(&sample_articles());
    let nav = read_entry(&epub, "OEBPS/nav.xhtml");
    let toc = &nav[nav.find("epub:type=\"toc\"").expect("toc nav")
        ..nav.find("epub:type=\"landmarks\"").expect("landmarks")];

    // collection.order first (unknown ids ignored), then the rest by title (accents
    // folded: "Cómo" among the c's), never by id.
    let titles = [
        ">Treatment of Metastatic Kidney Cancer</a>",
        ">Managing Side Effects</a>",
        ">Cómo cuidarse en casa durante la quimioterapia</a>",
        ">Hostile &lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;",
        ">Your First Visit</a>",
    ];
    let positions: Vec<usize> =
        titles.iter().map(|t| toc.find(t).unwrap_or_else(|| panic!("{t} not in nav:\n{toc}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "titles out of order:\n{toc}");

    // Headings nest under their article, h3 inside the h2's list.
    let compact: String = toc.split('\n').collect();
    assert!(
        compact.contains(
            "<li><a href=\"side-effects.xhtml\">Managing Side Effects</a><ol>\
             <li><a href=\"side-effects.xhtml#h-1\">Common side effects</a><ol>\
             <li><a href=\"side-effects.xhtml#h-2\">How long they last</a></li></ol></li>\
             <li><a href=\"side-effects.xhtml#h-3\">When should I call my care team?</a></li></ol></li>"
        ),
        "{toc}"
    );
    // The Spanish entries are marked as Spanish for screen readers.
    assert!(
        compact.contains(
            "<a href=\"quimioterapia-en-casa.xhtml#h-2\" lang=\"es\" xml:lang=\"es\">Si tiene náuseas</a>"
        ),
        "{toc}"
    );
    // Every heading id the nav points at exists in its chapter.
    let chapter = read_entry(&epub, "OEBPS/side-effects.xhtml");
    for id in ["h-1", "h-2", "h-3"] {
        assert!(chapter.contains(&format!(" id=\"{id}\"")), "{id} missing in chapter");
    }
    assert!(chapter.contains("<h3 id=\"h-2\">How long they last</h3>"), "{chapter}");

    let landmarks = &nav[nav.find("epub:type=\"landmarks\"").expect("landmarks")..];
    assert!(landmarks.contains("hidden=\"hidden\""));
    for kind in ["cover", "toc", "bodymatter"] {
        assert!(landmarks.contains(&format!("epub:type=\"{kind}\"")), "{kind} landmark missing");
    }
    assert!(landmarks.contains("epub:type=\"bodymatter\" href=\"metastatic-kidney-cancer-treatment.xhtml\""));
}

#[test]
fn two_builds_are_byte_identical() {
    let articles = sample_articles();
    let first = build(&articles);
    let second = build(&articles);
    assert!(first == second, "two builds differ");

    // The date comes from the inputs, never the clock.
    let opf = read_entry(&first, "OEBPS/package.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2026-10-31T00:00:00Z</meta>"), "{opf}");
    let (collection, brand) = (collection(), brand());
    let settings = EpubSettings {
        collection: &collection,
        brand: &brand,
        source_date_epoch: Some(1_700_000_000),
        labels: &LABELS,
        catalogue: None,
        logo: None,
        part_size: handouts::epub::PART_SIZE,
    };
    let pinned = build_epub(&articles, &settings).expect("EPUB builds");
    let opf_pinned = read_entry(&pinned, "OEBPS/package.opf");
    assert!(
        opf_pinned.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
        "{opf_pinned}"
    );
    // The identifier does not depend on the date.
    let id =
        |opf: &str| opf[opf.find("<dc:identifier").expect("identifier")..].lines().next().map(String::from);
    assert_eq!(id(&opf), id(&opf_pinned));
}

#[test]
fn hostile_text_is_escaped_and_never_markup() {
    let epub = build(&sample_articles());
    let hostile = read_entry(&epub, "OEBPS/hostile.xhtml");
    assert!(
        hostile.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; &quot;double&quot; &#39;single&#39;"
        )
    );
    assert!(hostile.contains("#set page(width: 1pt) $x$"), "typst-looking text is kept as text");
    assert!(hostile.contains("this javascript link"), "the words of a refused link are kept");
    assert!(
        hostile.contains(
            "<a href=\"https://example.org/?a=1&amp;b=%222%22%3Cx%3E\">a real link with a nested one</a>"
        ),
        "{hostile}"
    );
    for (name, body) in xhtml_entries(&epub) {
        assert!(!body.contains("<script"), "{name} has a script element");
        assert!(!body.to_ascii_lowercase().contains("href=\"javascript:"), "{name} links to javascript:");
        assert!(!body.contains("href=\"data:"), "{name} links to data:");
        assert!(!body.contains("<b>"), "{name} passes markup through");
        assert!(!body.contains("<a href=\"https://nested.example/"), "{name} nests links");
        let illegal = body.chars().find(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{FFFE}');
        assert_eq!(illegal, None, "{name} contains a character XML cannot carry");
    }
    // The title, with markup-looking text, is escaped in the package document too.
    let opf = read_entry(&epub, "OEBPS/package.opf");
    assert!(opf.contains("<dc:publisher>Riverside Cancer Center &amp; Clinic</dc:publisher>"), "{opf}");
}

#[test]
fn mimetype_is_first_and_stored() {
    let epub = build(&sample_articles());
    // OCF requires the literal bytes at fixed offsets: local header, name, then content.
    assert_eq!(&epub[0..4], b"PK\x03\x04");
    assert_eq!(&epub[30..38], b"mimetype");
    assert_eq!(&epub[38..58], b"application/epub+zip");
    assert_eq!(&epub[8..10], [0, 0], "compression method is not STORED");
    assert_eq!(&epub[26..30], [8, 0, 0, 0], "name length 8, no extra field");

    let mut archive = zip::ZipArchive::new(Cursor::new(&epub)).expect("EPUB is a zip");
    let first = archive.by_index(0).expect("first entry");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);

    let names = entry_names(&epub);
    assert_eq!(names[0], "mimetype");
    for expected in [
        "META-INF/container.xml",
        "OEBPS/package.opf",
        "OEBPS/nav.xhtml",
        "OEBPS/cover.xhtml",
        "OEBPS/style.css",
        "OEBPS/side-effects.xhtml",
        "OEBPS/quimioterapia-en-casa.xhtml",
        "OEBPS/fonts/AtkinsonHyperlegible-Regular.ttf",
        "OEBPS/fonts/AtkinsonHyperlegible-BoldItalic.ttf",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
}

#[test]
fn chapters_and_package_carry_language_and_accessibility_metadata() {
    let epub = build(&sample_articles());
    let spanish = read_entry(&epub, "OEBPS/quimioterapia-en-casa.xhtml");
    assert!(spanish.contains("lang=\"es\" xml:lang=\"es\""));
    assert!(spanish.contains("<h2 id=\"key-points\">Puntos clave</h2>"), "{spanish}");
    assert!(spanish.contains("<time datetime=\"2026-10-02\">2 de octubre de 2026</time>"), "{spanish}");
    let english = read_entry(&epub, "OEBPS/side-effects.xhtml");
    assert!(english.contains("<ol start=\"3\">"));
    assert!(english.contains("<th scope=\"col\">Side effect</th>"));
    assert!(english.contains("<blockquote>"));
    assert!(english.contains("<a href=\"mailto:nurse@example.org\">"));

    let opf = read_entry(&epub, "OEBPS/package.opf");
    for needle in [
        "<dc:title>Understanding Metastatic Cancer</dc:title>",
        "<dc:language>en</dc:language>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "<dc:identifier id=\"pub-id\">urn:uuid:",
    ] {
        assert!(opf.contains(needle), "{needle} missing:\n{opf}");
    }
    assert_eq!(collection_id(&collection()), "understanding-metastatic-cancer");
    let cover = read_entry(&epub, "OEBPS/cover.xhtml");
    assert!(
        cover.contains("Understanding Metastatic Cancer")
            && cover.contains("Riverside Cancer Center &amp; Clinic")
    );
}

#[test]
fn no_articles_is_an_error_not_an_empty_book() {
    let (collection, brand) = (collection(), brand());
    let settings = EpubSettings {
        collection: &collection,
        brand: &brand,
        source_date_epoch: None,
        labels: &LABELS,
        catalogue: None,
        logo: None,
        part_size: handouts::epub::PART_SIZE,
    };
    assert!(build_epub(&[], &settings).is_err());
}

/// The EPUB built from the shipped `content/` by the real pipeline passes EPUBCheck, and
/// so does one from the Spanish and hostile-markup fixtures.
#[test]
fn epubcheck_passes_on_content_and_fixture_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config_path = root.join("handouts.toml");
    for content in ["content", "tests/fixtures/mixed", "tests/fixtures/hostile"] {
        let out = tempfile::tempdir().unwrap();
        let config = handouts::config::ConfigFile::load(&config_path).unwrap().resolve(
            &config_path,
            root.join(content),
            out.path().to_path_buf(),
            None,
        );
        let batch = handouts::build::load_batch(&config, None).unwrap();
        assert!(batch.failures.is_empty(), "{:?}", batch.failures);
        let path = handouts::output::write_epubs(&config, &batch.articles).unwrap().remove(0);
        let output = Command::new("bash")
            .arg(root.join("scripts/epubcheck.sh"))
            .arg(&path)
            .output()
            .expect("bash runs scripts/epubcheck.sh");
        let report =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{content}: EPUBCheck failed:\n{report}");
        assert!(report.contains("No errors or warnings detected"), "{content}:\n{report}");
    }
}

/// The EPUB carries the same brand parts as the handout: the phone after each "when to
/// call" section, the disclaimer in the chapter's language, the website on the cover,
/// and the fixed wording from templates/labels.toml.
#[test]
fn every_chapter_carries_the_brand_parts_in_its_language() {
    let epub = build(&sample_articles());
    let english = read_entry(&epub, "OEBPS/side-effects.xhtml");
    let call = english.find("When should I call my care team?").expect("action heading");
    let phone = english[call..]
        .find("Call us:</span> <a href=\"tel:5550100199\">(555) 010-0199</a>")
        .expect("a phone to tap after the action step");
    let next_heading = english[call + 10..].find("<h").map_or(usize::MAX, |i| i + 10);
    assert!(phone < next_heading, "the phone closes the action section: {english}");
    let boxed = english[..call].rfind("<div class=\"call-box\">").expect("the action step is in a box");
    assert!(!english[boxed..call].contains("</div>"), "the box holds the heading: {english}");
    // Every chapter ends with the clinic and the number to tap, in its language.
    for (name, body) in xhtml_entries(&epub) {
        if name.ends_with("nav.xhtml") || name.ends_with("cover.xhtml") {
            continue;
        }
        let footer =
            body.find("<footer class=\"clinic\">").unwrap_or_else(|| panic!("{name}: no clinic footer"));
        assert!(body[footer..].contains("href=\"tel:5550100199\""), "{name}: {body}");
        assert!(body[footer..].starts_with("<footer class=\"clinic\">\n<p class=\"clinic-name\">"), "{name}");
    }
    assert!(english.contains("<p class=\"disclaimer\">This book does not replace advice"), "{english}");
    let spanish = xhtml_entries(&epub)
        .into_iter()
        .find(|(_, body)| body.contains("xml:lang=\"es\">\n<head>"))
        .map(|(_, body)| body)
        .expect("a Spanish chapter");
    assert!(spanish.contains("Este libro no reemplaza"), "{spanish}");
    assert!(!spanish.contains("This book does not replace"), "{spanish}");
    let cover = read_entry(&epub, "OEBPS/cover.xhtml");
    assert!(cover.contains("href=\"https://example.org/handouts?a=1&amp;b=2\""), "{cover}");
    assert!(cover.contains("More handouts:"), "{cover}");
    assert!(cover.contains("href=\"tel:5550100199\""), "the cover's number is a link: {cover}");
}

#[test]
fn the_cover_image_is_the_brand_and_the_clinic_is_creator_and_publisher() {
    let epub = build(&sample_articles());
    let opf = read_entry(&epub, "OEBPS/package.opf");
    assert!(
        opf.contains(
            "<item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>"
        ),
        "{opf}"
    );
    assert_eq!(opf.matches("properties=\"cover-image\"").count(), 1, "{opf}");
    assert!(opf.contains("<dc:creator>Riverside Cancer Center &amp; Clinic</dc:creator>"), "{opf}");
    assert!(opf.contains("<dc:publisher>Riverside Cancer Center &amp; Clinic</dc:publisher>"), "{opf}");
    let svg = read_entry(&epub, "OEBPS/cover.svg");
    // The brand colour (#4A90E2) is too light for white text: the band is darkened.
    let band = handouts::config::accessible_color("#4A90E2");
    assert_ne!(band, "#4A90E2");
    assert!(svg.contains(&format!("height=\"600\" fill=\"{band}\"")), "{svg}");
    assert!(svg.contains("href=\"data:image/svg+xml;base64,"), "the logo is in the image: {svg}");
    assert!(svg.contains(">Understanding</tspan>") && svg.contains(">Metastatic Cancer</tspan>"), "{svg}");
    assert!(svg.contains(">Riverside Cancer Center &amp;</tspan>"), "{svg}");
    // Well-formed XML, whatever the title holds.
    let hostile = build(&[hostile_article()]);
    let svg = read_entry(&hostile, "OEBPS/cover.svg");
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|err| panic!("{err}: {svg}"));
    assert!(doc.root_element().has_tag_name("svg"));
    assert!(!svg.contains("<script"), "{svg}");
}
