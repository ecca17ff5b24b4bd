//! Typesetting through the library: real typst compiles, checked by extracting the
//! text and fonts back out of the PDFs.

mod common;

use std::path::Path;

use handouts::ingest::ingest_file;
use handouts::model::{Block, plain_text};
use handouts::typeset::{Typesetter, Variant};

fn typesetter() -> Typesetter {
    let config = common::repo_config(Path::new("content"), Path::new("out"));
    Typesetter::new(&config).expect("typesetter loads")
}

#[test]
fn seed_002_handout_has_title_headings_clinic_and_body() {
    let article = ingest_file(Path::new("tests/seeds/002_c498833ed1b98829.txt")).unwrap();
    let pdf = typesetter().typeset_pdf(&article, Variant::Regular).unwrap();
    assert!((2..=4).contains(&pdf.pages), "{} pages", pdf.pages);
    let text = common::pdf_text(&pdf.bytes);
    assert!(text.contains("Treatment of Metastatic Kidney Cancer"), "{text}");
    assert!(text.contains("Riverside Cancer Center"));
    for block in &article.blocks {
        if let Block::Heading { content, .. } = block {
            assert!(text.contains(&plain_text(content)), "heading {:?} missing", plain_text(content));
        }
    }
    for sentence in [
        "Metastatic kidney cancer occurs when cancer cells break away from the original tumor",
        "Targeted Therapy: This form of treatment uses drugs designed to target specific",
        "This holistic approach is vital for enhancing quality of life throughout treatment.",
        "Questions for my care team",
        "Page 1 of",
        "(555) 010-0199",
    ] {
        assert!(text.contains(sentence), "{sentence:?} missing from {text}");
    }
    assert!(!text.contains("Popular posts"), "boilerplate must not be printed");
}

#[test]
fn every_seed_typesets_and_embeds_atkinson_hyperlegible() {
    let typesetter = typesetter();
    for path in handouts::ingest::discover(Path::new("tests/seeds")).unwrap() {
        let article = ingest_file(&path).unwrap();
        let pdf = typesetter.typeset_pdf(&article, Variant::Regular).unwrap();
        let fonts = common::pdf_fonts(&pdf.bytes);
        assert!(fonts.iter().any(|f| f.contains("AtkinsonHyperlegible-Regular")), "{fonts:?}");
        assert!(fonts.iter().any(|f| f.contains("AtkinsonHyperlegible-Bold")), "{fonts:?}");
        assert!(common::pdf_text(&pdf.bytes).contains(&article.meta.title));
    }
}

#[test]
fn article_text_is_never_typst_code() {
    let article = ingest_file(Path::new("tests/fixtures/hostile/typst-and-html.txt")).unwrap();
    let pdf = typesetter().typeset_pdf(&article, Variant::Regular).unwrap();
    let text = common::pdf_text(&pdf.bytes);
    for literal in [
        "Hostile #text $math$ <b>markup</b>",
        "#set page(width: 1pt)",
        "#read(\"/etc/passwd\")",
        "$x$",
        "a lone ] bracket and a [link] and a *star* and _under_ and `tick` and \\ backslash",
        "<script>alert(1)</script> and <b>bold</b> & ampersand ]]> end.",
        "#import \"@preview/cetz:0.3.0\": *",
        "<!-- comment --> and @label and <label>",
    ] {
        assert!(text.contains(literal), "{literal:?} not printed literally in {text}");
    }
    assert!(!text.contains("root:x:0"), "a file outside the template root was read");
    // `#set page(width: 1pt)` would have made hundreds of pages.
    assert!(pdf.pages <= 2, "{} pages", pdf.pages);
}

#[test]
fn builds_are_byte_identical() {
    let article = ingest_file(Path::new("tests/fixtures/mixed/markdown-features.md")).unwrap();
    let first = typesetter().typeset_pdf(&article, Variant::Regular).unwrap();
    let second = typesetter().typeset_pdf(&article, Variant::Regular).unwrap();
    assert!(first.bytes == second.bytes, "two builds of one article differ");
    let text = common::pdf_text(&first.bytes);
    assert!(text.contains("Read this online"), "QR code caption for the article url: {text}");
    assert!(text.contains("Call us: (555) 010-0199"), "action callout with the phone: {text}");
    // A short handout set on one page by the fewest-sheets policy (compiled more than
    // once, the closing parts in two columns): the same bytes too.
    let flu = ingest_file(Path::new("tests/fixtures/short/flu-shot.md")).unwrap();
    let first = typesetter().typeset_pdf(&flu, Variant::Regular).unwrap();
    let second = typesetter().typeset_pdf(&flu, Variant::Regular).unwrap();
    assert_eq!(first.pages, 1, "the flu sheet on one page");
    assert!(first.bytes == second.bytes, "two builds of the flu sheet differ");
}

