//! Hostile and broken input through every output (issue 7): each case is ingested,
//! analyzed, typeset to a PDF and compiled into the EPUB, and must come out literally (PDF
//! text extraction) and escaped (EPUB XHTML), without tofu, overflow or a crash. Then the
//! file system: symlinks out of `content/`, oversized files, an unwritable `--out`.

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

static LABELS: std::sync::LazyLock<handouts::labels::LabelTable> =
    std::sync::LazyLock::new(handouts::labels::LabelTable::builtin);

use handouts::analyze::{WordLists, analyze};
use handouts::config::Config;
use handouts::epub::{EpubSettings, build_epub};
use handouts::ingest::{discover, discover_all, ingest_bytes, ingest_file, ingest_file_limited};
use handouts::model::Article;
use handouts::typeset::{Pdf, Typesetter, Variant};

fn config() -> Config {
    common::repo_config(Path::new("content"), Path::new("out"))
}

/// Loading fonts and templates once keeps the file's many compiles fast.
static TYPESETTER: LazyLock<Typesetter> =
    LazyLock::new(|| Typesetter::new(&config()).expect("typesetter loads"));

/// One hostile article through all outputs.
struct Built {
    article: Article,
    pdf: Pdf,
    /// PDF text, whitespace collapsed.
    text: String,
    fonts: Vec<String>,
    /// The article's page in the EPUB.
    xhtml: String,
}

fn ingest(name: &str, source: &str) -> Article {
    let mut article = ingest_bytes(Path::new(name), source.as_bytes())
        .unwrap_or_else(|err| panic!("{name} does not ingest: {err}"));
    analyze(&mut article, &WordLists::builtin());
    article
}

fn build(name: &str, source: &str) -> Built {
    build_article(ingest(name, source), Variant::Regular)
}

fn build_article(article: Article, variant: Variant) -> Built {
    let pdf = TYPESETTER
        .typeset_pdf(&article, variant)
        .unwrap_or_else(|err| panic!("{} does not typeset: {err}", article.source));
    // HOSTILE_PDF_DIR=dir keeps the PDFs, to look at them.
    if let Some(dir) = std::env::var_os("HOSTILE_PDF_DIR") {
        let name = format!("{}{}.pdf", article.id, variant.suffix());
        std::fs::write(Path::new(&dir).join(name), &pdf.bytes).expect("PDF written");
    }
    let raw = pdf_extract::extract_text_from_mem(&pdf.bytes).expect("PDF text extracts");
    let xhtml = epub_page(&article);
    let built = Built {
        text: common::collapse_whitespace(&raw),
        fonts: common::pdf_fonts(&pdf.bytes),
        pdf,
        article,
        xhtml,
    };
    // Whatever the case, nothing may run off the page.
    built.assert_within_margins();
    built
}

fn epub_settings(config: &Config) -> EpubSettings<'_> {
    EpubSettings {
        collection: &config.collection,
        brand: &config.brand,
        source_date_epoch: None,
        labels: &LABELS,
        catalogue: None,
        logo: None,
        part_size: handouts::epub::PART_SIZE,
    }
}

fn epub_page(article: &Article) -> String {
    let config = config();
    let epub = build_epub(std::slice::from_ref(article), &epub_settings(&config))
        .unwrap_or_else(|err| panic!("{}: no EPUB: {err}", article.source));
    read_entry(&epub, &format!("OEBPS/{}.xhtml", article.id))
}

fn read_entry(epub: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("EPUB is a zip");
    let mut entry = archive.by_name(name).unwrap_or_else(|err| panic!("{name}: {err}"));
    let mut out = String::new();
    entry.read_to_string(&mut out).expect("UTF-8 entry");
    out
}

/// `text` as the EPUB writes it in element content.
fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

impl Built {
    fn assert_pdf_has(&self, literal: &str) {
        assert!(self.text.contains(literal), "{literal:?} is not in the PDF text: {}", self.text);
    }

    /// Like [`Self::assert_pdf_has`], ignoring whitespace: the extractor puts a space
    /// wherever the font changes within a line, as between kana and kanji.
    fn assert_pdf_has_letters(&self, literal: &str) {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(
            squeeze(&self.text).contains(&squeeze(literal)),
            "{literal:?} is not in the PDF text: {}",
            self.text
        );
    }

