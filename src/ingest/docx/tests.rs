//! The reader's rules on small documents built here, part by part. The fixtures made
//! by real word processors are read in `tests/docx.rs`.

use std::io::Write;
use std::path::Path;

use super::*;
use crate::model::{Block, Inline, plain_text as plain};

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main""#;

const STYLES: &str = r#"<w:styles NS>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:lang w:val="en-US"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/></w:style>
  <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
  <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>"#;

const NUMBERING: &str = r#"<w:numbering NS>
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
    <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"#;

const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/salt" TargetMode="External"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.emf"/>
  <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
</Relationships>"#;

/// A `.docx` holding `body` (the inside of `w:body`) and `extra` parts.
fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let document = format!("<w:document {NS}><w:body>{body}</w:body></w:document>");
    let mut parts: Vec<(String, String)> = vec![
        ("word/document.xml".into(), document),
        ("word/styles.xml".into(), STYLES.replace("NS", NS)),
        ("word/numbering.xml".into(), NUMBERING.replace("NS", NS)),
        ("word/_rels/document.xml.rels".into(), RELS.into()),
    ];
    parts.extend(extra.iter().map(|(name, text)| (name.to_string(), text.replace("NS", NS))));
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn p(style: &str, text: &str) -> String {
    let style = if style.is_empty() {
        String::new()
    } else {
        format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#)
    };
    format!("<w:p>{style}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn item(num_id: u32, level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn read(bytes: &[u8]) -> Article {
    ingest(Path::new("content/low-salt.docx"), bytes).expect("reads")
}

fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|block| match block {
            Block::Heading { level, content, .. } => format!("h{level} {}", plain(content)),
            Block::Paragraph { content, .. } => format!("p {}", plain(content)),
            Block::List { ordered, start, items, .. } => {
                let inner: Vec<String> = items.iter().map(|item| texts(item).join(" / ")).collect();
                format!(
                    "{}{} [{}]",
                    if *ordered { "ol" } else { "ul" },
                    start.map(|s| format!("@{s}")).unwrap_or_default(),
                    inner.join(" | ")
                )
            }
            Block::Table { header, rows, .. } => {
                let row =
                    |cells: &Vec<Vec<Inline>>| cells.iter().map(|c| plain(c)).collect::<Vec<_>>().join(",");
                format!("table [{}] {}", row(header), rows.iter().map(row).collect::<Vec<_>>().join(" ; "))
            }
            Block::Figure { src, alt, caption, .. } => {
                format!("fig {src} \"{alt}\" {}", caption.as_deref().map(plain).unwrap_or_default())
            }
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn styles_make_the_title_headings_and_lists() {
    let body = [
        p("Title", "Eating Less Salt"),
        p("Heading1", "Why it matters"),
        p("", "Salt raises blood pressure."),
        item(1, 0, "Cook at home"),
        item(1, 1, "Use herbs"),
        item(1, 0, "Read labels"),
        p("Heading2", "Steps"),
        item(2, 0, "Check the label"),
        item(2, 0, "Pick low salt"),
        p("", "Between the lists."),
        item(2, 0, "continues at 3"),
        item(3, 0, "restarts at 1"),
    ]
    .concat();
    let article = read(&docx(&body, &[]));
    assert_eq!(article.meta.title, "Eating Less Salt");
    assert_eq!(article.meta.lang, "en");
    assert_eq!(
        texts(&article.blocks),
        [
            "h2 Why it matters",
            "p Salt raises blood pressure.",
            "ul [p Cook at home / ul [p Use herbs] | p Read labels]",
            "h3 Steps",
            "ol [p Check the label | p Pick low salt]",
            "p Between the lists.",
            "ol@3 [p continues at 3]",
            "ol [p restarts at 1]",
        ]
    );
    assert_eq!(article.blocks[1].line(), 3, "lines are paragraph numbers");
}

#[test]
fn a_list_style_paragraph_is_an_item_and_a_safety_line_typed_bold_is_a_heading() {
    let bold_call = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>When to call your doctor</w:t></w:r></w:p>"#;
    let body = [
        p("Heading1", "Care at home"),
        p("ListBullet", "Rest"),
        bold_call.to_string(),
        p("ListBullet", "A fever over 101 F"),
    ]
    .concat();
    let article = read(&docx(&body, &[]));
    assert_eq!(article.meta.title, "Care at home", "a document opening with a heading is titled by it");
    assert_eq!(
        texts(&article.blocks),
        ["ul [p Rest]", "h2 When to call your doctor", "ul [p A fever over 101 F]"]
    );
}

#[test]
fn runs_links_fields_and_notes() {
    let body = r#"<w:p>
        <w:r><w:t xml:space="preserve">Eat </w:t></w:r>
        <w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t xml:space="preserve">less </w:t></w:r>
        <w:r><w:rPr><w:b/></w:rPr><w:t>salt</w:t></w:r>
        <w:r><w:footnoteReference w:id="2"/></w:r>
        <w:r><w:t xml:space="preserve">. See </w:t></w:r>
        <w:hyperlink r:id="rId1"><w:r><w:t>our page</w:t></w:r></w:hyperlink>
        <w:r><w:t xml:space="preserve"> or </w:t></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/bp" </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>this one</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:tab/><w:t>Page</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret note</w:t></w:r>
    </w:p>"#;
    let footnotes = r#"<w:footnotes NS>
        <w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
        <w:footnote w:id="2"><w:p><w:r><w:t>Less than 2,300 mg a day.</w:t></w:r></w:p></w:footnote>
    </w:footnotes>"#;
    let article = read(&docx(body, &[("word/footnotes.xml", footnotes)]));
    let Block::Paragraph { content, .. } = &article.blocks[0] else { panic!("{:?}", article.blocks) };
    assert_eq!(
        content,
        &vec![
            Inline::text("Eat "),
            Inline::Strong { content: vec![Inline::text("less salt")] },
            Inline::text(" (Less than 2,300 mg a day.). See "),
            Inline::Link { url: "https://example.org/salt".into(), content: vec![Inline::text("our page")] },
            Inline::text(" or "),
            Inline::Link { url: "https://example.org/bp".into(), content: vec![Inline::text("this one")] },
            Inline::text(" Page"),
        ]
    );
    assert_eq!(
        article.removed,
        vec![Removed { reason: "hidden text in Word".into(), line: 1, text: "secret note".into() }]
    );
}

#[test]
fn tracked_changes_keep_insertions_and_list_deletions() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Take it </w:t></w:r>
        <w:del w:id="1" w:author="A"><w:r><w:delText>twice</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="A"><w:r><w:t>once</w:t></w:r></w:ins>
        <w:r><w:t xml:space="preserve"> a day.</w:t></w:r></w:p>"#;
    let article = read(&docx(body, &[]));
    assert_eq!(texts(&article.blocks), ["p Take it once a day."]);
    assert_eq!(article.removed[0].reason, "deleted in Word's tracked changes");
    assert_eq!(article.removed[0].text, "twice");
    assert!(
        article.warnings.iter().any(|w| w.message.contains("1 insertions, 1 deletions")),
        "{:?}",
        article.warnings
    );
}

#[test]
fn tables_pictures_and_what_surrounds_the_text() {
    let cell = |text: &str| format!("<w:tc>{}</w:tc>", p("", text));
    let header_row = format!("<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>", cell("Food"), cell("Salt"));
    let row = format!("<w:tr>{}{}</w:tr>", cell("Bread"), cell("High"));
    let table = format!("<w:tbl><w:tblPr/>{header_row}{row}</w:tbl>");
    let boxed = format!(
        "<w:tbl><w:tr><w:tc>{}{}</w:tc></w:tr></w:tbl>",
        p("Heading1", "Call 911 if"),
        p("", "You faint.")
    );
    let picture = |id: &str, descr: &str| {
        format!(
            r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="{descr}"/>
            <a:graphic><a:graphicData><a:blip r:embed="{id}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
        )
    };
    let body = [
        p("Title", "Salt"),
        p("TOC1", "Why it matters 2"),
        table,
        picture("rId2", "A salt shaker"),
        p("Caption", "Figure 1. Salt"),
        picture("rId3", "A chart of salt intake"),
        boxed,
    ]
    .concat();
    let footer = r#"<w:ftr NS><w:p><w:r><w:t>Form PE-104 (rev. 03/2026)</w:t></w:r></w:p></w:ftr>"#;
    let comments = r#"<w:comments NS><w:comment w:id="0"><w:p><w:r><w:t>Check the dose</w:t></w:r></w:p></w:comment></w:comments>"#;
    let article = read(&docx(&body, &[("word/footer1.xml", footer), ("word/comments.xml", comments)]));
    assert_eq!(
        texts(&article.blocks),
        [
            "table [Food,Salt] Bread,High",
            "fig low-salt.docx/word/media/image1.png \"A salt shaker\" Figure 1. Salt",
            "p A chart of salt intake",
            "h2 Call 911 if",
            "p You faint.",
        ]
    );
    let removed: Vec<(&str, &str)> =
        article.removed.iter().map(|r| (r.reason.as_str(), r.text.as_str())).collect();
    assert_eq!(
        removed,
        [
            ("table of contents in Word", "Why it matters 2"),
            ("page footer in Word", "Form PE-104 (rev. 03/2026)"),
            ("comment in Word", "Check the dose"),
        ]
    );
    assert!(article.warnings.iter().any(|w| w.message.contains("EMF file")), "{:?}", article.warnings);
}

#[test]
fn document_properties_fill_what_the_text_does_not_say() {
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
        <dc:title>Low-Salt Eating</dc:title><dc:creator>Ana Ruiz, RN</dc:creator>
        <dcterms:modified>2026-03-02T10:00:00Z</dcterms:modified></cp:coreProperties>"#;
    let bytes =
        docx(&p("", "Salt raises blood pressure. Eat less of it every day."), &[("docProps/core.xml", core)]);
    let (front, _, properties) = parse(Path::new("x.docx"), &bytes).unwrap();
    assert_eq!(front.title.as_deref(), Some("Low-Salt Eating"));
    assert_eq!(front.author.as_deref(), Some("Ana Ruiz, RN"));
    assert_eq!(front.reviewed, None, "a save date is never a review date");
    assert_eq!(properties.modified.as_deref(), Some("2026-03-02"));
}

#[test]
fn bad_documents_get_a_clear_error() {
    let message = |bytes: &[u8]| ingest(Path::new("c/a.docx"), bytes).unwrap_err().to_string();
    assert!(message(b"").contains("the file is empty"), "{}", message(b""));
    assert!(message(b"plain text").contains("not a Word document"));
    assert!(message(&docx("", &[])).contains("no text"));
    assert!(message(&docx("<w:p>", &[])).contains("word/document.xml is not valid XML"));
    let mut bomb = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bomb);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let bomb = bomb.into_inner();
    assert!(bomb.len() < 1024 * 1024, "the bomb is small: {}", bomb.len());
    assert!(message(&bomb).contains("unpacks to more than 64 MiB"), "{}", message(&bomb));
}

