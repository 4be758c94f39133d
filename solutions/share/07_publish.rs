//! # publish: a value and a flag, without a lock
//!
//! One thread computes a value and raises a flag; another thread sees the flag and reads
//! the value. In Python that works. With atomics it works only with the right *ordering*:
//! an atomic operation on its own promises nothing about the memory around it, and a
//! thread that sees the flag may still see the value as it was before (0 here). loom
//! explores those outcomes too.
//!
//! `Mailbox` carries one number from one thread to another. `put` is called at most once;
//! `take` returns `None` while the mailbox looks empty and `Some(value)` once it sees it
//! full, and then always the value that was put, never the initial 0. The two fields stay
//! as they are: the value is an `AtomicU64` and the flag an `AtomicBool`.

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One value, handed over once.
#[derive(Debug, Default)]
pub struct Mailbox {
    value: AtomicU64,
    full: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `value` in the mailbox (at most once).
    pub fn put(&self, value: u64) {
        self.value.store(value, Ordering::Relaxed);
        self.full.store(true, Ordering::Release);
    }

    /// The value, once the mailbox is seen full.
    pub fn take(&self) -> Option<u64> {
        self.full
            .load(Ordering::Acquire)
            .then(|| self.value.load(Ordering::Relaxed))
    }
}
