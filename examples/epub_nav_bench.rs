//! How large the EPUB's navigation gets for a very large book, undivided and in parts
//! (issue 28): COUNT synthetic chapters, each original followed by its translations
//! into nine more languages, each with a summary, four headings and a few paragraphs,
//! written as `handouts build` writes the book (one article at a time, into a file).
//! Prints the sizes of `nav.xhtml`, `package.opf` and the largest part page, the time,
//! and the process's peak memory so far.
//!
//! `cargo run --release --example epub_nav_bench [-- COUNT [PART_SIZE]]`
//! (default 50,000 chapters; PART_SIZE 0 builds the book undivided, as before parts).

use std::borrow::Cow;
use std::io::Read;

use handouts::config::{Brand, Collection};
use handouts::epub::books::Shelf;
use handouts::epub::{EpubSettings, PART_SIZE, write_epub};
use handouts::model::{Article, Block, Inline, Meta, SCHEMA_VERSION};

const LANGS: [&str; 10] = ["en", "es", "fr", "de", "pt", "it", "vi", "zh", "ar", "ru"];
const WORDS: [&str; 16] = [
    "abdominal",
    "asthma",
    "back",
    "burns",
    "cough",
    "diabetes",
    "ear",
    "fever",
    "gout",
    "heart",
    "injury",
    "kidney",
    "lungs",
    "migraine",
    "pain",
    "sleep",
];

/// The `n`th chapter's article: original `n / 10` in the `n % 10`th language.
fn article(n: usize) -> Article {
    let (topic, lang) = (n / LANGS.len(), LANGS[n % LANGS.len()]);
    let title = format!("{} {} {topic}", WORDS[topic % WORDS.len()], WORDS[topic / 7 % WORDS.len()]);
    let paragraph = |i: usize| Block::Paragraph {
        content: vec![Inline::text(format!("{title}: what to do at home, step {i}. Rest and drink water."))],
        line: 0,
    };
    let mut blocks = Vec::new();
    for (i, heading) in
        ["What it is", "At home", "Medicines", "When to call your care team"].iter().enumerate()
    {
        blocks.push(Block::Heading { level: 2, content: vec![Inline::text(*heading)], line: 0 });
        blocks.push(paragraph(i));
    }
    Article {
        schema: SCHEMA_VERSION,
        id: format!("topic-{topic}-{lang}"),
        source: format!("content/topic-{topic}.{lang}.md"),
        meta: Meta {
            title: format!("{title} ({lang})"),
            lang: lang.into(),
            translation_key: Some(format!("topic-{topic}-en")),
            reviewed: Some("2026-09-01".into()),
            summary: Some(format!("{title} in brief.")),
            ..Meta::default()
        },
        blocks,
        removed: vec![],
        stats: None,
        warnings: vec![],
    }
}

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let part_size = match std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(PART_SIZE) {
        0 => usize::MAX,
        size => size,
    };
    let shelves: Vec<Shelf> = (0..count).map(|n| Shelf::of(n, &article(n))).collect();
    let labels = handouts::labels::LabelTable::builtin();
    let (collection, brand) = (Collection::default(), Brand::default());
    let settings = EpubSettings {
        collection: &collection,
        brand: &brand,
        source_date_epoch: Some(0),
        labels: &labels,
        catalogue: None,
        logo: None,
        part_size,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.epub");
    let started = std::time::Instant::now();
    let file = std::fs::File::create(&path).unwrap();
    let read = |n: usize| Ok(Cow::Owned(article(n)));
    write_epub(&shelves, &read, &settings, None, std::io::BufWriter::new(file)).unwrap();
    let took = started.elapsed();

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let part_names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("OEBPS/part-"))
        .map(String::from)
        .collect();
    let mut size_of = |name: &str| {
        let mut text = String::new();
        archive.by_name(name).map(|mut entry| entry.read_to_string(&mut text).map(|_| text.len())).ok()?.ok()
    };
    let (nav, opf) = (size_of("OEBPS/nav.xhtml"), size_of("OEBPS/package.opf"));
    let largest_part = part_names.iter().filter_map(|name| size_of(name)).max();
    let kib = |n: Option<usize>| n.map_or("-".into(), |n| format!("{:.1} KiB", n as f64 / 1024.0));
    println!(
        "{count} chapters, part size {}: {} parts; nav.xhtml {}, package.opf {}, largest part page {}; \
         EPUB {:.1} MiB written in {:.1} s; peak RSS {}",
        if part_size == usize::MAX { "none".to_string() } else { part_size.to_string() },
        part_names.len(),
        kib(nav),
        kib(opf),
        kib(largest_part),
        std::fs::metadata(&path).unwrap().len() as f64 / (1024.0 * 1024.0),
        took.as_secs_f64(),
        peak_rss()
    );
}
