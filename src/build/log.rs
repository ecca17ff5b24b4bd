//! Where a build's lines go and what they look like, decided once per run.
//!
//! - **On a terminal** (stderr is a TTY): today's output for a person watching, a
//!   progress bar and the reading-level table, no time stamps.
//! - **In a log** (stderr is a file or a pipe: cron, CI, systemd): one line per handout
//!   typeset or failed, errors, warnings and the summary, each line starting with the
//!   UTC time (`2026-12-07T08:01:02Z `); up-to-date handouts and the table are left out
//!   (`--table` brings the table back), so a no-op build of any library is one line.
//! - **`--log-format json`**: one JSON object per line instead, `{"time":…,"event":…}`
//!   with the fields [`Event`] lists (README, "Logs for unattended runs").
//!
//! Only `build`, `merge` and the rebuilds of `watch` and `serve` set a format; every
//! other command prints plain lines, which is also what this module does before
//! [`init`].

use std::io::Write;
use std::sync::OnceLock;

use serde::Serialize;

/// How lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines for people; time-stamped when stderr is not a terminal.
    Human,
    /// JSON lines, one event each.
    Json,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    format: Format,
    stamped: bool,
    terminal: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Whether stderr is a terminal (a person watching) rather than a log file or a pipe.
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// Sets the format for the rest of the process (the first call wins: `watch` and
/// `serve` rebuild with the same options).
pub fn init(format: Format) {
    let terminal = stderr_is_terminal();
    let _ = SETTINGS.set(Settings { format, stamped: format == Format::Human && !terminal, terminal });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings { format: Format::Human, stamped: false, terminal: true })
}

/// Whether lines are JSON events.
pub fn json() -> bool {
    settings().format == Format::Json
}

/// Whether the run is watched on a terminal (or no format was set): the progress bar,
/// the table and the "(up to date)" detail are for it.
pub fn on_terminal() -> bool {
    let settings = settings();
    settings.format == Format::Human && settings.terminal
}

/// Human text, one or more lines, each stamped in a log; nothing in JSON. Empty lines
/// (spacing on a terminal) are left out of a stamped log.
pub fn text(text: &str) {
    let settings = settings();
    if settings.format == Format::Json {
        return;
    }
    let mut err = std::io::stderr().lock();
    if !settings.stamped {
        let _ = writeln!(err, "{text}");
        return;
    }
    let stamp = super::run_record::now();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let _ = writeln!(err, "{stamp} {line}");
    }
}

/// A line of `serve` or `watch` that is not a message (a request answered): stamped
/// in a log like every line, a `note` event in JSON.
pub fn line(line: &str) {
    if json() {
        event(&Event::Message { event: "note", message: line });
    } else {
        text(line);
    }
}

/// `note: …`, or a `note` event.
pub fn note(message: &str) {
    message_line("note", message);
}

/// `warning: …`, or a `warning` event.
pub fn warning(message: &str) {
    message_line("warning", message);
}

/// `error: …` for a problem that is not one article's (a collection output that could
/// not be written), or an `error` event.
pub fn error(message: &str) {
    message_line("error", message);
}

fn message_line(level: &'static str, message: &str) {
    if json() {
        event(&Event::Message { event: level, message });
    } else {
        text(&format!("{level}: {message}"));
    }
}

/// Failures as `error: …` lines (one template error met on many articles is one line)
/// or one `failed` event each (the fields of `report.json`'s failures).
pub fn failures(failures: &[crate::error::Failure]) {
    if json() {
        for failure in failures {
            event(&Event::Failed { event: "failed", failure });
        }
    } else {
        for line in super::failure_lines(failures) {
            text(&format!("error: {line}"));
        }
    }
}

/// What a JSON log line holds besides `time`. Each variant's first field is `event`,
/// its name; the field names are stable (README lists them).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Event<'a> {
    /// `typeset`: an article's handouts were made; `n` of `total` articles are done.
    Typeset { event: &'static str, n: usize, total: usize, id: &'a str, source: &'a str, pdfs: Vec<Pdf> },
    /// `failed`: one failure, as `report.json` lists it (`kind`, `file`, `line`, `message`).
    Failed {
        event: &'static str,
        #[serde(flatten)]
        failure: &'a crate::error::Failure,
    },
    /// `removed`: an output of an article that is gone.
    Removed { event: &'static str, path: &'a str },
    /// `note`, `warning`, `error`: a line for people.
    Message { event: &'static str, message: &'a str },
    /// `summary`: the run's totals, named as in `run.json`, and the summary line.
    Summary {
        event: &'static str,
        #[serde(flatten)]
        summary: &'a super::run_record::Summary<'a>,
    },
}

/// One PDF typeset, for a `typeset` event.
#[derive(Serialize)]
pub struct Pdf {
    pub path: String,
    pub pages: Option<usize>,
}

/// Writes one JSON line: `{"time":"…","event":"…",…}`.
pub fn event(event: &Event) {
    let Ok(body) = serde_json::to_string(event) else { return };
    let Some(fields) = body.strip_prefix('{') else { return };
    let _ = writeln!(std::io::stderr().lock(), "{{\"time\":\"{}\",{fields}", super::run_record::now());
}

/// The `error: …` line of a run that stopped (exit 2), stamped in a log. In JSON, the
/// run's `summary` event (status `stopped`) already carries the error.
pub fn stopped(err: &crate::Error) {
    if !json() {
        text(&format!("error: {err}"));
    }
}
