use std::path::Path;

use super::*;
use crate::model::{Block, Inline, plain_text};

fn page(html: &str) -> Article {
    ingest(Path::new("content/page.html"), html.as_bytes(), &Options::default()).unwrap()
}

const PROSE: &str = "Check your feet every day for cuts, blisters, redness or swelling, and call your \
    doctor if a sore does not heal in a few days, because small wounds can turn into serious infections.";

fn article_page(body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\n<title>Foot care | Lakeside Health</title>\n\
         <script>var x = '<p>not text</p>';</script><style>p {{ color: red }}</style></head>\n<body>\n\
         <header class=\"site-header\"><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/a\">Health A-Z</a></li></ul></nav></header>\n\
         <main>\n<article>\n<h1>Foot care</h1>\n{body}\n</article>\n\
         <aside class=\"related\"><h2>Related articles</h2><ul><li><a href=\"/x\">Kidney stones</a></li></ul></aside>\n\
         </main>\n<footer>© 2026 Lakeside Health. All rights reserved.</footer>\n<!-- a comment -->\n</body></html>\n"
    )
}

#[test]
fn article_found_and_furniture_removed_with_lines() {
    let body = format!(
        "<p>{PROSE}</p>\n<h2>Daily check</h2>\n<ol start=\"3\"><li>Look at <strong>both</strong> feet.</li><li>Use a <em>mirror</em>.\n<ul><li>Nested</li></ul></li></ol>\n<p>{PROSE}</p>"
    );
    let a = page(&article_page(&body));
    assert_eq!(a.meta.title, "Foot care");
    assert_eq!(a.meta.lang, "en");
    assert!(matches!(&a.blocks[0], Block::Paragraph { line: 11, .. }), "{:?}", a.blocks[0]);
    assert!(matches!(&a.blocks[1], Block::Heading { level: 2, line: 12, .. }));
    match &a.blocks[2] {
        Block::List { ordered: true, start: Some(3), items, line: 13 } => {
            assert_eq!(items.len(), 2);
            assert!(
                matches!(&items[0][0], Block::Paragraph { content, .. } if content.iter().any(|i| matches!(i, Inline::Strong { .. })))
            );
            assert!(matches!(items[1].last(), Some(Block::List { ordered: false, .. })));
        }
        other => panic!("{other:?}"),
    }
    let reasons: Vec<(&str, usize)> = a.removed.iter().map(|r| (r.reason.as_str(), r.line)).collect();
    assert!(reasons.contains(&("page header", 7)), "{reasons:?}");
    assert!(reasons.iter().any(|(r, _)| *r == "related links" || *r == "sidebar"), "{reasons:?}");
    assert!(reasons.contains(&("page footer", 19)), "{reasons:?}");
    let all = serde_json::to_string(&a).unwrap();
    assert!(!all.contains("not text") && !all.contains("color: red") && !all.contains("a comment"), "{all}");
}

#[test]
fn pictures_saved_with_the_page_are_figures_others_their_words() {
    let body = format!(
        "<p>{PROSE}</p><figure><img src=\"page_files/foot%20check.jpg?v=2\" alt=\"A mirror\"><figcaption>Use a <em>mirror</em>.</figcaption></figure>\n\
         <p><img src=\"https://cdn.example.org/x.png\" alt=\"A shoe that fits\"></p><img src=\"data:image/png;base64,AAAA\" alt=\"\">"
    );
    let a = page(&article_page(&body));
    assert!(a.blocks.iter().any(|b| matches!(b, Block::Figure { src, alt, caption: Some(_), .. } if src == "page_files/foot check.jpg" && alt == "A mirror")), "{:?}", a.blocks);
    assert!(
        a.blocks.iter().any(
            |b| matches!(b, Block::Paragraph { content, .. } if plain_text(content) == "A shoe that fits")
        )
    );
    let not_saved: Vec<&str> =
        a.removed.iter().filter(|r| r.reason == NOT_SAVED).map(|r| r.text.as_str()).collect();
    assert_eq!(not_saved.len(), 2, "{:?}", a.removed);
    assert!(not_saved.contains(&"A shoe that fits"));
}

#[test]
fn tables_quotes_links_and_code() {
    let body = format!(
        "<p>{PROSE} See <a href=\"https://example.org/a\">this page</a> and <a href=\"javascript:alert(1)\">that</a>.</p>\
         <table><thead><tr><th>What</th><th>Do</th></tr></thead><tbody><tr><td>Cut</td><td>Call <b>today</b></td></tr><tr><td>Dry skin</td></tr></tbody></table>\
         <blockquote><p>Quoted words here.</p></blockquote><pre>line 1\n  line 2</pre><details><summary>More</summary><p>Hidden detail.</p></details>"
    );
    let a = page(&article_page(&body));
    let table = a.blocks.iter().find(|b| matches!(b, Block::Table { .. })).unwrap();
    match table {
        Block::Table { header, rows, .. } => {
            assert_eq!(header.len(), 2);
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[1].len(), 2, "ragged rows are padded");
        }
        _ => unreachable!(),
    }
    assert!(a.blocks.iter().any(|b| matches!(b, Block::Quote { .. })));
    assert!(
        a.blocks.iter().any(|b| matches!(b, Block::CodeBlock { text, .. } if text == "line 1\n  line 2"))
    );
    let json = serde_json::to_string(&a.blocks).unwrap();
    assert!(json.contains("https://example.org/a") && !json.contains("javascript"), "{json}");
    assert!(json.contains("Hidden detail"));
}

