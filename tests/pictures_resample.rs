//! Pictures stored at the resolution print needs (issues 24 and 25), through the CLI: a
//! 3000×2000 photo makes a small PDF, printed exactly as large as before; the EPUB and
//! the site get a copy at most 1600 pixels wide; and the template prints no picture
//! larger than the budget assumes (`handouts::pictures::sizing`), on either paper, in
//! regular and large print.

mod common;

use std::path::Path;

use assert_cmd::Command;
use handouts::pictures::sizing::{LARGEST_PRINT_INCHES, PRINT_BUDGET, SCREEN_BUDGET};

/// A photo-like `width`×`height` picture: gradients under strong pseudo-random noise,
/// which compresses about as badly as a real photo's grain.
fn photo(width: u32, height: u32) -> image::RgbImage {
    let mut seed: u32 = 0x9E37_79B9;
    image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 61) as i32 - 30;
        let c = |v: u32| (v as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([c(x * 255 / width), c(y * 255 / height), c((x / 3 + y / 2) % 256)])
    })
}

fn jpeg(image: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)).unwrap();
    out
}

/// A flat-coloured PNG: tiny however many pixels it has.
fn flat_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([11, 83, 148]));
    let mut out = Vec::new();
    image.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)).unwrap();
    out
}

/// An article showing `pictures` (file names under content/pictures/), one after another.
fn article(title: &str, pictures: &[&str]) -> String {
    let figures: String =
        pictures.iter().map(|name| format!("![A picture called {name}](pictures/{name})\n\n")).collect();
    format!(
        "---\ntitle: {title}\nlang: en\nreviewed: 2026-01-01\n---\nLook at the picture below.\n\n{figures}That is all.\n"
    )
}

/// A project folder: content/ with `articles` (file name, text) and `pictures` (file
/// name, bytes) under content/pictures/.
fn project(articles: &[(&str, String)], pictures: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("pictures")).unwrap();
    for (name, bytes) in pictures {
        std::fs::write(content.join("pictures").join(name), bytes).unwrap();
    }
    for (name, text) in articles {
        std::fs::write(content.join(name), text).unwrap();
    }
    dir
}

/// `handouts build` of the project in `dir` with the repository's handouts.toml.
fn build(dir: &Path, args: &[&str]) {
    let output = Command::cargo_bin("handouts")
        .unwrap()
        .current_dir(common::root())
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("build")
        .args(args)
        .arg("--content")
        .arg(dir.join("content"))
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Where each image of a PDF is drawn: its printed width and height in points and its
/// pixels, in the order the pages draw them. Follows the content stream's `q`, `Q`
/// and `cm` (and form XObjects) to the `Do` that paints the image's unit square.
fn placements(pdf: &[u8]) -> Vec<(f64, f64, i64, i64)> {
    use lopdf::{Dictionary, Document, Object};

    type Matrix = [f64; 6];
    fn concat(m: &Matrix, ctm: &Matrix) -> Matrix {
        [
            m[0] * ctm[0] + m[1] * ctm[2],
            m[0] * ctm[1] + m[1] * ctm[3],
            m[2] * ctm[0] + m[3] * ctm[2],
            m[2] * ctm[1] + m[3] * ctm[3],
            m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
            m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
        ]
    }
    fn number(object: &Object) -> f64 {
        object.as_float().map(f64::from).or_else(|_| object.as_i64().map(|n| n as f64)).unwrap()
    }
    fn walk(
        document: &Document,
        content: &[u8],
        resources: &Dictionary,
        ctm: Matrix,
        out: &mut Vec<(f64, f64, i64, i64)>,
    ) {
        let xobjects = resources
            .get(b"XObject")
            .and_then(|x| document.dereference(x))
            .and_then(|(_, x)| x.as_dict())
            .ok();
        let mut stack = Vec::new();
        let mut ctm = ctm;
        for op in lopdf::content::Content::decode(content).unwrap().operations {
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap(),
                "cm" => {
                    let m: Vec<f64> = op.operands.iter().map(number).collect();
                    ctm = concat(&m.try_into().unwrap(), &ctm);
                }
                "Do" => {
                    let name = op.operands[0].as_name().unwrap();
                    let (_, object) = document.dereference(xobjects.unwrap().get(name).unwrap()).unwrap();
                    let stream = object.as_stream().unwrap();
                    let subtype = stream.dict.get(b"Subtype").unwrap().as_name().unwrap();
                    if subtype == b"Image" {
                        let pixels = |key: &[u8]| stream.dict.get(key).unwrap().as_i64().unwrap();
                        let (width, height) = (ctm[0].hypot(ctm[1]), ctm[2].hypot(ctm[3]));
                        out.push((width, height, pixels(b"Width"), pixels(b"Height")));
                    } else if subtype == b"Form" {
                        let matrix = match stream.dict.get(b"Matrix") {
                            Ok(m) => m
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(number)
                                .collect::<Vec<_>>()
                                .try_into()
                                .unwrap(),
                            Err(_) => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                        };
                        let inner = stream
                            .dict
                            .get(b"Resources")
                            .and_then(|r| document.dereference(r))
                            .and_then(|(_, r)| r.as_dict());
                        let content =
                            stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
                        walk(document, &content, inner.unwrap_or(resources), concat(&matrix, &ctm), out);
                    }
                }
                _ => {}
            }
        }
    }

    let document = Document::load_mem(pdf).expect("PDF parses");
    let mut out = Vec::new();
    for page in document.get_pages().into_values() {
        let content = document.get_page_content(page).unwrap();
        let page_dict = document.get_dictionary(page).unwrap();
        let resources = page_dict
            .get(b"Resources")
            .and_then(|r| document.dereference(r))
            .and_then(|(_, r)| r.as_dict())
            .unwrap();
        walk(&document, &content, resources, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], &mut out);
    }
    out
}

