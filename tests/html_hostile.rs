//! Hostile saved pages: deep nesting, a huge attribute, a big page, bad charsets, binary
//! data, misnested tags. Each gives a clean article or a clear error naming the file,
//! never a panic or a hang, and time grows linearly with the page.

use std::path::Path;
use std::time::{Duration, Instant};

use handouts::ingest::ingest_bytes;

const PROSE: &str = "<p>Check your feet every day for cuts, blisters, redness or swelling, and call your \
    doctor if a sore does not heal in a few days, because small wounds can turn into infections.</p>\n";

/// The fastest of three runs: the machine is shared, and one slow run is noise.
fn fastest(name: &str, bytes: &[u8]) -> Duration {
    (0..3).map(|_| ingest(name, bytes).1).min().unwrap_or_default()
}

fn ingest(name: &str, bytes: &[u8]) -> (Result<handouts::model::Article, handouts::Error>, Duration) {
    let started = Instant::now();
    let result = ingest_bytes(Path::new(name), bytes);
    (result, started.elapsed())
}

#[test]
fn a_hundred_thousand_nested_divs_is_a_clear_error_at_once() {
    let mut page = String::from("<html><body>\n");
    page.push_str(&"<div>".repeat(100_000));
    page.push_str(PROSE);
    let (result, took) = ingest("deep.html", page.as_bytes());
    let err = result.unwrap_err().to_string();
    assert!(err.starts_with("deep.html:2: elements nested more than 512 deep"), "{err}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn nesting_just_under_the_limit_reads() {
    let page = format!("<html><body>{}<h1>Deep</h1>{PROSE}{PROSE}</body></html>", "<div>".repeat(400));
    let (result, _) = ingest("deep.html", page.as_bytes());
    let article = result.unwrap();
    assert_eq!(article.meta.title, "Deep");
    assert_eq!(article.blocks.len(), 2);
}

#[test]
fn misnested_and_unclosed_tags_read() {
    let page = format!(
        "<html><body><article><h1>Soup</h1><p><b><i>bold italic</b> italic</i><table><tr><td>{}<ul><li>one<li>two</ul>{}",
        PROSE, PROSE
    );
    let (result, _) = ingest("soup.html", page.as_bytes());
    let article = result.unwrap();
    assert!(!article.blocks.is_empty());
}

#[test]
fn a_huge_attribute_is_read_and_dropped() {
    let page = format!(
        "<html><body><article class=\"{}\"><h1>Big</h1>{PROSE}<img src=\"data:image/png;base64,{}\" alt=\"x\"></article></body></html>",
        "a".repeat(5_000_000),
        "A".repeat(5_000_000)
    );
    let (result, took) = ingest("attr.html", page.as_bytes());
    let article = result.unwrap();
    assert_eq!(article.meta.title, "Big");
    let json = serde_json::to_string(&article).unwrap();
    assert!(json.len() < 10_000, "the attribute does not reach any output ({} bytes)", json.len());
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn bad_charsets_and_binary_data() {
    let (result, _) = ingest("bad.html", b"<meta charset=\"x-klingon\"><p>caf\xe9</p>");
    assert_eq!(
        result.unwrap_err().to_string(),
        "bad.html:1: the page declares charset \"x-klingon\", which is not an encoding, and it is not UTF-8; save the page as UTF-8"
    );
    let (result, _) = ingest("bin.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert!(result.unwrap_err().to_string().starts_with("bin.html: binary data (NUL byte at byte offset 8)"));
    let (result, _) = ingest("empty.html", b"");
    assert_eq!(result.unwrap_err().to_string(), "empty.html: file is empty");
    // Declared UTF-8, but not: the bad bytes show as U+FFFD with a warning.
    let mut bytes = b"<meta charset=\"utf-8\"><h1>Title</h1>".to_vec();
    bytes.extend_from_slice(PROSE.as_bytes());
    bytes.extend_from_slice(b"<p>caf\xe9 and more words to make it a paragraph of text.</p>");
    let (result, _) = ingest("mixed.html", &bytes);
    let article = result.unwrap();
    assert!(article.warnings.iter().any(|w| w.message.contains("not valid UTF-8")), "{:?}", article.warnings);
}

#[test]
fn a_page_of_no_text_is_an_article_with_a_warning_not_a_crash() {
    for page in [
        "<html></html>",
        "<script>x</script>",
        "<!-- only a comment -->",
        "   ",
        "<p>&#0;&#xD800;&#x110000;</p>",
    ] {
        let (result, _) = ingest("nothing.html", page.as_bytes());
        if let Ok(article) = result {
            assert!(article.blocks.len() <= 1, "{page}: {:?}", article.blocks);
        }
    }
}

/// Time per byte for a small and a 16 times larger page: linear within a wide margin
/// (the machine is shared), and a few MiB in well under the test's budget.
#[test]
fn time_grows_linearly_with_the_page() {
    let unit = format!(
        "<div class=\"post\"><h2>Part</h2>{PROSE}<ul><li><a href=\"/x\">link</a></li><li>item text</li></ul><table><tr><td>a</td><td>b</td></tr></table></div>\n"
    );
    let page = |n: usize| format!("<html><body><main>{}</main></body></html>", unit.repeat(n));
    let small = page(500);
    let large = page(8_000);
    let (result_small, _) = ingest("small.html", small.as_bytes());
    let t_small = fastest("small.html", small.as_bytes());
    let (result_large, t_large) = ingest("large.html", large.as_bytes());
    assert!(result_small.is_ok() && result_large.is_ok());
    let per_byte_small = t_small.as_secs_f64() / small.len() as f64;
    let per_byte_large = t_large.as_secs_f64() / large.len() as f64;
    assert!(
        per_byte_large < per_byte_small * 4.0,
        "{} KiB in {t_small:?}, {} KiB in {t_large:?}",
        small.len() / 1024,
        large.len() / 1024
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Any mix of tags, attributes, entities, text and broken bytes reads without a
    /// panic, and whatever it gives has no script text in it.
    #[test]
    fn any_tag_soup_reads_without_panicking(parts in proptest::collection::vec(proptest::prop_oneof![
        proptest::strategy::Just("<div>".to_string()), proptest::strategy::Just("</div>".to_string()),
        proptest::strategy::Just("<p>".to_string()), proptest::strategy::Just("<ul><li>".to_string()),
        proptest::strategy::Just("<table><tr><td>".to_string()), proptest::strategy::Just("</td></tr></table>".to_string()),
        proptest::strategy::Just("<h1>".to_string()), proptest::strategy::Just("<h3 class=\"related\">".to_string()),
        proptest::strategy::Just("<nav>".to_string()), proptest::strategy::Just("<article>".to_string()),
        proptest::strategy::Just("<img src=\"a b.png\" alt=\"x\">".to_string()), proptest::strategy::Just("<br>".to_string()),
        proptest::strategy::Just("<script>SECRET()</script>".to_string()), proptest::strategy::Just("<b><i>".to_string()),
        proptest::strategy::Just("&amp;&#0;&#xFFFFFF;&bogus;".to_string()), proptest::strategy::Just("<!-- c".to_string()),
        proptest::strategy::Just("<meta charset=\"latin1\">".to_string()), proptest::strategy::Just("<pre>".to_string()),
        "[a-zA-Z ,.]{0,40}",
    ], 0..60)) {
        let page = parts.concat();
        if let Ok(article) = ingest_bytes(Path::new("soup.html"), page.as_bytes()) {
            let json = serde_json::to_string(&article).unwrap();
            proptest::prop_assert!(!json.contains("SECRET"), "{}", json);
        }
    }
}

/// Twenty thousand sibling blocks of prose with no article markup: each could join the
/// article, and the page still reads in linear time.
#[test]
fn many_sibling_candidates_stay_linear() {
    let unit = format!("<div class=\"x\">{PROSE}{PROSE}</div>\n");
    let page = |n: usize| format!("<html><body><div id=\"wrap\">{}</div></body></html>", unit.repeat(n));
    let (small, large) = (page(1_000), page(16_000));
    let (result_small, _) = ingest("small.html", small.as_bytes());
    let t_small = fastest("small.html", small.as_bytes());
    let (result_large, t_large) = ingest("large.html", large.as_bytes());
    assert!(result_small.is_ok() && result_large.is_ok());
    let ratio = (t_large.as_secs_f64() / large.len() as f64) / (t_small.as_secs_f64() / small.len() as f64);
    assert!(
        ratio < 4.0,
        "{t_small:?} for {} KiB, {t_large:?} for {} KiB",
        small.len() / 1024,
        large.len() / 1024
    );
}

/// A page from Word: list paragraphs with their markers in conditional comments, nested
/// levels, pictures with captions; many of them, and conditional comments that never
/// end. Linear, like any page.
#[test]
fn a_long_word_document_stays_linear() {
    let item = |level: u8, marker: &str| {
        format!(
            "<p class=MsoListParagraphCxSpMiddle style='margin-left:{level}.0in;text-indent:-.25in;mso-list:l0 level{level} lfo1'>\
             <![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>{marker}<span \
             style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span></span><![endif]>Take a short walk after each meal.<o:p></o:p></p>\n"
        )
    };
    let unit = format!(
        "<h1>Part<o:p></o:p></h1>\n{PROSE}{}{}{}<p class=MsoNormal><![if !vml]><img src=\"a_files/image002.jpg\" alt=\"A walk\"><![endif]></p>\n\
         <p class=MsoCaption>Figure 1. A walk</p>\n<![if !supportLists]><span>·</span>\n<![if !supportLineBreakNewLine]><br>\n",
        item(1, "·"),
        item(2, "o"),
        item(3, "§")
    );
    let page = |n: usize| {
        format!(
            "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta name=Generator content=\"Microsoft Word 15\"></head>\
             <body><div class=WordSection1><p class=MsoTitle>Walking</p>\n{}</div></body></html>",
            unit.repeat(n)
        )
    };
    let (small, large) = (page(500), page(8_000));
    let (result_small, _) = ingest("small.htm", small.as_bytes());
    let t_small = fastest("small.htm", small.as_bytes());
    let (result_large, t_large) = ingest("large.htm", large.as_bytes());
    let article = result_large.unwrap();
    assert!(result_small.is_ok());
    assert_eq!(article.meta.title, "Walking");
    assert!(article.blocks.iter().any(|b| matches!(b, handouts::model::Block::List { .. })));
    let ratio = (t_large.as_secs_f64() / large.len() as f64) / (t_small.as_secs_f64() / small.len() as f64);
    assert!(
        ratio < 4.0,
        "{t_small:?} for {} KiB, {t_large:?} for {} KiB",
        small.len() / 1024,
        large.len() / 1024
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Word's pieces in any order (list paragraphs of any level, markers, spacers,
    /// conditional comments that open and never close, titles, captions, pictures):
    /// no panic, and no marker part or comment text in what is printed.
    #[test]
    fn any_word_soup_reads_without_panicking(parts in proptest::collection::vec(proptest::prop_oneof![
        proptest::strategy::Just("<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'>".to_string()),
        proptest::strategy::Just("<p class=MsoListParagraph style='margin-left:1.5in;mso-list:l1 level9 lfo2'>".to_string()),
        proptest::strategy::Just("<p class=MsoNormal style='margin-left:2.0in'>".to_string()),
        proptest::strategy::Just("<p class=MsoNormal>&nbsp;</p>".to_string()),
        proptest::strategy::Just("<![if !supportLists]>".to_string()), proptest::strategy::Just("<![endif]>".to_string()),
        proptest::strategy::Just("<!--[if !supportLists]-->".to_string()), proptest::strategy::Just("<!--[endif]-->".to_string()),
        proptest::strategy::Just("<![if !supportLineBreakNewLine]><br>".to_string()),
        proptest::strategy::Just("<span style='mso-list:Ignore'>1.</span>".to_string()),
        proptest::strategy::Just("<span style='font:7.0pt \"Times New Roman\"'>&nbsp;</span>".to_string()),
        proptest::strategy::Just("<p class=MsoTitle>".to_string()), proptest::strategy::Just("<p class=MsoCaption>".to_string()),
        proptest::strategy::Just("<h1 style='mso-list:l0 level1 lfo1'>".to_string()), proptest::strategy::Just("</p>".to_string()),
        proptest::strategy::Just("<img src=\"a_files/image001.png\" alt=\"x\">".to_string()),
        proptest::strategy::Just("<table><tr><td>".to_string()), proptest::strategy::Just("</td></tr></table>".to_string()),
        proptest::strategy::Just("<o:p></o:p>".to_string()), proptest::strategy::Just("·".to_string()),
        proptest::strategy::Just("iv.".to_string()),
        "[a-zA-Z ,.]{0,40}",
    ], 0..60)) {
        let page = format!("<html><head><meta name=Generator content=\"Microsoft Word 15\"></head><body>{}</body></html>", parts.concat());
        if let Ok(article) = ingest_bytes(Path::new("word.htm"), page.as_bytes()) {
            let json = serde_json::to_string(&article.blocks).unwrap();
            proptest::prop_assert!(!json.contains("supportLists") && !json.contains("endif"), "{}", json);
        }
    }
}
