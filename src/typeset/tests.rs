//! The typesetter's rules, on small articles.

use super::*;
use crate::model::Block;
use std::cell::Cell;

thread_local! {
    static ITEMS_IN_PROGRESS: Cell<usize> = const { Cell::new(0) };
}

fn article_with(blocks: Vec<Block>) -> Article {
    let mut article = crate::ingest::ingest_bytes(std::path::Path::new("a.txt"), b"Title\n\nText.").unwrap();
    article.blocks = blocks;
    article
}

/// The repository's own handouts.toml, templates and content.
fn repo_config() -> crate::config::Config {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = crate::config::ConfigFile::load(&root.join("handouts.toml")).unwrap();
    file.resolve(&root.join("handouts.toml"), root.join("content"), root.join("out"), None)
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text { text: s.to_string() }]
}

#[test]
fn long_runs_are_found_wherever_the_template_breaks_them() {
    let run = "x".repeat(LONG_RUN);
    let short = format!("a {} b", "é".repeat(LONG_RUN - 1));
    assert!(!has_long_run(&article_with(vec![Block::Paragraph { content: text(&short), line: 1 }])));
    let cell = Block::Table { header: vec![], rows: vec![vec![text("a"), text(&run)]], line: 1 };
    assert!(has_long_run(&article_with(vec![cell])));
    let nested = Block::List {
        ordered: false,
        start: None,
        items: vec![vec![Block::Quote {
            blocks: vec![Block::Paragraph {
                content: vec![Inline::Strong { content: text(&format!("see {run}")) }],
                line: 1,
            }],
            line: 1,
        }]],
        line: 1,
    };
    assert!(has_long_run(&article_with(vec![nested])));
    // Code is set in `raw`, which the template does not break.
    let code = Block::Paragraph { content: vec![Inline::Code { text: run.clone() }], line: 1 };
    assert!(!has_long_run(&article_with(vec![code])));
    let mut titled = article_with(vec![]);
    titled.meta.title = run;
    assert!(has_long_run(&titled));
}

#[test]
fn without_a_url_the_qr_code_opens_the_handouts_page() {
    let site = crate::config::Site { base_url: Some("https://example.org/h/".into()), ..Default::default() };
    let mut article = article_with(vec![]);
    article.id = "a-b".into();
    assert_eq!(with_page_url(&article, &site).meta.url.as_deref(), Some("https://example.org/h/a-b.html"));
    article.meta.url = Some("https://other.example/a".into());
    assert_eq!(with_page_url(&article, &site).meta.url.as_deref(), Some("https://other.example/a"));
    article.meta.url = None;
    let off = crate::config::Site { enabled: false, ..site.clone() };
    assert_eq!(with_page_url(&article, &off).meta.url, None);
    assert_eq!(with_page_url(&article, &Default::default()).meta.url, None);
}

/// What the care team types reaches typst only as `/_handouts/personal.json`: the
/// article and the options (which the template evaluates, memoized, once for every
/// patient) hold no trace of it, so evaluating the template never depends on it.
#[test]
fn the_patients_fields_reach_the_template_only_in_their_own_file() {
    let config = repo_config();
    let typesetter = Typesetter::new(&config).unwrap();
    let article = article_with(vec![Block::Paragraph { content: text("Walk every day."), line: 3 }]);
    let personal = Personal {
        patient: "Zelda #Quist".into(),
        clinician: "*Nurse* $Kim$".into(),
        note: "Drink water.\n= Not a heading".into(),
        printed: time::Date::from_calendar_date(2026, time::Month::December, 7).ok(),
    };
    let inputs = typesetter.prepare_personal(&article, Variant::Regular, None, &personal).unwrap();
    let everything_else = [inputs.article_json.as_slice(), inputs.options_json.as_slice()].concat();
    for field in ["Zelda", "Nurse", "Drink water"] {
        assert!(!String::from_utf8_lossy(&everything_else).contains(field), "{field}");
    }
    let personal_json = String::from_utf8_lossy(inputs.personal_json.as_deref().unwrap()).into_owned();
    assert!(personal_json.contains("Zelda #Quist") && personal_json.contains("Not a heading"));
    assert!(personal_json.contains("\"printed\":\"Printed December 7, 2026\""), "{personal_json}");
    assert!(!String::from_utf8_lossy(&everything_else).contains("December 7"));
    assert!(inputs.options["personal"] == true);
    let pdf = typesetter.typeset_personal(&article, Variant::Regular, None, &personal, |pdf| pdf).unwrap();
    assert!(pdf.pages >= 1);
    // A built handout has neither.
    let built = typesetter.prepare(&article, Variant::Regular).unwrap();
    assert!(built.personal_json.is_none() && built.options.get("personal").is_none());
}

