//! Where submissions are built: cargo target directories, each used by one build at a time.
//!
//! The cache's shared target holds every dependency, compiled once (the stubs' build). A
//! build's test binaries must be archived before the next build in the same directory
//! overwrites them, so builds in one directory take turns. With one directory for all, a
//! submission whose compilation is slow (up to its whole compile limit) stalls every other
//! submission's build behind it. So a run grading several submissions at once gives each
//! build slot a private copy of the warmed target: builds never wait for each other, and one
//! slow build costs only its own slot.
//!
//! Inside the sandbox every copy is bound at the same path (`/target`), so cargo finds its
//! fingerprints fresh and recompiles only the course's own crates, as in the shared one.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use anyhow::{Context, Result, bail};

/// A target directory and whether other grader processes may use it too.
#[derive(Debug, Clone)]
struct Target {
    dir: PathBuf,
    /// The cache's shared target: other graders on this host build there as well.
    shared: bool,
}

/// The target directories of one grading run, lent to one build at a time.
pub struct BuildTargets {
    shared: PathBuf,
    /// An exclusive `flock` on this keeps graders sharing the cache apart.
    lock_file: File,
    free: Mutex<Vec<Target>>,
    returned: Condvar,
}

impl BuildTargets {
    /// The cache's shared target (`cache/target`, created if missing), the only one until
    /// [`BuildTargets::make_private_copies`].
    pub fn new(shared: PathBuf, cache: &Path) -> Result<Self> {
        std::fs::create_dir_all(&shared)
            .with_context(|| format!("cannot create the cache {}", shared.display()))?;
        let path = cache.join(".threadwork-grader.lock");
        let lock_file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(BuildTargets {
            free: Mutex::new(vec![Target {
                dir: shared.clone(),
                shared: true,
            }]),
            shared,
            lock_file,
            returned: Condvar::new(),
        })
    }

    /// Replaces the shared target by `slots` private copies of it under `dir`, for builds
    /// that run at the same time, and says so. One slot keeps the shared target (a copy
    /// would only cost time and disk).
    pub fn make_private_copies(&self, slots: usize, dir: &Path) -> Result<()> {
        if slots < 2 {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut copies = Vec::with_capacity(slots);
        for slot in 0..slots {
            let copy = dir.join(format!("target-{slot}"));
            // The shared target may not change while it is copied.
            self.with_shared(|| copy_dir(&self.shared, &copy))?;
            copies.push(Target {
                dir: copy,
                shared: false,
            });
        }
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) = copies;
        eprintln!(
            "copied the build cache for {slots} builds at once ({:.1} s): a slow build stalls \
             only itself",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Runs `build` with a target directory no other build uses meanwhile (waiting for one
    /// to be free), and gives it back afterwards, also when `build` panics.
    pub fn hold<T>(&self, build: impl FnOnce(&Path) -> T) -> T {
        let target = {
            let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(target) = free.pop() {
                    break target;
                }
                free = self.returned.wait(free).unwrap_or_else(|e| e.into_inner());
            }
        };
        let (dir, shared) = (target.dir.clone(), target.shared);
        let _lent = Lent {
            targets: self,
            target: Some(target),
        };
        if shared {
            self.with_shared(|| build(&dir))
        } else {
            build(&dir)
        }
    }

    /// Runs `f` holding the lock that keeps graders sharing the cache apart.
    fn with_shared<T>(&self, f: impl FnOnce() -> T) -> T {
        let _file = FileLock::exclusive(&self.lock_file);
        f()
    }
}

/// A target lent to a build: given back when dropped.
struct Lent<'a> {
    targets: &'a BuildTargets,
    target: Option<Target>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(target) = self.target.take() {
            let mut free = self.targets.free.lock().unwrap_or_else(|e| e.into_inner());
            free.push(target);
            self.targets.returned.notify_one();
        }
    }
}

/// `cp -a` (with `--reflink=auto`, nearly free where the file system shares blocks):
/// keeps the modification times cargo's freshness checks compare.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to).with_context(|| format!("cannot empty {}", to.display()))?;
    }
    let status = std::process::Command::new("cp")
        .args(["-a", "--reflink=auto"])
        .arg(from)
        .arg(to)
        .status()
        .context("cannot run cp")?;
    if !status.success() {
        bail!(
            "cannot copy the build cache {} to {} (cp: {status})",
            from.display(),
            to.display()
        );
    }
    Ok(())
}

/// An exclusive `flock` on the lock file, released when dropped, also by a panic in the
/// build it guards (a lock left held would stall every other grader on the host).
struct FileLock<'a>(Option<&'a File>);

impl<'a> FileLock<'a> {
    fn exclusive(file: &'a File) -> Self {
        use rustix::fs::{FlockOperation, flock};
        match flock(file, FlockOperation::LockExclusive) {
            Ok(()) => FileLock(Some(file)),
            Err(e) => {
                // Still correct within this grader (a target is lent to one build at a
                // time); only other graders sharing the cache are no longer kept apart.
                eprintln!(
                    "warning: cannot lock the build cache ({e}): builds of graders sharing it may collide"
                );
                FileLock(None)
            }
        }
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.0 {
            let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::Unlock);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::BuildTargets;

    #[test]
    fn two_builds_at_once_get_different_private_targets() {
        let cache = tempfile::tempdir().unwrap();
        let shared = cache.path().join("target");
        std::fs::create_dir_all(shared.join("debug")).unwrap();
        std::fs::write(shared.join("debug/dep"), "built").unwrap();
        let targets = BuildTargets::new(shared.clone(), cache.path()).unwrap();
        let work = tempfile::tempdir().unwrap();
        targets.make_private_copies(2, work.path()).unwrap();
        let (first, second) = targets.hold(|a| {
            let b = targets.hold(|b| b.to_path_buf());
            (a.to_path_buf(), b)
        });
        assert_ne!(first, second, "a target is lent to one build at a time");
        for dir in [&first, &second] {
            assert_ne!(dir, &shared, "with two slots, builds use private copies");
            assert_eq!(
                std::fs::read_to_string(dir.join("debug/dep")).unwrap(),
                "built",
                "a copy holds what the shared target had built"
            );
        }
    }

    #[test]
    fn a_target_is_given_back_after_a_panic() {
        let cache = tempfile::tempdir().unwrap();
        let targets = BuildTargets::new(cache.path().join("target"), cache.path()).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            targets.hold(|_| panic!("a build that panics"))
        }));
        assert!(panicked.is_err());
        let builds = AtomicUsize::new(0);
        targets.hold(|_| builds.fetch_add(1, Ordering::SeqCst));
        assert_eq!(
            builds.load(Ordering::SeqCst),
            1,
            "the next build gets the target"
        );
    }
}
