//! # first_success: the first result wins, the rest are cancelled
//!
//! Ask three mirrors for the same file and keep whichever answers first. In Python:
//!
//! ```python
//! for future in as_completed(futures):
//!     if future.exception() is None:
//!         winner = future.result()
//!         break
//! for future in futures:
//!     future.cancel()
//! ```
//!
//! Failures do not win: keep waiting until a future succeeds, or until every one has failed
//! (then report all their errors, in input order; with no futures at all, at once). Among
//! futures already finished when it is called, the first success in input order wins. Once
//! there is a winner, cancel every other future, never the winner: a task that has not
//! started will never run; one that is running keeps running, and its result is ignored.
//!
//! Two traps. The winner is the *first* success: a later success must not replace it.
//! And `cancel()` finishes a future, which runs its done-callbacks right away, on your
//! thread: if your callbacks take a lock, do not hold that lock while you cancel.

use std::fmt;

use crate::futures::{Future, TaskError};
use crate::sync::{Arc, Condvar, Mutex};

/// Every future failed (or was cancelled): their errors, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllFailed {
    pub errors: Vec<TaskError>,
}

impl fmt::Display for AllFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "all {} futures failed", self.errors.len())
    }
}

impl std::error::Error for AllFailed {}

/// What the done-callbacks tell the waiting thread.
#[derive(Debug, Default)]
struct Standings {
    /// The index of the first future that succeeded.
    winner: Option<usize>,
    /// How many futures finished without a value.
    failed: usize,
}

#[derive(Debug, Default)]
struct Race {
    standings: Mutex<Standings>,
    /// Notified after every change to `standings`.
    changed: Condvar,
}

/// Waits for the first future in `futures` to succeed and returns its index and value,
/// after cancelling all the others. If none succeeds, returns every error.
pub fn first_success<T: Clone + Send + 'static>(
    futures: &[Future<T>],
) -> Result<(usize, T), AllFailed> {
    todo!()
}
