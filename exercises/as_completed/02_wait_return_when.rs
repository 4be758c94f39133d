//! # wait_return_when: block until enough futures are done
//!
//! Python's `concurrent.futures.wait(fs, timeout, return_when)` blocks until a condition
//! holds, then returns two sets, `(done, not_done)`:
//!
//! - `FIRST_COMPLETED`: at least one future finished (a value, an error, or cancelled);
//! - `FIRST_EXCEPTION`: at least one future failed, by an error or a panic in its task
//!   (cancelled does not count), or all are done;
//! - `ALL_COMPLETED`: every future finished.
//!
//! With a timeout it returns when the time is up even if the condition does not hold yet.
//! Here the sets are index lists into `futures`, ascending.
//!
//! Every mode also holds once every future is done (so an empty list returns at once).
//! `wait` is woken by the futures finishing, on any thread, and returns as soon as
//! `return_when` holds: it never polls `done()` in a loop, and never misses a finish that
//! happens while it is setting up.

use crate::futures::{Future, TaskError};
use crate::sync::{Arc, Condvar, Mutex};
use crate::time::{Duration, Instant};

/// When [`wait`] returns (Python's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    FirstCompleted,
    FirstException,
    AllCompleted,
}

/// Python's `DoneAndNotDoneFutures(done, not_done)`, as ascending indexes into `futures`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoneAndNotDone {
    pub done: Vec<usize>,
    pub not_done: Vec<usize>,
}

/// The counts the callbacks keep for the waiting thread.
#[derive(Debug, Default)]
struct Tally {
    /// Futures finished in any way.
    finished: usize,
    /// Futures finished with an error other than `Cancelled`.
    failed: usize,
}

#[derive(Debug, Default)]
struct Waiter {
    tally: Mutex<Tally>,
    /// Notified after every change to `tally`.
    changed: Condvar,
}

/// Whether `tally` (out of `total` futures) is enough for `return_when`.
fn satisfied(return_when: ReturnWhen, tally: &Tally, total: usize) -> bool {
    todo!()
}

/// Blocks until `return_when` holds for `futures` (or `timeout` passes), then reports
/// which futures are done.
pub fn wait<T: Send + 'static>(
    futures: &[Future<T>],
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> DoneAndNotDone {
    todo!()
}
