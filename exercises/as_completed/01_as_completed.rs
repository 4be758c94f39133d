//! # as_completed: futures in the order they finish
//!
//! Python's `concurrent.futures.as_completed(fs, timeout)` hands you each future as soon as
//! it finishes, whatever order you submitted them in; futures that were already finished
//! come first. Yours promises more than Python's: the already finished ones come in input
//! order (CPython's come in `set` order, i.e. any order), and the tests check it. Build the
//! same iterator, woken by the futures themselves, never by polling:
//!
//! - Each future is yielded exactly once, as `(its index in futures, that future)`, as soon
//!   as it finishes: with a value, an error, or cancelled. Futures finished on other
//!   threads wake a waiting `next()`; a future finishing at any moment, even while
//!   `as_completed` is still setting up, is never missed.
//! - Already finished futures come first, in input order; the others follow in the order
//!   they finish. With no futures the iterator ends at once.
//! - With a timeout, measured from the call to `as_completed`, `next()` gives up once it
//!   has passed, yields `Err(Timeout)` naming the unfinished futures, and then ends. (CPython's
//!   `as_completed` is a generator: its clock starts at the first `next()`, which in a `for`
//!   loop is at once. Yours starts at the call, and the tests check it.) A future that is
//!   already finished is still yielded, even with a zero timeout: the timeout only fires
//!   when nothing finished is left to yield.

use std::collections::VecDeque;
use std::fmt;

use crate::futures::Future;
use crate::sync::{Arc, Condvar, Mutex};
use crate::time::{Duration, Instant};

/// The timeout passed with futures still unfinished. Python raises
/// `TimeoutError: 2 (of 5) futures unfinished`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeout {
    /// Indexes (into the `futures` given to `as_completed`) not yet yielded, ascending.
    pub pending: Vec<usize>,
    /// How many futures `as_completed` was given.
    pub total: usize,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (of {}) futures unfinished: {:?}",
            self.pending.len(),
            self.total,
            self.pending
        )
    }
}

impl std::error::Error for Timeout {}

/// What the done-callbacks share with the iterator.
#[derive(Debug, Default)]
struct Finished {
    /// Indexes of finished futures, oldest finish first.
    order: Mutex<VecDeque<usize>>,
    /// Notified after every push to `order`.
    arrived: Condvar,
}

/// The iterator returned by [`as_completed`].
#[derive(Debug)]
pub struct AsCompleted<T> {
    /// `Some` until the future at that index has been yielded.
    futures: Vec<Option<Future<T>>>,
    finished: Arc<Finished>,
    /// When to give up; `None` waits as long as it takes.
    deadline: Option<Instant>,
    /// How many futures are still to be yielded.
    left: usize,
    /// Set once `Err(Timeout)` has been yielded: the iterator is over.
    gave_up: bool,
}

/// Yields `(index, future)` for every future in `futures`, in the order they finish.
/// With `timeout: Some(t)`, gives up `t` after this call with `Err(Timeout)`.
pub fn as_completed<T: Send + 'static>(
    futures: Vec<Future<T>>,
    timeout: Option<Duration>,
) -> AsCompleted<T> {
    todo!()
}

impl<T> Iterator for AsCompleted<T> {
    type Item = Result<(usize, Future<T>), Timeout>;

    fn next(&mut self) -> Option<Self::Item> {
        todo!()
    }
}
