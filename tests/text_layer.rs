//! The PDF's text layer says every word of the article once, in every script the fonts
//! cover (issue 24: "Nguyễn" copied as "Nguyễễn", "مُ" as "مُمُ").
//!
//! The text is read back the way PDF readers do, with lopdf: each glyph's characters
//! from its font's ToUnicode CMap, replaced by `/ActualText` where a span gives one
//! (Acrobat, Chrome, poppler's pdftotext) or not (readers that ignore it), and
//! `/ReversedChars` runs put back in reading order. pdf-extract cannot be used for
//! this: it puts a space wherever the text position jumps, so a raised mark drawn as a
//! glyph of its own ("ễ" as "ê" and a tilde; Arabic vowel marks) splits its word. Nor
//! can pdftotext (and CI does not install it): it groups characters into lines by
//! their baseline and moves raised Arabic and Hebrew marks to other words and lines.
//!
//! Right-to-left lines are read in logical order: typst writes each run of glyphs in
//! visual order (a run of several is marked `/ReversedChars`) and the runs of a line
//! left to right, so the runs of a line whose letters are mostly right-to-left are
//! read from the right.

mod common;

use std::collections::HashMap;
use std::path::Path;

use handouts::ingest::ingest_bytes;
use handouts::typeset::{Typesetter, Variant};
use lopdf::{Document, Object};
use unicode_normalization::UnicodeNormalization;

/// The article: script → its paragraphs.
const SCRIPTS: &[(&str, &str)] = &[
    (
        "Vietnamese",
        "Nguyễn Trần Quốc Tiếng Việt Những Người Huyết Thuốc Uống Nhiễm Đặng Phở Thuở Lưỡi Ở Bệnh Được \
         Đầu Mẹ khỏe Ngủ Hỏi bắt chữa ắt",
    ),
    ("Vietnamese (NFD input)", "NFD"),
    ("Arabic", "مرحبا بكم في المستشفى الطبيب الدواء صحة. مُسْتَشْفَى طَبِيب الدَّوَاء صِحَّة."),
    ("Hebrew", "שלום רופא בית חולים תרופה בריאות. שָׁלוֹם רוֹפֵא בְּרִיאוּת."),
    ("Greek", "Καλημέρα γιατρός νοσοκομείο φάρμακο ὑγεία ἄνθρωπος Ἀθῆναι."),
    ("Russian", "Здравствуйте врач больница лекарство здоровье ёлка йод."),
    // A base letter Atkinson Hyperlegible lacks with a mark it has: printed whole by the
    // next font only because the template says which letters Atkinson covers.
    ("Russian stress marks", "Зда́ние приве́т лека́рство."),
    ("Yoruba", "ẹ́kọ́ ọ̀nà ilé-ìwòsàn."),
    ("Chinese", "你好 医生 医院 药物 健康 癌症。请按时服药。"),
    ("Emoji", "😀 👍🏽 👩‍⚕️ 👨‍👩‍👧 🇻🇳 🇺🇸 ❤️ 🏳️‍🌈 ✋🏿"),
];

/// The Vietnamese words again, decomposed (NFD), as some editors and Macs save them.
fn paragraph(script: &str, text: &str) -> String {
    let text: String = if text == "NFD" { SCRIPTS[0].1.nfd().collect() } else { text.to_string() };
    if script.starts_with("Vietnamese") { text + "." } else { text }
}

fn article_source() -> String {
    let mut md = String::from("---\ntitle: Xin chào Nguyễn Trần Quốc\nlang: vi\n---\n\n");
    for (script, text) in SCRIPTS {
        md.push_str(&format!("## {script}\n\n{}\n\n", paragraph(script, text)));
    }
    md
}

