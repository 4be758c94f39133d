//! # join_all: wait for every thread, keep the results in spawn order
//!
//! In Python you start a list of threads, then `for t in threads: t.join()`. The threads
//! cannot return anything, so each one writes into `results[i]` and you read the list
//! afterwards. In Rust the closure's return value travels back through its `JoinHandle`:
//! `handle.join()` waits for that one thread and hands you what it returned.
//!
//! Build `join_all`: start one thread per job, *all of them before waiting for any*, then
//! join them and return their results in the order the jobs were given (spawn order), no
//! matter which thread finished first. Then use it for `squares`, the tutorials' "square
//! each number on its own thread".
//!
//! If a job panics, `join_all` may panic too (exercise `join_panics` does better).

use crate::thread;

/// Runs every job on its own thread, all at the same time, and returns their results in
/// the order of `jobs`.
pub fn join_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!()
}

/// `numbers[i]` squared, computed on one thread per number, in the order of `numbers`.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    todo!()
}
