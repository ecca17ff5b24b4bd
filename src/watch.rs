//! `handouts watch`: rebuild whenever an article, the template or the config changes.
//! Incremental builds make each rebuild cost only the handouts that changed.
//!
//! Folders are watched, never single files: most editors (and `sed -i`) save by writing
//! a new file and renaming it over the old one, and a watch on the old file's inode
//! would go quiet after the first save. The config is noticed through its folder.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::build::ProjectPaths;
use crate::config::ConfigFile;
use crate::error::{Error, Result};

/// Editors save in bursts (temp file, rename, touch): wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(300);

/// What to watch, as absolute paths.
#[derive(Debug, Clone, PartialEq)]
struct Watched {
    content: PathBuf,
    /// The template folder, when the config (or its default) names one that exists.
    templates: Option<PathBuf>,
    config: PathBuf,
    out: PathBuf,
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

impl Watched {
    /// Reads the config again: its template may have moved. A config that does not
    /// parse keeps the last template folder, so fixing it is still noticed.
    fn resolve(paths: &ProjectPaths, previous: Option<&Watched>) -> Watched {
        let base = paths.config.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let templates = match ConfigFile::load(&paths.config) {
            Ok(config) => base.join(&config.handout.template).parent().filter(|d| d.is_dir()).map(absolute),
            Err(_) => previous.and_then(|p| p.templates.clone()),
        };
        Watched {
            content: absolute(&paths.content),
            templates,
            config: absolute(&paths.config),
            out: absolute(&paths.out),
        }
    }

    /// The folder holding the config, watched without its subfolders.
    fn config_dir(&self) -> PathBuf {
        self.config.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
    }

    /// Whether a change to `path` can change a handout: writes into the output folder
    /// (which may sit inside a watched folder) must not start another build.
    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) {
            return false;
        }
        path.starts_with(&self.content)
            || self.templates.as_ref().is_some_and(|t| path.starts_with(t))
            || path.file_name() == self.config.file_name() && path.parent() == self.config.parent()
    }

    fn register(&self, watcher: &mut impl Watcher) -> Result<()> {
        let cannot =
            |path: &Path, e: notify::Error| Error::usage(format!("{}: cannot watch: {e}", path.display()));
        watcher.watch(&self.content, RecursiveMode::Recursive).map_err(|e| cannot(&self.content, e))?;
        if let Some(templates) = &self.templates {
            watcher.watch(templates, RecursiveMode::Recursive).map_err(|e| cannot(templates, e))?;
        }
        let dir = self.config_dir();
        watcher.watch(&dir, RecursiveMode::NonRecursive).map_err(|e| cannot(&dir, e))
    }

    fn unregister(&self, watcher: &mut impl Watcher) {
        let _ = watcher.unwatch(&self.content);
        if let Some(templates) = &self.templates {
            let _ = watcher.unwatch(templates);
        }
        let _ = watcher.unwatch(&self.config_dir());
    }
}

/// Watches the content folder, the template folder and the config; calls `rebuild`
/// once, then after each burst of changes. Runs until interrupted.
pub fn watch(paths: &ProjectPaths, rebuild: impl Fn()) -> Result<()> {
    watch_settling(paths, SETTLE, rebuild)
}

/// [`watch`], waiting `settle` for a burst of saves to end. `serve` waits less: a page
/// reloading 300 ms after a save feels slow, and a burst split in two costs only a
/// second incremental build.
pub fn watch_settling(paths: &ProjectPaths, settle: Duration, rebuild: impl Fn()) -> Result<()> {
    let (sender, events) = mpsc::channel::<Vec<PathBuf>>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !event.kind.is_access()
        {
            let _ = sender.send(event.paths);
        }
    })
    .map_err(|e| Error::usage(format!("cannot watch files: {e}")))?;

    let mut watched = Watched::resolve(paths, None);
    watched.register(&mut watcher)?;
    eprintln!("Watching {} for changes (Ctrl-C to stop)", paths.content.display());
    // The first build runs with the watch already set up, so a save during it is not lost.
    rebuild();
    while let Ok(changed) = events.recv() {
        let mut relevant = changed.iter().any(|p| watched.matters(p));
        // One rebuild per burst of saves.
        while let Ok(changed) = events.recv_timeout(settle) {
            relevant |= changed.iter().any(|p| watched.matters(p));
        }
        if !relevant {
            continue;
        }
        let now = Watched::resolve(paths, Some(&watched));
        if now != watched {
            watched.unregister(&mut watcher);
            now.register(&mut watcher)?;
            watched = now;
        }
        rebuild();
    }
    Ok(())
}
