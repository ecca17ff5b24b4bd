//! Progress for long runs, counted in handouts (articles: regular and large print are
//! one): a bar on a terminal; in a log, one line per handout typeset or failed
//! (`[n/N] id (…)`, `n` counting the up-to-date ones too, so it reaches `N`), and
//! nothing for a handout that was up to date; a `typeset` event in a JSON log.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::log;

pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    done: AtomicUsize,
    total: usize,
}

/// What became of one article's handouts.
pub enum Done<'a> {
    /// Made, each PDF with its pages.
    Typeset(Vec<(&'a str, Option<usize>)>),
    UpToDate,
    Failed,
}

impl Progress {
    /// `total`: the articles to build.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let bar = (!quiet && total > 0 && log::on_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} handouts  {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, quiet, done: AtomicUsize::new(0), total }
    }

    /// One article done: `id` (its file when it has none yet), from `source`.
    pub fn done(&self, id: &str, source: &str, done: Done) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_message(id.to_string());
            bar.inc(1);
            return;
        }
        if self.quiet {
            return;
        }
        let status = match done {
            Done::UpToDate => return,
            Done::Failed => "failed".to_string(),
            Done::Typeset(pdfs) if log::json() => {
                let pdfs =
                    pdfs.into_iter().map(|(path, pages)| log::Pdf { path: path.into(), pages }).collect();
                let event = log::Event::Typeset { event: "typeset", n, total: self.total, id, source, pdfs };
                return log::event(&event);
            }
            Done::Typeset(pdfs) => {
                let pages: Vec<String> =
                    pdfs.iter().map(|(_, pages)| pages.unwrap_or(0).to_string()).collect();
                let last = if pages.len() == 1 && pages[0] == "1" { "page" } else { "pages" };
                match pdfs.len() {
                    1 => format!("typeset, {} {last}", pages[0]),
                    n => format!("typeset {n} PDFs, {} {last}", pages.join(" + ")),
                }
            }
        };
        if !log::json() {
            log::text(&format!("[{n}/{}] {id} ({status})", self.total));
        }
    }

    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