#[test]
fn large_print_uses_18pt_body_text() {
    let article = ingest_file(Path::new("tests/seeds/001_17ae7784a389bc4a.txt")).unwrap();
    let typesetter = typesetter();
    let regular = typesetter.typeset_pdf(&article, Variant::Regular).unwrap();
    let large = typesetter.typeset_pdf(&article, Variant::LargePrint).unwrap();
    let regular_size = common::pdf_body_font_size(&regular.bytes);
    let large_size = common::pdf_body_font_size(&large.bytes);
    assert!((12.0..=13.0).contains(&regular_size), "regular body {regular_size} pt");
    assert!(large_size >= 18.0, "large-print body {large_size} pt");
    assert!(large.pages > regular.pages);
}

/// A template folder holding just `handout.typ` with `source`.
fn broken_template(source: &str) -> (tempfile::TempDir, handouts::Error) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("handout.typ"), source).unwrap();
    let mut config = common::repo_config(Path::new("content"), Path::new("out"));
    config.template = dir.path().join("handout.typ");
    let article = ingest_file(Path::new("tests/seeds/003_e24520bccb21e291.txt")).unwrap();
    let err = Typesetter::new(&config).unwrap().typeset_pdf(&article, Variant::Regular).unwrap_err();
    (dir, err)
}

#[test]
fn broken_template_gives_file_line_column_diagnostic() {
    let (dir, err) =
        broken_template("#let article = json(\"/_handouts/article.json\")\n\n#article.meta.nonexistent\n");
    let message = err.to_string();
    let expected = format!("{}:3:", dir.path().join("handout.typ").display());
    assert!(message.contains(&expected), "{message}");
    assert!(
        message.starts_with("tests/seeds/003_e24520bccb21e291.txt: "),
        "the article it failed on: {message}"
    );
    assert!(message.contains("error:"), "{message}");
}

#[test]
fn package_imports_must_be_vendored() {
    let (_dir, err) = broken_template("#import \"@preview/cetz:0.3.0\": canvas\n");
    assert!(err.to_string().contains("vendor the package under templates/"), "{err}");
}

#[test]
fn templates_cannot_read_outside_their_folder() {
    for path in ["/etc/passwd", "../../../../etc/passwd", "/../Cargo.toml"] {
        let (_dir, err) = broken_template(&format!("#read(\"{path}\")\n"));
        assert!(err.to_string().contains("handout.typ:1:"), "{path}: {err}");
    }
}

/// The fixed wording comes from templates/labels.toml in the article's language, and so
/// does the disclaimer when [brand.disclaimer] is a table.
#[test]
fn spanish_handouts_get_spanish_labels_and_disclaimer() {
    let mut config = common::repo_config(Path::new("content"), Path::new("out"));
    config.brand.disclaimer = Some(handouts::config::Disclaimer::PerLanguage(
        [
            ("en".to_string(), "Not medical advice.".to_string()),
            ("es".to_string(), "Este folleto no reemplaza los consejos de su equipo.".to_string()),
        ]
        .into(),
    ));
    let typesetter = Typesetter::new(&config).unwrap();
    let article = ingest_file(Path::new("tests/fixtures/mixed/spanish.txt")).unwrap();
    let text = common::pdf_text(&typesetter.typeset_pdf(&article, Variant::Regular).unwrap().bytes);
    for label in [
        "Puntos clave",
        "Preguntas para mi equipo de atención",
        "Página 1 de",
        "Llame a: (555) 010-0199",
        "Este folleto no reemplaza los consejos de su equipo.",
        "Más folletos: example.org/handouts",
    ] {
        assert!(text.contains(label), "{label:?} missing from {text}");
    }
    assert!(!text.contains("Not medical advice."), "{text}");
    assert!(!text.contains("Key points"), "{text}");
}