    /// Whitespace runs count as one space: Markdown keeps them, HTML renders them so.
    fn assert_epub_has(&self, literal: &str) {
        let escaped = common::collapse_whitespace(&xml_escaped(literal));
        let page = common::collapse_whitespace(&self.xhtml);
        assert!(page.contains(&escaped), "{escaped:?} is not in the EPUB page:\n{}", self.xhtml);
    }

    fn assert_everywhere(&self, literal: &str) {
        self.assert_pdf_has(literal);
        self.assert_epub_has(literal);
    }

    fn assert_font(&self, name: &str) {
        assert!(self.fonts.iter().any(|f| f.contains(name)), "{name} not embedded: {:?}", self.fonts);
    }

    /// No glyph is the .notdef glyph (CID 0 in typst's Identity-H fonts): that is tofu.
    fn assert_no_tofu(&self) {
        let shown = shown_glyphs(&self.pdf.bytes);
        assert!(!shown.is_empty(), "no text shown");
        assert!(!shown.contains(&0), "a .notdef glyph (tofu) is shown; fonts: {:?}", self.fonts);
    }

    /// Every text run ends inside the page's side margins (20 mm, less a little slack): a
    /// word that did not wrap runs past the right margin, off the paper.
    fn assert_within_margins(&self) {
        let margin = 20.0 * 72.0 / 25.4 - 3.0;
        for (page, width, runs) in text_runs(&self.pdf.bytes) {
            for (start, end) in runs {
                assert!(
                    start >= margin && end <= width - margin,
                    "page {page}: text from x = {start:.1} to {end:.1} pt on a page {width:.1} pt wide"
                );
            }
        }
    }
}

/// One page's number, width and the horizontal extent (start, end) of each text run.
type PageRuns = (u32, f64, Vec<(f64, f64)>);

