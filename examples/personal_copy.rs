//! One patient's copy in a warm process, the way `handouts serve` makes it: typesets the
//! given article N times with a different name and note each time
//! ([`Typesetter::typeset_personal`], which also makes typst forget the patient), on one
//! thread, and prints the median time per copy. Run under callgrind to count the
//! instructions a copy costs whatever the machine's load (bench/RESULTS.md):
//!
//! ```sh
//! cargo build --release --example personal_copy
//! valgrind --tool=callgrind target/release/examples/personal_copy content/diabetes-foot-check.md --runs 20
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use handouts::config::ConfigFile;
use handouts::typeset::{Personal, Typesetter, Variant};
use handouts::{analyze, build, ingest};

/// The same allocator as the `handouts` binary, so the times compare.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut file = None;
    let mut runs = 50usize;
    let mut large = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => runs = it.next().ok_or("--runs needs a value")?.parse()?,
            "--large" => large = true,
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    let file = file.ok_or("usage: personal_copy FILE [--runs N] [--large]")?;
    let config_path = PathBuf::from("handouts.toml");
    let config = ConfigFile::load(&config_path)?.resolve(&config_path, "content".into(), "out".into(), None);
    let typesetter = Typesetter::new(&config)?;
    let words = build::plain_language(&config)?;
    let mut article = ingest::ingest_file(&file)?;
    analyze::analyze(&mut article, &words);
    let variant = if large { Variant::LargePrint } else { Variant::Regular };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut pages = 0;
    let mut size = 0;
    pool.install(|| -> Result<(), handouts::Error> {
        // The build before `serve` answers: the handout itself, then a first copy.
        typesetter.typeset_pdf(&article, variant)?;
        for i in 0..=runs {
            let personal = Personal {
                patient: format!("Patient {i}"),
                clinician: "Dr Ruiz".into(),
                note: format!("Walk every day, {i} minutes.\nCheck your feet."),
            };
            let start = Instant::now();
            let pdf = typesetter.typeset_personal(&article, variant, None, &personal, |pdf| pdf)?;
            if i > 0 {
                times.push(start.elapsed());
            }
            pages = pdf.pages;
            size = pdf.bytes.len();
        }
        Ok(())
    })?;
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1000.0;
    println!(
        "{} copies of {} ({pages} pages, {size} bytes): median {median:.2} ms each",
        runs,
        file.display()
    );
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
