//! The command line (clap derive). Each field's `///` comment is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Paper;

/// Paper sizes as the command line spells them; kept here so the config knows nothing
/// of clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// US Letter; `letter` works too.
    #[value(alias = "letter")]
    UsLetter,
    A4,
}

impl From<PaperArg> for Paper {
    fn from(paper: PaperArg) -> Paper {
        match paper {
            PaperArg::UsLetter => Paper::UsLetter,
            PaperArg::A4 => Paper::A4,
        }
    }
}

/// `--max-removals`: a whole percentage, 0 to 100 (`10` or `10%`).
fn percent(text: &str) -> Result<u8, String> {
    match text.trim().trim_end_matches('%').trim().parse::<u8>() {
        Ok(n) if n <= 100 => Ok(n),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

/// `--jobs`: a count of threads, at least one.
fn jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave --jobs out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

const EXAMPLES: &str = "\
Examples:
  handouts build                      Build every article in content/ into out/
  handouts build --paper a4 --large-print
                                      A4 handouts plus 18 pt large-print copies
  handouts build --jobs 1 --no-epub   One article at a time, PDFs only
  handouts build content/metastatic-kidney-cancer-treatment.txt
                                      Just one handout
  handouts build --only kidney-cancer --force
                                      Rebuild one handout even if it is up to date
  handouts build --shard 2/4          On the second of four machines sharing out/:
                                      typeset a quarter of the handouts
  handouts merge                      Then, once: the EPUB, the catalogue, report.json
  handouts watch                      Rebuild on every save (for template editing)
  handouts serve                      The handout desk at http://127.0.0.1:8000/
  handouts serve --listen 0.0.0.0:8000
                                      The desk on the clinic network (prints an access token)
  handouts print kidney-cancer --patient \"Ana López\" --out ana.pdf
                                      One patient's copy of one handout
  handouts print kidney-cancer diabetes-foot-care --patient \"Ana López\" --out ana.pdf
                                      A packet: several handouts in one PDF, with a cover
  handouts sections kidney-cancer     A handout's sections, as print --section takes them
  handouts init my-clinic             Start a new handouts folder
  handouts check                      Read every article, print warnings, write nothing
  handouts inspect content/metastatic-kidney-cancer-treatment.txt
                                      Show how one article was understood (JSON)
  handouts add https://example.org/health/foot-care
                                      Save a web page as content/<id>.md, pictures too
  handouts find --code icd10cm:E11.9  The handouts an EHR's infobutton finds for a code

Exit codes: 0 all good, 1 some articles failed (the others were built), 2 nothing could be
done: a usage or configuration error, a missing or empty content folder, another run
writing the same --out, or more removals than --max-removals allows.";

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
    /// Build PDF handouts (out/pdf/), the EPUB, the site (out/site/) and the JSON intermediate form (out/json/).
    Build(BuildArgs),
    /// Read and analyse every article, print warnings and errors; writes nothing.
    Check(CheckArgs),
    /// Print one article's intermediate form (JSON) to stdout.
    Inspect(InspectArgs),
    /// Build only the EPUB compilation.
    Epub(EpubArgs),
    /// After `build --shard K/N` for every K: write the EPUB, the site's catalogue,
    /// report.json and the manifest from the shards' work (nothing is typeset). Give it the
    /// options the shards had.
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(BuildArgs),
    /// Rebuild what changed whenever a file in the content or template folder changes.
    Watch(BuildArgs),
    /// Save web pages (or pages saved from a browser) and Word documents as editable articles in content/.
    Add(AddArgs),
    /// The handout desk: serve the site, rebuild on save, reload open pages, and print
    /// a handout for one patient.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Print handouts for one patient (name, clinician, note, chosen sections) as one
    /// PDF: one handout, or several as a packet with a cover list.
    #[command(after_help = PRINT_EXAMPLES)]
    Print(PrintArgs),
    /// Find the handouts for a diagnosis, medicine or test code, as an EHR's infobutton
    /// does (`serve` answers it at /infobutton).
    #[command(after_help = FIND_EXAMPLES)]
    Find(FindArgs),
    /// List every clinical code with its handouts, and the handouts without codes (which
    /// an EHR cannot find).
    #[command(after_help = CODES_EXAMPLES)]
    Codes(CodesArgs),
    /// List a handout's sections, numbered as `print --section` takes them.
    #[command(after_help = SECTIONS_EXAMPLES)]
    Sections(SectionsArgs),
    /// Create handouts.toml, content/ with an example article, and templates/ in DIR.
    Init(InitArgs),
    /// Print a shell completion script (e.g. `handouts completions bash > /etc/bash_completion.d/handouts`).
    Completions(CompletionsArgs),
}

const MERGE_EXAMPLES: &str = "\
Examples:
  for k in 1 2 3 4; do handouts build --shard $k/4 & done; wait; handouts merge
                        Four shards at once on one machine, then the collection
  handouts build --shard auto         As each task of a Slurm array (SLURM_ARRAY_TASK_ID of
                                      SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job
                                      (JOB_COMPLETION_INDEX of HANDOUTS_SHARDS) ...
  handouts merge                      ... then one job after all of them

The folder is then byte for byte what one `handouts build` makes. merge exits 2 and
writes or removes nothing when a shard is missing or was made from other inputs
(another config, template or set of articles). docs/scale.md has the job files.";

const ADD_EXAMPLES: &str = "\
Examples:
  handouts add https://example.org/health/foot-care
                        Fetch the page, keep its article, write content/<id>.md and
                        its pictures under content/pictures/
  handouts add saved/foot-care.html
                        The same for a page saved with the browser's \"Save page as…\"
  handouts add ~/Documents/low-salt.docx
                        A Word document: its headings, lists, tables and pictures
                        (out of the document, into content/pictures/)
  handouts add --no-pictures --force https://example.org/a https://example.org/b
                        Two pages, alt text instead of pictures, replacing articles

Nothing in the page is run, and the article is written for you to check: set
`reviewed:` once a clinician has read it. Only http:// and https:// addresses are
fetched, never one on this computer or the local network unless --allow-private.";

#[derive(Debug, Args)]
#[command(after_help = ADD_EXAMPLES)]
pub struct AddArgs {
    /// Web addresses (https://…), saved pages (.html, .htm) or Word documents (.docx).
    #[arg(required = true, value_name = "URL|FILE")]
    pub sources: Vec<String>,
    /// Folder the article is written to.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Replace an article with the same id.
    #[arg(long)]
    pub force: bool,
    /// Do not save the page's pictures; keep their alt text.
    #[arg(long)]
    pub no_pictures: bool,
    /// Also fetch from loopback and private network addresses (an intranet, a test).
    #[arg(long)]
    pub allow_private: bool,
    /// Seconds to wait for a connection and for the whole answer (for tests).
    #[arg(long, hide = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Largest page or picture fetched, in bytes (for tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub max_bytes: Option<u64>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to set up (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The clinic's name, for the header band and the EPUB [default: from the folder's name].
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The config file read when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "handouts.toml";

/// Where to read from and write to.
#[derive(Debug, Clone, Args)]
pub struct Paths {
    /// Folder of articles (.txt, .md, .json, .html, .docx).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Configuration file [default: handouts.toml, and built-in defaults when that is
    /// missing]. A file named here must exist.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

impl Paths {
    /// The config file: `--config`, else [`DEFAULT_CONFIG`].
    pub fn config_path(&self) -> &std::path::Path {
        config_path(self.config.as_deref())
    }

    pub fn project(&self) -> crate::build::ProjectPaths {
        crate::build::ProjectPaths {
            content: self.content.clone(),
            config: self.config_path().to_path_buf(),
            out: self.out.clone(),
        }
    }
}

/// `--config FILE`, else [`DEFAULT_CONFIG`].
pub fn config_path(named: Option<&std::path::Path>) -> &std::path::Path {
    named.unwrap_or(std::path::Path::new(DEFAULT_CONFIG))
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Build only these article files (default: every article in the content folder).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub paths: Paths,
    /// Build only the articles with these ids.
    #[arg(long, value_name = "ID", num_args = 1..)]
    pub only: Vec<String>,
    /// Rebuild everything, even outputs that are up to date.
    #[arg(long)]
    pub force: bool,
    /// Number of handouts typeset at once [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = jobs)]
    pub jobs: Option<usize>,
    /// Paper size, overriding handouts.toml.
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Also write <id>-large.pdf with 18 pt text.
    #[arg(long, conflicts_with = "no_large_print")]
    pub large_print: bool,
    /// Do not write <id>-large.pdf, even when handouts.toml asks for it.
    #[arg(long)]
    pub no_large_print: bool,
    /// Skip the EPUB.
    #[arg(long)]
    pub no_epub: bool,
    /// Put the drafts on the site too, for a preview site: each gets its page and
    /// catalogue entry, marked "DRAFT – not yet reviewed" (the EPUB never holds one).
    #[arg(long)]
    pub drafts: bool,
    /// Typeset only shard K of N (K from 1 to N) of the articles, split by id, into a
    /// shared --out; then run `handouts merge` once. `auto` reads a Slurm array
    /// (SLURM_ARRAY_TASK_ID/_MIN/_STEP/_COUNT) or a Kubernetes Indexed Job
    /// (JOB_COMPLETION_INDEX, 0-based, of HANDOUTS_SHARDS or of N in `auto/N`).
    #[arg(long, value_name = "K/N|auto", value_parser = crate::build::Shard::parse, conflicts_with_all = ["files", "only"])]
    pub shard: Option<crate::build::Shard>,
    /// Stop, removing nothing, when a build would remove more than PCT % of the files the
    /// last build published and more than one article's files (deleting one handout
    /// always works); `--max-removals 100` allows any.
    #[arg(long, value_name = "PCT", default_value_t = crate::build::DEFAULT_MAX_REMOVALS, value_parser = percent)]
    pub max_removals: u8,
    /// Fail the run (exit 1, after building) when the articles have more than N warnings
    /// in all: for unattended runs that must not publish unchecked articles.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print every article's warnings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the reading-level table at the end (the default on a terminal; in a log,
    /// where stderr is a file or a pipe, it is left out).
    #[arg(long, conflicts_with_all = ["no_table", "quiet"])]
    pub table: bool,
    /// Leave the reading-level table out, on a terminal too.
    #[arg(long)]
    pub no_table: bool,
    /// `human`: lines for people (in a log, each starts with the UTC time and only
    /// handouts typeset or failed get one); `json`: one JSON object per line on stderr
    /// (events typeset, failed, removed, note, warning, error, summary; never the table).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
}

/// The format of a build's log (`--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

impl From<LogFormat> for crate::build::log::Format {
    fn from(format: LogFormat) -> Self {
        match format {
            LogFormat::Human => crate::build::log::Format::Human,
            LogFormat::Json => crate::build::log::Format::Json,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Also fail (exit 1) when an article reads above `[handout] max-grade` (or below
    /// `min-inflesz`), or a published handout's review is overdue (`review-by:`, or
    /// `reviewed:` plus `[handout] review-every`; today is HANDOUTS_TODAY=YYYY-MM-DD
    /// when set).
    #[arg(long)]
    pub strict: bool,
    /// Print report.json's shape (articles, failures) on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

const FIND_EXAMPLES: &str = "\
Examples:
  handouts find --code icd10cm:E11.9  Handouts for type 2 diabetes: those coded E11.9, then
                                      E11 (an ICD-10-CM code finds its parents)
  handouts find --code icd10cm:E11.9 --lang es
                                      The Spanish translation where there is one
  handouts find --code rxnorm:860975 --code loinc:4548-4 --json
                                      Several codes; JSON like the infobutton's
                                      (application/json) for scripts

Codes are written system:code, with the systems icd10cm, snomed, rxnorm and loinc.
Exit code 0 also when nothing matches (the list is empty).";

const CODES_EXAMPLES: &str = "\
Examples:
  handouts codes                      Every code and its handouts, then the uncoded ones
  handouts codes --json               The same as JSON

Give a handout codes in its front matter:
  codes: [\"icd10cm:E11\", \"snomed:44054006\", \"rxnorm:860975\", \"loinc:4548-4\"]";

#[derive(Debug, Args)]
pub struct FindArgs {
    /// A code, `system:code` (icd10cm:E11.9, snomed:44054006, rxnorm:860975,
    /// loinc:4548-4); give --code again for several.
    #[arg(long = "code", value_name = "SYSTEM:CODE", required = true)]
    pub codes: Vec<String>,
    /// The language wanted (a tag: `es`, `es-MX`): each handout's translation in it,
    /// when it has one.
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Print JSON (the infobutton's application/json answer) instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub paths: Paths,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    /// Print JSON instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub paths: Paths,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The article file.
    pub file: PathBuf,
    /// Configuration file [default: handouts.toml, and built-in defaults when that is
    /// missing]. A file named here must exist.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EpubArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

const SERVE_EXAMPLES: &str = "\
Examples:
  handouts serve                      http://127.0.0.1:8000/ on this computer only
  handouts serve --port 9000          Another port (0 picks a free one)
  handouts serve --listen 0.0.0.0:8000
                                      On the clinic network: prints an address with
                                      ?token=; requests without the token get 401
  HANDOUTS_TOKEN=$(cat /etc/handouts/token) handouts serve --listen 0.0.0.0:8000
                                      A token that stays the same across restarts and is
                                      never printed (or --token-file FILE); GET /healthz
                                      answers without it, for health checks
  HANDOUTS_DESK_PRINTS=4 handouts serve
                                      Four personal copies typeset at once (default: the
                                      cores; more get 503 with Retry-After). Also
                                      HANDOUTS_DESK_TIMEOUT (10 s for a request to arrive)
                                      and HANDOUTS_DESK_CONNECTIONS (256): docs/serve.md

Nothing typed into the print form is stored: not on disk, in a cache, a log or the PDF's
metadata.";

const PRINT_EXAMPLES: &str = "\
Examples:
  handouts print kidney-cancer --patient \"Ana López\" --clinician \"Dr Ruiz\" \\
      --note \"Take the tablets with food.\" --out ana.pdf
  handouts sections kidney-cancer
                        List the sections, numbered from 1
  handouts print kidney-cancer --patient \"Ana López\" --section 1 --section \"Side effects\" --out - | lp
                        Only these sections (by number or name), and the \"when to call\" ones
  handouts print kidney-cancer --large-print --paper a4 --note-file note.txt --out ana.pdf
  handouts print kidney-cancer --lang es --patient \"Ana López\" --out ana.pdf
                        The Spanish translation (front matter translation-key)
  handouts print kidney-cancer diabetes-foot-care --patient \"Ana López\" --two-sided --out ana.pdf
                        A packet: a cover listing both, then each handout on a new sheet
  handouts print kidney-cancer --patient \"Ana López\" --date 2026-12-07 --out ana.pdf
                        Print another day's date (the default is today's)

Sections are numbered from 1 in the order of the handout's top-level headings, as
`handouts sections ID` lists them; a \"when to call\" section is always printed. Every
page carries the patient's name and the date printed. The PDF is made in memory and
written only to --out; its file name and metadata never hold the patient's name.";

const SECTIONS_EXAMPLES: &str = "\
Examples:
  handouts sections kidney-cancer
  handouts sections kidney-cancer --lang es
                        The sections of the Spanish translation
  handouts sections kidney-cancer --json
                        For scripts: [{\"number\": 1, \"title\": \"…\", \"always_printed\": false}, …]

\"Always printed\" sections (\"when to call\") are in every copy, whatever --section says.";

#[derive(Debug, Args)]
pub struct SectionsArgs {
    /// The handout's id (see `print --help`).
    pub id: String,
    /// The sections of the handout's translation in this language (a tag: `es`, `es-MX`).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Print JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Folder of articles (.txt, .md, .json, .html, .docx).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Configuration file [default: handouts.toml, and built-in defaults when that is
    /// missing]. A file named here must exist.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Port on 127.0.0.1 (0 picks a free one and prints it).
    #[arg(long, default_value_t = 8000, conflicts_with = "listen")]
    pub port: u16,
    /// Listen on this address instead (e.g. 0.0.0.0:8000 for the clinic network); every
    /// request then needs the access token printed at start.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::SocketAddr>,
    /// Read the access token from this file (first line) instead of making a new one at
    /// every start; `HANDOUTS_TOKEN` does the same. Such a token is never printed, and
    /// it is required even on 127.0.0.1.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Number of handouts typeset at once while rebuilding [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = jobs)]
    pub jobs: Option<usize>,
    /// Log every request (method, path, status, time; never what a form holds).
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The handout's id: printed at the foot of each handout and named by its PDF
    /// (`out/pdf/<id>.pdf`); it comes from the title, or `id:` in front matter. Several
    /// ids make one packet: a cover listing them, then each handout on a new sheet.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Print the handouts' translations in this language (a tag: `es`, `es-MX`); the
    /// sections are those translations'.
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Folder of articles (.txt, .md, .json, .html, .docx).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Configuration file [default: handouts.toml, and built-in defaults when that is
    /// missing]. A file named here must exist.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The patient's name, printed at the top and at the foot of every page (at most 100
    /// characters).
    #[arg(long, default_value = "")]
    pub patient: String,
    /// The date printed on every page, YYYY-MM-DD [default: today, in UTC].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The clinician or team (at most 100 characters).
    #[arg(long, default_value = "")]
    pub clinician: String,
    /// A note in a "Notes from your care team" box (at most 1000 characters).
    #[arg(long, default_value = "", conflicts_with = "note_file")]
    pub note: String,
    /// Read the note from this file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub note_file: Option<PathBuf>,
    /// Print only these sections: a number from 1 or a name, as `handouts sections ID`
    /// lists them ("when to call" ones are always printed). With one id only.
    #[arg(long = "section", value_name = "N|NAME")]
    pub sections: Vec<String>,
    /// A packet printed on both sides of the paper: each handout starts on a right-hand
    /// (odd) page, after a blank page when needed.
    #[arg(long)]
    pub two_sided: bool,
    /// 18 pt large print.
    #[arg(long)]
    pub large_print: bool,
    /// Paper size, overriding handouts.toml.
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Where to write the PDF (`-` for stdout, refused when stdout is a terminal).
    #[arg(long, value_name = "FILE|-")]
    pub out: PathBuf,
}
