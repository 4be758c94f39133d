//! MUTANT of `counter`: an atomic, but `load` then `store` is still a read and a separate
//! write; two threads can both load 0 and both store 1. (`fetch_add` would be correct.)

use crate::sync::Arc;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::thread;

#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    pub fn new() -> Self {
        Self::default()
    }

    // ANCHOR: load_then_store
    pub fn increment(&self) {
        let read = self.value.load(Ordering::SeqCst);
        // Another thread may store between this load and the store below.
        self.value.store(read + 1, Ordering::SeqCst);
    }
    // ANCHOR_END: load_then_store

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

pub fn count_in_parallel(threads: usize, per_thread: u64) -> u64 {
    let counter = Arc::new(Counter::new());
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || (0..per_thread).for_each(|_| counter.increment()))
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    counter.get()
}