#[test]
fn metadata_from_the_head() {
    let html = format!(
        "<html lang=\"es\"><head><meta property=\"og:title\" content=\"Cuidado de los pies - Clínica Sur\">\
         <meta property=\"og:site_name\" content=\"Clínica Sur\"><meta name=\"author\" content=\"Ana Ruiz\">\
         <meta property=\"article:published_time\" content=\"2025-03-14T09:30:00-05:00\">\
         <link rel=\"canonical\" href=\"https://clinica.example.org/pies\"></head><body><article>\
         <p>Revise sus pies todos los días para ver si hay cortes, ampollas, enrojecimiento o hinchazón, y llame a su médico si una llaga no sana en unos días.</p>\
         <p>{PROSE}</p></article></body></html>"
    );
    let a = page(&html);
    assert_eq!(a.meta.title, "Cuidado de los pies");
    assert_eq!(a.meta.author.as_deref(), Some("Ana Ruiz"));
    assert_eq!(a.meta.published.as_deref(), Some("2025-03-14"));
    assert_eq!(a.meta.url.as_deref(), Some("https://clinica.example.org/pies"));
}

#[test]
fn declared_language_loses_to_clear_text() {
    let html = format!(
        "<html lang=\"fr\"><body><article><h1>Feet</h1><p>{PROSE}</p><p>{PROSE}</p></article></body></html>"
    );
    let a = page(&html);
    assert_eq!(a.meta.lang, "en");
    assert!(a.warnings.iter().any(|w| w.message.contains("lang=\"fr\"")), "{:?}", a.warnings);
}

#[test]
fn charsets() {
    let mut bytes =
        b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 | Site</title></head><body><p>".to_vec();
    bytes.extend_from_slice(PROSE.as_bytes());
    bytes.extend_from_slice(b" Caf\xe9.</p></body></html>");
    let a = ingest(Path::new("a.html"), &bytes, &Options::default()).unwrap();
    assert!(serde_json::to_string(&a.blocks).unwrap().contains("Café"));

    let bad = b"<html><head><meta charset=\"klingon\"></head><body><p>caf\xe9</p></body></html>";
    let err = ingest(Path::new("a.html"), bad, &Options::default()).unwrap_err().to_string();
    assert!(err.starts_with("a.html:1: the page declares charset \"klingon\""), "{err}");

    let ok = format!("<html><head><meta charset=\"klingon\"></head><body><p>{PROSE}</p></body></html>");
    let a = ingest(Path::new("a.html"), ok.as_bytes(), &Options::default()).unwrap();
    assert!(a.warnings.iter().any(|w| w.message.contains("klingon")));

    // UTF-16 with a byte-order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("<p>{PROSE}</p>").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert!(ingest(Path::new("a.html"), &utf16, &Options::default()).is_ok());
}

#[test]
fn local_paths() {
    assert_eq!(local_path("page_files/a%20b.png?x=1#y").as_deref(), Some("page_files/a b.png"));
    assert_eq!(local_path("./img/a.png").as_deref(), Some("img/a.png"));
    assert_eq!(local_path("/img/a.png"), None);
    assert_eq!(local_path("https://x.org/a.png"), None);
    assert_eq!(local_path("data:image/png;base64,AA"), None);
    assert_eq!(local_path("//cdn.x.org/a.png"), None);
}

#[test]
fn too_deep_is_an_error_not_a_crash() {
    let html = "<div>".repeat(MAX_DEPTH + 100);
    let err = ingest(Path::new("deep.html"), html.as_bytes(), &Options::default()).unwrap_err().to_string();
    assert!(err.contains("nested more than"), "{err}");
}

#[test]
fn two_line_breaks_start_a_paragraph_and_one_stays_a_break() {
    let body = format!("<div>{PROSE}<br><br>Second paragraph here.<br>Same paragraph, next line.</div>");
    let a = page(&article_page(&body));
    let paragraphs: Vec<&Block> = a.blocks.iter().filter(|b| matches!(b, Block::Paragraph { .. })).collect();
    assert_eq!(paragraphs.len(), 2, "{:?}", a.blocks);
    assert!(
        matches!(paragraphs[1], Block::Paragraph { content, .. } if content.contains(&Inline::LineBreak))
    );
}