/// A template file name typst cannot address is a clear error, never a panic.
#[test]
fn a_template_name_with_a_backslash_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("hand\\out.typ");
    std::fs::write(&template, "Hello").unwrap();
    let mut config = common::repo_config(Path::new("content"), Path::new("out"));
    config.template = template;
    let err = Typesetter::new(&config).err().expect("an error");
    assert_eq!(err.kind(), handouts::error::Kind::Template);
    assert!(err.to_string().contains("rename it"), "{err}");
}

/// A template folder holding the shipped template, made to import `theme.typ`.
fn template_with_theme() -> (tempfile::TempDir, handouts::config::Config) {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(common::root().join("templates/handout.typ")).unwrap();
    std::fs::write(dir.path().join("handout.typ"), format!("#import \"theme.typ\": accent\n{shipped}"))
        .unwrap();
    std::fs::write(dir.path().join("theme.typ"), "#let accent = 1\n").unwrap();
    let mut config = common::repo_config(Path::new("content"), Path::new("out"));
    config.template = dir.path().join("handout.typ");
    (dir, config)
}

/// Template files are read when the template asks for them: a FIFO (which would block
/// a read), a stray `.typ` that is not UTF-8 and a large file beside the template are
/// never opened, and what was read is listed for the next build to fingerprint.
#[test]
fn files_the_template_does_not_use_are_never_read() {
    let (dir, config) = template_with_theme();
    std::fs::write(dir.path().join("backup.typ"), b"\xff\xfe not UTF-8").unwrap();
    std::fs::write(dir.path().join("video.mp4"), vec![0u8; 16 << 20]).unwrap();
    let fifo = std::process::Command::new("mkfifo").arg(dir.path().join("pipe")).status().unwrap();
    assert!(fifo.success());
    let mut typesetter = Typesetter::new(&config).unwrap();
    typesetter.check(Variant::Regular).unwrap();
    assert_eq!(typesetter.template_files(), ["theme.typ"]);
    let article = ingest_file(Path::new("tests/seeds/003_e24520bccb21e291.txt")).unwrap();
    typesetter.typeset_pdf(&article, Variant::Regular).unwrap();
    assert_eq!(typesetter.template_files(), ["theme.typ"]);

    // Pinned, the import's bytes decide the fingerprint.
    let unpinned = typesetter.settings_fingerprint();
    typesetter.pin_template_files(&typesetter.template_files());
    let pinned = typesetter.settings_fingerprint();
    assert_ne!(unpinned, pinned);
    std::fs::write(dir.path().join("theme.typ"), "#let accent = 2\n").unwrap();
    let mut edited = Typesetter::new(&config).unwrap();
    edited.pin_template_files(&["theme.typ".to_string()]);
    assert_ne!(edited.settings_fingerprint(), pinned);
}

/// Read on demand, the template folder is still a boundary: a symlink out of it, and
/// the output and content folders inside it, are errors at the line that reads them.
#[test]
fn symlinks_and_the_output_folder_are_not_template_files() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("passwd.txt")).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/report.json"), "{}").unwrap();
    std::fs::write(dir.path().join(".secret"), "hidden").unwrap();
    let article = ingest_file(Path::new("tests/seeds/003_e24520bccb21e291.txt")).unwrap();
    for path in ["passwd.txt", "/out/report.json", "out/../out/report.json", ".secret"] {
        std::fs::write(dir.path().join("handout.typ"), format!("#read(\"{path}\")\n")).unwrap();
        let mut config = common::repo_config(Path::new("content"), &dir.path().join("out"));
        config.template = dir.path().join("handout.typ");
        let err = Typesetter::new(&config).unwrap().typeset_pdf(&article, Variant::Regular).unwrap_err();
        assert!(err.to_string().contains("handout.typ:1:"), "{path}: {err}");
    }
}

