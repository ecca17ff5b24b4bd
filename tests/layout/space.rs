//! Blank space on a page, measured from where pdftotext (`-bbox-layout`, poppler-utils)
//! finds the words, and the article's parts each page starts with, so that a page left
//! early can be told why. Pictures are not text: a picture is seen by its caption (every
//! picture in the checked set has one).

use std::io::Write;
use std::process::Command;

use handouts::model::{Article, Block, plain_text};

use crate::common;

pub struct Word {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

pub struct Line {
    pub y0: f64,
    pub y1: f64,
    pub words: Vec<Word>,
}

pub struct Page {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
}

/// The pages of a PDF with their lines of words, in pdftotext's reading order.
pub fn read_pages(pdf: &[u8]) -> Vec<Page> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(pdf).expect("PDF written");
    let output = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils, installed by .ci/run)");
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    let xml = String::from_utf8_lossy(&output.stdout);
    let number = |tag: &str, key: &str| -> f64 {
        let start = tag.find(&format!(" {key}=\"")).expect("attribute") + key.len() + 3;
        let end = start + tag[start..].find('"').expect("closing quote");
        tag[start..end].parse().expect("number")
    };
    let mut pages: Vec<Page> = Vec::new();
    for tag in xml.lines().map(str::trim) {
        if tag.starts_with("<page ") {
            pages.push(Page {
                width: number(tag, "width"),
                height: number(tag, "height"),
                lines: Vec::new(),
            });
        } else if tag.starts_with("<line ") {
            let page = pages.last_mut().expect("a line is on a page");
            page.lines.push(Line { y0: number(tag, "yMin"), y1: number(tag, "yMax"), words: Vec::new() });
        } else if tag.starts_with("<word ") {
            let text = &tag[tag.find('>').expect("tag end") + 1..tag.rfind("</word>").expect("word end")];
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            let word = Word {
                x0: number(tag, "xMin"),
                y0: number(tag, "yMin"),
                x1: number(tag, "xMax"),
                y1: number(tag, "yMax"),
                text,
            };
            let line = pages.last_mut().and_then(|p| p.lines.last_mut()).expect("a word is on a line");
            line.words.push(word);
        }
    }
    pages
}

const MM: f64 = 72.0 / 25.4;

/// Where the template's body is (`margin-x`, `margin-top`, `margin-bottom` in
/// templates/handout.typ), in points from the page's top left.
#[derive(Clone, Copy)]
pub struct Body {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

pub fn body(page: &Page, large: bool) -> Body {
    Body {
        left: 20.0 * MM,
        right: page.width - 20.0 * MM,
        top: 20.0 * MM,
        bottom: page.height - if large { 38.0 } else { 26.0 } * MM,
    }
}

/// Words printed where they should not be: outside the text column, in the outer 8 mm
/// of the sheet, or across the body's foot into the footer.
pub fn words_outside(pages: &[Page], large: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let body = body(page, large);
        let edge = 8.0 * MM;
        for word in page.lines.iter().flat_map(|l| &l.words) {
            let sideways = word.x0 < body.left - 1.5 || word.x1 > body.right + 1.5;
            let edges = word.y0 < edge || word.y1 > page.height - edge;
            // Lines stand on their baseline: descenders (about a third of the word's
            // box) may hang below the body's foot.
            let across_foot =
                word.y0 < body.bottom - 1.0 && word.y1 > body.bottom + 0.35 * (word.y1 - word.y0);
            if sideways || edges || across_foot {
                out.push(format!(
                    "page {}: {:?} at ({:.0},{:.0})–({:.0},{:.0})",
                    index + 1,
                    word.text,
                    word.x0,
                    word.y0,
                    word.x1,
                    word.y1
                ));
            }
        }
    }
    out
}

