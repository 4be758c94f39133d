//! # join_timeout: Python's `t.join(timeout)` and `t.is_alive()`
//!
//! Python's `t.join(timeout=2)` waits at most two seconds and returns either way; you call
//! `t.is_alive()` afterwards to learn whether the thread finished. std's `JoinHandle::join`
//! has no timeout: it waits for as long as the thread runs, maybe forever.
//!
//! Build it. The thread announces "I am finished" through a completion signal that the
//! joiner can wait on with a time limit: a `Mutex<bool>` plus a `Condvar`. The signal must
//! also be given when the job panics (a panicked thread is not alive any more).
//!
//! Then `join_all_timeout`: wait for a whole list of threads within *one* time budget
//! (not one budget per thread) and report which finished and which are still running,
//! without ever blocking on a thread that may never end.

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

/// Gives the signal when dropped: at the end of the job, or while a panic unwinds it.
struct SignalOnDrop(Arc<Done>);

impl Drop for SignalOnDrop {
    fn drop(&mut self) {
        // Set the flag under the lock: a joiner that has just seen `false` is then already
        // inside `wait`, where the notification reaches it.
        *self.0.finished.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.0.changed.notify_all();
    }
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
    let done = Arc::new(Done::default());
    let signal = SignalOnDrop(Arc::clone(&done));
    let handle = thread::spawn(move || {
        let _signal = signal;
        job()
    });
    TimedThread { handle, done }
}

impl<T> TimedThread<T> {
    /// Python's `is_alive()`: true until the job has returned or panicked.
    pub fn is_alive(&self) -> bool {
        !*self.done.finished.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Python's `join(timeout)`: waits until the thread is finished or `timeout` has
    /// passed, whichever comes first, and returns whether it finished. Returns at once if
    /// it has already finished.
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut finished = self.done.finished.lock().unwrap_or_else(|e| e.into_inner());
        // A while loop: a wake-up may be spurious, and the flag is the only truth.
        while !*finished {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            finished = self
                .done
                .changed
                .wait_timeout(finished, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Waits without a limit, like `JoinHandle::join`: the job's value, or its panic.
    pub fn join(self) -> thread::Result<T> {
        self.handle.join()
    }
}

/// What `join_all_timeout` found, each entry with the thread's index in the input list.
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
    // One deadline for everybody: each thread only gets what is left of the budget.
    let deadline = Instant::now() + timeout;
    let mut report = Report {
        finished: Vec::new(),
        still_running: Vec::new(),
    };
    for (index, thread) in threads.into_iter().enumerate() {
        // Once the budget is spent this still checks (with a zero wait), so a thread that
        // already finished is reported finished.
        let left = deadline.saturating_duration_since(Instant::now());
        if thread.join_timeout(left) {
            report.finished.push((index, thread.join()));
        } else {
            report.still_running.push((index, thread));
        }
    }
    report
}
