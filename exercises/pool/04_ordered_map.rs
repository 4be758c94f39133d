//! # ordered_map: `executor.map`, results in input order
//!
//! Python's `executor.map(fn, items)` submits one task per item *at once*, then hands back
//! an iterator that yields the results in the order of the items, not in the order the
//! tasks finish: the first result waits for the first item even if the third finished
//! long ago. Write `MapResults` (an iterator over futures, in the order it was given
//! them) and add `map` to your `ThreadPoolExecutor`.
//!
//! Rust's twist: each result is a `Result`, so a panicking item does not hide the others.
//! Python also cancels the tasks not yet started when the result iterator is thrown away
//! early; do the same when `MapResults` is dropped.

use std::collections::VecDeque;

use super::executor::ThreadPoolExecutor;
use super::task_future::{TaskError, TaskFuture};
use super::worker_pool::PoolClosed;
use crate::sync::Arc;

/// The results of `map`, in the order of the inputs.
pub struct MapResults<T> {
    /// One future per input not yet yielded, oldest input first.
    pending: VecDeque<TaskFuture<T>>,
}

impl<T> MapResults<T> {
    /// Results that will be yielded in the order of `futures` (Python's `map` keeps its
    /// list of futures the same way and yields `fs.pop().result()`).
    pub fn new(futures: Vec<TaskFuture<T>>) -> Self {
        todo!()
    }
}

impl ThreadPoolExecutor {
    /// Submits `f(item)` for every item right away and returns the results in input order
    /// (Python's `executor.map(fn, items)`). `Err(PoolClosed)` after `shutdown`.
    pub fn map<A, T, F, I>(&self, f: F, items: I) -> Result<MapResults<T>, PoolClosed>
    where
        I: IntoIterator<Item = A>,
        A: Send + 'static,
        T: Clone + Send + 'static,
        F: Fn(A) -> T + Send + Sync + 'static,
    {
        todo!()
    }
}

impl<T: Clone> Iterator for MapResults<T> {
    type Item = Result<T, TaskError>;

    /// Waits for the *oldest* input's task, whatever finished first.
    fn next(&mut self) -> Option<Self::Item> {
        todo!()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.pending.len(), Some(self.pending.len()))
    }
}

impl<T: Clone> ExactSizeIterator for MapResults<T> {}

impl<T> Drop for MapResults<T> {
    /// Nobody will read these results: cancel the tasks that have not started.
    fn drop(&mut self) {
        // TODO: cancel every future still pending.
        // (Left empty rather than `todo!()`: a panic inside `drop` can abort the tests.)
    }
}
