//! # rlock: a reentrant lock
//!
//! Python's `threading.RLock` may be acquired again by the thread that holds it; it is free
//! again only after as many releases as acquires. Another thread blocks until then. Only
//! the owner may release: anyone else gets an error (Python raises `RuntimeError`).
//!
//! Build it from a `Mutex` (who owns it, how many times) and a `Condvar` (wake a waiter when
//! the count drops to zero).

use crate::sync::{Condvar, Mutex};
use crate::thread::{self, ThreadId};

/// Why `release` refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RLockError {
    /// The calling thread does not hold the lock (nobody does, or another thread does).
    NotOwner,
}

#[derive(Debug, Default)]
struct Ownership {
    owner: Option<ThreadId>,
    depth: usize,
}

/// A reentrant lock.
#[derive(Debug, Default)]
pub struct RLock {
    state: Mutex<Ownership>,
    freed: Condvar,
}

impl RLock {
    pub fn new() -> Self {
        todo!()
    }

    /// Blocks until the lock is free or already held by this thread, then takes it once more.
    pub fn acquire(&self) {
        todo!()
    }

    /// Takes the lock if that does not need to wait; `true` if taken. The owner re-enters
    /// (one more level, like `acquire`).
    pub fn try_acquire(&self) -> bool {
        todo!()
    }

    /// Gives back one acquisition; the last one frees the lock and wakes a waiter.
    pub fn release(&self) -> Result<(), RLockError> {
        todo!()
    }

    /// `with rlock:` — acquires now, releases when the guard is dropped.
    pub fn lock(&self) -> RLockGuard<'_> {
        todo!()
    }

    /// Whether the calling thread holds the lock.
    pub fn held_by_current_thread(&self) -> bool {
        todo!()
    }
}

/// Holds one acquisition of an [`RLock`] until dropped.
#[derive(Debug)]
pub struct RLockGuard<'a> {
    lock: &'a RLock,
}

impl Drop for RLockGuard<'_> {
    fn drop(&mut self) {
        todo!()
    }
}
