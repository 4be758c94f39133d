//! # as_completed: futures in the order they finish
//!
//! Python's `concurrent.futures.as_completed(fs, timeout)` hands you each future as soon as
//! it finishes, whatever order you submitted them in; futures that were already finished
//! come first. Yours promises more than Python's: the already finished ones come in input
//! order (CPython's come in `set` order, i.e. any order), and the tests check it. Build the
//! same iterator, woken by the futures themselves, never by polling:
//!
//! - `as_completed` registers a done-callback on every future. The callback pushes the
//!   future's index into a shared queue (`Finished::order`) and notifies a `Condvar`.
//! - `next()` pops the oldest index from the queue, waiting on the `Condvar` while the queue
//!   is empty. Each future is yielded exactly once, with its index in `futures`.
//! - With a timeout, measured from the call to `as_completed` (CPython's, a generator,
//!   starts its clock at the first `next()`), `next()` gives up once it has passed, yields
//!   `Err(Timeout)` naming the unfinished futures, and then ends.
//!
//! The bug to avoid: look at the queue, let go of the lock, then wait. A future that
//! finishes in between pushes and notifies while nobody waits yet; that wake-up is lost and
//! `next()` sleeps forever.

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
    let finished = Arc::new(Finished::default());
    for (index, future) in futures.iter().enumerate() {
        let finished = Arc::clone(&finished);
        // Runs once: right now if the future is already done (so those come first, in
        // input order), otherwise on the thread that finishes it.
        future.add_done_callback(move |_| {
            finished.order.lock().unwrap().push_back(index);
            finished.arrived.notify_one();
        });
    }
    AsCompleted {
        left: futures.len(),
        futures: futures.into_iter().map(Some).collect(),
        finished,
        // A timeout too large for an `Instant` means "no deadline".
        deadline: timeout.and_then(|t| Instant::now().checked_add(t)),
        gave_up: false,
    }
}

impl<T> AsCompleted<T> {
    fn timeout(&self) -> Timeout {
        Timeout {
            pending: (0..self.futures.len())
                .filter(|&i| self.futures[i].is_some())
                .collect(),
            total: self.futures.len(),
        }
    }
}

impl<T> Iterator for AsCompleted<T> {
    type Item = Result<(usize, Future<T>), Timeout>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 || self.gave_up {
            return None;
        }
        // Hold the lock from the check until `wait` releases it: a callback can only push
        // (and notify) before we look or after we sleep, never in between.
        let mut order = self.finished.order.lock().unwrap();
        loop {
            if let Some(index) = order.pop_front() {
                self.left -= 1;
                let future = self.futures[index].take().expect("a future finishes once");
                return Some(Ok((index, future)));
            }
            order = match self.deadline {
                None => self.finished.arrived.wait(order).unwrap(),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        drop(order);
                        self.gave_up = true;
                        return Some(Err(self.timeout()));
                    }
                    // Woken early or spuriously: the loop looks at the queue again.
                    self.finished
                        .arrived
                        .wait_timeout(order, deadline - now)
                        .unwrap()
                        .0
                }
            };
        }
    }
}
