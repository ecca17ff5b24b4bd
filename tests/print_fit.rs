//! What prints at the edges of a large-print handout (issue 24), read back from the PDF
//! with poppler's `pdftotext -bbox` and `zbarimg` (both installed by `.ci/run`): a long
//! title is one running-header line ending in "…", a long address keeps `www.`, loses its
//! tracking parameters and never repeats a hyphen, no word is printed in the outer
//! margin, the footer's lines do not overlap, and every QR code reads at 100 dpi and
//! holds the address printed beside it. On Letter and A4, in English and Spanish.

mod common;

use std::path::Path;
use std::process::Command;

const TITLE: &str = "What to expect during and after radiation therapy to the head and neck, and how to look after your mouth and skin";
const URL: &str = "https://www.example-health.org/patient-education/radiation-therapy/head-and-neck/what-to-expect-during-and-after-treatment?utm_source=newsletter&utm_medium=email&fbclid=abc123&id=42";
const CLEAN: &str = "https://www.example-health.org/patient-education/radiation-therapy/head-and-neck/what-to-expect-during-and-after-treatment?id=42";
const ES_URL: &str = "https://www.example-health.org/es/educacion/como-revisar-sus-pies-si-tiene-diabetes-todos-los-dias-en-casa.html";

fn article(title: &str, lang: &str, url: &str, paragraph: &str) -> String {
    let body = (0..14).map(|_| paragraph).collect::<Vec<_>>().join("\n\n");
    format!("---\ntitle: \"{title}\"\nlang: {lang}\nurl: \"{url}\"\nreviewed: 2026-10-01\n---\n\n{body}\n")
}

/// Words of each page: (page width, page height, [(xMin, yMin, xMax, yMax, word)]).
type Page = (f64, f64, Vec<(f64, f64, f64, f64, String)>);

fn pages(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext runs");
    let html = String::from_utf8_lossy(&output.stdout);
    let number = |tag: &str, key: &str| -> f64 {
        let at = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let mut out: Vec<Page> = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            out.push((number(line, "width"), number(line, "height"), Vec::new()));
        } else if line.starts_with("<word ") {
            let text = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            let word =
                (number(line, "xMin"), number(line, "yMin"), number(line, "xMax"), number(line, "yMax"));
            out.last_mut().unwrap().2.push((word.0, word.1, word.2, word.3, text.replace("&amp;", "&")));
        }
    }
    out
}

