//! File-system helpers whose errors carry the path.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then
/// renamed over the target, so an interrupted build never leaves a truncated file.
///
/// No fsync per file: it guards only against power loss, cost a build of 1,000 handouts
/// seconds of waiting on the disk, and a lost output is rebuilt by the next run because
/// the manifest is written last.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    // Unique per write, not only per process: two workers may write the same file at
    // once (a picture two translations show), and with one temporary name the second
    // rename found it gone ("No such file or directory").
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        if let Some(err) = crate::failpoint::write_error() {
            file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(err);
        }
        file.write_all(bytes)?;
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::write(path, e)
    })
}

/// Whether `name` is one of [`write_atomic`]'s temporary files (`.NAME.PID.N.tmp`, or
/// `.NAME.PID.tmp` from before N was added) or [`ensure_writable_dir`]'s probe.
fn is_temp_name(name: &str) -> bool {
    if name.starts_with(".handouts-write-test.") {
        return true;
    }
    let Some(mut rest) = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(".tmp")) else {
        return false;
    };
    let number = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let mut numbers = 0;
    while let Some((file, last)) = rest.rsplit_once('.')
        && number(last)
        && numbers < 2
    {
        rest = file;
        numbers += 1;
    }
    numbers > 0 && !rest.is_empty()
}

/// Removes the temporary files a killed run left anywhere in `dir`. Only for a folder
/// no other run is writing (its lock is held): their files are in flight.
pub fn remove_temp_files(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(|entry| entry.ok()) {
        if entry.file_type().is_file() && entry.file_name().to_str().is_some_and(is_temp_name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Creates `dir` and proves it is writable before any work starts.
pub fn ensure_writable_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let probe = dir.join(format!(".handouts-write-test.{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| Error::write(dir, e))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_run_s_temporary_files_are_told_from_outputs() {
        for temp in
            [".feet.pdf.4242.7.tmp", ".feet.pdf.4242.tmp", ".index.html.1.0.tmp", ".handouts-write-test.77"]
        {
            assert!(is_temp_name(temp), "{temp}");
        }
        for kept in ["feet.pdf", ".feet.pdf.tmp", ".pdf.x1.tmp", "feet.4242.tmp", ".handouts-lock", "..1.tmp"]
        {
            assert!(!is_temp_name(kept), "{kept}");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("site/pictures")).expect("dirs");
        std::fs::write(dir.path().join("site/pictures/.a.png.12.tmp"), b"half").expect("write");
        std::fs::write(dir.path().join("site/a.png"), b"whole").expect("write");
        remove_temp_files(dir.path());
        assert!(!dir.path().join("site/pictures/.a.png.12.tmp").exists());
        assert!(dir.path().join("site/a.png").exists());
    }
}