/// For each page: its number, its width, and the horizontal extent (in points) of every
/// text-showing operation. Enough of a PDF interpreter for what typst writes: each run is
/// `q … cm BT /fN size Tf … Tm [..] TJ ET Q` in a Type0 font with a `W` width array.
fn text_runs(pdf: &[u8]) -> Vec<PageRuns> {
    type Matrix = [f64; 6];
    fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
        [
            m[0] * n[0] + m[1] * n[2],
            m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4],
            m[4] * n[1] + m[5] * n[3] + n[5],
        ]
    }
    let number = |o: &lopdf::Object| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64));
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let deref = |o: &lopdf::Object| -> lopdf::Object {
        match o {
            lopdf::Object::Reference(id) => document.get_object(*id).expect("reference resolves").clone(),
            other => other.clone(),
        }
    };
    let mut out = Vec::new();
    for (page_number, page_id) in document.get_pages() {
        let page = document.get_dictionary(page_id).expect("page dictionary");
        let media = deref(page.get(b"MediaBox").expect("MediaBox"));
        let media: Vec<f64> =
            media.as_array().expect("MediaBox array").iter().map(|o| number(o).unwrap()).collect();
        // Glyph widths (per 1000 em) of each font resource, from its descendant's W array.
        let mut widths: HashMap<Vec<u8>, (f64, HashMap<u16, f64>)> = HashMap::new();
        for (name, font) in document.get_page_fonts(page_id).expect("page fonts") {
            let descendant = font
                .get(b"DescendantFonts")
                .map(&deref)
                .and_then(|a| Ok(deref(&a.as_array()?[0])))
                .expect("a Type0 font");
            let descendant = descendant.as_dict().expect("CIDFont dictionary");
            let default = descendant.get(b"DW").ok().and_then(|o| number(o).ok()).unwrap_or(1000.0);
            let mut map = HashMap::new();
            if let Ok(w) = descendant.get(b"W") {
                let w = deref(w);
                let items = w.as_array().expect("W array");
                let mut i = 0;
                while i < items.len() {
                    let first = number(&items[i]).unwrap() as u16;
                    match deref(&items[i + 1]) {
                        lopdf::Object::Array(list) => {
                            for (k, width) in list.iter().enumerate() {
                                map.insert(first + k as u16, number(width).unwrap());
                            }
                            i += 2;
                        }
                        last => {
                            let last = number(&last).unwrap() as u16;
                            let width = number(&items[i + 2]).unwrap();
                            for cid in first..=last {
                                map.insert(cid, width);
                            }
                            i += 3;
                        }
                    }
                }
            }
            widths.insert(name, (default, map));
        }
        let content = document.get_and_decode_page_content(page_id).expect("page content");
        let mut stack: Vec<Matrix> = vec![[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]];
        let (mut font, mut size, mut tm) = (Vec::new(), 0.0, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let mut runs = Vec::new();
        for op in content.operations {
            let operands: Vec<f64> = op.operands.iter().filter_map(|o| number(o).ok()).collect();
            match op.operator.as_str() {
                "q" => stack.push(*stack.last().unwrap()),
                "Q" => {
                    stack.pop();
                }
                "cm" if operands.len() == 6 => {
                    let m: Matrix = operands.clone().try_into().unwrap();
                    let top = stack.last_mut().unwrap();
                    *top = multiply(&m, top);
                }
                "Tf" => {
                    font = op.operands[0].as_name().unwrap_or_default().to_vec();
                    size = operands.first().copied().unwrap_or(0.0);
                }
                "Tm" if operands.len() == 6 => tm = operands.clone().try_into().unwrap(),
                "TJ" | "Tj" => {
                    let (default, map) = &widths[&font];
                    let mut advance = 0.0;
                    let items = match &op.operands[0] {
                        lopdf::Object::Array(items) => items.clone(),
                        other => vec![other.clone()],
                    };
                    for item in &items {
                        match item {
                            lopdf::Object::String(bytes, _) => {
                                for pair in bytes.chunks(2) {
                                    let cid = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                                    advance += map.get(&cid).unwrap_or(default) / 1000.0 * size;
                                }
                            }
                            other => advance -= number(other).unwrap_or(0.0) / 1000.0 * size,
                        }
                    }
                    let m = multiply(&tm, stack.last().unwrap());
                    let (x0, x1) = (m[4], m[4] + m[0] * advance);
                    runs.push((x0.min(x1), x0.max(x1)));
                }
                _ => {}
            }
        }
        out.push((page_number, media[2] - media[0], runs));
    }
    out
}

/// Glyph ids of every text-showing operation on every page and in every form XObject.
/// typst embeds each font as a Type0 font with Identity-H encoding: two bytes per glyph.
fn shown_glyphs(pdf: &[u8]) -> Vec<u16> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let type3 = document
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .any(|d| d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Type3"));
    assert!(!type3, "a Type3 font: glyph ids would not be two bytes each");
    let mut streams: Vec<Vec<u8>> = Vec::new();
    for page in document.get_pages().values() {
        streams.push(document.get_page_content(*page).expect("page content decodes"));
    }
    for object in document.objects.values() {
        if let Ok(stream) = object.as_stream()
            && stream.dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Form")
        {
            streams.push(stream.decompressed_content().unwrap_or_else(|_| stream.content.clone()));
        }
    }
    let mut glyphs = Vec::new();
    for bytes in streams {
        let content = lopdf::content::Content::decode(&bytes).expect("content stream decodes");
        for op in content.operations {
            let strings: Vec<&[u8]> = match op.operator.as_str() {
                "Tj" | "'" | "\"" => op.operands.iter().filter_map(|o| o.as_str().ok()).collect(),
                "TJ" => op
                    .operands
                    .iter()
                    .filter_map(|o| o.as_array().ok())
                    .flatten()
                    .filter_map(|o| o.as_str().ok())
                    .collect(),
                _ => continue,
            };
            for string in strings {
                glyphs.extend(
                    string.chunks(2).map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)])),
                );
            }
        }
    }
    glyphs
}

// ------------------------------------------------------------------ markup and characters

