//! # task_future: a result that arrives later
//!
//! Python's `executor.submit(fn)` hands back a `concurrent.futures.Future` at once; the
//! value shows up later. Build that handle. It is called `TaskFuture` because Rust's
//! `std::future::Future` is something else (the trait behind `async`/`.await`).
//!
//! A `TaskFuture` is in one of four states: pending (queued), running, finished (with the
//! task's value or its panic) or cancelled. Two sides share it:
//!
//! - the caller holds `TaskFuture` handles (cloneable, like Python's future object):
//!   `done`, `running`, `cancelled`, `cancel`, `result`, `result_timeout`, `exception`,
//!   `add_done_callback`;
//! - the worker holds the one `Completer`: `set_running_or_notify_cancel` (Python's name),
//!   then `set_result` or `set_panic`. A `Completer` dropped before it finished the task
//!   must not leave anyone waiting forever.
//!
//! The races to get right: `cancel` and `set_running_or_notify_cancel` can run at the same
//! moment and exactly one may win; `result` must wake up when the worker finishes; a
//! callback added while the task completes runs exactly once, and never under the lock.

use std::fmt;

use crate::sync::{Arc, Condvar, Mutex, MutexGuard};
use crate::time::{Duration, Instant};

/// Why a task has no value (Python raises `CancelledError` or the task's exception).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The future was cancelled before the task started; the task never ran.
    Cancelled,
    /// The task panicked; this is the panic's message (Python's `future.exception()`).
    Panicked(String),
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Cancelled => write!(f, "the task was cancelled before it started"),
            TaskError::Panicked(message) => write!(f, "the task panicked: {message}"),
        }
    }
}

impl std::error::Error for TaskError {}

/// A function to call once the future is done, with the future itself.
type Callback<T> = Box<dyn FnOnce(&TaskFuture<T>) + Send + 'static>;

/// Where a task is in its life. Only `Pending` may become `Cancelled`.
enum State<T> {
    Pending,
    Running,
    /// The task returned (`Ok`) or panicked (`Err` with the panic's message).
    Finished(Result<T, String>),
    Cancelled,
}

impl<T> State<T> {
    fn is_done(&self) -> bool {
        matches!(self, State::Finished(_) | State::Cancelled)
    }
}

struct Inner<T> {
    state: State<T>,
    /// Callbacks added before the future was done; taken (and run) by whoever finishes it.
    callbacks: Vec<Callback<T>>,
    /// Threads asleep on `done` right now. Waking nobody costs a system call, so
    /// `finish` notifies only when someone sleeps.
    waiters: usize,
}

struct Shared<T> {
    inner: Mutex<Inner<T>>,
    /// Notified once, when the state becomes finished or cancelled.
    done: Condvar,
}

/// The caller's handle on a task's eventual result. Clones share the same task.
pub struct TaskFuture<T> {
    shared: Arc<Shared<T>>,
}

/// The worker's side: starts the task and stores its outcome. There is exactly one.
pub struct Completer<T> {
    shared: Arc<Shared<T>>,
    /// Set by `set_result`/`set_panic`: then `Drop` has nothing left to do (and need not
    /// take the lock again).
    completed: bool,
}

/// A new pending future and the completer that will finish it.
pub fn task_future<T>() -> (TaskFuture<T>, Completer<T>) {
    let shared = Arc::new(Shared {
        inner: Mutex::new(Inner {
            state: State::Pending,
            callbacks: Vec::new(),
            waiters: 0,
        }),
        done: Condvar::new(),
    });
    let completer = Completer {
        shared: Arc::clone(&shared),
        completed: false,
    };
    (TaskFuture { shared }, completer)
}

impl<T> Clone for TaskFuture<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> fmt::Debug for TaskFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.shared.inner.lock().unwrap().state {
            State::Pending => "pending",
            State::Running => "running",
            State::Finished(Ok(_)) => "finished",
            State::Finished(Err(_)) => "panicked",
            State::Cancelled => "cancelled",
        };
        f.debug_struct("TaskFuture").field("state", &state).finish()
    }
}

/// Sets the final state and wakes everyone who waits for it. The callbacks run after the
/// lock is released: a callback may call `result()` or `done()` on this very future.
fn finish<T>(shared: &Arc<Shared<T>>, mut inner: MutexGuard<'_, Inner<T>>, state: State<T>) {
    inner.state = state;
    let callbacks = std::mem::take(&mut inner.callbacks);
    // Read under the lock: a waiter counts itself before it waits, under this same lock.
    let someone_waits = inner.waiters > 0;
    drop(inner);
    if someone_waits {
        shared.done.notify_all();
    }
    if !callbacks.is_empty() {
        let future = TaskFuture {
            shared: Arc::clone(shared),
        };
        for callback in callbacks {
            callback(&future);
        }
    }
}

impl<T> TaskFuture<T> {
    /// Whether the task finished or was cancelled (Python's `done()`).
    pub fn done(&self) -> bool {
        self.shared.inner.lock().unwrap().state.is_done()
    }

    /// Whether a worker is running the task right now (Python's `running()`).
    pub fn running(&self) -> bool {
        matches!(self.shared.inner.lock().unwrap().state, State::Running)
    }

    /// Whether the future was cancelled (Python's `cancelled()`).
    pub fn cancelled(&self) -> bool {
        matches!(self.shared.inner.lock().unwrap().state, State::Cancelled)
    }

