//! The site's catalogue for a very large library (issue 28, `src/site/pages.rs`):
//! COUNT synthetic handouts in ten languages rendered as the build renders them (the
//! index, its pages when split, the search data), with the time each took and the
//! files' sizes; the files are written to OUT/site/ (with the stylesheet and script)
//! so a browser can open them from the folder (bench/RESULTS.md, "Issue 28: the
//! catalogue in pages").
//!
//! `cargo run --release --example catalogue_pages_bench -- [COUNT [OUT [PAGE_SIZE]]]`
//! (default 50,000 handouts, `target/catalogue-pages`, the default page size; a
//! page size of COUNT or more gives the catalogue of one page, as before the split).

use std::path::PathBuf;
use std::time::Instant;

use handouts::model::ReadingLevel;
use handouts::site::catalogue::{Entry, sorted};

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn words(&mut self, vocabulary: &[String], least: usize, more: usize) -> String {
        let count = least + self.below(more);
        (0..count).map(|_| vocabulary[self.below(vocabulary.len())].as_str()).collect::<Vec<_>>().join(" ")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let out = args.get(2).map_or_else(|| PathBuf::from("target/catalogue-pages"), PathBuf::from);
    let page_size: Option<usize> = args.get(3).and_then(|n| n.parse().ok());

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    seeds.sort();
    let vocabulary: Vec<String> = seeds
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let langs = ["en", "es", "fr", "de", "pt", "it", "nl", "pl", "vi", "zh"];
    let topics: Vec<String> =
        (0..60).map(|i| format!("{} {i}", vocabulary[i * 37 % vocabulary.len()])).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let entries: Vec<Entry> = (0..count)
        .map(|n| {
            let title = {
                let words = rng.words(&vocabulary, 2, 5);
                let mut chars = words.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            };
            let grade = 4.0 + rng.below(80) as f64 / 10.0;
            Entry {
                id: format!("handout-{n}"),
                translation_key: format!("handout-{}", n / langs.len()),
                summary: format!("{}.", rng.words(&vocabulary, 10, 10)),
                headings: (0..4).map(|_| rng.words(&vocabulary, 2, 4)).collect(),
                tags: (0..2).map(|_| topics[rng.below(topics.len())].clone()).collect(),
                lang: langs[n % langs.len()].to_string(),
                level: format!("grade {grade:.1}"),
                reading: ReadingLevel::Grade(grade),
                bucket: handouts::site::catalogue::bucket(ReadingLevel::Grade(grade)),
                draft: false,
                review_due: None,
                codes: vec![],
                title,
            }
        })
        .collect();
    let entries = sorted(entries);

    let mut file = handouts::config::ConfigFile::default();
    file.site.catalogue_page_size = page_size;
    let config = file.resolve(&root.join("handouts.toml"), root.join("content"), out.clone(), None);
    let site = handouts::site::Site::new(&config).unwrap();
    let folder = out.join("site");
    std::fs::create_dir_all(folder.join("assets")).unwrap();

    let started = Instant::now();
    let index = site.index(&entries).unwrap();
    let index_time = started.elapsed();
    let started = Instant::now();
    let pages = site.catalogue_pages(&entries).unwrap();
    let pages_time = started.elapsed();
    let started = Instant::now();
    let data = site.data(&entries);
    let data_time = started.elapsed();

    std::fs::write(folder.join("index.html"), &index).unwrap();
    for (name, html) in &pages {
        std::fs::write(folder.join(name), html).unwrap();
    }
    std::fs::write(folder.join("assets/catalogue.js"), &data).unwrap();
    for name in ["site.css", "search.js"] {
        std::fs::write(folder.join("assets").join(name), site.file(name)).unwrap();
    }
    let largest = pages.iter().map(|(_, html)| html.len()).max().unwrap_or(0);
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!("{count} handouts, {} a page: {} pages", site.page_size(), pages.len());
    println!("index.html       {:>9.3} MiB in {:>7.1} ms", mib(index.len()), index_time.as_secs_f64() * 1e3);
    println!(
        "pages (largest)  {:>9.3} MiB in {:>7.1} ms for all",
        mib(largest),
        pages_time.as_secs_f64() * 1e3
    );
    println!("catalogue.js     {:>9.3} MiB in {:>7.1} ms", mib(data.len()), data_time.as_secs_f64() * 1e3);
    println!("written to {}", folder.display());
}
