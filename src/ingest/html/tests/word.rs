//! Pages saved by Word, and Word text pasted into a site (see `word.rs`).

use super::*;

/// The blocks as short lines: `## heading`, paragraphs as text, `- ` and `3. ` items
/// indented under their item, `![alt](src "caption")`, `table: N rows`.
fn outline(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    walk(blocks, "", &mut out);
    out
}

fn walk(blocks: &[Block], indent: &str, out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { level, content, .. } => {
                out.push(format!("{indent}{} {}", "#".repeat(usize::from(*level)), plain_text(content)))
            }
            Block::Paragraph { content, .. } => out.push(format!("{indent}{}", plain_text(content))),
            Block::List { ordered, start, items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", start.unwrap_or(1) + i as u64)
                    } else {
                        "-".to_string()
                    };
                    let mut lines = Vec::new();
                    walk(item, &format!("{indent}  "), &mut lines);
                    if let Some(first) = lines.first_mut() {
                        *first = format!("{indent}{marker} {}", first.trim_start());
                    }
                    out.extend(lines);
                }
            }
            Block::Figure { src, alt, caption, .. } => {
                let caption = caption.as_deref().map(plain_text).unwrap_or_default();
                out.push(format!("{indent}![{alt}]({src} \"{caption}\")"));
            }
            Block::Table { rows, .. } => out.push(format!("{indent}table: {} rows", rows.len())),
            other => out.push(format!("{indent}{other:?}")),
        }
    }
}

/// A page as Word's "Save as Web Page" writes it, around `body`.
fn saved(body: &str) -> String {
    format!(
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\nxmlns:o=\"urn:schemas-microsoft-com:office:office\"\n\
         xmlns:w=\"urn:schemas-microsoft-com:office:word\"\nxmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n\
         <meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\n<meta name=ProgId content=Word.Document>\n\
         <meta name=Generator content=\"Microsoft Word 15\">\n<title>Cast care</title>\n\
         <!--[if gte mso 9]><xml>\n <o:DocumentProperties>\n  <o:Author>R. Nurse</o:Author>\n </o:DocumentProperties>\n</xml><![endif]-->\n\
         <style>\n<!--\np.MsoNormal {{margin:0in;}}\n-->\n</style>\n</head>\n\
         <body lang=EN-US style='tab-interval:.5in'>\n<div class=WordSection1>\n{body}\n</div>\n</body>\n</html>\n"
    )
}

/// A list paragraph as the unfiltered save writes it; `marker` is `·`, `o`, `1.`, ….
fn item(class: &str, list: &str, marker: &str, text: &str) -> String {
    let font = match marker {
        "·" => "font-family:Symbol;mso-fareast-font-family:Symbol",
        "o" => "font-family:\"Courier New\"",
        "§" => "font-family:Wingdings",
        _ => "mso-bidi-font-family:Calibri",
    };
    format!(
        "<p class={class} style='text-indent:-.25in;mso-list:{list}'><![if !supportLists]><span\nstyle='{font}'><span \
         style='mso-list:Ignore'>{marker}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;\n\
         </span></span></span><![endif]>{text}<o:p></o:p></p>\n"
    )
}

/// A list paragraph as the filtered save writes it, indented `margin`.
fn filtered_item(margin: &str, marker: &str, text: &str) -> String {
    format!(
        "<p class=MsoListParagraphCxSpMiddle style='margin-left:{margin};text-indent:-.25in'><span\n\
         style='font-family:Symbol'>{marker}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;\n\
         </span></span>{text}</p>\n"
    )
}

fn filtered(body: &str) -> String {
    format!(
        "<html>\n<head>\n<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\n\
         <meta name=Generator content=\"Microsoft Word 15 (filtered)\">\n</head>\n\
         <body lang=EN-US style='word-wrap:break-word'>\n<div class=WordSection1>\n{body}</div>\n</body>\n</html>\n"
    )
}

fn no_marker_left(article: &Article) {
    let json = serde_json::to_string(&article.blocks).unwrap();
    for leftover in ["·", "§", "\u{a0}\u{a0}", "supportLists", "endif", "o:p", "Ignore"] {
        assert!(!json.contains(leftover), "{leftover:?} in {json}");
    }
}

