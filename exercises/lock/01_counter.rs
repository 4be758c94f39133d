//! # counter: the lost update
//!
//! Python's `counter += 1` is a read, an add and a write. Two threads can both read 5 and
//! both write 6: one increment is lost. The tutorials fix it with `threading.Lock`.
//!
//! Build a `Counter` that any number of threads can increment through a shared reference,
//! without ever losing an increment, and `count_in_parallel`, which starts `threads` threads
//! that each increment one shared counter `per_thread` times and returns the final count.

use crate::sync::{Arc, Mutex};
use crate::thread;

/// A counter shared between threads (`&self` methods, so it can live in an `Arc`).
#[derive(Debug, Default)]
pub struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        todo!()
    }

    /// Adds one. However many threads increment at once, no increment is ever lost: `n`
    /// calls in total, from any threads, raise the count by exactly `n`.
    pub fn increment(&self) {
        todo!()
    }

    /// The current value, including every increment made on any thread before this call.
    pub fn get(&self) -> u64 {
        todo!()
    }
}

/// Starts `threads` threads that each call `increment` `per_thread` times on one shared
/// counter, waits for all of them, and returns the final value (`threads * per_thread`).
pub fn count_in_parallel(threads: usize, per_thread: u64) -> u64 {
    todo!()
}
