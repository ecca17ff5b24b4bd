//! Fault injection for the tests of what a bug does to a batch.
//!
//! A panic must stay one article's error, and a crash must keep finished work; neither
//! can be tested without a way to fail on purpose at a known place. In debug builds
//! (what `cargo test` runs) `HANDOUTS_FAILPOINT=STAGE:NAME` panics at `STAGE` while
//! working on the article file named `NAME`. Release builds compile it to nothing, so
//! no environment can make the shipped binary fail.
//!
//! `HANDOUTS_FAILPOINT=disk-full:N` makes every output write after the first `N` fail
//! as a full disk does (`ENOSPC`), halfway through writing the file.

use std::path::Path;

/// Panics when `HANDOUTS_FAILPOINT` names this `stage` and `path`'s file name (debug
/// builds only).
pub fn hit(stage: &str, path: &Path) {
    if cfg!(debug_assertions)
        && let Ok(point) = std::env::var("HANDOUTS_FAILPOINT")
        && let Some((wanted, name)) = point.split_once(':')
        && wanted == stage
        && path.file_name().is_some_and(|file| file.to_string_lossy() == name)
    {
        panic!("failpoint {stage} reached on {name}");
    }
}

/// Writes [`crate::fsx::write_atomic`] made in this process, for `disk-full:N`.
static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The error a full disk gives, when `HANDOUTS_FAILPOINT=disk-full:N` and `N` writes
/// were already made (debug builds only).
pub fn write_error() -> Option<std::io::Error> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let point = std::env::var("HANDOUTS_FAILPOINT").ok()?;
    let allowed: usize = point.strip_prefix("disk-full:")?.parse().ok()?;
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    (n >= allowed).then(|| std::io::Error::from(std::io::ErrorKind::StorageFull))
}