#[test]
fn typst_syntax_in_markdown_prints_literally() {
    let source = "---\ntitle: \"#set text(red) = $x$\"\n---\n\
        ## Heading with #let x = 1 and $y$\n\n\
        Paragraph: #set page(width: 1pt) then #read(\"/etc/passwd\") then #{ 1 + 1 } and @cite and <label>.\n\n\
        - Item #import \"@preview/cetz:0.3.0\": *\n\
        - Item = not a heading and // not a comment /* nor this */\n\n\
        | #table() | $z$ |\n|---|---|\n| #box[] | ] [ |\n\n\
        Code `#raw(\"x\")` inline.\n";
    let built = build("content/typst.md", source);
    for literal in [
        "#set text(red) = $x$",
        "Heading with #let x = 1 and $y$",
        "#set page(width: 1pt) then #read(\"/etc/passwd\") then #{ 1 + 1 } and @cite and <label>.",
        "Item #import \"@preview/cetz:0.3.0\": *",
        "= not a heading and // not a comment /* nor this */",
        "#table()",
        "#box[]",
        "#raw(\"x\")",
    ] {
        built.assert_everywhere(literal);
    }
    assert!(!built.text.contains("root:x:0"));
    assert!(built.pdf.pages <= 2, "{} pages", built.pdf.pages);
    built.assert_no_tofu();
}

#[test]
fn html_and_xml_print_literally_and_are_escaped_in_the_epub() {
    let source = "HTML and XML\n\n\
        Markup: <script>alert('x')</script> <img src=x onerror=alert(1)> </body></html>.\n\n\
        XML: <![CDATA[ data ]]> and ]]> and <?xml version=\"1.0\"?> and <!DOCTYPE html> and <!-- c -->.\n\n\
        Entities: & and &amp; and &lt;b&gt; and &#x41; and &nbsp; stay as typed.\n";
    for name in ["content/html.txt", "content/html.md"] {
        let built = build(name, source);
        for literal in [
            "<script>alert('x')</script>",
            "<img src=x onerror=alert(1)>",
            "<![CDATA[ data ]]> and ]]> and <?xml version=\"1.0\"?>",
        ] {
            built.assert_everywhere(literal);
        }
        assert!(!built.xhtml.contains("<script"), "{name}: raw <script> in the EPUB");
        assert!(!built.xhtml.contains("<img src=x"), "{name}");
        if name.ends_with(".txt") {
            // Plain text is printed exactly as typed, entity spellings included.
            built.assert_everywhere("& and &amp; and &lt;b&gt; and &#x41; and &nbsp; stay as typed.");
        } else {
            // Markdown resolves entities, as CommonMark says: `&amp;` is how one writes `&`.
            built.assert_everywhere("& and & and <b> and A and");
        }
        built.assert_no_tofu();
    }
}

#[test]
fn control_characters_never_reach_the_outputs() {
    let source = "Control characters\n\n\
        Bell\u{7}here, escape \u{1b}[31mred\u{1b}[0m, form\u{c}feed, vertical\u{b}tab, next\u{85}line, \
        delete\u{7f}char and a C1\u{9b}csi.\n";
    for name in ["content/controls.txt", "content/controls.md"] {
        let built = build(name, source);
        built.assert_everywhere("Bell here, escape [31mred [0m, form feed, vertical tab, next line");
        built.assert_everywhere("delete char and a C1 csi.");
        let json = serde_json::to_string(&built.article).unwrap();
        for c in ['\u{7}', '\u{1b}', '\u{c}', '\u{b}', '\u{85}', '\u{7f}', '\u{9b}'] {
            assert!(!json.contains(c), "{name}: {c:?} reached the model");
            assert!(!built.text.contains(c) && !built.xhtml.contains(c), "{name}: {c:?} in an output");
        }
        built.assert_no_tofu();
    }
}

#[test]
fn nul_bytes_are_refused_with_a_clear_message() {
    let err = ingest_bytes(Path::new("content/a.txt"), b"Title\n\nText\0more.").unwrap_err();
    assert_eq!(
        err.to_string(),
        "content/a.txt: binary data (NUL byte at byte offset 11); articles must be UTF-8 text"
    );
}

