//! The `handouts` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc rather than the system allocator: typst allocates and frees heavily from
/// every thread, and comemo's evicted layout is freed by whichever thread evicts. With
/// glibc's allocator a build took ~25 % more CPU and held freed memory, growing with the
/// batch (bench/RESULTS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = handouts::cli::Cli::parse();
    match handouts::run(cli) {
        Ok(handouts::Outcome::Success) => ExitCode::SUCCESS,
        Ok(handouts::Outcome::SomeFailed) => ExitCode::from(1),
        Err(err) => {
            // Time-stamped in a build's log; in a JSON log the summary event holds it.
            handouts::build::log::stopped(&err);
            ExitCode::from(2)
        }
    }
}