#[test]
fn list_paragraphs_become_nested_lists_without_their_markers() {
    let body = [
        "<p class=MsoTitle>Caring for a Cast<o:p></o:p></p>".to_string(),
        "<h1>Keep it dry<o:p></o:p></h1>".to_string(),
        item("MsoListParagraphCxSpFirst", "l0 level1 lfo1", "·", "Cover it with a bag"),
        item("MsoListParagraphCxSpMiddle", "l0 level2 lfo1", "o", "Tape the top"),
        item("MsoListParagraphCxSpMiddle", "l0 level3 lfo1", "§", "Use soft tape"),
        item("MsoListParagraphCxSpLast", "l0 level1 lfo1", "·", "Do not swim"),
        // A list in the Normal style, numbered, continuing at 3.
        item("MsoNormal", "l1 level1 lfo2", "3.", "Look at the toes"),
        item("MsoNormal", "l1 level2 lfo2", "a.", "Are they pink?"),
        item("MsoNormal", "l1 level2 lfo2", "b.", "Are they warm?"),
        item("MsoNormal", "l1 level1 lfo2", "4.", "Smell the cast"),
    ]
    .concat();
    let a = page(&saved(&body));
    assert_eq!(a.meta.title, "Caring for a Cast");
    assert_eq!(
        outline(&a.blocks),
        [
            "## Keep it dry",
            "- Cover it with a bag",
            "  - Tape the top",
            "    - Use soft tape",
            "- Do not swim",
            "3. Look at the toes",
            "  1. Are they pink?",
            "  2. Are they warm?",
            "4. Smell the cast",
        ]
    );
    no_marker_left(&a);
    assert!(a.removed.is_empty(), "{:?}", a.removed);
}

