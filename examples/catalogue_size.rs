//! How big the site's search data (`out/site/assets/catalogue.js`) gets: 10,000
//! synthetic handouts, each with a title, a two-sentence summary, headings and tags as
//! the seed articles have them, written as the build writes it, then gzipped as a web
//! server would send it (bench/RESULTS.md, "Issue 16").
//!
//! Two models of the text: "word salad" draws every word on its own from the seeds'
//! word stream (no phrase ever repeats: the worst case for gzip), and "shared
//! headings" draws half of the headings from 300 headings the collection shares, as a
//! clinic's handouts do ("Side effects", "When should I call my care team?").
//!
//! `cargo run --release --example catalogue_size [-- COUNT]`

use std::io::Write;

use handouts::site::catalogue::{Entry, data_file};

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// `least + below(more)` words.
    fn words(&mut self, vocabulary: &[String], least: usize, more: usize) -> String {
        let count = least + self.below(more);
        (0..count).map(|_| vocabulary[self.below(vocabulary.len())].as_str()).collect::<Vec<_>>().join(" ")
    }
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let mut vocabulary: Vec<String> = Vec::new();
    // The shipped articles and the web-paste corpus: about 5,000 different words in four
    // languages, as a large collection would have (the shipped four alone have 800).
    let mut seeds: Vec<std::path::PathBuf> = ["content", "tests/web"]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)).unwrap()
        })
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    // read_dir's order is the file system's; sorted, every run draws the same words.
    seeds.sort();
    for path in seeds {
        let text = std::fs::read_to_string(path).unwrap();
        vocabulary
            .extend(text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).map(str::to_string));
    }
    let topics: Vec<String> =
        (0..80).map(|i| format!("{} {}", vocabulary[i * 37 % vocabulary.len()], i)).collect();
    for shared in [false, true] {
        measure(count, &vocabulary, &topics, shared);
    }
}

fn measure(count: usize, vocabulary: &[String], topics: &[String], shared: bool) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let common: Vec<String> = (0..300).map(|_| rng.words(vocabulary, 2, 4)).collect();
    let entries: Vec<Entry> = (0..count)
        .map(|i| {
            let title = rng.words(vocabulary, 4, 6);
            let summary = format!("{}. {}.", rng.words(vocabulary, 10, 8), rng.words(vocabulary, 8, 8));
            let headings = (0..4 + rng.below(5))
                .map(|_| {
                    if shared && rng.below(2) == 0 {
                        common[rng.below(common.len())].clone()
                    } else {
                        rng.words(vocabulary, 2, 5)
                    }
                })
                .collect();
            let tags = (0..2 + rng.below(3)).map(|_| topics[rng.below(topics.len())].clone()).collect();
            let spanish = rng.below(5) == 0;
            let level = if spanish {
                40.0 + rng.below(400) as f64 / 10.0
            } else {
                4.0 + rng.below(100) as f64 / 10.0
            };
            let id = format!("{}-{i}", handouts::validate::slug(&title));
            Entry {
                translation_key: id.clone(),
                id,
                title,
                summary,
                headings,
                tags,
                lang: if spanish { "es" } else { "en" }.into(),
                level: if spanish { format!("INFLESZ {level:.1}") } else { format!("grade {level:.1}") },
                reading: if spanish {
                    handouts::model::ReadingLevel::Inflesz(level)
                } else {
                    handouts::model::ReadingLevel::Grade(level)
                },
                bucket: 1 + rng.below(3) as u8,
                draft: false,
                review_due: None,
                codes: Vec::new(),
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let data = data_file(
        &entries,
        true,
        vec![handouts::site::catalogue::Book {
            file: "understanding-metastatic-cancer.epub".into(),
            title: "Understanding Metastatic Cancer",
        }],
        &[],
        // As the one-page catalogue writes it (a split one adds the ids).
        false,
    );
    let took = started.elapsed();
    if let Ok(path) = std::env::var("CATALOGUE_OUT") {
        std::fs::write(path, &data).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&data).unwrap();
    let gzipped = gz.finish().unwrap();
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    println!(
        "{count} handouts, {}: catalogue.js {:.2} MiB, gzipped (level 6) {:.2} MiB ({} bytes per handout), written in {:.0} ms",
        if shared { "shared headings" } else { "word salad" },
        mib(data.len()),
        mib(gzipped.len()),
        gzipped.len() / count.max(1),
        took.as_secs_f64() * 1000.0
    );
}
