//! Removing what the last build published and this one did not make, within
//! `--max-removals` ([`super::guard`]).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::manifest::{Manifest, OutputEntry};
use crate::error::{Error, Failure};
use crate::output::BuildReport;

/// The outputs the last build made that this one did not and that are to go: only when
/// their article is gone (deleted or renamed) or was built this time without them (a new
/// id, large print turned off). The outputs of an article that is still there but
/// failed, for whatever reason (a typo, a template that breaks on it, a character no
/// font has), are kept in `new`: a failed build must never cost the last good handouts.
pub fn stale_outputs<'a>(
    old: &'a Manifest,
    new: &mut Manifest,
    present: &HashSet<String>,
    failed: &HashSet<String>,
    report: &BuildReport,
) -> Vec<(&'a Arc<str>, &'a OutputEntry)> {
    let mut stale = Vec::new();
    for (relative, entry) in &old.outputs {
        if new.outputs.contains_key(relative) {
            continue;
        }
        // Outputs of the whole collection go only when a new one was written instead.
        let collection_replaced = entry.source.is_empty() && !report.collections.is_empty();
        let article = !entry.source.is_empty();
        let gone = article && !present.contains(&*entry.source);
        let rebuilt_without = article && !failed.contains(&*entry.source);
        if collection_replaced || gone || rebuilt_without {
            stale.push((relative, &**entry));
        } else {
            new.outputs.insert(relative.clone(), entry.clone());
        }
    }
    stale
}

/// Deletes `stale` (from [`stale_outputs`]); a file already gone is no problem.
pub fn remove_outputs(out: &Path, stale: &[(&Arc<str>, &OutputEntry)], report: &mut BuildReport) {
    for (relative, _) in stale {
        match std::fs::remove_file(out.join(&***relative)) {
            Ok(()) => report.removed.push(relative.to_string()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => report.failures.push(Failure::from(&Error::write(out.join(&***relative), err))),
        }
    }
}