#[test]
fn picture_paths_name_the_document_and_the_part() {
    assert_eq!(
        split_picture_src("sub/Low Salt.DOCX/word/media/image1.png"),
        Some(("sub/Low Salt.DOCX", "word/media/image1.png"))
    );
    assert_eq!(split_picture_src("pictures/a.png"), None);
    assert_eq!(split_picture_src("a.docx/"), None);
    assert_eq!(split_picture_src(".docx/x.png"), None);
    let bytes = docx(&p("", "Text"), &[("word/media/image1.png", "not really a png")]);
    assert_eq!(read_part(&bytes, "word/media/image1.png").unwrap(), b"not really a png");
}

#[test]
fn a_list_in_a_table_cell_keeps_the_table() {
    let cell = |inner: &str| format!("<w:tc>{inner}</w:tc>");
    let row = |a: &str, b: &str| format!("<w:tr>{}{}</w:tr>", cell(a), cell(b));
    let table = format!(
        "<w:tbl>{}{}</w:tbl>",
        row(&p("", "Food"), &p("", "How")),
        row(&p("", "Bread"), &[item(1, 0, "Read the label"), item(2, 0, "Pick low salt")].concat())
    );
    let article = read(&docx(&table, &[]));
    assert_eq!(texts(&article.blocks), ["table [] Food,How ; Bread,• Read the label 1. Pick low salt"]);
}
