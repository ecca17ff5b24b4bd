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
    write_atomic_with(path, |file| file.write_all(bytes).map_err(|e| Error::write(path, e)))
}

/// [`write_atomic`] for an output written as it is made (an EPUB of 100,000 handouts):
/// `fill` writes the temporary file, which replaces `path` only when it succeeds.
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    // Unique per write, not only per process: two workers may write the same file at
    // once (a picture two translations show), and with one temporary name the second
    // rename found it gone ("No such file or directory").
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
    let result = std::fs::File::create(&temp)
        .map_err(|e| Error::write(path, e))
        .and_then(|mut file| {
            fill(&mut file)?;
            // A full disk found once the bytes are written, as a test injects it.
            crate::failpoint::write_error().map_or(Ok(()), |err| Err(Error::write(path, err)))
        })
        .and_then(|()| std::fs::rename(&temp, path).map_err(|e| Error::write(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The hash of an output's bytes that the manifest records.
pub fn file_hash(bytes: &[u8]) -> crate::digest::Digest {
    crate::digest::Digest(typst::utils::hash128(bytes))
}

/// [`file_hash`] of the file at `path` and its size, read a piece at a time: the same
/// value as hashing its bytes whole (the length, then the bytes, as `[u8]` hashes), for
/// files too large to hold (an EPUB of 100,000 handouts).
pub fn file_hash_at(path: &Path) -> std::io::Result<(u64, crate::digest::Digest)> {
    use std::cell::RefCell;
    use std::io::Read;

    struct Streamed {
        file: RefCell<std::fs::File>,
        len: u64,
        error: RefCell<Option<std::io::Error>>,
    }
    impl std::hash::Hash for Streamed {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            // As `<[u8] as Hash>::hash`: the length prefix, then the bytes in one
            // stream (SipHash gives the same value however the bytes are split).
            state.write_usize(self.len as usize);
            let mut piece = vec![0u8; 1 << 16];
            loop {
                match self.file.borrow_mut().read(&mut piece) {
                    Ok(0) => break,
                    // `n` is at most `piece.len()`, as `read` promises.
                    Ok(n) => state.write(&piece[..n]),
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(err) => {
                        *self.error.borrow_mut() = Some(err);
                        break;
                    }
                }
            }
        }
    }
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let streamed = Streamed { file: RefCell::new(file), len, error: RefCell::new(None) };
    let hash = crate::digest::Digest::of(&streamed);
    match streamed.error.into_inner() {
        Some(err) => Err(err),
        None => Ok((len, hash)),
    }
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

/// Removes the temporary files of `dir/name` that [`write_atomic`] left.
pub fn remove_temp_files_of(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(|entry| entry.ok()) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let ours = file_name.strip_prefix('.').and_then(|rest| rest.strip_prefix(name));
        if ours.is_some_and(|rest| rest.starts_with('.')) && is_temp_name(file_name) {
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
    fn the_temporary_files_of_one_file_are_removed_and_no_other() {
        let dir = tempfile::tempdir().expect("temp dir");
        let names = [
            ".run.json.4242.7.tmp",
            ".run.json.1.tmp",
            ".report.json.4242.7.tmp",
            "run.json",
            ".run.jsonx.1.0.tmp",
        ];
        for name in names {
            std::fs::write(dir.path().join(name), b"").expect("write");
        }
        remove_temp_files_of(dir.path(), "run.json");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".report.json.4242.7.tmp", ".run.jsonx.1.0.tmp", "run.json"]);
    }

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
