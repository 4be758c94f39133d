//! # join_timeout: Python's `t.join(timeout)` and `t.is_alive()`
//!
//! Python's `t.join(timeout=2)` waits at most two seconds and returns either way; you call
//! `t.is_alive()` afterwards to learn whether the thread finished. std's `JoinHandle::join`
//! has no timeout: it waits for as long as the thread runs, maybe forever.
//!
//! Build it. The thread announces "I am finished" through a completion signal (the `Done`
//! below) that the joiner can wait on with a time limit. The signal is given only after the
//! job has run, and also when the job panics (a panicked thread is not alive any more).
//!
//! Then `join_all_timeout`: wait for a whole list of threads within *one* time budget
//! (not one budget per thread) and report which finished and which are still running,
//! without ever blocking on a thread that may never end. A thread that had finished counts
//! as finished even when a slower thread before it in the list used up the whole budget:
//! once the budget is spent, every remaining thread is still checked, without waiting.

use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::{self, JoinHandle};
use crate::time::{Duration, Instant};

/// The completion signal: `finished` turns true once, when the job has returned or
/// panicked, and `changed` wakes whoever waits for that.
#[derive(Debug, Default)]
struct Done {
    finished: Mutex<bool>,
    changed: Condvar,
}

/// A running thread you can wait for with a time limit.
#[derive(Debug)]
pub struct TimedThread<T> {
    handle: JoinHandle<T>,
    done: Arc<Done>,
}

/// Starts `job` on a new thread that signals when it is finished.
pub fn spawn_timed<T, F>(job: F) -> TimedThread<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!()
}

impl<T> TimedThread<T> {
    /// Python's `is_alive()`: true until the job has returned or panicked.
    pub fn is_alive(&self) -> bool {
        todo!()
    }

    /// Python's `join(timeout)`: waits until the thread is finished or `timeout` has
    /// passed, whichever comes first, and returns whether it finished. Returns at once if
    /// it has already finished, even with a zero `timeout`. A finish that happens while it
    /// waits wakes it at once: it never sleeps the whole timeout for a finished thread.
    /// Several threads may wait in `join_timeout` for the same thread at once (sharing
    /// the `TimedThread` in an `Arc`): its finish wakes every one of them.
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        todo!()
    }

    /// Waits without a limit, like `JoinHandle::join`: the job's value, or its panic.
    pub fn join(self) -> thread::Result<T> {
        todo!()
    }
}

/// What `join_all_timeout` found, each entry with the thread's index in the input list.
/// Both lists are in ascending index order.
#[derive(Debug)]
pub struct Report<T> {
    /// Threads that finished within the budget, joined: their value or their panic.
    pub finished: Vec<(usize, thread::Result<T>)>,
    /// Threads still running when the budget ran out, handed back unjoined.
    pub still_running: Vec<(usize, TimedThread<T>)>,
}

/// Waits for all `threads` within one `timeout` in total, then reports which finished and
/// which are still running. Never blocks on a thread that has not finished.
pub fn join_all_timeout<T>(threads: Vec<TimedThread<T>>, timeout: Duration) -> Report<T> {
    todo!()
}
