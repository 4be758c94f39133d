//! # request_context: the current request, set by a guard
//!
//! Web frameworks let deep code ask "which request am I serving?" without passing it down
//! every call: Flask's `request` is a thread-local (a context-local, in fact) that the
//! framework sets when a request starts and restores when it ends, with `try`/`finally` or a
//! `with` block. In Rust the `with` block is a guard: a value whose `Drop` restores the
//! previous state, and `Drop` runs on every way out of a scope, a panic included.
//!
//! - `current_request()` is the calling thread's current request, `None` outside any.
//! - `enter(request)` makes `request` current and returns a `RequestGuard`; dropping the
//!   guard puts back whatever was current before. Guards nest: enter `a`, enter `b`, drop the
//!   inner guard -> `a` again; drop the outer one -> `None`. (Drop them innermost first, as
//!   scopes do; a `Vec` of guards drops its *first* element first.)
//! - `in_request(request, f)` runs `f` inside `request` and restores the previous request
//!   afterwards, even if `f` panics.
//! - `spawn_in_current_request(f)` starts a thread that runs `f` inside the *caller's*
//!   current request (none if the caller has none), and returns its handle: `join` gives
//!   what `f` returned. A new thread starts with no request of its own, and what the caller
//!   enters afterwards never reaches the worker, nor the worker's request the caller.
//!
//! A guard restores the thread it was made on, so it must not move to another thread: the
//! `PhantomData<*const ()>` field makes it `!Send`, and the compiler refuses the move.

use std::marker::PhantomData;

use crate::cell::RefCell;
use crate::thread::{self, JoinHandle, thread_local};

thread_local! {
    // No `const { .. }` around the initialisers: loom's `thread_local!`, used when the tests
    // compile this file against loom, accepts only a plain expression.
    /// The calling thread's current request.
    #[allow(clippy::missing_const_for_thread_local)]
    static CURRENT: RefCell<Option<String>> = RefCell::new(None);
}

/// Puts the previous request back when dropped.
#[must_use = "the request ends when the guard is dropped; `let _guard = enter(..);` keeps it"]
#[derive(Debug)]
pub struct RequestGuard {
    previous: Option<String>,
    /// `!Send`: the guard must be dropped on the thread whose request it changed.
    _same_thread: PhantomData<*const ()>,
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        // Left empty rather than `todo!()`: a panic in a drop that runs while another panic
        // unwinds aborts the whole test run. Put the previous request back here.
    }
}

/// The calling thread's current request, if any.
pub fn current_request() -> Option<String> {
    todo!()
}

/// Makes `request` the calling thread's current request until the guard is dropped.
pub fn enter(request: impl Into<String>) -> RequestGuard {
    todo!()
}

/// Runs `f` inside `request`; the previous request is back afterwards, even after a panic.
pub fn in_request<R>(request: impl Into<String>, f: impl FnOnce() -> R) -> R {
    todo!()
}

/// Starts a thread that runs `f` inside the caller's current request (or none, if the
/// caller has none).
pub fn spawn_in_current_request<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    todo!()
}