fn build(dir: &Path, paper: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args([
            "build",
            "--quiet",
            "--no-epub",
            "--large-print",
            "--paper",
            paper,
            "--content",
            "content",
            "--out",
        ])
        .arg(format!("out-{paper}"))
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn titles_addresses_footers_and_qr_codes_fit_their_space() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let english = "Radiation can make your mouth sore and your skin red. Rinse your mouth with salt water after every meal, and use a soft toothbrush. Keep the skin clean and dry.";
    let spanish = "La diabetes puede dañar los nervios de los pies. Revise sus pies todos los días con buena luz y use un espejo para ver la planta del pie.";
    // Long enough for a second page, with its running header, in regular print too
    // (one that ends high on its second page is tightened onto one).
    let english = format!("{english} {english}");
    std::fs::write(content.join("radiation.md"), article(TITLE, "en", URL, &english)).unwrap();
    std::fs::write(
        content.join("pies.md"),
        article("Cómo revisar sus pies si tiene diabetes", "es", ES_URL, spanish),
    )
    .unwrap();
    let mut table = vec![format!("{:<34} {:>5} {:>6}  {}", "PDF", "pages", "words", "QR at 100 dpi")];
    for paper in ["us-letter", "a4"] {
        build(dir.path(), paper);
        for pdf in std::fs::read_dir(dir.path().join(format!("out-{paper}/pdf"))).unwrap() {
            let pdf = pdf.unwrap().path();
            let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
            let pages = pages(&pdf);
            let words: usize = pages.iter().map(|p| p.2.len()).sum();
            // Nothing in the outer 8 mm of the sheet, where printers cut or do not print.
            let edge = 8.0 / 25.4 * 72.0;
            for (index, (width, height, words)) in pages.iter().enumerate() {
                for (x0, y0, x1, y1, word) in words {
                    assert!(
                        *x0 >= edge && *y0 >= edge && *x1 <= width - edge && *y1 <= height - edge,
                        "{name} page {}: \"{word}\" at ({x0:.0},{y0:.0})–({x1:.0},{y1:.0}) is in the margin",
                        index + 1
                    );
                }
            }
            let text = |page: &Page| page.2.iter().map(|w| w.4.as_str()).collect::<Vec<_>>().join(" ");
            let all: String = pages.iter().map(text).collect::<Vec<_>>().join(" ");
            let joined: String = all.split_whitespace().collect();
            if name.starts_with("what-to-expect") {
                // The running header of page 2 on: one line, cut with "…".
                let second = &pages[1].2;
                let top = second.iter().map(|w| w.1).fold(f64::MAX, f64::min);
                let header: Vec<&str> =
                    second.iter().filter(|w| (w.1 - top).abs() < 2.0).map(|w| w.4.as_str()).collect();
                assert!(header.iter().any(|w| w.ends_with('…')), "{name}: header {header:?}");
                let below = second.iter().filter(|w| w.1 > top + 2.0).map(|w| w.1).fold(f64::MAX, f64::min);
                let header_height =
                    second.iter().filter(|w| (w.1 - top).abs() < 2.0).map(|w| w.3 - w.1).fold(0.0, f64::max);
                assert!(
                    below > top + header_height * 1.2,
                    "{name}: the header is one line, clear of the body"
                );
                assert!(joined.contains("www.example-health.org/patient-education/"), "{name}: www. is kept");
                assert!(
                    !joined.contains("utm_") && !joined.contains("fbclid"),
                    "{name}: tracking parameters dropped"
                );
            } else {
                assert!(joined.contains("como-revisar-sus-pies-si-tiene-diabetes"), "{name}: {joined}");
                assert!(!joined.contains("--"), "{name}: a hyphen repeated at a line break");
                assert!(
                    all.contains("Revisado el 1 de octubre de 2026"),
                    "{name}: the date as Spanish writes it"
                );
            }
            // The footer's lines, at the bottom of page 1, are apart: a line's box (the
            // font's ascent to descent, about 1.24 em) is at least 90 % of the distance to
            // the next line's, so lines are set 1.1 em apart or more, never crammed.
            let (_, height, first) = &pages[0];
            let mut footer: Vec<(f64, f64)> =
                first.iter().filter(|w| w.1 > height * 0.9).map(|w| (w.1, w.3)).collect();
            footer.sort_by(|a, b| a.0.total_cmp(&b.0));
            footer.dedup_by(|b, a| (b.0 - a.0).abs() < 1.0);
            for pair in footer.windows(2) {
                let (pitch, box_height) = (pair[1].0 - pair[0].0, pair[0].1 - pair[0].0);
                assert!(pitch >= 0.9 * box_height, "{name}: footer lines crammed: {footer:?}");
            }
            // The QR code on the last page, photographed badly: 100 dpi.
            let prefix = dir.path().join(format!("{paper}-{name}"));
            let status = Command::new("pdftoppm")
                .args(["-r", "100", "-png", "-f"])
                .arg(pages.len().to_string())
                .arg(&pdf)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(status.success());
            let render = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    p.to_string_lossy().starts_with(&*prefix.to_string_lossy())
                        && p.extension().is_some_and(|e| e == "png")
                })
                .unwrap();
            let decoded =
                Command::new("zbarimg").args(["--raw", "-q"]).arg(&render).output().expect("zbarimg runs");
            let decoded = String::from_utf8_lossy(&decoded.stdout).trim().to_string();
            let expected = if name.starts_with("what-to-expect") { CLEAN } else { ES_URL };
            assert_eq!(decoded, expected, "{name}: the QR code at 100 dpi");
            let printed: String =
                expected.trim_start_matches("https://").chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                joined.contains(&printed) || joined.contains(printed.trim_end_matches('/')),
                "{name}: the printed address is the encoded one"
            );
            table.push(format!(
                "{:<34} {:>5} {:>6}  {}",
                format!("{paper}/{name}"),
                pages.len(),
                words,
                "read"
            ));
        }
    }
    println!("{}", table.join("\n"));
}

/// Fewest sheets first (issue 24): a short handout with a call box that the designed
/// spacing puts on two pages is set on one sheet in regular print, tightened within the
/// designer's floor (11.5 pt); large print keeps its size and takes two.
#[test]
fn a_short_handout_fits_one_sheet() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::root().join("tests/fixtures/short"), &dir.path().join("content"));
    build(dir.path(), "us-letter");
    let pages = |name: &str| pages(&dir.path().join("out-us-letter/pdf").join(name)).len();
    let words =
        std::fs::read_to_string(dir.path().join("content/flu-shot.md")).unwrap().split_whitespace().count();
    assert!(words < 260, "{words} words");
    assert_eq!(pages("your-flu-shot.pdf"), 1, "a {words}-word handout on one sheet");
    assert_eq!(pages("your-flu-shot-large.pdf"), 2, "large print is never made smaller");
    // The body text is not set below the designer's floor.
    let pdf = std::fs::read(dir.path().join("out-us-letter/pdf/your-flu-shot.pdf")).unwrap();
    assert!(common::pdf_body_font_size(&pdf) >= 11.5, "{}", common::pdf_body_font_size(&pdf));
}
