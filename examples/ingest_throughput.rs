//! Ingest throughput on large pastes (issue 13): builds pastes of about 1 MiB in memory
//! and times `ingest_bytes` on each, so a change that makes ingest worse than linear shows
//! up as a drop in MiB/s.
//!
//! ```sh
//! cargo run --release --example ingest_throughput -- [--mib N] [--runs N]
//! ```
//!
//! Shapes: `prose` (paragraphs of sentences), `short-lines` (a page of menus and list
//! items, the shape that was quadratic before), `corpus` (the tests/web pages repeated).
//! Prints one line per shape: size, fastest and median ms, MiB/s. On a shared 2-vCPU VM
//! the median moves by ±30 % between runs; the fastest run is the steadier figure.

use std::path::Path;
use std::time::Instant;

/// The same allocator as the `handouts` binary, so the times compare.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn prose(bytes: usize) -> String {
    let paragraph = "Check your feet every day for cuts, blisters, redness or swelling. \
        Call your doctor if a sore does not heal in a few days, because small wounds can turn \
        into serious infections when you have diabetes.\n\n";
    let mut out = String::from("Caring for your feet\n\n");
    while out.len() < bytes {
        out.push_str(paragraph);
    }
    out
}

fn short_lines(bytes: usize) -> String {
    let lines = [
        "Home",
        "Health A-Z",
        "Wash your feet in warm water",
        "Share",
        "Dry between your toes",
        "Advertisement",
    ];
    let mut out = String::from("Caring for your feet\n");
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(lines[i % lines.len()]);
        out.push('\n');
        i += 1;
    }
    out
}

fn corpus(bytes: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    pages.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    pages.sort();
    let texts: Vec<String> = pages.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    let mut out = String::new();
    for text in texts.iter().cycle() {
        if out.len() >= bytes || texts.is_empty() {
            break;
        }
        out.push_str(text);
        out.push('\n');
    }
    out
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
    let bytes = value("--mib", 1) * 1024 * 1024;
    let runs = value("--runs", 7).max(1);
    println!("| paste | size KiB | fastest ms | median ms | MiB/s (median) |");
    println!("|---|---:|---:|---:|---:|");
    for (name, text) in
        [("prose", prose(bytes)), ("short-lines", short_lines(bytes)), ("corpus", corpus(bytes))]
    {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let article = handouts::ingest::ingest_bytes(Path::new("paste.txt"), text.as_bytes());
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(article.ok());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let mib = text.len() as f64 / (1024.0 * 1024.0);
        println!(
            "| {name} | {} | {:.1} | {median:.1} | {:.1} |",
            text.len() / 1024,
            times[0],
            mib / (median / 1000.0)
        );
    }
}
