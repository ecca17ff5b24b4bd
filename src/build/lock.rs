//! `out/.handouts-lock`: one run at a time writes an output folder.
//!
//! Two builds into one folder with two clinics' configs left a library of both brands
//! for good, each build exiting 0 (issue 28). A build, `watch`, `serve` and `epub` take
//! an advisory lock (`flock`, through std's `File::try_lock`) on a file in the output
//! folder before writing anything; a second run finds it held and stops at once, naming
//! the holder, whose pid, command line and start time are written into the file.
//!
//! The lock is the open file's, so the kernel releases it when the holder exits, killed
//! or not: a lock file left behind never blocks anyone. `watch` and `serve` hold it for
//! as long as they run and build many times meanwhile, one build at a time; a build
//! inside a process that already holds the folder's lock goes ahead (see [`HELD`]).
//!
//! The shards of a `--shard K/N` build take the lock shared ([`lock_out_shared`]): they
//! write disjoint shares and each its own journal and part, so they run together on one
//! volume, while a full build, `merge`, `watch` or `serve` (exclusive) is refused as
//! long as any shard runs, and a shard is refused while one of those runs. A shard
//! writes no details into the file (the exclusive holder's would be overwritten by many).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::{Error, Result};

/// The lock file's name in the output folder.
pub const LOCK: &str = ".handouts-lock";

/// The output folders (canonical) this process holds the lock of. Locks taken twice by
/// one process on one file conflict like any two, so `serve`'s own rebuilds must know
/// that the lock they find held is their own.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The lock on an output folder, released (and the file emptied) when dropped.
#[must_use = "the folder is unlocked when this is dropped"]
pub struct OutLock {
    /// `None` when this process already held the lock, or the file system has no locks.
    held: Option<(File, PathBuf)>,
    /// Whether the file still named a holder when the lock was taken: that run was
    /// killed holding it (a run that ends empties it).
    after_killed: bool,
    /// A shared lock ([`lock_out_shared`]): released when the file is closed.
    shared: Option<File>,
}

impl OutLock {
    /// Whether the last run that held this lock was killed (or crashed) while holding
    /// it, and so may have left temporary files behind.
    pub fn after_killed_run(&self) -> bool {
        self.after_killed
    }

    /// Removes from `out` the temporary files earlier runs left, when this lock is the
    /// folder's exclusive one: all of them after a run killed holding the lock (they are
    /// litter in a published folder: `site/` is served), and otherwise those of
    /// `run.json`, which a run writes after releasing the lock, so a run killed in that
    /// moment leaves one behind although its lock says it ended.
    pub fn tidy(&self, out: &Path) {
        if self.held.is_none() {
            return;
        }
        if self.after_killed {
            crate::fsx::remove_temp_files(out);
        } else {
            crate::fsx::remove_temp_files_of(out, super::run_record::RUN_FILE);
        }
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        if let Some((file, dir)) = self.held.take() {
            // Emptied first: the holder's details then only ever describe a run that
            // holds the lock, or one that was killed holding it.
            let _ = file.set_len(0);
            let _ = file.unlock();
            HELD.lock().unwrap_or_else(PoisonError::into_inner).retain(|held| held != &dir);
        }
        if let Some(file) = self.shared.take() {
            let _ = file.unlock();
        }
    }
}

/// Takes the lock on `out` (created when missing), or fails at once, naming the run that
/// holds it.
pub fn lock_out(out: &Path) -> Result<OutLock> {
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    let dir = std::fs::canonicalize(out).map_err(|e| Error::write(out, e))?;
    let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
    if held.contains(&dir) {
        return Ok(OutLock { held: None, after_killed: false, shared: None });
    }
    let path = out.join(LOCK);
    let mut file = open_lock_file(out)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(err) => {
            unlocked(out, &mut file, err)?;
            return Ok(OutLock { held: None, after_killed: false, shared: None });
        }
    }
    let after_killed = file.metadata().is_ok_and(|meta| meta.len() > 0);
    file.set_len(0).and_then(|()| file.write_all(holder().as_bytes())).map_err(|e| Error::write(&path, e))?;
    held.push(dir.clone());
    Ok(OutLock { held: Some((file, dir)), after_killed, shared: None })
}

