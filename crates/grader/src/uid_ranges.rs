//! The uids a grader's tests run under (as root with the sandbox): a block of ranges claimed
//! with a file lock, so two graders on one host never hand out the same uid (a test's
//! clean-up kills everything of its uid, so a shared uid would kill another grader's test).
//!
//! A lock, not a pid-derived guess: `flock` belongs to the open file, so the claim ends when
//! the grader drops it, panics or dies, and never goes stale.

use std::fs::{DirBuilder, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustix::fs::{FlockOperation, flock};

use super::runner::UID_SPAN;
use crate::grade::MAX_JOBS;

/// Graders one host can run at once, each with a range per job slot. 8 x 64 ranges of
/// 2^22 uids above 1,000,000: the highest uid is 1,000,000 + 2^31 - 1, a valid uid_t.
pub const GRADERS: u32 = 8;
const FIRST_UID: u32 = 1_000_000;

/// Where graders claim ranges: one folder per host, writable by root only.
fn lock_dir() -> PathBuf {
    let run = Path::new("/run");
    if run.is_dir() {
        run.join("threadwork")
    } else {
        std::env::temp_dir().join("threadwork-uid-ranges")
    }
}

/// One grader's claim: the `index`-th block of ranges, held while `_lock` is open.
#[derive(Debug)]
pub struct UidRanges {
    index: u32,
    _lock: File,
}

impl UidRanges {
    /// Claims the first free block on this host.
    pub fn claim() -> Result<Self> {
        Self::claim_in(&lock_dir())
    }

    fn claim_in(dir: &Path) -> Result<Self> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        trusted(dir)?;
        for index in 0..GRADERS {
            let path = dir.join(format!("uid-range-{index}.lock"));
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .custom_flags(libc::O_NOFOLLOW)
                .mode(0o644)
                .open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => return Ok(UidRanges { index, _lock: file }),
                Err(rustix::io::Errno::WOULDBLOCK) => continue,
                Err(e) => bail!("cannot lock {}: {e}", path.display()),
            }
        }
        bail!(
            "{GRADERS} graders already run on this host (each holds a lock in {}), the most \
             that get uids of their own; wait for one to finish",
            dir.display()
        )
    }

    /// The first uid of job slot `slot`'s range.
    pub fn base(&self, slot: usize) -> u32 {
        assert!(slot < MAX_JOBS, "slot {slot} has no uid range");
        let range = self.index * MAX_JOBS as u32 + slot as u32;
        FIRST_UID + range * UID_SPAN
    }
}

/// Refuses a lock folder someone else could swap files in (a fallback under a shared temp
/// folder): it must be ours and writable by us alone.
fn trusted(dir: &Path) -> Result<()> {
    let meta =
        std::fs::symlink_metadata(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let ours = meta.uid() == rustix::process::geteuid().as_raw();
    if !meta.is_dir() || !ours || meta.mode() & 0o022 != 0 {
        bail!(
            "{} must be a folder owned by this user and writable by no one else: it holds the \
             graders' uid locks",
            dir.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_gets_a_block_of_its_own_until_none_is_left() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let claims: Vec<UidRanges> = (0..GRADERS)
            .map(|_| UidRanges::claim_in(dir.path()).expect("a free block"))
            .collect();
        let mut ranges: Vec<(u32, u32)> = claims
            .iter()
            .flat_map(|c| (0..MAX_JOBS).map(move |slot| c.base(slot)))
            .map(|base| (base, base + (UID_SPAN - 1)))
            .collect();
        ranges.sort();
        assert!(ranges.windows(2).all(|w| w[0].1 < w[1].0), "ranges overlap");

        let refused = UidRanges::claim_in(dir.path()).expect_err("no block is free");
        assert!(
            refused.to_string().contains("8 graders already run"),
            "{refused}"
        );

        drop(claims);
        UidRanges::claim_in(dir.path()).expect("dropped claims free their blocks");
    }
}
