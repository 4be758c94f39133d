//! # poisoning: why every stub writes `.lock().unwrap()`
//!
//! In Python, an exception inside `with lock:` releases the lock and the next thread goes
//! on, possibly with half-updated data. Rust's `Mutex` is released too, but it remembers:
//! it is *poisoned*, and every later `lock()` returns `Err(PoisonError)`. `.unwrap()` turns
//! that into a panic in the next thread, and the next: one failure spreads to everyone.
//! That is usually what you want (the data may be broken), and why the course writes
//! `.lock().unwrap()` where no code panics while holding a lock.
//!
//! `Tally` counts words for jobs that may panic. A job that panics inside `update` poisons
//! the tally's lock; every method of `Tally` must still work afterwards (the counts made
//! before the panic stay), `is_poisoned` reports that an update panicked, and `recover`
//! clears that mark. `run_jobs` runs each job on its own thread, one job after the other
//! (a job starts when the one before has finished), and returns how many jobs panicked:
//! a panicking job never stops the later jobs and never makes them panic.

use std::collections::BTreeMap;

use crate::sync::{Arc, Mutex, MutexGuard, PoisonError};
use crate::thread;

/// A job for [`run_jobs`].
pub type Job = Box<dyn FnOnce(&Tally) + Send>;

/// Word counts that survive a panicking job.
#[derive(Debug, Default)]
pub struct Tally {
    counts: Mutex<BTreeMap<String, u64>>,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// The lock, poisoned or not: the counts stay usable after a panic.
    fn counts(&self) -> MutexGuard<'_, BTreeMap<String, u64>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts `word` once more.
    pub fn add(&self, word: &str) {
        *self.counts().entry(word.to_owned()).or_default() += 1;
    }

    /// How often `word` was counted.
    pub fn count(&self, word: &str) -> u64 {
        self.counts().get(word).copied().unwrap_or(0)
    }

    /// Runs `change` on the counts with the lock held. If `change` panics, the panic goes
    /// on to the caller and the tally is poisoned.
    pub fn update(&self, change: impl FnOnce(&mut BTreeMap<String, u64>)) {
        change(&mut self.counts());
    }

    /// Whether an `update` panicked since the tally was made or last recovered.
    pub fn is_poisoned(&self) -> bool {
        self.counts.is_poisoned()
    }

    /// Clears the poisoned mark: the counts are declared good again.
    pub fn recover(&self) {
        self.counts.clear_poison();
    }
}

/// Runs each job on its own thread, one after the other; returns how many panicked.
pub fn run_jobs(tally: &Arc<Tally>, jobs: Vec<Job>) -> usize {
    jobs.into_iter()
        .map(|job| {
            let tally = Arc::clone(tally);
            thread::spawn(move || job(&tally)).join()
        })
        .filter(Result::is_err)
        .count()
}
