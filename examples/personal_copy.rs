//! One patient's copy in a warm process, the way `handouts serve` makes it: typesets the
//! given article N times with a different name and note each time
//! ([`Typesetter::typeset_personal`], which also makes typst forget the patient), on one
//! thread (or `--threads N` at once, as the desk's clients do), and prints the median time
//! per copy and the copies per second. Run under callgrind to count the
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
    let mut threads = 1usize;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => runs = it.next().ok_or("--runs needs a value")?.parse()?,
            "--large" => large = true,
            "--threads" => threads = it.next().ok_or("--threads needs a value")?.parse()?,
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
    // The build before `serve` answers: the handout itself.
    typesetter.typeset_pdf(&article, variant)?;
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    // Like the desk's clients: each thread asks for its next copy as soon as it has one.
    let results: Vec<Result<Worker, handouts::Error>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (typesetter, article) = (&typesetter, &article);
                scope.spawn(move || {
                    let (mut times, mut pages, mut size) = (Vec::new(), 0, 0);
                    for i in 0..=runs / threads {
                        let personal = Personal {
                            patient: format!("Patient {t}-{i}"),
                            clinician: "Dr Ruiz".into(),
                            note: format!("Walk every day, {i} minutes.\nCheck your feet."),
                            printed: time::Date::from_calendar_date(2026, time::Month::December, 7).ok(),
                        };
                        let start = Instant::now();
                        let pdf =
                            typesetter.typeset_personal(article, variant, None, &personal, |pdf| pdf)?;
                        if i > 0 {
                            times.push(start.elapsed());
                        }
                        (pages, size) = (pdf.pages, pdf.bytes.len());
                    }
                    Ok((times, pages, size))
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a worker panicked")).collect()
    });
    let wall = started.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let (mut times, mut pages, mut size) = (Vec::new(), 0, 0);
    for result in results {
        let (mine, p, s) = result?;
        times.extend(mine);
        (pages, size) = (p, s);
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1000.0;
    println!(
        "{} copies of {} ({pages} pages, {size} bytes), {threads} thread(s): median {median:.2} ms each, {:.1} copies/s, {:.2} ms of CPU each",
        times.len(),
        file.display(),
        times.len() as f64 / wall.as_secs_f64(),
        cpu * 1000.0 / times.len() as f64
    );
    Ok(())
}

/// What one thread made: the time of each copy, and the last copy's pages and bytes.
type Worker = (Vec<Duration>, usize, usize);

/// The process's CPU time so far (user and system, all threads), from /proc (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime, fields 14 and 15 of stat(5), counted from the state (field 3).
    (ticks(11) + ticks(12)) / 100.0
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
