//! One `watch` per copy of the course. Two would check the same files at once, each
//! redrawing its screen over the other's verdicts, and their state-file updates would race.
//! The lock is an OS file lock on `.threadwork-watch.lock` (git-ignored): it is released
//! when the process ends, however it ends, so a crashed watch never leaves a stale lock.

use std::fs::{File, TryLockError};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::invocation::command;

/// The lock file's name, at the workspace root.
pub const LOCK_FILE: &str = ".threadwork-watch.lock";

/// Held while a watch runs.
pub struct WatchLock {
    _file: File,
}

impl WatchLock {
    /// Takes the lock, or says that another watch runs in this copy and what to do.
    pub fn acquire(root: &Path) -> Result<WatchLock> {
        let path = root.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        // `File::try_lock` is Rust 1.89; the workspace still says 1.85 (rust-version), but
        // the course's toolchain is newer. Raising rust-version is the course's decision.
        #[allow(clippy::incompatible_msrv)]
        let locked = file.try_lock();
        match locked {
            Ok(()) => Ok(WatchLock { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "another `{}` is already running in this course ({} is locked). Use that \
                 one, or quit it with q first; checks in another terminal (`{}`) are fine.",
                command("watch"),
                path.display(),
                command("check")
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }
}
