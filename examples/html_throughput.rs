//! HTML ingest throughput (issue 17): every saved page in `tests/html/` read through
//! `ingest_bytes` (decode, parse, find the article, map to blocks, language), repeated,
//! then pages per second and the time for 1,000 pages at that rate; and one big
//! generated page (`--mib`, 50 by default) to show the time stays linear.
//!
//! ```sh
//! cargo run --release --example html_throughput -- [--runs N] [--mib N]
//! ```
//!
//! One thread, like one article's ingest in a build (a build ingests files in parallel).
//! On a shared 2-vCPU VM the median moves by ±30 % between runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn pages() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/html");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "html"));
    paths.sort();
    paths.into_iter().filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b))).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: usize| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = value("--runs", 20).max(1);
    let mib = value("--mib", 50);
    let pages = pages();
    if pages.is_empty() {
        eprintln!("no pages in tests/html");
        return;
    }
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        for (path, page) in &pages {
            std::hint::black_box(handouts::ingest::ingest_bytes(path, page).ok());
        }
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let per_page = median / pages.len() as f64;
    println!("| corpus | pages | KiB | fastest ms | median ms | pages/s | 1,000 pages |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!(
        "| tests/html | {} | {} | {:.1} | {:.1} | {:.0} | {:.1} s |",
        pages.len(),
        bytes / 1024,
        times[0] * 1000.0,
        median * 1000.0,
        1.0 / per_page,
        per_page * 1000.0
    );

    if mib > 0 {
        // A big page: the corpus's bodies repeated inside one <main>, like a 50 MB save.
        let body: String = pages
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .map(|p| {
                let start = p.find("<body").unwrap_or(0);
                let end = p.rfind("</body>").unwrap_or(p.len());
                p[start..end].to_string()
            })
            .collect();
        let mut page = String::from(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Big</title></head><main>",
        );
        while page.len() < mib * 1024 * 1024 {
            page.push_str(&body);
        }
        page.push_str("</main></html>");
        let started = Instant::now();
        let result = handouts::ingest::ingest_bytes(Path::new("big.html"), page.as_bytes());
        let took = started.elapsed().as_secs_f64();
        let blocks = result.as_ref().map(|a| a.blocks.len()).unwrap_or(0);
        println!(
            "\n| big page | MiB | seconds | MiB/s | blocks | outcome |\n|---|---:|---:|---:|---:|---|\n| generated | {:.1} | {took:.2} | {:.1} | {blocks} | {} |",
            page.len() as f64 / 1048576.0,
            page.len() as f64 / 1048576.0 / took,
            match &result {
                Ok(_) => "article".to_string(),
                Err(e) => format!("error: {e}"),
            }
        );
    }
}
