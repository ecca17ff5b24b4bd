//! `handouts watch`: rebuild whenever an article or template changes. Incremental
//! builds make each rebuild cost only the handouts that changed.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::cli::BuildArgs;
use crate::config::ConfigFile;
use crate::error::{Error, Result};

/// Editors save in bursts (temp file, rename, touch): wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(300);

/// Watches the content folder, the template folder and the config; calls `rebuild`
/// after each burst of changes. Runs until interrupted.
pub fn watch(args: &BuildArgs, rebuild: impl Fn()) -> Result<()> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !event.kind.is_access()
        {
            let _ = sender.send(());
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;

    let config = ConfigFile::load(&args.paths.config)?;
    let base = args.paths.config.parent().unwrap_or(Path::new("."));
    let template_dir = base.join(&config.handout.template).parent().map(Path::to_path_buf);
    let mut watched = vec![args.paths.content.clone()];
    watched.extend(template_dir);
    for path in &watched {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(|e| Error::Other(format!("{}: cannot watch: {e}", path.display())))?;
    }
    if args.paths.config.is_file() {
        let _ = watcher.watch(&args.paths.config, RecursiveMode::NonRecursive);
    }
    eprintln!("Watching {} for changes (Ctrl-C to stop)", args.paths.content.display());
    while events.recv().is_ok() {
        // One rebuild per burst of saves.
        while events.recv_timeout(SETTLE).is_ok() {}
        rebuild();
    }
    Ok(())
}