/// A pasted French, German or Portuguese page: its when-to-call line is a heading,
/// with blank lines between paragraphs or without, and the PDF prints it in the call
/// box (the box ends with "call us" and the phone, in the page's language).
#[test]
fn french_german_and_portuguese_pastes_keep_the_call_box() {
    let typesetter = typesetter();
    let cases = [
        (
            "fr",
            "Prendre soin de ses pieds quand on a du diabète",
            "Le diabète peut abîmer les nerfs et les vaisseaux des pieds. Une petite blessure peut alors devenir une plaie grave. Regardez vos pieds tous les jours, après la toilette, et pensez à regarder entre les orteils.",
            "Quand consulter un médecin ?",
            "Prenez rendez-vous dans la journée si une plaie ne guérit pas, si la peau devient rouge, chaude ou gonflée, ou si vous avez de la fièvre.",
            "Appelez-nous : (555) 010-0199",
        ),
        (
            "de",
            "Fußpflege bei Diabetes",
            "Diabetes kann die Nerven und die Blutgefäße in den Füßen schädigen. Dann kann aus einer kleinen Wunde schnell eine schwere Entzündung werden. Schauen Sie sich Ihre Füße deshalb jeden Tag genau an, auch zwischen den Zehen.",
            "Wann zum Arzt?",
            "Gehen Sie noch am selben Tag in die Praxis, wenn eine Wunde nicht heilt, wenn die Haut rot, warm oder geschwollen ist oder wenn Sie Fieber haben.",
            "Rufen Sie uns an: (555) 010-0199",
        ),
        (
            "pt",
            "Cuidados com os pés para quem tem diabetes",
            "O diabetes pode prejudicar os nervos e os vasos sanguíneos dos pés. Por isso, um pequeno corte pode virar uma ferida grave. Olhe os seus pés todos os dias, depois do banho, e não esqueça de olhar entre os dedos.",
            "Quando procurar o médico",
            "Procure a unidade de saúde no mesmo dia se uma ferida não cicatrizar, se a pele ficar vermelha, quente ou inchada, ou se você tiver febre.",
            "Ligue para nós: (555) 010-0199",
        ),
    ];
    for (lang, title, body, safety, after, call_us) in cases {
        for gap in ["\n", "\n\n"] {
            let paste = [title, body, safety, after].join(gap);
            let article = handouts::ingest::ingest_bytes(Path::new("paste.txt"), paste.as_bytes()).unwrap();
            assert_eq!(article.meta.lang, lang, "{paste}");
            let heading = article
                .blocks
                .iter()
                .position(|b| matches!(b, Block::Heading { content, .. } if plain_text(content) == safety))
                .unwrap_or_else(|| panic!("{safety:?} is not a heading in {:#?}", article.blocks));
            let table = handouts::labels::LabelTable::builtin();
            assert_eq!(handouts::labels::action_sections(&article, &table), [heading]);
            let text = common::collapse_whitespace(&common::pdf_text(
                &typesetter.typeset_pdf(&article, Variant::Regular).unwrap().bytes,
            ));
            let boxed = format!("{safety} {after} {call_us}");
            assert!(text.contains(&boxed), "{boxed:?} missing from {text}");
        }
    }
}

/// A French handout's fixed wording is French, and the build has nothing to warn about.
#[test]
fn french_handouts_get_french_labels_without_a_warning() {
    let mut article = handouts::ingest::ingest_bytes(
        Path::new("lombalgie.md"),
        "---\ntitle: Le mal de dos\nlang: fr\n---\n## À retenir\n\n- Restez actif.\n\nLe mal de dos passe le plus souvent en quelques semaines.\n\n## Quand consulter ?\n\nAppelez votre médecin si la douleur descend dans la jambe.\n"
            .as_bytes(),
    )
    .unwrap();
    let table = handouts::labels::LabelTable::builtin();
    table.warn_missing(&mut article);
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
    let text = common::collapse_whitespace(&common::pdf_text(
        &typesetter().typeset_pdf(&article, Variant::Regular).unwrap().bytes,
    ));
    for label in [
        "Mes questions pour l'équipe soignante",
        "Page 1 sur 1",
        "Des questions ? Appelez le (555) 010-0199",
        "Appelez-nous : (555) 010-0199",
        "Autres fiches : example.org/handouts",
    ] {
        assert!(text.contains(label), "{label:?} missing from {text}");
    }
    for english in ["Questions for my care team", "Page 1 of", "Call us:", "More handouts:"] {
        assert!(!text.contains(english), "{english:?} in {text}");
    }
}
