//! Fault injection for the tests of what a bug does to a batch.
//!
//! A panic must stay one article's error, and a crash must keep finished work; neither
//! can be tested without a way to fail on purpose at a known place. In debug builds
//! (what `cargo test` runs) `HANDOUTS_FAILPOINT=STAGE:NAME` panics at `STAGE` while
//! working on the article file named `NAME`. Release builds compile it to nothing, so
//! no environment can make the shipped binary fail.

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