#[test]
fn bidi_overrides_are_kept_and_flagged() {
    // U+202E (right-to-left override) makes "01" display as "10": a dose that reads
    // differently from what was typed. The text is kept; a warning names the line.
    let source = "Bidi\n\nTake \u{202E}01\u{202C} mg daily, and \u{2067}isolated\u{2069} text.\n";
    let built = build("content/bidi.txt", source);
    // The override's invisible glyph shares the space glyph, so in viewers without
    // ActualText support (pdf-extract among them) spaces may extract as U+202E: check words.
    let words = common::words(&built.text);
    for word in ["take", "mg", "daily", "and", "isolated", "text"] {
        assert!(words.iter().any(|w| w == word), "{word} not in {}", built.text);
    }
    built.assert_epub_has("Take \u{202E}01\u{202C} mg daily");
    let warning = built
        .article
        .warnings
        .iter()
        .find(|w| w.message.contains("bidirectional"))
        .unwrap_or_else(|| panic!("no bidi warning: {:?}", built.article.warnings));
    assert_eq!(warning.line, Some(3));
    built.assert_no_tofu();
}

#[test]
fn emoji_and_zero_width_characters_render() {
    let source = "Emoji\n\n\
        Family 👨\u{200D}👩\u{200D}👧 and thumbs 👍🏽 and heart ❤\u{FE0F} and pill 💊 and 😀.\n\n\
        Zero\u{200B}width space, join\u{200D}er, non\u{200C}joiner and soft\u{AD}hyphen.\n";
    let built = build("content/emoji.txt", source);
    built.assert_font("NotoEmoji");
    for literal in ["💊", "😀", "Family", "and thumbs"] {
        built.assert_everywhere(literal);
    }
    built.assert_epub_has("Family 👨\u{200D}👩\u{200D}👧");
    built.assert_no_tofu();
}

