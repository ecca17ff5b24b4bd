//! `handouts`: a folder of health articles → branded PDF handouts and one EPUB.
//!
//! The stages (see ARCHITECTURE.md): `ingest` → `analyze` → `build`, which runs every
//! output in `output` (PDF, large-print PDF, JSON, EPUB, report). Each stage takes and
//! returns the plain types in [`model`]; `validate` holds the rules for values people
//! write, checked once where they enter.

mod add;
pub mod analyze;
pub mod build;
pub mod cli;
pub mod codes;
mod commands;
pub mod config;
pub mod digest;
pub mod docx_package;
pub mod epub;
pub mod error;
mod failpoint;
pub mod fetch;
mod fsx;
pub mod infobutton;
pub mod ingest;
pub mod labels;
pub mod model;
pub mod output;
pub mod pictures;
mod render;
pub mod review;
mod scaffold;
pub mod serve;
pub mod site;
pub mod typeset;
pub mod validate;
mod watch;

pub use error::{Error, Result};

/// How a run ended, short of an error that stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was built (or checked) without errors.
    Success,
    /// The run finished, but some articles failed; exit code 1.
    SomeFailed,
}

/// Runs one command. `Err` means nothing useful could be done (exit code 2).
pub fn run(cli: cli::Cli) -> Result<Outcome> {
    commands::run(cli)
}
