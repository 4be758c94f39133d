//! # merge_at_end: count alone, merge once
//!
//! Several threads build one histogram. The first idea, `histogram_shared_lock` (given,
//! finished), is the Python one: a shared `counts` list behind one `Lock`, taken for every
//! single value. It is correct and slow: the threads queue for the lock, and the lock and
//! the counts travel from core to core at every value.
//!
//! Write `histogram_merged`, which gives the same answer: each thread counts its chunk into
//! a `Vec` of its own (a local variable of that thread: nobody else can see it, so it needs
//! no lock) and adds it into the shared `Totals` *once*, at the end, with `Totals::merge`.
//! One lock per thread instead of one per value. `cargo bench -p thread-local` times both.

use std::ops::Range;

use crate::sync::{Arc, Mutex};
use crate::thread;

/// The shared result: one count per bucket, behind one lock.
#[derive(Debug)]
pub struct Totals {
    counts: Mutex<Vec<u64>>,
}

impl Totals {
    /// `buckets` counts at 0.
    pub fn new(buckets: usize) -> Self {
        Self {
            counts: Mutex::new(vec![0; buckets]),
        }
    }

    /// Adds one to `bucket`: a lock for a single value (the slow way).
    pub fn record(&self, bucket: usize) {
        self.counts.lock().unwrap()[bucket] += 1;
    }

    /// Adds a whole per-thread histogram (`local[i]` to bucket `i`, adding, not replacing)
    /// under one lock. Merges from many threads at once lose nothing.
    pub fn merge(&self, local: &[u64]) {
        todo!()
    }

    /// A copy of the counts.
    pub fn snapshot(&self) -> Vec<u64> {
        self.counts.lock().unwrap().clone()
    }
}

/// The bucket a value falls into.
pub fn bucket_of(value: u32, buckets: usize) -> usize {
    value as usize % buckets
}

/// The indices of `len` values that thread `index` of `threads` handles: contiguous chunks.
pub fn chunk(len: usize, threads: usize, index: usize) -> Range<usize> {
    let size = len.div_ceil(threads);
    (index * size).min(len)..((index + 1) * size).min(len)
}

/// The histogram of `values` over `buckets` buckets, counted by `threads` threads that lock
/// the shared totals for every value. Given: the baseline to beat.
pub fn histogram_shared_lock(values: Arc<Vec<u32>>, buckets: usize, threads: usize) -> Vec<u64> {
    assert!(
        threads > 0 && buckets > 0,
        "need at least one thread and one bucket"
    );
    let totals = Arc::new(Totals::new(buckets));
    let handles: Vec<_> = (0..threads)
        .map(|index| {
            let (values, totals) = (Arc::clone(&values), Arc::clone(&totals));
            thread::spawn(move || {
                for &value in &values[chunk(values.len(), threads, index)] {
                    totals.record(bucket_of(value, buckets));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    totals.snapshot()
}

/// The same histogram, but each thread counts its chunk into its own `Vec` without any
/// lock and merges it into the shared totals once, at the end.
pub fn histogram_merged(values: Arc<Vec<u32>>, buckets: usize, threads: usize) -> Vec<u64> {
    todo!()
}
