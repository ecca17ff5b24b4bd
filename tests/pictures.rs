//! Pictures (issue 15) through the real build: in the PDF as an image with its alt text
//! in the structure tree, in the EPUB as a file listed in the manifest (EPUBCheck clean),
//! paths out of the content folder refused naming file:line, and an edited picture
//! making its outputs again.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use handouts::build::{BuildOptions, build};
use handouts::output::BuildReport;

const ALT: &str = "A blue dot on white";

/// A small PNG: `width`×`height` pixels, a blue disc on white.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let (cx, cy, r) = (width as f32 / 2.0, height as f32 / 2.0, width.min(height) as f32 / 3.0);
        let mut data = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                let inside = (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2) < r * r;
                data.extend(if inside { [11, 83, 148] } else { [255, 255, 255] });
            }
        }
        writer.write_image_data(&data).unwrap();
    }
    bytes
}

/// A project folder: content/ with `articles` (name, text) and pictures/dot.png.
fn project(articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("pictures")).unwrap();
    std::fs::write(content.join("pictures/dot.png"), png(60, 40)).unwrap();
    for (name, text) in articles {
        let path = content.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn article_with(picture: &str) -> String {
    format!(
        "---\ntitle: Dots\nlang: en\nreviewed: 2026-01-01\n---\nLook at the dot below every day.\n\n{picture}\n\nThat is all.\n"
    )
}

fn run(dir: &Path) -> BuildReport {
    let config = common::repo_config(&dir.join("content"), &dir.join("out"));
    build(&config, &BuildOptions { epub: true, quiet: true, ..BuildOptions::default() }).expect("build runs")
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding (ASCII here).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The image XObjects of a PDF (width, height), and the alt texts of its Figure
/// structure elements.
fn images_and_figures(pdf: &[u8]) -> (Vec<(i64, i64)>, Vec<String>) {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    assert!(document.catalog().unwrap().get(b"StructTreeRoot").is_ok(), "tagged PDF");
    let mut images = Vec::new();
    let mut figures = Vec::new();
    for object in document.objects.values() {
        let dict = match object {
            lopdf::Object::Stream(stream) => &stream.dict,
            lopdf::Object::Dictionary(dict) => dict,
            _ => continue,
        };
        if dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Image") {
            let number = |key: &[u8]| dict.get(key).and_then(|v| v.as_i64()).unwrap_or(0);
            images.push((number(b"Width"), number(b"Height")));
        }
        if dict.get(b"S").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Figure") {
            let alt = dict.get(b"Alt").and_then(|a| a.as_str()).map(text_string).unwrap_or_default();
            figures.push(alt);
        }
    }
    (images, figures)
}

fn zip_entry(epub: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut entry = archive.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap();
    Some(bytes)
}

fn epubcheck(path: &Path) -> String {
    let script = common::root().join("scripts/epubcheck.sh");
    let output =
        Command::new("bash").arg(&script).arg(path).output().expect("bash runs scripts/epubcheck.sh");
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "EPUBCheck failed:\n{report}");
    report
}

#[test]
fn a_picture_is_an_image_in_the_pdf_with_its_alt_text_and_a_file_in_the_epub() {
    let picture = format!("![{ALT}](pictures/dot.png \"The dot, seen from above.\")");
    let dir = project(&[("dots.md", &article_with(&picture))]);
    let report = run(dir.path());
    assert!(report.failures.is_empty(), "{:?}", report.failures);

    let pdf = std::fs::read(dir.path().join("out/pdf/dots.pdf")).unwrap();
    let (images, figures) = images_and_figures(&pdf);
    assert_eq!(images, [(60, 40)], "one image object, the picture's own pixels");
    assert!(figures.iter().any(|alt| alt == ALT), "a Figure with the alt text: {figures:?}");
    assert!(common::pdf_text(&pdf).contains("The dot, seen from above."));

    let epub_path = dir.path().join("out").join(report.epub.as_deref().expect("EPUB written"));
    let epub = std::fs::read(&epub_path).unwrap();
    assert_eq!(
        zip_entry(&epub, "OEBPS/pictures/pictures/dot.png").as_deref(),
        Some(&png(60, 40)[..]),
        "the picture's bytes, packaged"
    );
    let opf = String::from_utf8(zip_entry(&epub, "OEBPS/package.opf").unwrap()).unwrap();
    assert!(opf.contains("href=\"pictures/pictures/dot.png\" media-type=\"image/png\""), "{opf}");
    assert!(opf.contains("<meta property=\"schema:accessMode\">visual</meta>"), "{opf}");
    let chapter = String::from_utf8(zip_entry(&epub, "OEBPS/dots.xhtml").unwrap()).unwrap();
    assert!(
        chapter.contains(&format!("<img src=\"pictures/pictures/dot.png\" alt=\"{ALT}\"/>")),
        "{chapter}"
    );
    assert!(epubcheck(&epub_path).contains("No errors or warnings detected"));
}

