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
        Self {
            value: Mutex::new(0),
        }
    }

    /// Adds one. The read and the write happen under one guard: no other thread can run
    /// between them, so no increment is lost.
    pub fn increment(&self) {
        let mut value = self.value.lock().unwrap();
        *value += 1;
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}

/// Starts `threads` threads that each call `increment` `per_thread` times on one shared
/// counter, waits for all of them, and returns the final value.
pub fn count_in_parallel(threads: usize, per_thread: u64) -> u64 {
    let counter = Arc::new(Counter::new());
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..per_thread {
                    counter.increment();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    counter.get()
}

// Hostile: a constant whose evaluation never ends in practice (2^64 steps), with the
// lint that would stop it allowed: rustc would spin until the grader's compile limit, so
// the policy refuses the file before it is compiled.
#[allow(long_running_const_eval)]
const SPIN: u64 = {
    let mut i: u64 = 1;
    while i != 0 {
        i = i.wrapping_add(1);
    }
    i
};

/// Uses the constant, so rustc must evaluate it.
pub fn spin() -> u64 {
    SPIN
}
