//! Word reading speed (issue 25): `tests/docx/en-twenty-pages.docx` (about 7,900 words,
//! 21 pages in LibreOffice, headings, lists and tables) read through `ingest_bytes`
//! (unzip, parse the XML parts, styles, numbering, body, language), repeated; prints
//! the median and slowest time per document, and pandoc's time on the same file when
//! `.venv-pandoc/` is installed (`bash scripts/pandoc.sh --install`).
//!
//! ```sh
//! cargo run --release --example docx_read -- [--runs N]
//! ```
//!
//! One thread, as one article's ingest in a build (a build reads files in parallel).

use std::path::Path;
use std::time::{Duration, Instant};

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(31usize)
        .max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("tests/docx/en-twenty-pages.docx");
    let bytes = std::fs::read(&path).expect("tests/docx/en-twenty-pages.docx");
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut words = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let article = handouts::ingest::ingest_bytes(&path, &bytes).expect("reads");
        times.push(start.elapsed());
        words = 0;
        handouts::model::for_each_inlines(&article.blocks, 0, &mut |inlines, _| {
            words += handouts::model::plain_text(inlines).split_whitespace().count()
        });
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "en-twenty-pages.docx ({} KiB, {words} words): median {:.1} ms, slowest {:.1} ms over {runs} runs",
        bytes.len() / 1024,
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );
    let pandoc = root.join(".venv-pandoc/bin/python");
    if pandoc.exists() {
        let start = Instant::now();
        let status = std::process::Command::new("bash")
            .arg(root.join("scripts/pandoc.sh"))
            .args(["-f", "docx", "-t", "json", "-o", "/dev/null"])
            .arg(&path)
            .status();
        if status.is_ok_and(|s| s.success()) {
            println!(
                "pandoc 3.9 on the same file (one run, process start included): {:.1} ms",
                ms(start.elapsed())
            );
        }
    }
}