#[test]
fn the_shipped_example_picture_is_a_figure_with_its_alt_text() {
    let out = tempfile::tempdir().unwrap();
    let config = common::repo_config(&common::root().join("content"), out.path());
    let options = BuildOptions {
        quiet: true,
        files: vec![common::root().join("content/diabetes-foot-check.md")],
        ..BuildOptions::default()
    };
    let report = build(&config, &options).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let pdf = std::fs::read(out.path().join("pdf/checking-your-feet-when-you-have-diabetes.pdf")).unwrap();
    let (_, figures) = images_and_figures(&pdf);
    assert!(
        figures.iter().any(|alt| alt == "A person checks the sole of their foot with a hand mirror"),
        "{figures:?}"
    );
    let svg = std::fs::read(common::root().join("content/pictures/foot-check.svg")).unwrap();
    assert!(svg.len() < 10 * 1024);
}

/// Each failure of the build as (file name, line, message).
fn failures(report: &BuildReport) -> Vec<(String, Option<usize>, String)> {
    report
        .failures
        .iter()
        .map(|f| {
            let file =
                f.file.as_deref().map(|p| Path::new(p).file_name().unwrap().to_string_lossy().into_owned());
            (file.unwrap_or_default(), f.line, f.message.clone())
        })
        .collect()
}

#[test]
fn picture_paths_out_of_the_content_folder_are_refused_naming_file_and_line() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), png(4, 4)).unwrap();
    let dir = project(&[
        ("good.md", &article_with("![A dot](pictures/dot.png)")),
        ("up.md", &article_with("![A file](../../etc/passwd.png)")),
        ("absolute.md", &article_with("![A file](/etc/x.png)")),
        ("sub/link.md", &article_with("![A file](../pictures/link.png)")),
        ("missing.md", &article_with("![A file](pictures/nothere.png)")),
        ("fake.md", &article_with("![A file](pictures/fake.png)")),
        ("gif.md", &article_with("![A file](pictures/dot.gif)")),
    ]);
    let pictures = dir.path().join("content/pictures");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.png"), pictures.join("link.png")).unwrap();
    std::fs::write(pictures.join("fake.png"), "<html>not a picture</html>").unwrap();
    std::fs::write(pictures.join("dot.gif"), "GIF89a").unwrap();

    let report = run(dir.path());
    let found = failures(&report);
    let expect = |file: &str, message: &str| {
        let failure = found.iter().find(|(f, _, _)| f == file).unwrap_or_else(|| panic!("{file}: {found:?}"));
        assert_eq!(failure.1, Some(8), "{failure:?}");
        assert!(failure.2.contains(&format!("{file}:8: picture \"")), "{failure:?}");
        assert!(failure.2.contains(message), "{file}: {}", failure.2);
    };
    expect("up.md", "picture path leads outside the content folder");
    expect("absolute.md", "the path is absolute");
    #[cfg(unix)]
    expect("link.md", "picture path leads outside the content folder");
    expect("missing.md", "file not found (pictures/nothere.png in the content folder)");
    expect("fake.md", "the file is named as a PNG picture but is not a PNG, JPEG or SVG picture");
    expect("gif.md", "pictures must be PNG, JPEG or SVG files");
    assert!(report.failures.iter().all(|f| f.kind == handouts::error::Kind::Input));
    // The rest of the batch is built.
    assert!(dir.path().join("out/pdf/dots.pdf").exists() || report.pdfs.iter().any(|p| p.contains("dots")));
    assert!(report.articles.iter().any(|a| a.source.ends_with("good.md")));
}

