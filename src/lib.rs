//! `handouts`: a folder of health articles → branded PDF handouts and one EPUB.
//!
//! The pipeline (see DESIGN.md): `ingest` → `analyze` → `typeset` ∥ `epub` → report.
//! Each stage takes and returns the plain types in [`model`].

pub mod analyze;
pub mod cli;
pub mod config;
mod dates;
pub mod epub;
pub mod error;
mod fsx;
pub mod ingest;
pub mod model;
pub mod pipeline;
mod scaffold;
pub mod typeset;
mod watch;

pub use error::{Error, Result};

use cli::{Cli, Command};
use pipeline::{BuildOptions, load_batch, load_config, summary_table};

/// The grade table's hint when every warning was already printed above it.
const WARNINGS_LISTED_ABOVE: &str = "listed above, each with its line.";

/// How a run ended, short of an error that stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was built (or checked) without errors.
    Success,
    /// The run finished, but some articles failed; exit code 1.
    SomeFailed,
}

/// Runs one command. `Err` means nothing useful could be done (exit code 2).
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build(args) => build_command(&args),
        Command::Watch(args) => {
            build_command(&args)?;
            watch::watch(&args, || {
                if let Err(err) = build_command(&args) {
                    eprintln!("error: {err}");
                }
            })?;
            Ok(Outcome::Success)
        }
        Command::Init(args) => {
            scaffold::init(&args.dir)?;
            Ok(Outcome::Success)
        }
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(args.shell, &mut Cli::command(), "handouts", &mut std::io::stdout());
            Ok(Outcome::Success)
        }
        Command::Check(args) => {
            let config = load_config(&args.paths.config, args.paths.content, args.paths.out, None)?;
            let batch = load_batch(&config, None)?;
            let mut failures = batch.report_failures();
            pipeline::print_warnings(&batch.articles);
            let rows = pipeline::check_rows(&batch.articles);
            println!("{}", summary_table(&rows, &config.handout, WARNINGS_LISTED_ABOVE));
            if args.strict {
                let (max_grade, min_inflesz) = (config.handout.max_grade, config.handout.min_inflesz);
                for article in &batch.articles {
                    let level = article.stats.as_ref().map_or(model::ReadingLevel::None, model::Stats::level);
                    if !level.misses(max_grade, min_inflesz) {
                        continue;
                    }
                    let message = match level {
                        model::ReadingLevel::Grade(grade) => format!(
                            "{}: reads at grade {grade:.1}, above max-grade {}",
                            article.source,
                            max_grade.unwrap_or_default()
                        ),
                        _ => format!(
                            "{}: reads at {}, below min-inflesz {}",
                            article.source,
                            level.label(),
                            min_inflesz.unwrap_or_default()
                        ),
                    };
                    eprintln!("error: {message}");
                    failures.push(message);
                }
            }
            finish(&failures)
        }
        Command::Inspect(args) => {
            let config = load_config(&args.config, "content".into(), "out".into(), None)?;
            let batch = load_batch(&config, Some(std::slice::from_ref(&args.file)))?;
            if let Some(failure) = batch.failures.into_iter().next() {
                return Err(failure);
            }
            for article in &batch.articles {
                use std::io::Write;
                let _ = std::io::stdout().write_all(&pipeline::to_json(article));
            }
            Ok(Outcome::Success)
        }
        Command::Epub(args) => {
            let config = load_config(&args.paths.config, args.paths.content, args.paths.out, None)?;
            let batch = load_batch(&config, None)?;
            let mut failures = batch.report_failures();
            match pipeline::write_epub(&config, &batch.articles) {
                Ok(path) if !args.quiet => eprintln!("EPUB {}", path.display()),
                Ok(_) => {}
                Err(err) => {
                    eprintln!("error: {err}");
                    failures.push(err.to_string());
                }
            }
            finish(&failures)
        }
    }
}

fn build_command(args: &cli::BuildArgs) -> Result<Outcome> {
    let paths = args.paths.clone();
    let mut config = load_config(&paths.config, paths.content, paths.out, args.jobs)?;
    if let Some(paper) = args.paper {
        config.handout.paper = paper;
    }
    config.handout.large_print |= args.large_print;
    let options = BuildOptions {
        epub: !args.no_epub,
        quiet: args.quiet,
        verbose: args.verbose,
        force: args.force,
        files: args.files.clone(),
        only: args.only.clone(),
    };
    let started = std::time::Instant::now();
    let report = pipeline::build(&config, &options)?;
    if !args.quiet {
        if !report.articles.is_empty() {
            let hint = if args.verbose {
                WARNINGS_LISTED_ABOVE
            } else {
                "`handouts check` (or `build --verbose`) lists each with its line."
            };
            eprint!("\n{}", summary_table(&report.articles, &config.handout, hint));
        }
        eprintln!("\n{}", pipeline::summary_line(&report, &config, started.elapsed()));
    }
    finish(&report.failures)
}

fn finish(failures: &[String]) -> Result<Outcome> {
    if failures.is_empty() {
        Ok(Outcome::Success)
    } else {
        eprintln!("\n{} problem{}:", failures.len(), if failures.len() == 1 { "" } else { "s" });
        for failure in failures {
            eprintln!("  {failure}");
        }
        Ok(Outcome::SomeFailed)
    }
}