/// The height of most lines of body text in the document, to tell footnotes (set
/// smaller) from body text.
fn text_line_height(pages: &[Page], large: bool) -> f64 {
    let mut counts = std::collections::BTreeMap::<i64, usize>::new();
    for page in pages {
        let body = body(page, large);
        for line in page.lines.iter().filter(|l| l.y0 >= body.top - 2.0 && l.y1 <= body.bottom + 2.0) {
            *counts.entry(((line.y1 - line.y0) * 2.0).round() as i64).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|&(height, n)| (n, height)).map_or(0.0, |(height, _)| height as f64 / 2.0)
}

/// The body's lines on each page, top to bottom, without the footnotes at its foot.
pub fn body_lines(pages: &[Page], large: bool) -> Vec<Vec<&Line>> {
    let text_height = text_line_height(pages, large);
    pages
        .iter()
        .map(|page| {
            let body = body(page, large);
            let mut lines: Vec<&Line> =
                page.lines.iter().filter(|l| l.y0 >= body.top - 2.0 && l.y1 <= body.bottom + 2.0).collect();
            lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
            // Footnotes: the run of lines set smaller than the text at the body's foot.
            while lines.len() > 1 && lines.last().is_some_and(|l| l.y1 - l.y0 < text_height * 0.93) {
                lines.pop();
            }
            lines
        })
        .collect()
}

/// How much of each page's body height is blank below its last line (0 to 1).
pub fn blank_below(pages: &[Page], lines: &[Vec<&Line>], large: bool) -> Vec<f64> {
    pages
        .iter()
        .zip(lines)
        .map(|(page, lines)| {
            let body = body(page, large);
            let last = lines.iter().map(|l| l.y1).fold(body.top, f64::max);
            ((body.bottom - last) / (body.bottom - body.top)).clamp(0.0, 1.0)
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    /// The title on page 1, whose words the article's first lines may share.
    Title,
    Summary,
    Heading,
    LeadIn,
    Paragraph,
    List,
    Table,
    Picture,
    Quote,
    Code,
}

/// One part of the article as the template sets it: the key-points box or a top-level
/// block.
pub struct Unit {
    pub kind: Kind,
    /// Its first words, to name it.
    pub label: String,
    /// The heading of the "when to call" box it is in, if it is in one.
    pub call_box: Option<String>,
    words: Vec<String>,
}

fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
            out.push_str(&plain_text(content))
        }
        Block::List { items, .. } => items.iter().flatten().for_each(|b| {
            out.push(' ');
            block_text(b, out)
        }),
        Block::Quote { blocks, .. } => blocks.iter().for_each(|b| {
            out.push(' ');
            block_text(b, out)
        }),
        // The alt text is not printed, the caption is.
        Block::Figure { caption, .. } => {
            out.push_str(&caption.as_deref().map(plain_text).unwrap_or_default())
        }
        Block::Table { header, rows, .. } => header.iter().chain(rows.iter().flatten()).for_each(|cell| {
            out.push(' ');
            out.push_str(&plain_text(cell))
        }),
        Block::CodeBlock { text, .. } => out.push_str(text),
    }
}

/// Words as the alignment compares them: letters and digits, lower-cased, without
/// numbers alone (list numbers and page numbers are printed, not written).
fn tokens(text: &str) -> Vec<String> {
    common::words(text).into_iter().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect()
}

pub fn units(article: &Article, actions: &[usize]) -> Vec<Unit> {
    // The title comes first, so that its words are not taken for a later heading's
    // ("…: when to call us" for "When to call your surgeon").
    let mut units = vec![Unit {
        kind: Kind::Title,
        label: label(&article.meta.title),
        call_box: None,
        words: tokens(&article.meta.title),
    }];
    if let Some(summary) = &article.meta.summary {
        units.push(Unit {
            kind: Kind::Summary,
            label: label(summary),
            call_box: None,
            words: tokens(summary),
        });
    }
    let mut call_box = None;
    for (index, block) in article.blocks.iter().enumerate() {
        let mut text = String::new();
        block_text(block, &mut text);
        let next = article.blocks.get(index + 1);
        let kind = match block {
            Block::Heading { .. } => {
                call_box = actions.contains(&index).then(|| label(&text));
                Kind::Heading
            }
            Block::Paragraph { .. }
                if text.trim_end().ends_with(':') && matches!(next, Some(Block::List { .. })) =>
            {
                Kind::LeadIn
            }
            Block::Paragraph { .. } => Kind::Paragraph,
            Block::List { .. } => Kind::List,
            Block::Table { .. } => Kind::Table,
            Block::Figure { .. } => Kind::Picture,
            Block::Quote { .. } => Kind::Quote,
            Block::CodeBlock { .. } => Kind::Code,
        };
        units.push(Unit { kind, label: label(&text), call_box: call_box.clone(), words: tokens(&text) });
    }
    units
}

fn label(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut label = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 8 {
        label.push('…');
    }
    label
}