#[test]
fn lists_part_by_list_and_instance_and_by_kind() {
    let body = [
        item("MsoListParagraphCxSpFirst", "l0 level1 lfo1", "·", "Fruit"),
        item("MsoListParagraphCxSpLast", "l0 level1 lfo1", "·", "Water"),
        // Straight after, another list (`l1`), numbered.
        item("MsoListParagraphCxSpFirst", "l1 level1 lfo2", "1.", "Wash"),
        item("MsoListParagraphCxSpLast", "l1 level1 lfo2", "2.", "Dry"),
        // The same list definition restarted (`lfo3`): a list of its own.
        item("MsoListParagraph", "l1 level1 lfo3", "1.", "Again"),
        // Roman numerals and letters.
        item("MsoListParagraphCxSpFirst", "l2 level1 lfo4", "iv.", "Fourth"),
        item("MsoListParagraphCxSpLast", "l2 level1 lfo4", "v.", "Fifth"),
        item("MsoListParagraph", "l3 level1 lfo5", "c)", "Third"),
    ]
    .concat();
    let a = page(&saved(&body));
    let lists: Vec<(bool, Option<u64>, usize)> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List { ordered, start, items, .. } => Some((*ordered, *start, items.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        lists,
        [(false, None, 2), (true, None, 2), (true, None, 1), (true, Some(4), 2), (true, Some(3), 1)]
    );
    no_marker_left(&a);
}

#[test]
fn a_list_indented_under_another_list_nests_under_its_item() {
    // Word 2003: a Wingdings list (`l0`) indented under item 1 of a numbered list (`l1`),
    // which then goes on at 2.
    let indented = |list: &str, margin: &str, marker: &str, text: &str| {
        item("MsoNormal", list, marker, text).replace("style='", &format!("style='margin-left:{margin};"))
    };
    let body = [
        indented("l1 level1 lfo2", ".25in", "1.", "Before you come"),
        indented("l0 level1 lfo4", "49.65pt", "v", "Bring your medicines"),
        indented("l0 level1 lfo4", "49.65pt", "v", "Bring your card"),
        indented("l1 level1 lfo2", ".25in", "2.", "On the day"),
    ]
    .concat();
    let a = page(&saved(&body));
    assert_eq!(
        outline(&a.blocks),
        ["1. Before you come", "  - Bring your medicines", "  - Bring your card", "2. On the day"]
    );
}

#[test]
fn the_filtered_save_nests_by_indent() {
    let body = [
        "<p class=MsoTitle>Caring for a Cast</p>\n<h1>Keep it dry</h1>\n".to_string(),
        filtered_item(".5in", "·", "Cover it with a bag"),
        // Courier New `o` and Wingdings `§`, as Word writes levels 2 and 3.
        filtered_item("1.0in", "o", "Tape the top"),
        filtered_item("1.5in", "§", "Use soft tape"),
        // A paragraph under an item, and an empty paragraph: both inside the list.
        "<p class=MsoListParagraphCxSpMiddle>Bags from the store work well.</p>\n".to_string(),
        "<p class=MsoNormal>&nbsp;</p>\n".to_string(),
        filtered_item("36.0pt", "·", "Do not swim"),
        "<p class=MsoNormal>Then check the skin.</p>\n".to_string(),
        // Numbers with no Symbol font; a roman number set flush right has a spacer first.
        "<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in'>1.<span\n\
         style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span>Look at the toes</p>\n"
            .to_string(),
        "<p class=MsoListParagraphCxSpLast style='margin-left:1.0in;text-indent:-1.0in'><span\n\
         style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>ii.<span\n\
         style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span>Are they warm?</p>\n"
            .to_string(),
    ]
    .concat();
    let a = page(&filtered(&body));
    assert_eq!(a.meta.title, "Caring for a Cast");
    assert_eq!(
        outline(&a.blocks),
        [
            "## Keep it dry",
            "- Cover it with a bag",
            "  - Tape the top",
            "    - Use soft tape",
            "  Bags from the store work well.",
            "- Do not swim",
            "Then check the skin.",
            "1. Look at the toes",
            "  2. Are they warm?",
        ]
    );
    no_marker_left(&a);
}

#[test]
fn a_page_saved_again_by_a_browser_keeps_its_lists() {
    // The conditional comments written as `<!--[if …]-->`, styles spelled out, and no
    // `mso-list:Ignore` around the marker.
    let item = |text: &str| {
        format!(
            "<p class=\"MsoNormal\" style=\"margin-left: 0.25in; text-indent: -0.25in;\"><span style=\"font-family: Arial;\">\
             <!--[if !supportLists]-->-<span style=\"font-stretch: normal;\">&nbsp;&nbsp;&nbsp;&nbsp; </span><!--[endif]-->{text}</span></p>\n"
        )
    };
    let body = format!("<h1>Keep it dry</h1>\n{}{}", item("Cover it with a bag"), item("Do not swim"));
    let a = page(&saved(&body));
    assert_eq!(outline(&a.blocks), ["- Cover it with a bag", "- Do not swim"]);
    no_marker_left(&a);
}

#[test]
fn a_picture_is_printed_once_with_its_caption() {
    let picture = |n: u8| {
        format!(
            "<p class=MsoNormal style='page-break-after:avoid'><span style='mso-no-proof:yes'><!--[if gte vml 1]><v:shape\n \
             id=\"Picture_x0020_{n}\" o:spid=\"_x0000_i102{n}\" type=\"#_x0000_t75\" alt=\"An arm in a cast\" style='width:150pt;height:100pt'>\n \
             <v:imagedata src=\"cast_files/image00{n}.png\" o:title=\"\"/>\n</v:shape><![endif]--><![if !vml]><img width=200 height=133\n\
             src=\"cast_files/image00{}.jpg\" alt=\"An arm in a cast\" v:shapes=\"Picture_x0020_{n}\"><![endif]></span><o:p></o:p></p>\n",
            n + 1
        )
    };
    let caption = |text: &str| {
        format!(
            "<p class=MsoCaption>Figure <!--[if supportFields]><span style='mso-element:field-begin'></span> SEQ Figure \\* ARABIC \
             <span style='mso-element:field-separator'></span><![endif]-->1<!--[if supportFields]><span style='mso-element:field-end'></span><![endif]-->. {text}<o:p></o:p></p>\n"
        )
    };
    let body = format!(
        "{}{}<p class=MsoNormal>Keep the cast clean and dry at all times.</p>\n{}{}",
        picture(1),
        caption("A clean cast"),
        caption("Caption above"),
        picture(3)
    );
    let a = page(&saved(&body));
    assert_eq!(
        outline(&a.blocks),
        [
            "![An arm in a cast](cast_files/image002.jpg \"Figure 1. A clean cast\")",
            "Keep the cast clean and dry at all times.",
            "![An arm in a cast](cast_files/image004.jpg \"Figure 1. Caption above\")",
        ]
    );
}

#[test]
fn parts_for_old_browsers_that_repeat_something_are_dropped() {
    let body = "<p class=MsoNormal>Call us at 555-0100.<br style='mso-special-character:line-break'>\n\
        <![if !supportLineBreakNewLine]><br style='mso-special-character:line-break'>\n<![endif]></p>\n\
        <p class=MsoNormal><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></p>\n\
        <table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>\n\
        <tr><td><p class=MsoNormal>Day</p></td><td><p class=MsoNormal>Do</p></td></tr>\n\
        <tr><td><p class=MsoNormal>1</p></td><td><p class=MsoNormal>Rest</p></td></tr>\n\
        <![if !supportMisalignedColumns]>\n<tr height=0>\n<td width=120 style='border:none'></td>\n\
        <td width=300 style='border:none'></td>\n</tr>\n<![endif]>\n</table>\n";
    let a = page(&saved(body));
    // Two rows of words; the sizing row is gone.
    assert_eq!(outline(&a.blocks), ["Call us at 555-0100.", "table: 2 rows"]);
}

#[test]
fn a_part_for_old_browsers_without_its_end_is_left_alone() {
    let body = "<p class=MsoNormal>Rest today.<![if !supportLineBreakNewLine]>Walk tomorrow.</p>\n\
        <p class=MsoNormal><![if !supportLists]>Sleep well.</p>\n\
        <p class=MsoNormal><![if !supportLists]>This part is far too long to be a marker.<![endif]>Eat well.</p>\n";
    let a = page(&saved(body));
    assert_eq!(
        outline(&a.blocks),
        ["Rest today.Walk tomorrow.", "Sleep well.", "This part is far too long to be a marker.Eat well."]
    );
}

#[test]
fn the_title_paragraph_wins_over_the_first_heading() {
    // Even when `<title>` names the first heading, which then stays a heading.
    let body = "<p class=MsoTitleCxSpFirst>Caring for a Cast<o:p></o:p></p>\n\
        <p class=MsoTitleCxSpLast>at Home<o:p></o:p></p>\n\
        <p class=MsoSubtitle>For children and their parents<o:p></o:p></p>\n\
        <h1>Cast care<o:p></o:p></h1>\n<p class=MsoNormal>Keep the cast dry.</p>\n\
        <p class=MsoHeading7>Small print</p>\n<p class=MsoTitle>A second title</p>\n";
    let a = page(&saved(body));
    assert_eq!(a.meta.title, "Caring for a Cast at Home");
    assert_eq!(
        outline(&a.blocks),
        [
            "For children and their parents",
            "## Cast care",
            "Keep the cast dry.",
            "### Small print",
            "## A second title"
        ]
    );
}

#[test]
fn sections_and_their_parts_keep_two_levels() {
    // No title paragraph: the first `<h1>` is the title; the other `<h1>` are sections.
    let body = "<h1>Cast care</h1>\n<h1>Keep it dry</h1>\n<h2>In the shower</h2>\n<p class=MsoNormal>Use a bag.</p>\n\
        <h3>Bags</h3>\n<h1>Keep it clean</h1>\n";
    let a = page(&saved(body));
    assert_eq!(a.meta.title, "Cast care");
    assert_eq!(
        outline(&a.blocks),
        ["## Keep it dry", "### In the shower", "Use a bag.", "#### Bags", "## Keep it clean"]
    );
}

#[test]
fn numbered_headings_keep_their_number() {
    let body = "<p class=MsoTitle>Cast care</p>\n<h1 style='margin-left:.25in;text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span\n\
        style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;\n\
        </span></span><![endif]>Keep it dry<o:p></o:p></h1>\n\
        <h2><span>2.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span>Keep it clean</h2>\n";
    let a = page(&saved(body));
    assert_eq!(outline(&a.blocks), ["## 1. Keep it dry", "### 2. Keep it clean"]);
}

#[test]
fn nothing_in_a_word_document_is_page_furniture() {
    let body = "<p class=MsoTitle>Cast care</p>\n<h1>Contact us</h1>\n<p class=MsoNormal>Updated May 2, 2025</p>\n\
        <p class=MsoNormal>Share this with your family.</p>\n<h1>Related topics</h1>\n\
        <p class=MsoNormal><a href=\"https://example.org/a\">Broken bones in children</a></p>\n\
        <p class=MsoNormal><a href=\"https://example.org/b\">Splints and slings</a></p>\n";
    let a = page(&saved(body));
    assert_eq!(
        outline(&a.blocks),
        [
            "## Contact us",
            "Updated May 2, 2025",
            "Share this with your family.",
            "## Related topics",
            "Broken bones in children",
            "Splints and slings"
        ]
    );
    assert!(a.removed.is_empty(), "{:?}", a.removed);
}

#[test]
fn word_text_pasted_into_a_site() {
    // No generator and no Office namespaces: the site's headline is the title, and the
    // site's furniture is still found; the Word lists in the post are lists.
    let body = format!(
        "<p class=MsoTitle>From our nurses</p><p>{PROSE}</p>{}{}",
        item("MsoListParagraphCxSpFirst", "l0 level1 lfo1", "·", "Look at both feet every day."),
        item("MsoListParagraphCxSpLast", "l0 level1 lfo1", "·", "Use a mirror for the soles.")
    );
    let a = page(&article_page(&body));
    assert_eq!(a.meta.title, "Foot care");
    assert_eq!(
        outline(&a.blocks),
        [
            "## From our nurses".to_string(),
            PROSE.split_whitespace().collect::<Vec<_>>().join(" "),
            "- Look at both feet every day.".to_string(),
            "- Use a mirror for the soles.".to_string(),
        ]
    );
    assert!(a.removed.iter().any(|r| r.reason == "related links" || r.reason == "sidebar"));
}

#[test]
fn list_markers_and_their_numbers() {
    use super::super::word::lists::number;
    for (marker, value) in [
        ("1.", Some(Some(1))),
        ("12)", Some(Some(12))),
        ("(2)", Some(Some(2))),
        ("1.3.", Some(Some(3))),
        ("a.", Some(Some(1))),
        ("c)", Some(Some(3))),
        ("i.", Some(Some(1))),
        ("iv.", Some(Some(4))),
        ("XII.", Some(Some(12))),
        ("bb.", Some(Some(28))),
        ("·", None),
        ("\u{f0b7}", None),
        ("o", None),
        ("§", None),
        ("Ø", None),
        ("-", None),
        ("", None),
    ] {
        assert_eq!(number(marker), value, "{marker:?}");
    }
}

#[test]
fn list_paragraphs_in_a_table_cell_keep_a_plain_marker() {
    let body = format!(
        "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>\n\
         <tr><td><p class=MsoNormal><b>Do</b></p></td><td><p class=MsoNormal><b>Do not</b></p></td></tr>\n\
         <tr><td>{}{}</td><td>{}</td></tr>\n</table>\n",
        item("MsoListParagraphCxSpFirst", "l0 level1 lfo1", "·", "Rest"),
        item("MsoListParagraphCxSpLast", "l0 level1 lfo1", "·", "Drink water"),
        item("MsoListParagraph", "l1 level1 lfo2", "1.", "Lift heavy things"),
    );
    let a = page(&saved(&body));
    let Some(Block::Table { rows, .. }) = a.blocks.first() else { panic!("{:?}", a.blocks) };
    let cells: Vec<String> = rows[1].iter().map(|c| plain_text(c)).collect();
    assert!(cells[0].starts_with("• Rest") && cells[0].ends_with("• Drink water"), "{cells:?}");
    assert_eq!(cells[1], "1. Lift heavy things");
    no_marker_left(&a);
}
