//! In-process time of one handout in a warm process: loads the Typesetter once, typesets
//! each given article a number of times on one thread, and prints the medians (bench/run.sh
//! compares them with the per-handout CPU time of a whole batch).
//!
//! ```sh
//! cargo run --release --example warm_compile -- FILE... [--config FILE] [--runs N]
//! ```
//!
//! Prints `FILE cold_median_ms hot_median_ms pages` per file, then
//! `mean cold_ms hot_ms pages` over the files:
//! - cold: comemo's caches are emptied before each run, so nothing of an earlier compile
//!   is reused except what the process loaded once (fonts, library, parsed template) —
//!   typst's own compile + export time for this handout in a warm process;
//! - hot: the same article again with the caches kept, the best case of memoization.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use handouts::config::ConfigFile;
use handouts::typeset::{Typesetter, Variant};
use handouts::{analyze, build, ingest};

/// The same allocator as the `handouts` binary, so the times compare.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut config_path = PathBuf::from("handouts.toml");
    let mut runs = 20usize;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--config" => config_path = it.next().ok_or("--config needs a value")?.into(),
            "--runs" => runs = it.next().ok_or("--runs needs a value")?.parse()?,
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() || runs == 0 {
        return Err("usage: warm_compile FILE... [--config FILE] [--runs N]".into());
    }
    let config = ConfigFile::load(&config_path)?.resolve(&config_path, "content".into(), "out".into(), None);
    let typesetter = Typesetter::new(&config)?;
    let words = build::plain_language(&config)?;
    // One thread, like one handout of a `--jobs 1` batch.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let (mut sum_cold, mut sum_hot, mut sum_pages) = (0.0, 0.0, 0);
    for file in &files {
        let mut article = ingest::ingest_file(file)?;
        analyze::analyze(&mut article, &words);
        let mut cold = Vec::with_capacity(runs);
        let mut hot = Vec::with_capacity(runs);
        let mut pages = 0;
        pool.install(|| -> Result<(), handouts::Error> {
            // A first compile warms the process (lazy font tables, allocator).
            typesetter.typeset_pdf(&article, Variant::Regular)?;
            for _ in 0..runs {
                typst::comemo::evict(0);
                let start = Instant::now();
                let pdf = typesetter.typeset_pdf(&article, Variant::Regular)?;
                cold.push(start.elapsed());
                pages = pdf.pages;
            }
            for _ in 0..runs {
                let start = Instant::now();
                typesetter.typeset_pdf(&article, Variant::Regular)?;
                hot.push(start.elapsed());
            }
            typst::comemo::evict(0);
            Ok(())
        })?;
        let (cold, hot) = (median(&mut cold), median(&mut hot));
        println!("{} {cold:.2} {hot:.2} {pages}", file.display());
        sum_cold += cold;
        sum_hot += hot;
        sum_pages += pages;
    }
    let n = files.len() as f64;
    println!("mean {:.2} {:.2} {:.2}", sum_cold / n, sum_hot / n, sum_pages as f64 / n);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
