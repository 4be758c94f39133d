//! # scoped_sum: CPU-bound work on every core, borrowing instead of copying
//!
//! The tutorials say: threads for I/O-bound work, processes for CPU-bound work, because
//! CPython's GIL lets only one thread run Python code at a time. Rust has no GIL: threads
//! that add up numbers run on different cores at the same time.
//!
//! `thread::spawn` needs `'static` data (the thread might outlive the caller), so it cannot
//! borrow a slice. `thread::scope` can: every thread spawned in the scope is joined before
//! `scope` returns, so the threads may borrow the caller's data. No `Arc`, no copy.
//!
//! 1. `chunk_ranges(len, parts)`: split `0..len` into at most `parts` contiguous, non-empty
//!    ranges whose lengths differ by at most one (the longer ones first).
//! 2. `map_chunks(numbers, threads, work)`: run `work` on each chunk, each chunk on its own
//!    scoped thread, all at the same time; results in chunk order.
//! 3. `parallel_sum(numbers, threads)`: the sum, computed by `map_chunks`.

use std::ops::Range;

use crate::thread;

/// `0..len` cut into at most `parts` contiguous non-empty ranges, in order, whose lengths
/// differ by at most one; the first `len % parts` ranges are the longer ones.
///
/// Panics if `parts` is 0 ("at least one part").
pub fn chunk_ranges(len: usize, parts: usize) -> Vec<Range<usize>> {
    todo!()
}

/// Runs `work` on each chunk of `numbers` (cut by [`chunk_ranges`]), every chunk on its own
/// scoped thread, all at the same time, and returns the results in chunk order.
///
/// Panics if `threads` is 0, or if a `work` call panicked.
pub fn map_chunks<R, F>(numbers: &[u64], threads: usize, work: F) -> Vec<R>
where
    F: Fn(&[u64]) -> R + Sync,
    R: Send,
{
    todo!()
}

/// The sum of `numbers`, added up on `threads` threads.
pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    todo!()
}