/// A clinic's template from before `/_handouts/personal.json` reads the patient's
/// fields from `options.personal`: its copies still carry them.
#[test]
fn a_template_from_before_the_personal_file_still_prints_the_patient() {
    let mut config = repo_config();
    let dir = tempfile::tempdir().unwrap();
    config.template = dir.path().join("handout.typ");
    std::fs::write(
        &config.template,
        "#set document(title: [T])\n\
         #let options = json(\"/_handouts/options.json\")\n\
         #let personal = options.at(\"personal\", default: none)\n\
         #if personal != none [For #personal.patient]\n",
    )
    .unwrap();
    let typesetter = Typesetter::new(&config).unwrap();
    let article = article_with(vec![Block::Paragraph { content: text("Walk."), line: 3 }]);
    let personal = Personal { patient: "Zelda Quist".into(), ..Default::default() };
    let inputs = typesetter.prepare_personal(&article, Variant::Regular, None, &personal).unwrap();
    assert_eq!(inputs.options["personal"]["patient"], "Zelda Quist");
    assert!(inputs.personal_json.is_none());
    let pdf = typesetter.typeset_personal(&article, Variant::Regular, None, &personal, |pdf| pdf).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes).unwrap();
    assert!(text.contains("For Zelda Quist"), "{text}");
}

/// The closing parts' height measured once for all handouts alike gives the very PDFs
/// the template's own measuring in each compile gives: regular and large print, with
/// and without a QR code, with a web address short and long, in two languages.
#[test]
fn the_shared_closing_height_gives_the_same_pdfs_as_measuring_each_time() {
    let config = repo_config();
    let shared = Typesetter::new(&config).unwrap();
    let mut own = Typesetter::new(&config).unwrap();
    own.share_closing_height = false;
    let (sample, pictures) = sample_article().unwrap();
    let long = format!("https://example.org/{}", "a/".repeat(140));
    let short = "https://www.example.org/feet/check-40-ch";
    assert_eq!(short.len(), SHORT_URL);
    for (lang, url) in [("en", None), ("en", Some(short)), ("es", Some(long.as_str()))] {
        let mut article = sample.clone();
        article.meta.lang = lang.into();
        article.meta.url = url.map(str::to_string);
        for variant in [Variant::Regular, Variant::LargePrint] {
            let pdf = |typesetter: &Typesetter| {
                let inputs =
                    typesetter.prepare_with_logo(&article, variant, None, &pictures, None, None).unwrap();
                typesetter.typeset(&inputs).unwrap().bytes
            };
            assert!(pdf(&shared) == pdf(&own), "{lang} {url:?} {variant:?}: the PDFs differ");
        }
    }
    // One per language, kind of address and print size, and one per tighter layout tried.
    let measured = shared.closing_heights.lock().unwrap().values().filter(|h| h.is_some()).count();
    assert!(measured >= 6, "{measured}");
}

/// Parallel jobs inside each item.
const INNER: usize = 16;

/// A few microseconds of work that returns `k`.
fn spin(k: usize) -> usize {
    let start = std::time::Instant::now();
    while start.elapsed().as_micros() < 20 {}
    std::hint::black_box(k)
}

