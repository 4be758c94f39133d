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
//! Build it like Python does: one waiter shared by done-callbacks on every future. Each
//! callback counts the finish (and whether it was a failure) under the waiter's lock and
//! notifies its `Condvar`; `wait` sleeps on the `Condvar` until the counts satisfy
//! `return_when`. Never poll `done()` in a loop.

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
    let all = tally.finished == total;
    match return_when {
        ReturnWhen::FirstCompleted => tally.finished > 0 || all,
        ReturnWhen::FirstException => tally.failed > 0 || all,
        ReturnWhen::AllCompleted => all,
    }
}

/// Blocks until `return_when` holds for `futures` (or `timeout` passes), then reports
/// which futures are done.
pub fn wait<T: Send + 'static>(
    futures: &[Future<T>],
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> DoneAndNotDone {
    let waiter = Arc::new(Waiter::default());
    for future in futures {
        let waiter = Arc::clone(&waiter);
        future.add_done_callback(move |future| {
            let failed = future
                .error()
                .is_some_and(|error| error != TaskError::Cancelled);
            let mut tally = waiter.tally.lock().unwrap();
            tally.finished += 1;
            if failed {
                tally.failed += 1;
            }
            waiter.changed.notify_one();
        });
    }

    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut tally = waiter.tally.lock().unwrap();
    // `while`, not `if`: one finish may not be enough (ALL_COMPLETED), and a wake-up may be
    // spurious. The lock is held from each check until `wait` releases it.
    while !satisfied(return_when, &tally, futures.len()) {
        tally = match deadline {
            None => waiter.changed.wait(tally).unwrap(),
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                waiter
                    .changed
                    .wait_timeout(tally, deadline - now)
                    .unwrap()
                    .0
            }
        };
    }
    drop(tally);

    let (done, not_done) = (0..futures.len()).partition(|&i| futures[i].done());
    DoneAndNotDone { done, not_done }
}
