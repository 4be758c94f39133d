//! One `watch` per copy of the course. Two would check the same files at once, each
//! redrawing its screen over the other's verdicts, and their state-file updates would race.
//! The lock is an OS file lock on `.threadwork-watch.lock` (git-ignored): it is released
//! when the process ends, however it ends, so a crashed watch never leaves a stale lock.

use std::fs::File;
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
        // flock through rustix: std's File::try_lock is newer than the course's MSRV (1.85).
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(WatchLock { _file: file }),
            Err(rustix::io::Errno::WOULDBLOCK) => bail!(
                "another `{}` is already running in this course ({} is locked). Use that \
                 one, or quit it with q first; checks in another terminal (`{}`) are fine.",
                command("watch"),
                path.display(),
                command("check")
            ),
            Err(e) => Err(std::io::Error::from(e))
                .with_context(|| format!("cannot lock {}", path.display())),
        }
    }
}