/// Takes the lock on `out` shared, for one shard of a `--shard` build: other shards
/// take it too, anything else is refused while they hold it (and the other way round).
/// Nothing is written into the file, and the holder of a killed run is left for the
/// next exclusive run, which removes its temporary files (other shards may be writing
/// theirs now).
pub fn lock_out_shared(out: &Path) -> Result<OutLock> {
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    let mut file = open_lock_file(out)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(OutLock { held: None, after_killed: false, shared: Some(file) }),
        Err(err) => {
            unlocked(out, &mut file, err)?;
            Ok(OutLock { held: None, after_killed: false, shared: None })
        }
    }
}

fn open_lock_file(out: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(LOCK))
        // Named like every other "cannot write the output folder" error.
        .map_err(|e| Error::write(out, e))
}

/// A lock that was not taken: the error naming the holder, or `Ok` (go on unlocked,
/// with a note) on a file system without locks.
fn unlocked(out: &Path, file: &mut File, err: TryLockError) -> Result<()> {
    match err {
        TryLockError::WouldBlock => {
            // The holder writes its details right after taking the lock: a run started
            // at the same moment may look in between, so it looks again for a little.
            let mut holder = String::new();
            for _ in 0..50 {
                holder.clear();
                let _ = file.seek(std::io::SeekFrom::Start(0)).and_then(|_| file.read_to_string(&mut holder));
                if holder.contains("started=") {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(Error::Output { path: out.to_path_buf(), message: in_use(&holder) })
        }
        TryLockError::Error(err) if err.kind() == std::io::ErrorKind::Unsupported => {
            // Some network file systems have no locks: building unlocked is what every
            // version before this one did, so say so rather than refuse to build.
            super::log::note(&format!(
                "{}: this file system cannot lock files; make sure no other build writes this folder at the same time",
                out.display()
            ));
            Ok(())
        }
        TryLockError::Error(err) => Err(Error::write(out.join(LOCK), err)),
    }
}

/// What the lock file says about this process: `key=value` lines.
fn holder() -> String {
    let mut args = std::env::args();
    let program = args
        .next()
        .and_then(|arg0| Path::new(&arg0).file_name().map(|name| name.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "handouts".into());
    let mut command = std::iter::once(program)
        .chain(args.map(|arg| if arg.contains(' ') || arg.is_empty() { format!("\"{arg}\"") } else { arg }))
        .collect::<Vec<_>>()
        .join(" ");
    // One line, and short: it is read back into one message.
    command = command.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect();
    let now = time::OffsetDateTime::now_utc();
    let started = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    format!("pid={}\ncommand={command}\nstarted={started}\n", std::process::id())
}

/// The message for a folder whose lock is held, from what its holder wrote.
fn in_use(holder: &str) -> String {
    let field =
        |key: &str| holder.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix('=')).map(str::trim);
    let who = match (field("pid"), field("command"), field("started")) {
        (Some(pid), Some(command), Some(started)) => {
            format!("`{command}` (pid {pid}, started {started})")
        }
        // Between taking the lock and writing its details, the holder is nameless, and
        // the shards of a `--shard` build (shared holders) never write theirs.
        _ => "another handouts run, or shards of a `handouts build --shard` run".to_string(),
    };
    format!(
        "another run is writing this folder: {who}; nothing was built. Run again when it has finished \
         (two runs into one folder would mix their handouts)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_folder_names_its_holder_and_is_free_again_once_released() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let lock = lock_out(&out).expect("free folder");
        let text = std::fs::read_to_string(out.join(LOCK)).expect("lock file");
        assert!(text.contains(&format!("pid={}\n", std::process::id())), "{text}");
        // Another open of the file (another process, as far as flock goes) cannot lock it.
        let other = File::open(out.join(LOCK)).expect("open");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        // This process's own builds (serve's rebuilds) go ahead.
        drop(lock_out(&out).expect("held by this process"));
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)), "the inner guard kept it");
        drop(lock);
        assert_eq!(std::fs::read(out.join(LOCK)).expect("lock file"), b"");
        other.try_lock().expect("released");
    }

    #[test]
    fn a_run_tidies_what_earlier_runs_left_and_only_that() {
        let dir = tempfile::tempdir().expect("temp dir");
        let temps = [".run.json.4242.3.tmp", "pdf/.feet.pdf.4242.7.tmp"];
        std::fs::create_dir(dir.path().join("pdf")).expect("pdf");
        let write_temps =
            || temps.iter().for_each(|t| std::fs::write(dir.path().join(t), b"").expect("write"));
        let there = |name: &str| dir.path().join(name).exists();
        // A run that ended (its lock released) and was killed while writing run.json.
        write_temps();
        let lock = lock_out(dir.path()).expect("free");
        lock.tidy(dir.path());
        assert!(!there(temps[0]), "run.json's temporary file");
        assert!(there(temps[1]), "nothing else: no run was killed holding the lock");
        // This process's own inner build tidies nothing: the outer one did.
        write_temps();
        lock_out(dir.path()).expect("held by this process").tidy(dir.path());
        assert!(there(temps[0]) && there(temps[1]));
        drop(lock);
        // A run killed holding the lock: all of them go.
        std::fs::write(dir.path().join(LOCK), "pid=4242\n").expect("write");
        lock_out(dir.path()).expect("free").tidy(dir.path());
        assert!(!there(temps[0]) && !there(temps[1]));
    }

    #[test]
    fn a_folder_another_run_holds_is_refused_with_its_details() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(LOCK),
            "pid=4242\ncommand=handouts serve --config b.toml\nstarted=2026-01-02 03:04:05 UTC\n",
        )
        .expect("write");
        let holder = File::open(dir.path().join(LOCK)).expect("open");
        holder.try_lock().expect("lock");
        let err = lock_out(dir.path()).err().expect("refused").to_string();
        assert!(
            err.contains("`handouts serve --config b.toml` (pid 4242, started 2026-01-02 03:04:05 UTC)"),
            "{err}"
        );
        assert!(err.starts_with(&dir.path().display().to_string()), "{err}");
        // The holder's details are left as they were.
        assert!(std::fs::read_to_string(dir.path().join(LOCK)).expect("read").contains("4242"));
        drop(holder);
        // Its details are still there: that run was killed holding the lock.
        let lock = lock_out(dir.path()).expect("free");
        assert!(lock.after_killed_run());
        drop(lock);
        // A run that ended emptied the file.
        assert!(!lock_out(dir.path()).expect("free").after_killed_run());
        assert_eq!(in_use(""), in_use("pid=1\n"));
    }

    #[test]
    fn shards_share_the_folder_and_keep_everything_else_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let one = lock_out_shared(dir.path()).expect("first shard");
        // Another open of the file is another process as far as flock goes.
        let other = File::open(dir.path().join(LOCK)).expect("open");
        other.try_lock_shared().expect("a second shard goes ahead");
        other.unlock().expect("unlock");
        let exclusive = File::open(dir.path().join(LOCK)).expect("open");
        assert!(
            matches!(exclusive.try_lock(), Err(TryLockError::WouldBlock)),
            "a build waits for the shards"
        );
        drop(one);
        exclusive.try_lock().expect("free once the shards are done");
        let err = lock_out_shared(dir.path()).err().expect("a shard is refused while a build runs");
        assert!(err.to_string().contains("another run is writing this folder"), "{err}");
    }
}
