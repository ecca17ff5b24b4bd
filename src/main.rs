//! The `handouts` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = handouts::cli::Cli::parse();
    match handouts::run(cli) {
        Ok(handouts::Outcome::Success) => ExitCode::SUCCESS,
        Ok(handouts::Outcome::SomeFailed) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