    /// Cancels the task if it has not started: returns `true` if the future is now
    /// cancelled, `false` if the task is running or finished (Python's `cancel()`).
    pub fn cancel(&self) -> bool {
        // Check and change the state under one lock: `set_running_or_notify_cancel` takes
        // the same lock, so exactly one of the two sees `Pending`.
        let inner = self.shared.inner.lock().unwrap();
        match inner.state {
            State::Pending => {
                finish(&self.shared, inner, State::Cancelled);
                true
            }
            State::Cancelled => true,
            State::Running | State::Finished(_) => false,
        }
    }

    /// Waits until the task is done, then returns its panic or cancellation, or `None` if
    /// it returned a value (Python's `exception()`). Needs no `Clone` on the value.
    pub fn exception(&self) -> Option<TaskError> {
        let inner = self.wait_until_done();
        match &inner.state {
            State::Finished(Ok(_)) => None,
            State::Finished(Err(message)) => Some(TaskError::Panicked(message.clone())),
            _ => Some(TaskError::Cancelled),
        }
    }

    /// Calls `callback` with this future once it is done, in the thread that finishes or
    /// cancels it; right away, in this thread, if it is done already
    /// (Python's `add_done_callback()`).
    pub fn add_done_callback(&self, callback: impl FnOnce(&TaskFuture<T>) + Send + 'static) {
        let mut inner = self.shared.inner.lock().unwrap();
        // Decided under the lock that `finish` takes: either the finisher will see this
        // callback in the list, or we see the final state and run it ourselves.
        if inner.state.is_done() {
            drop(inner);
            callback(self);
        } else {
            inner.callbacks.push(Box::new(callback));
        }
    }

    fn wait_until_done(&self) -> MutexGuard<'_, Inner<T>> {
        let mut inner = self.shared.inner.lock().unwrap();
        // `while`, not `if`: a wake-up only means "look again" (spurious wake-ups happen).
        while !inner.state.is_done() {
            inner.waiters += 1;
            inner = self.shared.done.wait(inner).unwrap();
            inner.waiters -= 1;
        }
        inner
    }
}

impl<T: Clone> TaskFuture<T> {
    /// Waits until the task is done and returns a clone of its value, or why there is none
    /// (Python's `result()`). Every caller gets its own clone: Python hands out the same
    /// object to everyone; Rust needs `Clone` (or an `Arc<T>` result) for that.
    pub fn result(&self) -> Result<T, TaskError> {
        outcome(&self.wait_until_done().state)
    }

    /// Like `result`, but gives up after `timeout`: `None` if the task is not done by then
    /// (Python's `result(timeout)` raising `TimeoutError`).
    pub fn result_timeout(&self, timeout: Duration) -> Option<Result<T, TaskError>> {
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            return Some(self.result());
        };
        let mut inner = self.shared.inner.lock().unwrap();
        // A wait can end early (spurious wake-up), so measure what is left each time.
        while !inner.state.is_done() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            inner.waiters += 1;
            inner = self.shared.done.wait_timeout(inner, left).unwrap().0;
            inner.waiters -= 1;
        }
        Some(outcome(&inner.state))
    }
}

fn outcome<T: Clone>(state: &State<T>) -> Result<T, TaskError> {
    match state {
        State::Finished(Ok(value)) => Ok(value.clone()),
        State::Finished(Err(message)) => Err(TaskError::Panicked(message.clone())),
        State::Cancelled => Err(TaskError::Cancelled),
        State::Pending | State::Running => unreachable!("outcome of a future that is not done"),
    }
}

impl<T> Completer<T> {
    /// Called by the worker just before it runs the task: moves a pending future to running
    /// and returns `true`; returns `false` if the future was cancelled (skip the task then).
    /// Panics if called twice (Python raises `RuntimeError`).
    pub fn set_running_or_notify_cancel(&self) -> bool {
        let mut inner = self.shared.inner.lock().unwrap();
        match inner.state {
            State::Pending => {
                inner.state = State::Running;
                true
            }
            State::Cancelled => false,
            State::Running | State::Finished(_) => {
                // Unlock first: a panic while holding the lock would poison it.
                drop(inner);
                panic!("set_running_or_notify_cancel called on a future that already started")
            }
        }
    }

    /// Stores the task's value and wakes every waiter. Does nothing if the future was
    /// cancelled.
    pub fn set_result(mut self, value: T) {
        self.complete(Ok(value));
    }

    /// Stores the task's panic message and wakes every waiter. Does nothing if the future
    /// was cancelled.
    pub fn set_panic(mut self, message: String) {
        self.complete(Err(message));
    }

    fn complete(&mut self, outcome: Result<T, String>) {
        self.completed = true;
        let inner = self.shared.inner.lock().unwrap();
        if !inner.state.is_done() {
            finish(&self.shared, inner, State::Finished(outcome));
        }
    }
}

impl<T> Drop for Completer<T> {
    /// A task dropped unrun (say, by `shutdown(cancel_futures)`) cancels its future; one
    /// dropped while running reports that. Either way nobody waits forever.
    fn drop(&mut self) {
        if self.completed {
            return;
        }
        let inner = self.shared.inner.lock().unwrap();
        match inner.state {
            State::Pending => finish(&self.shared, inner, State::Cancelled),
            State::Running => finish(
                &self.shared,
                inner,
                State::Finished(Err("the worker dropped the task before it finished".into())),
            ),
            State::Finished(_) | State::Cancelled => {}
        }
    }
}