/// rayon only nests when a waiting thread happens to steal, which no small test can
/// force (the stack overflow this guards against took hundreds of real compiles);
/// this checks the order and that the invariant holds under whatever it did steal.
#[test]
fn batch_keeps_input_order_and_never_nests_items() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let work: Vec<usize> = (0..500).collect();
    let results = pool.install(|| {
        Typesetter::typeset_batch(&work, |&i| {
            let depth = ITEMS_IN_PROGRESS.with(|d| {
                d.set(d.get() + 1);
                d.get()
            });
            // Like a typst compile: parallel work inside an item. A thread waiting
            // for its part to come back must not start another item meanwhile.
            use rayon::prelude::*;
            let sum: usize = (0..INNER).into_par_iter().map(spin).sum();
            ITEMS_IN_PROGRESS.with(|d| d.set(d.get() - 1));
            (i * 3 + sum - INNER * (INNER - 1) / 2, depth)
        })
    });
    assert_eq!(results.len(), work.len());
    for (i, &(value, depth)) in results.iter().enumerate() {
        assert_eq!(value, i * 3, "result {i} out of order");
        assert_eq!(depth, 1, "item {i} started inside another item on the same thread");
    }
}

/// An article of `paragraphs` paragraphs of plain sentences under a few headings.
fn article_of(paragraphs: usize) -> Article {
    let sentence = "Drink a glass of water with each meal and rest when you feel tired. ";
    let mut blocks = Vec::new();
    for index in 0..paragraphs {
        if index % 4 == 0 {
            blocks.push(Block::Heading {
                level: 2,
                content: text(&format!("Part {}", index / 4 + 1)),
                line: 1,
            });
        }
        blocks.push(Block::Paragraph { content: text(&sentence.repeat(3 + index % 3)), line: 1 });
    }
    article_with(blocks)
}

#[test]
fn the_first_layout_measures_what_each_page_holds() {
    let typesetter = Typesetter::new(&repo_config()).unwrap();
    let inputs = typesetter.prepare(&article_of(14), Variant::Regular).unwrap();
    let document = typesetter.compile_with(&inputs, Fit::DESIGNED).unwrap();
    let end = article_end_y(&document).unwrap();
    let flow = flow::Flow::of(&document, end).unwrap();
    assert_eq!(flow.filled.len(), document.pages().len());
    assert!(flow.filled.len() >= 2, "{flow:?}");
    // Letter without the margins, and every page but the last filled nearly to its foot.
    assert!((600.0..700.0).contains(&flow.body), "{flow:?}");
    for filled in &flow.filled[..flow.filled.len() - 1] {
        assert!(*filled > flow.body * 0.8 && *filled <= flow.body + 0.5, "{flow:?}");
    }
    let last_page_top = document.pages().last().unwrap().frame.height().to_pt() - flow.body;
    assert!(
        *flow.filled.last().unwrap() < end && end - flow.filled.last().unwrap() <= last_page_top,
        "{flow:?}"
    );
}

#[test]
fn no_tightening_that_saves_a_page_is_predicted_not_to() {
    let typesetter = Typesetter::new(&repo_config()).unwrap();
    let (mut saved, mut not_tried) = (0, 0);
    for paragraphs in [5, 6, 12, 13, 14, 21, 22] {
        let inputs = typesetter.prepare(&article_of(paragraphs), Variant::Regular).unwrap();
        let document = typesetter.compile_with(&inputs, Fit::DESIGNED).unwrap();
        let Some(flow) = article_end_y(&document).and_then(|end| flow::Flow::of(&document, end)) else {
            panic!("{paragraphs} paragraphs: no flow measured");
        };
        for one_page in ONE_PAGE_FITS_REGULAR {
            let options = typesetter.options_with(&inputs, one_page.fit);
            let closing = options["closing_shortest"].as_f64().unwrap();
            let tighter = typesetter.compile_with(&inputs, one_page.fit).unwrap();
            let saves = tighter.pages().len() < document.pages().len() && !closing_parts_alone(&tighter);
            saved += usize::from(saves);
            not_tried += usize::from(!may_save_page(&flow, one_page, closing));
            assert!(
                !saves || may_save_page(&flow, one_page, closing),
                "{paragraphs} paragraphs, {:?} saves a page but was predicted not to: {flow:?}",
                one_page.fit
            );
        }
    }
    // Both kinds of answer were checked: tries that save a page, and tries not made.
    assert!(saved > 0 && not_tried > 0, "{saved} tries saved a page, {not_tried} were not made");
}