#[test]
fn check_and_inspect_resolve_pictures_too() {
    let dir = project(&[("up.md", &article_with("![A file](../outside.png)"))]);
    let config = common::repo_config(&dir.path().join("content"), &dir.path().join("out"));
    let batch = handouts::build::load_batch(&config, None).unwrap();
    assert!(batch.articles.is_empty());
    assert!(batch.failures[0].to_string().ends_with(
        "up.md:8: picture \"../outside.png\": picture path leads outside the content folder; copy the picture into content/pictures/ and point to it there"
    ));

    // A draft outside the content folder may show pictures beside it, no further.
    let drafts = tempfile::tempdir().unwrap();
    std::fs::create_dir(drafts.path().join("pictures")).unwrap();
    std::fs::write(drafts.path().join("pictures/dot.png"), png(4, 4)).unwrap();
    let draft = drafts.path().join("draft.md");
    std::fs::write(&draft, article_with("![A dot](pictures/dot.png)")).unwrap();
    let batch = handouts::build::load_batch(&config, Some(std::slice::from_ref(&draft))).unwrap();
    assert!(batch.failures.is_empty(), "{:?}", batch.failures);
    let handouts::model::Block::Figure { src, .. } = &batch.articles[0].blocks[1] else {
        panic!("{:?}", batch.articles[0].blocks)
    };
    assert_eq!(src, "pictures/dot.png");
}

#[test]
fn an_edited_picture_makes_its_handouts_and_the_epub_again() {
    let dir = project(&[
        ("dots.md", &article_with(&format!("![{ALT}](pictures/dot.png)"))),
        ("plain.txt", "Hand washing\n\nWash your hands with soap and water for twenty seconds every time.\n"),
    ]);
    let first = run(dir.path());
    assert!(first.failures.is_empty(), "{:?}", first.failures);
    let again = run(dir.path());
    assert!(again.pdfs.is_empty() && again.epub.is_none(), "nothing changed: {:?}", again.pdfs);

    std::fs::write(dir.path().join("content/pictures/dot.png"), png(80, 40)).unwrap();
    let edited = run(dir.path());
    assert_eq!(
        edited.pdfs.iter().map(|p| &**p).collect::<Vec<_>>(),
        ["pdf/dots.pdf", "pdf/dots-large.pdf"],
        "only the handouts showing it"
    );
    assert!(edited.epub.is_some(), "the EPUB packages the new bytes");
    let (images, _) = images_and_figures(&std::fs::read(dir.path().join("out/pdf/dots.pdf")).unwrap());
    assert_eq!(images, [(80, 40)]);

    // A picture that is gone fails its article, which keeps its last good handouts.
    std::fs::remove_file(dir.path().join("content/pictures/dot.png")).unwrap();
    let gone = run(dir.path());
    assert_eq!(failures(&gone).len(), 1, "{:?}", gone.failures);
    assert!(dir.path().join("out/pdf/dots.pdf").exists());
}

#[test]
fn each_picture_is_read_once_however_many_handouts_show_it() {
    let dir = project(&[]);
    let content = dir.path().join("content");
    let config = common::repo_config(&content, &dir.path().join("out"));
    let typesetter = handouts::typeset::Typesetter::new(&config).unwrap();
    let store = typesetter.picture_store();
    for n in 0..3 {
        let path = content.join(format!("a{n}.md"));
        std::fs::write(&path, article_with(&format!("![{ALT}](pictures/dot.png)"))).unwrap();
        let mut article = handouts::ingest::ingest_file(&path).unwrap();
        store.resolve(&mut article).unwrap();
        for variant in [handouts::typeset::Variant::Regular, handouts::typeset::Variant::LargePrint] {
            typesetter.typeset_pdf(&article, variant).unwrap();
        }
    }
    assert_eq!(store.files_read(), 1);
}

#[test]
fn pictures_in_the_content_folder_are_not_skipped_files() {
    let dir = project(&[("dots.md", &article_with("![A dot](pictures/dot.png)"))]);
    std::fs::write(
        dir.path().join("content/pictures/drawing.SVG"),
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/notes.xlsx"), "x").unwrap();
    let found = handouts::ingest::discover_all(&dir.path().join("content")).unwrap();
    let skipped: Vec<PathBuf> =
        found.skipped.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf()).collect();
    assert_eq!(skipped, [PathBuf::from("content/notes.xlsx")]);
    assert_eq!(found.files.len(), 1);
}

#[test]
fn a_picture_without_alt_text_is_decoration_with_a_warning_and_still_prints() {
    let dir = project(&[("dots.md", &article_with("![](pictures/dot.png)"))]);
    let report = run(dir.path());
    assert!(report.failures.is_empty(), "PDF/UA accepts a decorative picture: {:?}", report.failures);
    let article = &report.articles[0];
    assert!(article.warnings >= 1);
    let json = std::fs::read_to_string(dir.path().join("out/json/dots.json")).unwrap();
    assert!(json.contains(handouts::pictures::NO_ALT_WARNING.split(':').next().unwrap()), "{json}");
    let (images, _) = images_and_figures(&std::fs::read(dir.path().join("out/pdf/dots.pdf")).unwrap());
    assert_eq!(images.len(), 1);
}