#[test]
fn furniture_inside_the_article_goes_to_removed_with_its_kind() {
    let body = format!(
        "<p>{PROSE}</p><div class=\"share-bar\"><a href=\"#\">Facebook</a> <a href=\"#\">Email</a></div>\n\
         <p>By Jane Doe, RN</p><p>{PROSE}</p><h2>Related articles</h2><ul><li><a href=\"/a\">Foot ulcers</a></li></ul>"
    );
    let a = page(&article_page(&body));
    let reasons: Vec<&str> = a.removed.iter().map(|r| r.reason.as_str()).collect();
    assert!(reasons.contains(&"share buttons"), "{reasons:?}");
    assert!(reasons.contains(&"byline"), "{reasons:?}");
    assert!(reasons.contains(&"related links"), "{reasons:?}");
    let text = serde_json::to_string(&a.blocks).unwrap();
    assert!(
        !text.contains("Facebook") && !text.contains("Jane Doe") && !text.contains("Foot ulcers"),
        "{text}"
    );
}

#[test]
fn heading_levels_form_an_outline() {
    let body = format!(
        "<h3>Keep moving</h3><p>{PROSE}</p><h5>Deeper</h5><p>{PROSE}</p><h3>Again</h3><p>{PROSE}</p>"
    );
    let a = page(&article_page(&body));
    let levels: Vec<u8> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
    assert_eq!(levels, [2, 3, 2]);
}

#[test]
fn a_base_on_the_web_makes_relative_pictures_web_pictures() {
    let html = format!(
        "<html><head><base href=\"https://clinic.example.org/a/\"></head><body><article><h1>Feet</h1><p>{PROSE}</p>\
         <p><img src=\"img/foot.png\" alt=\"A foot\"> <a href=\"more.html\">More</a></p></article></body></html>"
    );
    let a = page(&html);
    assert!(!a.blocks.iter().any(|b| matches!(b, Block::Figure { .. })), "{:?}", a.blocks);
    assert!(a.removed.iter().any(|r| r.reason == NOT_SAVED && r.text == "A foot"));
    assert!(serde_json::to_string(&a.blocks).unwrap().contains("https://clinic.example.org/a/more.html"));
}

#[test]
fn a_picture_missing_beside_a_page_on_disk_was_not_saved_with_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("page_files")).unwrap();
    std::fs::write(dir.path().join("page_files/here.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let body = format!(
        "<p>{PROSE}</p><img src=\"page_files/here.png\" alt=\"Here\"><img src=\"page_files/gone.png\" alt=\"Gone\">"
    );
    let path = dir.path().join("page.html");
    std::fs::write(&path, article_page(&body)).unwrap();
    let a = crate::ingest::ingest_file(&path).unwrap();
    assert!(a.blocks.iter().any(|b| matches!(b, Block::Figure { src, .. } if src == "page_files/here.png")));
    assert!(
        a.blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph { content, .. } if plain_text(content) == "Gone"))
    );
    assert!(a.removed.iter().any(|r| r.reason == NOT_SAVED && r.text == "Gone"));
    assert!(a.warnings.iter().any(|w| w.message.contains("page_files/gone.png is not beside the page")));
}

#[test]
fn a_page_whose_title_is_never_closed_still_has_its_body() {
    // Ad code written into the `<title>` without a closing tag: read by the standard,
    // the rest of the page would be the title.
    let page_html = "<html><head><title>Flood relief ' + ad + '\"><\\/SCRIPT>');\n//-->\n</SCRIPT>\n<script>var x = 1;</script>\n<div><h1>Flood relief reaches the valley</h1><p>Relief crews reached the flooded valley on Tuesday, bringing water, food and blankets to the families whose homes were swamped.</p><p>More help is expected this week, officials said.</p></div></body></html>";
    let article = page(page_html);
    let text: Vec<String> = article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content, .. } => Some(plain_text(content)),
            _ => None,
        })
        .collect();
    assert!(text.iter().any(|t| t.starts_with("Relief crews reached")), "{text:?} {:?}", article.warnings);
}

#[test]
fn of_two_h1_in_the_article_the_title_is_the_one_the_title_tag_names() {
    let html = format!(
        "<html><head><title>Valley Herald : Flood relief reaches the valley</title></head><body>\
         <div><h1>Nation</h1><div><h1>Flood relief reaches the valley</h1><p>{PROSE}</p><p>{PROSE}</p></div></div>\
         </body></html>"
    );
    assert_eq!(page(&html).meta.title, "Flood relief reaches the valley");
}

#[test]
fn a_paragraph_that_opens_with_a_bullet_sign_is_kept() {
    // The box's first text is "•": its label is the words after it, not a separator.
    let body =
        format!("<p>{PROSE}</p><p><span class=\"dot\">•</span> Eat more fruit</p><p>★ Drink water</p>");
    let a = page(&article_page(&body));
    let text = serde_json::to_string(&a.blocks).unwrap();
    assert!(text.contains("Eat more fruit") && text.contains("Drink water"), "{text} {:?}", a.removed);
}

mod word;
