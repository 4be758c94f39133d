//! # join_panics: a thread's panic comes back as an error
//!
//! In Python, an exception raised inside a `Thread` is printed by `threading.excepthook`,
//! and `t.join()` returns as if nothing happened: the failure is easy to miss.
//! `concurrent.futures` does better: `future.result()` re-raises the exception.
//!
//! Rust works like the futures: `handle.join()` returns `Err(payload)` when the thread
//! panicked. The payload is a `Box<dyn Any + Send>`: whatever was passed to `panic!`. A
//! `panic!("disk full")` carries a `&'static str`, a `panic!("disk {n} full")` a `String`,
//! and `std::panic::panic_any(42)` an `i32`.
//!
//! Build `join_reporting`, which turns the payload into a [`JoinError`] carrying the
//! message, and `run_all_reporting`, which runs jobs on their own threads and reports each
//! one's outcome in spawn order: one panicking job must not lose the other results.

use std::any::Any;

use crate::thread::{self, JoinHandle};

/// Why a thread produced no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The thread panicked with a text message (`panic!("...")`, with or without
    /// arguments); here is the text.
    #[error("the thread panicked: {0}")]
    Panicked(String),
    /// The thread panicked with a value that is not text (`std::panic::panic_any(42)`).
    #[error("the thread panicked with a value that is not a message")]
    PanickedWithoutMessage,
}

/// Waits for the thread: its return value, or the panic as a [`JoinError`].
pub fn join_reporting<T>(handle: JoinHandle<T>) -> Result<T, JoinError> {
    todo!()
}

/// Runs every job on its own thread, all at the same time, and returns each job's outcome
/// in the order of `jobs`.
pub fn run_all_reporting<T, F>(jobs: Vec<F>) -> Vec<Result<T, JoinError>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!()
}