/// Words: split at spaces and punctuation only (marks, joiners and emoji are parts of
/// words), NFC-normalised.
fn words(text: &str) -> Vec<String> {
    let separator = |c: char| c.is_whitespace() || c.is_ascii_punctuation() || "。、，،؛؟«»".contains(c);
    text.split(separator).filter(|w| !w.is_empty()).map(|w| w.nfc().collect()).collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Reader {
    /// Honours `/ActualText` (Acrobat, Chrome, pdftotext).
    ActualText,
    /// Only the fonts' ToUnicode CMaps (readers without `/ActualText` support).
    CmapOnly,
}

/// One text object (`BT … ET`, one typst text item): where it starts and what it says.
struct Run {
    y: f32,
    size: f32,
    /// Each glyph's text, or a span's `/ActualText`, in the order they are drawn.
    units: Vec<String>,
    /// Marked `/ReversedChars`: the glyphs are drawn from the end of the text.
    reversed: bool,
    text: String,
}

/// The text of a PDF, line by line, as `reader` reads it.
fn text_layer(pdf: &[u8], reader: Reader) -> Vec<String> {
    let document = Document::load_mem(pdf).expect("PDF parses");
    let mut lines = Vec::new();
    for page in document.get_pages().values() {
        let fonts: HashMap<Vec<u8>, HashMap<u16, String>> = document
            .get_page_fonts(*page)
            .expect("page fonts")
            .into_iter()
            .map(|(name, font)| (name, to_unicode(&document, font)))
            .collect();
        let runs = runs(&document, *page, &fonts, reader);
        lines.extend(into_lines(runs));
    }
    lines
}

/// The glyph → text map of a font's ToUnicode CMap (`bfchar` and `bfrange` entries).
fn to_unicode(document: &Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let Ok(cmap) = font.get(b"ToUnicode").and_then(|o| document.dereference(o)) else { return map };
    let bytes = cmap.1.as_stream().expect("a CMap stream").decompressed_content().expect("CMap decodes");
    let text = String::from_utf8_lossy(&bytes);
    let hex = |s: &str| -> Vec<u16> {
        let digits: Vec<char> = s.chars().filter(char::is_ascii_hexdigit).collect();
        digits.chunks(4).map(|c| u16::from_str_radix(&c.iter().collect::<String>(), 16).unwrap()).collect()
    };
    let utf16 = |units: &[u16]| String::from_utf16(units).expect("UTF-16 in the CMap");
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            section = if line.ends_with("bfchar") { "char" } else { "range" };
            continue;
        }
        if line.starts_with("end") {
            section = "";
            continue;
        }
        let fields: Vec<&str> = line.split('>').map(|f| f.trim().trim_start_matches('<')).collect();
        match section {
            "char" if fields.len() >= 2 => {
                map.insert(hex(fields[0])[0], utf16(&hex(fields[1])));
            }
            "range" if fields.len() >= 3 && !line.contains('[') => {
                let (low, high, start) = (hex(fields[0])[0], hex(fields[1])[0], hex(fields[2]));
                for (k, code) in (low..=high).enumerate() {
                    let mut units = start.clone();
                    *units.last_mut().unwrap() += k as u16;
                    map.insert(code, utf16(&units));
                }
            }
            _ => {}
        }
    }
    map
}

/// The page's text objects in content order.
fn runs(
    document: &Document,
    page: lopdf::ObjectId,
    fonts: &HashMap<Vec<u8>, HashMap<u16, String>>,
    reader: Reader,
) -> Vec<Run> {
    type Matrix = [f32; 6];
    let multiply = |a: Matrix, b: Matrix| -> Matrix {
        [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]
    };
    let numbers = |operands: &[Object]| -> Matrix {
        let v: Vec<f32> = operands.iter().map(|o| o.as_float().expect("a number")).collect();
        [v[0], v[1], v[2], v[3], v[4], v[5]]
    };
    let content = document.get_and_decode_page_content(page).expect("page content decodes");
    let mut out = Vec::new();
    let (mut ctm, mut stack): (Matrix, Vec<Matrix>) = ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], Vec::new());
    let (mut font, mut size) = (Vec::new(), 0.0);
    // Open marked content: its /ActualText still to be said (`Some("")` once said).
    let mut marks: Vec<Option<String>> = Vec::new();
    let mut run: Option<Run> = None;
    for op in content.operations {
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().expect("balanced q/Q"),
            "cm" => ctm = multiply(numbers(&op.operands), ctm),
            "BT" => {
                run = Some(Run { y: f32::NAN, size, units: Vec::new(), reversed: false, text: String::new() })
            }
            "Tf" => {
                font = op.operands[0].as_name().expect("font name").to_vec();
                size = op.operands[1].as_float().expect("font size");
            }
            "Tm" => {
                let origin = multiply(numbers(&op.operands), ctm);
                if let Some(run) = run.as_mut().filter(|run| run.y.is_nan()) {
                    (run.y, run.size) = (origin[5], size);
                }
            }
            "BMC" | "BDC" => {
                let tag = op.operands[0].as_name().unwrap_or_default();
                let actual =
                    op.operands.get(1).and_then(|o| o.as_dict().ok()).and_then(|d| d.get(b"ActualText").ok());
                let actual = actual
                    .filter(|_| reader == Reader::ActualText)
                    .map(|o| utf16_string(o.as_str().unwrap()));
                if tag == b"ReversedChars"
                    && let Some(run) = run.as_mut()
                {
                    run.reversed = true;
                }
                marks.push(actual);
            }
            "EMC" => {
                marks.pop();
            }
            "Tj" | "TJ" => {
                let strings: Vec<&[u8]> = match op.operator.as_str() {
                    "Tj" => vec![op.operands[0].as_str().unwrap()],
                    _ => op.operands[0].as_array().unwrap().iter().filter_map(|o| o.as_str().ok()).collect(),
                };
                // Inside an /ActualText span its text stands for all the glyphs, once.
                if let Some(index) = marks.iter().rposition(Option::is_some) {
                    let actual = marks[index].replace(String::new());
                    say(&mut run, actual.unwrap_or_default());
                    continue;
                }
                let map = &fonts[&font];
                for string in strings {
                    for code in string.chunks(2) {
                        let glyph = u16::from_be_bytes([code[0], code[1]]);
                        say(&mut run, map.get(&glyph).cloned().unwrap_or_default());
                    }
                }
            }
            "ET" => out.extend(run.take().map(|mut run| {
                // A right-to-left run is drawn from its end, however krilla split it
                // into /ReversedChars sequences: read it from the last glyph drawn.
                if run.reversed {
                    run.units.reverse();
                }
                run.text = run.units.concat();
                run
            })),
            _ => {}
        }
    }
    out
}