#[test]
fn greek_cyrillic_arabic_hebrew_and_cjk_fall_back_to_fonts_that_have_them() {
    let source = std::fs::read_to_string("tests/fixtures/robust/world-scripts.txt").unwrap();
    let built = build("tests/fixtures/robust/world-scripts.txt", &source);
    for font in
        ["AtkinsonHyperlegible", "NotoSans-Regular", "NotoSansArabic", "NotoSansHebrew", "DroidSansFallback"]
    {
        built.assert_font(font);
    }
    for literal in [
        "Η χημειοθεραπεία βοηθά.",
        "Химиотерапия помогает.",
        "化疗可以帮助控制癌症。",
        "化学療法はがんを抑えるのに役立ちます。",
        "항암 치료가 도움이 됩니다.",
        "Hóa trị giúp kiểm soát ung thư.",
    ] {
        built.assert_pdf_has_letters(literal);
        built.assert_epub_has(literal);
    }
    // Right-to-left text is written in visual order; the extractor may return it either
    // way round, so the check is on the letters of each word.
    for word in ["الكيميائي", "כימותרפיה"] {
        let reversed: String = word.chars().rev().collect();
        assert!(built.text.contains(word) || built.text.contains(&reversed), "{word} not in {}", built.text);
        built.assert_epub_has(word);
    }
    // Scripts without capitals still get headings.
    let headings: Vec<String> = built
        .article
        .blocks
        .iter()
        .filter_map(|b| match b {
            handouts::model::Block::Heading { content, .. } => Some(handouts::model::plain_text(content)),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        ["Ελληνικά", "Русский", "العربية", "עברית", "中文", "日本語", "한국어", "Tiếng Việt"]
    );
    built.assert_no_tofu();
    // Bold headings in Greek and Cyrillic use Noto Sans Bold, not a synthesized weight.
    built.assert_font("NotoSans-Bold");
}

// ------------------------------------------------------------------ size and shape

#[test]
fn very_long_words_and_urls_wrap_inside_the_page() {
    let word: String = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(7).chars().take(300).collect();
    let url =
        format!("https://example.org/{}?query={}", "a/very-long-path_segment".repeat(8), "x".repeat(120));
    let source = format!(
        "Long words\n\nA word of 300 letters: {word}.\n\nA bare URL: {url}\n\n\
         A [linked URL]({url}) and <{url}> as an autolink.\n"
    );
    for variant in [Variant::Regular, Variant::LargePrint] {
        let built = build_article(ingest("content/long.md", &source), variant);
        let squeezed: String = built.text.split_whitespace().collect();
        for literal in [&word, &url] {
            let literal: String =
                literal.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect();
            let found: String = squeezed.chars().filter(|c| *c != '\u{200B}').collect();
            assert!(found.contains(&literal), "{variant:?}: {literal} not in {}", built.text);
        }
        built.assert_within_margins();
        assert!(built.pdf.pages <= 4, "{variant:?}: {} pages", built.pdf.pages);
        built.assert_epub_has(&word);
        built.assert_no_tofu();
    }
}

#[test]
fn a_list_of_500_items_typesets() {
    let mut source = String::from("Five hundred steps\n\nDo these things in order:\n");
    for n in 1..=500 {
        source.push_str(&format!("{n}. Step number {n} of the plan.\n"));
    }
    let built = build("content/list.txt", &source);
    let lists: Vec<usize> = built
        .article
        .blocks
        .iter()
        .filter_map(|b| match b {
            handouts::model::Block::List { items, .. } => Some(items.len()),
            _ => None,
        })
        .collect();
    // Numbers of more than three digits are not list markers ("2026. Year"), so the
    // list is 1..=500 in one piece.
    assert_eq!(lists, [500]);
    built.assert_pdf_has("Step number 1 of the plan.");
    built.assert_pdf_has("Step number 500 of the plan.");
    assert!(built.text.contains("500"), "the last item's number is printed");
    assert!((8..=40).contains(&built.pdf.pages), "{} pages", built.pdf.pages);
    assert_eq!(built.xhtml.matches("<li>").count() + built.xhtml.matches("<li ").count(), 500);
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[test]
fn a_200_page_article_finishes_in_bounded_time_and_memory() {
    let paragraph = "Your care team will check how the treatment is working with scans and blood tests, \
        and they will change the plan if the cancer grows or if the side effects are too hard to live with. ";
    let mut source = String::from("A very long article\n\n");
    for section in 1..=400 {
        source.push_str(&format!("Part {section} of the plan\n\n"));
        for _ in 0..4 {
            source.push_str(&paragraph.repeat(2));
            source.push_str("\n\n");
        }
    }
    let started = Instant::now();
    let article = ingest("content/long-article.txt", &source);
    let ingested = started.elapsed();
    let built = build_article(article, Variant::Regular);
    let elapsed = started.elapsed();
    let peak = peak_rss_mib();
    eprintln!(
        "200-page article: {} words, {} pages, PDF {} KiB; ingest {:.2?}, all outputs {:.2?}; peak RSS {} MiB",
        source.split_whitespace().count(),
        built.pdf.pages,
        built.pdf.bytes.len() / 1024,
        ingested,
        elapsed,
        peak.map_or("?".into(), |p| p.to_string())
    );
    // About 200 pages as designed; the fitting policy may tighten the spacing to save a
    // nearly empty last page (`typeset::fit`), which sets it on about a tenth fewer.
    assert!(built.pdf.pages >= 170, "{} pages", built.pdf.pages);
    built.assert_pdf_has(&format!("Page {} of {}", built.pdf.pages, built.pdf.pages));
    built.assert_pdf_has("Part 400 of the plan");
    // Generous bounds for a shared, unoptimized test build; a release build is far faster.
    assert!(elapsed.as_secs() < 240, "took {elapsed:?}");
    if let Some(peak) = peak {
        assert!(peak < 4096, "peak RSS {peak} MiB");
    }
}

/// A file holding only front matter would print a handout with a title and nothing else
/// and a blank page in the EPUB: it is an error naming the file and the line to write on.
#[test]
fn an_article_of_only_front_matter_is_an_error_naming_the_file() {
    for (name, source, line) in [
        ("content/empty.md", "---\ntitle: Nothing yet\nlang: en\n---\n", 4),
        ("content/empty.txt", "+++\ntitle = \"Nothing yet\"\n+++\n\n  \n", 3),
        ("tests/fixtures/robust/empty-after-front-matter.md", "", 0),
        ("content/blank-page.md", "---\nlang: es\n---\n", 3),
    ] {
        let source = if source.is_empty() { std::fs::read_to_string(name).unwrap() } else { source.into() };
        let err = ingest_bytes(Path::new(name), source.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), handouts::error::Kind::Input);
        let message = err.to_string();
        assert!(message.starts_with(&format!("{name}:")), "{message}");
        if line > 0 {
            assert!(message.starts_with(&format!("{name}:{line}: ")), "{message}");
        }
        assert!(message.contains("only front matter"), "{message}");
    }
}

#[test]
fn hostile_front_matter_urls_do_not_break_the_handout() {
    for url in
        ["javascript:alert(1)", "not a url at all", &format!("https://example.org/{}", "x".repeat(3000))]
    {
        let source = format!("---\ntitle: Links\nurl: \"{url}\"\n---\nA short paragraph for the body.\n");
        let built = build("content/url.md", &source);
        assert!(built.pdf.pages <= 3, "{url}: {} pages", built.pdf.pages);
        built.assert_no_tofu();
    }
}

/// Every hostile article in one EPUB through the pipeline's writer, checked by EPUBCheck.
#[test]
fn epubcheck_accepts_all_hostile_articles_together() {
    let sources = [
        ("content/a.txt", "Markup\n\n<script>alert(1)</script> & ]]> #set page(width: 1pt) $x$\n".to_string()),
        ("content/b.md", "# Controls\n\nBell\u{7}here \u{1b}[0m \u{202E}01\u{202C} zero\u{200B}width 👨\u{200D}👩\u{200D}👧\n".into()),
        ("content/c.txt", std::fs::read_to_string("tests/fixtures/robust/world-scripts.txt").unwrap()),
        ("content/d.md", "---\ntitle: Nothing yet\n---\nSoon.\n".into()),
        ("content/e.md", format!("# Long\n\n{} <{}>\n", "x".repeat(300), "https://e.org/".repeat(30))),
    ];
    let articles: Vec<Article> = sources.iter().map(|(name, source)| ingest(name, source)).collect();
    let out = tempfile::tempdir().unwrap();
    let config = common::repo_config(Path::new("content"), out.path());
    let path = handouts::output::write_epubs(&config, &articles).expect("EPUB written").remove(0);
    let output = std::process::Command::new("bash")
        .arg(common::root().join("scripts/epubcheck.sh"))
        .arg(&path)
        .output()
        .expect("bash runs scripts/epubcheck.sh");
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "EPUBCheck failed:\n{report}");
    assert!(report.contains("No errors or warnings detected"), "{report}");
}

