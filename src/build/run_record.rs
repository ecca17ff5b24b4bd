//! `out/run.json`: what the last run did, for an operator's monitoring. Written at the
//! end of every `build` and `merge`, an exit 2 included (when the output folder can be
//! written), so an old record is never taken for the outcome of a run that stopped.
//!
//! It is a record of the run, not an output: it holds times and is not in the manifest,
//! while `report.json` (the library's state) stays byte-identical for the same input.

use serde::Serialize;

use crate::error::{Error, Failure};
use crate::output::BuildReport;

/// The file's name in the output folder.
pub const RUN_FILE: &str = "run.json";

/// The layout of `run.json`; bumped on any incompatible change.
pub const RUN_SCHEMA: u32 = 1;

#[derive(Serialize)]
struct RunRecord<'a> {
    schema: u32,
    tool: &'static str,
    version: &'static str,
    command: &'a str,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    started: String,
    finished: String,
    seconds: f64,
    /// `ok` (exit 0), `failed` (exit 1: some articles failed, the rest was built) or
    /// `stopped` (exit 2: nothing useful could be done; `error` says why).
    status: &'static str,
    exit_code: u8,
    #[serde(flatten)]
    totals: Totals,
    failures: &'a [Failure],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Failure>,
}

/// The counts `run.json` and the log's `summary` event share, under the same names.
#[derive(Serialize)]
pub struct Totals {
    pub handouts_typeset: usize,
    pub handouts_up_to_date: usize,
    pub outputs_removed: usize,
    pub articles: usize,
    pub warnings: usize,
}

impl Totals {
    fn of(report: &BuildReport) -> Totals {
        Totals {
            handouts_typeset: report.pdfs.len(),
            handouts_up_to_date: report.unchanged.len(),
            outputs_removed: report.removed.len(),
            articles: report.articles.len(),
            warnings: report.articles.iter().map(|a| a.warnings).sum(),
        }
    }
}

/// The `summary` event of a JSON log: `run.json`'s fields, with the number of
/// failures (each was a `failed` event) and the summary line people read.
#[derive(Serialize)]
pub struct Summary<'a> {
    pub command: &'a str,
    pub status: &'static str,
    pub exit_code: u8,
    pub seconds: f64,
    #[serde(flatten)]
    pub totals: Totals,
    /// How many failures (the `failed` events before).
    pub failed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
    /// The summary line of a human log (none for a run that stopped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'a str>,
}

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The outcome of a run, as `run.json` records it.
pub enum Outcome<'a> {
    Finished { report: &'a BuildReport, failed: bool },
    Stopped(&'a Error),
}

/// Writes `out/run.json`; a folder that cannot be written is left alone (the run's
/// own error says so). In a JSON log, also the `summary` event, with `message`.
pub fn write(
    out: &std::path::Path,
    command: &str,
    started: (String, std::time::Instant),
    outcome: Outcome,
    message: Option<&str>,
) {
    let empty = BuildReport::default();
    let (report, status, exit_code, error) = match outcome {
        Outcome::Finished { report, failed: false } => (report, "ok", 0, None),
        Outcome::Finished { report, failed: true } => (report, "failed", 1, None),
        Outcome::Stopped(err) => (&empty, "stopped", 2, Some(Failure::from(err))),
    };
    let seconds = (started.1.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    if super::log::json() {
        let summary = Summary {
            command,
            status,
            exit_code,
            seconds,
            totals: Totals::of(report),
            failed: report.failures.len(),
            error: error.clone(),
            message,
        };
        super::log::event(&super::log::Event::Summary { event: "summary", summary: &summary });
    }
    let record = RunRecord {
        schema: RUN_SCHEMA,
        tool: "handouts",
        version: env!("CARGO_PKG_VERSION"),
        command,
        started: started.0,
        finished: now(),
        seconds,
        status,
        exit_code,
        totals: Totals::of(report),
        failures: &report.failures,
        error,
    };
    if out.is_dir() {
        let _ = crate::fsx::write_atomic(&out.join(RUN_FILE), &crate::output::to_json(&record));
    }
}
