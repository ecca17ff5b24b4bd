//! Progress for long runs: a bar on a terminal, one line per handout in logs and CI.

use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    done: AtomicUsize,
    total: usize,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && total > 0 && std::io::stderr().is_terminal()).then(|| {
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

    /// A handout that was made (or failed): a line of its own.
    pub fn finished(&self, name: &str, status: &str) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(name.to_string());
                bar.inc(1);
            }
            None if !self.quiet => eprintln!("[{n}/{}] {name} ({status})", self.total),
            None => {}
        }
    }

    /// A handout that was already up to date. It gets its line too: skipping it
    /// silently made the counter jump ([4/8] → [7/8]) in logs.
    pub fn skipped(&self, name: &str) {
        self.finished(name, "up to date");
    }

    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
