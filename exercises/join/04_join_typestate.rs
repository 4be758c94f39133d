//! # join_typestate: a thread that cannot be joined before it is started
//!
//! A Python `Thread` object lives through three states: created (not started), running
//! (`start()` was called, `is_alive()` is true) and finished. Calling a method in the wrong
//! state is a runtime error: `join()` before `start()` raises `RuntimeError: cannot join
//! thread before it is started`, and a second `start()` raises `RuntimeError: threads can
//! only be started once`.
//!
//! In Rust the state can be part of the *type*: `Thread<Unstarted<F>>` has a `start`
//! method and no `join`; `start` consumes it and returns a `Thread<Running<T>>`, which has
//! `join` and no `start`; `join` consumes that and returns a `Thread<Finished<T>>`. Joining
//! an unstarted thread, or starting one twice, then does not compile at all.
//!
//! Build that API. `start` spawns a real thread carrying the given name (Python's
//! `Thread(name=...)`, seen inside the job as `thread::current().name()`).

use crate::thread::{self, JoinHandle};

/// State: created, the job not yet running.
#[derive(Debug)]
pub struct Unstarted<F> {
    job: F,
}

/// State: started; the job may still be running or may have returned, not yet joined.
#[derive(Debug)]
pub struct Running<T> {
    handle: JoinHandle<T>,
}

/// State: joined; holds the job's value, or its panic.
#[derive(Debug)]
pub struct Finished<T> {
    outcome: thread::Result<T>,
}

/// A named thread whose state `S` is one of [`Unstarted`], [`Running`], [`Finished`].
#[derive(Debug)]
pub struct Thread<S> {
    name: String,
    state: S,
}

impl<S> Thread<S> {
    /// The name given to `new`, in every state.
    pub fn name(&self) -> &str {
        todo!()
    }
}

impl<F, T> Thread<Unstarted<F>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    /// A thread that will run `job` once started. Nothing runs yet.
    pub fn new(name: impl Into<String>, job: F) -> Self {
        todo!()
    }

    /// Spawns an OS thread named `self.name()` that runs the job. Consumes the unstarted
    /// thread, so it cannot be started twice.
    pub fn start(self) -> Thread<Running<T>> {
        todo!()
    }
}

impl<T> Thread<Running<T>> {
    /// Python's `is_alive()`: true while the job has not returned (or panicked).
    pub fn is_alive(&self) -> bool {
        todo!()
    }

    /// Waits for the job to end. A panic does not escape here: it is kept in the result.
    pub fn join(self) -> Thread<Finished<T>> {
        todo!()
    }
}

impl<T> Thread<Finished<T>> {
    /// The job's value, or `None` if it panicked.
    pub fn value(&self) -> Option<&T> {
        todo!()
    }

    /// The job's value, or its panic payload (what `JoinHandle::join` returns).
    pub fn into_result(self) -> thread::Result<T> {
        todo!()
    }
}