/// For each page, for each of its body lines, the units whose words it prints, found by
/// walking the article's words and the page's words side by side (words the article does
/// not have, such as printed addresses, are passed over).
pub fn units_per_line(units: &[Unit], lines: &[Vec<&Line>]) -> Vec<Vec<Vec<usize>>> {
    let stream: Vec<(&str, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| unit.words.iter().map(move |w| (w.as_str(), u)))
        .collect();
    let mut at = 0;
    let mut out = Vec::new();
    for page in lines {
        let mut page_units = Vec::new();
        for line in page {
            let printed: Vec<String> = line.words.iter().flat_map(|w| tokens(&w.text)).collect();
            let mut line_units = Vec::new();
            for i in 0..printed.len() {
                // One of the next words of the article when the next two words printed
                // agree, or a later one when three do (one or two agreeing words are too
                // often "of the", or the "Call" of "Call us").
                let agrees = |q: usize, words: usize| {
                    (0..words).all(|k| match (printed.get(i + k), stream.get(q + k)) {
                        (Some(printed), Some(written)) => printed == written.0,
                        (None, _) => k > 0,
                        (Some(_), None) => false,
                    })
                };
                let found = (at..(at + 3).min(stream.len()))
                    .find(|&q| agrees(q, 2))
                    .or_else(|| (at..(at + 120).min(stream.len())).find(|&q| agrees(q, 3)));
                if let Some(q) = found {
                    at = q + 1;
                    if !line_units.contains(&stream[q].1) {
                        line_units.push(stream[q].1);
                    }
                }
            }
            page_units.push(line_units);
        }
        out.push(page_units);
    }
    out
}

/// Why page `page` (0-based) ended early, when a part that must not split is the cause:
/// the part the next page starts with, past the headings and lead-ins kept with it.
/// `None` when nothing that must stay whole explains it.
pub fn must_not_split(units: &[Unit], per_line: &[Vec<Vec<usize>>], page: usize) -> Option<String> {
    let first = per_line.get(page + 1)?.iter().flatten().next().copied();
    let Some(first) = first else {
        return Some("the closing parts (questions box, QR code), which do not split".into());
    };
    // The closing parts did not fit after the article and took its last lines (at most
    // three) with them, so that they do not stand alone.
    let last_page = page + 2 == per_line.len();
    let article_lines = per_line[page + 1].iter().filter(|here| !here.is_empty()).count();
    if last_page && article_lines <= 3 && per_line[page + 1].iter().flatten().all(|&u| u + 1 == units.len()) {
        return Some(
            "the closing parts (questions box, QR code), which do not split, with the last lines".into(),
        );
    }
    // A part that started on this page and goes on to the next did not jump.
    if per_line[page].iter().flatten().any(|&u| u == first) {
        return None;
    }
    if let Some(heading) = &units[first].call_box {
        return Some(format!("the \"when to call\" box {heading:?}"));
    }
    let mut cause = first;
    while matches!(units[cause].kind, Kind::Heading | Kind::LeadIn) && cause + 1 < units.len() {
        cause += 1;
    }
    match units[cause].kind {
        Kind::Picture => Some(format!("the picture captioned {:?}", units[cause].label)),
        Kind::Table => Some(format!("a row of the table {:?}", units[cause].label)),
        _ if units[cause].call_box.is_some() => {
            Some(format!("the \"when to call\" box {:?}", units[cause].call_box.as_deref().unwrap_or("")))
        }
        _ => None,
    }
}

/// What page `page` (0-based) starts with, to say where an early page ended.
pub fn starts_with(units: &[Unit], per_line: &[Vec<Vec<usize>>], page: usize) -> String {
    match per_line.get(page).and_then(|lines| lines.iter().flatten().next()) {
        Some(&u) => format!("{:?} {:?}", units[u].kind, units[u].label),
        None => "the closing parts".into(),
    }
}

/// Pages (0-based, not the last) where a heading ends with fewer than two lines of the
/// part it heads, which goes on to the next page: (page, heading).
pub fn headings_short_of_two_lines(units: &[Unit], per_line: &[Vec<Vec<usize>>]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (page, lines) in per_line.iter().enumerate().take(per_line.len().saturating_sub(1)) {
        let last_heading =
            lines.iter().rposition(|here| here.last().is_some_and(|&u| units[u].kind == Kind::Heading));
        let Some(at) = last_heading else { continue };
        let heading = *lines[at].last().expect("found above");
        let Some(&headed) = lines[at + 1..].iter().flatten().find(|&&u| u != heading) else { continue };
        let on_this_page = lines[at + 1..].iter().filter(|here| here.contains(&headed)).count();
        let goes_on = per_line[page + 1].iter().flatten().any(|&u| u == headed);
        if goes_on && on_this_page < 2 {
            out.push((page, units[heading].label.clone()));
        }
    }
    out
}