/// Adds one glyph's (or one span's) text to the text object being read.
fn say(run: &mut Option<Run>, text: String) {
    if !text.is_empty() {
        run.as_mut().expect("text inside BT … ET").units.push(text);
    }
}

fn utf16_string(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
    String::from_utf16(units.strip_prefix(&[0xFEFF]).unwrap_or(&units)).expect("UTF-16 text")
}

/// Runs on one baseline (a mark raised by less than its size stays on its line) make a
/// line; a mostly right-to-left line is read from its rightmost run.
fn into_lines(runs: Vec<Run>) -> Vec<String> {
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if (line[0].y - run.y).abs() < 0.8 * run.size.max(line[0].size) => line.push(run),
            _ => lines.push(vec![run]),
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            let text: String = line.iter().map(|r| r.text.as_str()).collect();
            let rtl = text.chars().filter(|&c| right_to_left(c)).count();
            let ltr = text.chars().filter(|&c| c.is_alphabetic() && !right_to_left(c)).count();
            if rtl > ltr {
                line.reverse();
            }
            line.into_iter().map(|r| r.text).collect()
        })
        .collect()
}

fn right_to_left(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF) && c.is_alphabetic()
}

/// For each script: its words, how many come back exactly (NFC), and the first few
/// that do not, as they came back.
fn compare(extracted: &[String]) -> Vec<(String, usize, usize, Vec<String>)> {
    let mut back: HashMap<String, usize> = HashMap::new();
    for word in extracted.iter().flat_map(|line| words(line)) {
        *back.entry(word).or_default() += 1;
    }
    SCRIPTS
        .iter()
        .map(|(script, text)| {
            let expected = words(&paragraph(script, text));
            let mut missing = Vec::new();
            for word in &expected {
                match back.get_mut(word) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => missing.push(word.clone()),
                }
            }
            (script.to_string(), expected.len(), expected.len() - missing.len(), missing)
        })
        .collect()
}

#[test]
fn every_word_of_every_script_comes_back_from_the_text_layer_exactly_once() {
    let config = common::repo_config(Path::new("content"), Path::new("out"));
    let typesetter = Typesetter::new(&config).expect("typesetter loads");
    let article =
        ingest_bytes(Path::new("text-layer.md"), article_source().as_bytes()).expect("article reads");
    let mut failures = Vec::new();
    println!(
        "{:<10} {:<11} {:<24} {:>5} {:>5}  not back exactly",
        "variant", "reader", "script", "words", "back"
    );
    for variant in [Variant::Regular, Variant::LargePrint] {
        let pdf = typesetter.typeset_pdf(&article, variant).expect("typesets");
        for reader in [Reader::ActualText, Reader::CmapOnly] {
            let lines = text_layer(&pdf.bytes, reader);
            for (script, total, exact, missing) in compare(&lines) {
                let reader_name = if reader == Reader::ActualText { "ActualText" } else { "CMap only" };
                println!(
                    "{:<10} {reader_name:<11} {script:<24} {total:>5} {exact:>5}  {}",
                    format!("{variant:?}"),
                    missing.iter().take(4).cloned().collect::<Vec<_>>().join(" ")
                );
                if exact != total {
                    failures.push(format!("{variant:?}/{reader_name}/{script}: {missing:?}"));
                    if failures.len() == 1 {
                        failures.push(format!("the text layer, line by line:\n{}", lines.join("\n")));
                    }
                }
            }
            if reader == Reader::ActualText && variant == Variant::Regular {
                // No doubled letters anywhere, the title and headings included.
                let all: String = lines.join("\n").nfc().collect();
                if !all.contains("Xin chào Nguyễn Trần Quốc") {
                    failures.push(format!("the title is not back exactly:\n{all}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "words that do not come back exactly:\n{}", failures.join("\n"));
}