// ------------------------------------------------------------------ file system

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_content_folder_are_refused() {
    use std::os::unix::fs::symlink;

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "Secret\n\nNot for patients.\n").unwrap();
    std::fs::create_dir(outside.path().join("more")).unwrap();
    std::fs::write(outside.path().join("more/other.txt"), "Other\n\nText.\n").unwrap();
    let content = tempfile::tempdir().unwrap();
    let dir = content.path();
    std::fs::write(dir.join("real.txt"), "Real\n\nA real article.\n").unwrap();
    symlink(outside.path().join("secret.txt"), dir.join("leak.txt")).unwrap();
    symlink(outside.path().join("more"), dir.join("linked-folder")).unwrap();
    symlink(dir.join("real.txt"), dir.join("alias.txt")).unwrap();
    symlink(dir.join("missing.txt"), dir.join("dangling.txt")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    symlink("../../../../../../../../etc/passwd", dir.join("sub/passwd.md")).unwrap();

    let found = discover_all(dir).unwrap();
    assert_eq!(found.files, [dir.join("alias.txt"), dir.join("real.txt")]);
    let refused: Vec<String> = found.refused.iter().map(ToString::to_string).collect();
    assert_eq!(refused.len(), 4, "{refused:#?}");
    for (link, says) in [
        ("dangling.txt", "broken symlink"),
        ("leak.txt", "outside the content folder"),
        ("linked-folder", "outside the content folder"),
        ("sub/passwd.md", "outside the content folder"),
    ] {
        let prefix = format!("{}: ", dir.join(link).display());
        assert!(
            refused.iter().any(|r| r.starts_with(&prefix) && r.contains(says)),
            "{link}: {says:?} not in {refused:#?}"
        );
    }
    assert_eq!(discover(dir).unwrap(), found.files);
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let file = std::fs::File::create(&big).unwrap();
    // Sparse: 7.2 MiB that take no disk space and would be slow to read.
    file.set_len(7_549_747).unwrap();
    let err = ingest_file(&big).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("{}: file is 7.2 MiB, larger than the 5 MiB limit for an article", big.display())
    );
    let small = dir.path().join("small.txt");
    std::fs::write(&small, "Title\n\nShort enough.\n").unwrap();
    assert!(ingest_file_limited(&small, 100).is_ok());
    let err = ingest_file_limited(&small, 10).unwrap_err().to_string();
    assert!(err.ends_with("file is 21 bytes, larger than the 10 bytes limit for an article"), "{err}");
}

