//! The command line (clap derive). Each field's `///` comment is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Paper;

const EXAMPLES: &str = "\
Examples:
  handouts build                      Build every article in content/ into out/
  handouts build --paper a4 --large-print
                                      A4 handouts plus 18 pt large-print copies
  handouts build --jobs 1 --no-epub   One article at a time, PDFs only
  handouts check                      Read every article, print warnings, write nothing
  handouts inspect content/kidney.txt Show how one article was understood (JSON)

Exit codes: 0 all good, 1 some articles failed, 2 usage or configuration error.";

/// Turn a folder of health articles into branded, print-ready PDF handouts and one
/// accessible EPUB for patients.
#[derive(Debug, Parser)]
#[command(name = "handouts", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build PDF handouts (out/pdf/), the EPUB and the JSON intermediate form (out/json/).
    Build(BuildArgs),
    /// Read and analyse every article, print warnings and errors; writes nothing.
    Check(CheckArgs),
    /// Print one article's intermediate form (JSON) to stdout.
    Inspect(InspectArgs),
    /// Build only the EPUB compilation.
    Epub(EpubArgs),
}

/// Where to read from and write to.
#[derive(Debug, Clone, Args)]
pub struct Paths {
    /// Folder of articles (.txt, .md, .json).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Configuration file; missing means built-in defaults.
    #[arg(long, value_name = "FILE", default_value = "handouts.toml")]
    pub config: PathBuf,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Number of handouts typeset at once [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Paper size, overriding handouts.toml.
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Also write <id>-large.pdf with 18 pt text.
    #[arg(long)]
    pub large_print: bool,
    /// Skip the EPUB.
    #[arg(long)]
    pub no_epub: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Also fail (exit 1) when an article reads above `[handout] max-grade`.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The article file.
    pub file: PathBuf,
    /// Configuration file; missing means built-in defaults.
    #[arg(long, value_name = "FILE", default_value = "handouts.toml")]
    pub config: PathBuf,
}

#[derive(Debug, Args)]
pub struct EpubArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}
