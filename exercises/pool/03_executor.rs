//! # executor: submit a function, get a future
//!
//! Python's `ThreadPoolExecutor(max_workers)`, `executor.submit(fn)` and
//! `executor.shutdown(wait, cancel_futures)`, built from your two previous exercises: a
//! `WorkerPool` runs jobs; `submit` turns a function into a job that runs the function
//! and fills in a `TaskFuture`.
//!
//! What a task must do: a task whose future was cancelled before it started never runs
//! (cancel and start are decided exactly once); a task that runs stores its value, or its
//! panic's message (`TaskError::Panicked`, as Python stores the exception), in the future,
//! and its worker lives on. Tasks run on the pool's threads, never in the caller.
//!
//! `shutdown(wait, cancel_futures)`: `cancel_futures` cancels every future whose task has
//! not started. Dropping the executor is the end of Python's `with` block:
//! `shutdown(wait = true, cancel_futures = false)`.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};

use super::task_future::{Completer, TaskFuture, task_future};
use super::worker_pool::{PoolClosed, WorkerPool};

/// Python's `concurrent.futures.ThreadPoolExecutor`.
pub struct ThreadPoolExecutor {
    workers: WorkerPool,
}

impl ThreadPoolExecutor {
    /// An executor with `max_workers` threads. Panics if `max_workers` is 0.
    pub fn new(max_workers: usize) -> Self {
        todo!()
    }

    /// How many worker threads run the tasks.
    pub fn max_workers(&self) -> usize {
        todo!()
    }

    /// Schedules `task` and returns its future at once; `Err(PoolClosed)` after `shutdown`.
    pub fn submit<T, F>(&self, task: F) -> Result<TaskFuture<T>, PoolClosed>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        todo!()
    }

    /// Stops accepting tasks. With `cancel_futures`, futures whose task has not started
    /// are cancelled; with `wait`, returns once every started task has finished.
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        todo!()
    }
}

impl Drop for ThreadPoolExecutor {
    /// The end of `with ThreadPoolExecutor(...) as executor:`: wait for every task.
    fn drop(&mut self) {
        // TODO: shut down, waiting for every task.
        // (Left empty rather than `todo!()`: a panic inside `drop` can abort the tests.)
    }
}

/// The text of a panic: `panic!("...")` carries a `&str` or a `String`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    todo!()
}