/// The pixel size of a JPEG file.
fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).unwrap();
    (image.width(), image.height())
}

#[test]
fn a_large_photo_makes_a_small_pdf_and_is_printed_as_large_as_before() {
    let large = photo(3000, 2000);
    let small = image::imageops::resize(&large, 600, 400, image::imageops::FilterType::Triangle);
    let large = jpeg(&large);
    assert!(large.len() > 2 << 20, "the photo is a large file: {} bytes", large.len());
    let dir = project(
        &[("large.md", article("Large", &["large.jpg"])), ("small.md", article("Small", &["small.jpg"]))],
        &[("large.jpg", large.clone()), ("small.jpg", jpeg(&small))],
    );
    build(dir.path(), &["--no-large-print"]);
    let out = dir.path().join("out");

    let pdf = std::fs::read(out.join("pdf/large.pdf")).unwrap();
    assert!(pdf.len() < 2 << 20, "the PDF is {} bytes", pdf.len());
    let [(width, height, pixels_x, pixels_y)] = placements(&pdf)[..] else { panic!("one image") };
    assert_eq!((pixels_x, pixels_y), (1755, 1170), "kept at the print budget, shape and all");
    let [(small_width, small_height, 600, 400)] =
        placements(&std::fs::read(out.join("pdf/small.pdf")).unwrap())[..]
    else {
        panic!("one image of 600×400")
    };
    assert!(
        (width - small_width).abs() < 0.01 && (height - small_height).abs() < 0.01,
        "printed at {width}×{height} pt, the small one at {small_width}×{small_height} pt"
    );
    // Printed at most 300 pixels per inch, and not much less (the height is the limit).
    assert!((pixels_y as f64 / (height / 72.0) - 300.0).abs() < 30.0, "{height} pt high");

    // The EPUB and the site: a copy at most 1600 pixels wide.
    let epub = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut packaged = Vec::new();
    std::io::Read::read_to_end(
        &mut archive.by_name("OEBPS/pictures/pictures/large.jpg").unwrap(),
        &mut packaged,
    )
    .unwrap();
    assert_eq!(jpeg_size(&packaged), (SCREEN_BUDGET.width, 1067));
    let site = std::fs::read(out.join("site/pictures/pictures/large.jpg")).unwrap();
    assert_eq!(site, packaged, "the same copy for the site");
    // The small picture is shown as it is, everywhere.
    let small_file = std::fs::read(dir.path().join("content/pictures/small.jpg")).unwrap();
    assert_eq!(std::fs::read(out.join("site/pictures/pictures/small.jpg")).unwrap(), small_file);

    // Built again from scratch: the same bytes.
    let again = project(&[("large.md", article("Large", &["large.jpg"]))], &[("large.jpg", large)]);
    build(again.path(), &["--no-large-print", "--no-epub"]);
    assert_eq!(std::fs::read(again.path().join("out/pdf/large.pdf")).unwrap(), pdf);
}

#[test]
fn no_picture_is_printed_larger_than_the_budget_assumes() {
    let dir = project(
        &[("shapes.md", article("Shapes", &["wide.png", "tall.png"]))],
        &[("wide.png", flat_png(6000, 200)), ("tall.png", flat_png(200, 6000))],
    );
    let (largest_width, largest_height) = (LARGEST_PRINT_INCHES.0 * 72.0, LARGEST_PRINT_INCHES.1 * 72.0);
    let (mut widest, mut tallest) = (0.0_f64, 0.0_f64);
    for paper in ["us-letter", "a4"] {
        build(dir.path(), &["--paper", paper, "--large-print", "--no-epub", "--force"]);
        for file in ["shapes.pdf", "shapes-large.pdf"] {
            let pdf = std::fs::read(dir.path().join("out/pdf").join(file)).unwrap();
            let shown = placements(&pdf);
            assert_eq!(shown.len(), 2, "{paper} {file}: {shown:?}");
            for &(width, height, pixels_x, pixels_y) in &shown {
                assert!(
                    width <= largest_width + 0.5 && height <= largest_height + 0.5,
                    "{paper} {file}: a picture printed {width}×{height} pt, larger than \
                     LARGEST_PRINT_INCHES ({largest_width}×{largest_height} pt): raise it and the budget"
                );
                assert!(pixels_x <= PRINT_BUDGET.width.into() && pixels_y <= PRINT_BUDGET.height.into());
                widest = widest.max(width);
                tallest = tallest.max(height);
            }
        }
    }
    // And as large as that: a budget larger than any print wastes bytes.
    assert!(
        (widest - largest_width).abs() < 0.5 && (tallest - largest_height).abs() < 0.5,
        "the largest pictures are printed {widest} pt wide and {tallest} pt high, not \
         LARGEST_PRINT_INCHES ({largest_width}×{largest_height} pt): lower it and the budget"
    );
}