#[cfg(unix)]
#[test]
fn special_files_are_refused() {
    let err = ingest_file(Path::new("/dev/null")).unwrap_err().to_string();
    assert_eq!(err, "/dev/null: not a regular file; articles must be text files");
}

#[test]
fn an_output_folder_inside_a_file_fails_before_any_work_with_exit_code_2() {
    for out in ["/dev/null/out", "Cargo.toml/out"] {
        let output = assert_cmd::Command::cargo_bin("handouts")
            .unwrap()
            .current_dir(common::root())
            .args(["build", "--content", "tests/fixtures/broken", "--out", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{out}: {stderr}");
        assert!(common::unstamped(&stderr).starts_with("error: "), "{out}: {stderr}");
        assert!(stderr.contains(out), "{out}: the message names the folder: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Before any work: the broken article was never read, so it is not reported.
        assert!(!stderr.contains("bad-encoding"), "{out}: {stderr}");
    }
}

/// A character that no embedded font has fails that one handout with an error naming
/// the character (the PDF/UA export will not print tofu); it never panics.
#[test]
fn a_character_no_font_has_fails_only_that_handout_with_a_clear_error() {
    // typst quotes the character with Rust escapes: U+E000 reads `\u{e000}`.
    for (text, character) in [("Private use \u{E000} here.", "\\u{e000}"), ("Hindi: कैंसर.", "क")]
    {
        let article = ingest("content/unprintable.txt", &format!("Unprintable\n\n{text}\n"));
        let err = TYPESETTER.typeset_pdf(&article, Variant::Regular).unwrap_err().to_string();
        assert!(err.contains("could not be displayed") && err.contains(character), "{err}");
    }
}

/// Nesting as deep as a paste can make it (found by `fuzz/`): flattened at a fixed depth,
/// so the JSON reads back, typst lays it out, and no word is lost.
#[test]
fn deeply_nested_markdown_typesets_and_reads_back() {
    let lists: String = (0..40).map(|n| format!("{}- level{n}\n", "  ".repeat(n))).collect();
    let source = format!(
        "# Nesting\n\n{} deepest quote\n\n{lists}\n{}innermost{}\n",
        ">".repeat(100),
        "*_".repeat(20),
        "_*".repeat(20)
    );
    let built = build("content/nesting.md", &source);
    for word in ["deepest quote", "level0", "level39", "innermost"] {
        built.assert_everywhere(word);
    }
    let json = serde_json::to_vec(&built.article).unwrap();
    let again = ingest_bytes(Path::new("content/nesting.json"), &json).expect("the JSON reads back");
    assert_eq!(again, built.article);
}

/// The template used to read `content` from whatever block opened the article, and only
/// headings and paragraphs have one: an article opening with a list failed to typeset.
#[test]
fn articles_may_open_with_a_list_quote_table_or_code() {
    for (name, source) in [
        ("content/list.txt", "Title\n\n- first item\n- second item\n"),
        ("content/quote.md", "# Title\n\n> a quoted line\n"),
        ("content/table.md", "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
        ("content/code.md", "# Title\n\n```\nx = 1\n```\n"),
    ] {
        let built = build(name, source);
        assert_eq!(built.pdf.pages, 1, "{name}");
    }
}
