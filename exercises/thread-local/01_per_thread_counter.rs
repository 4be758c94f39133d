//! # per_thread_counter: every thread its own copy
//!
//! In Python, `data = threading.local()` followed by `data.hits = 0` gives each thread its
//! own `hits`: a worker that counts up never changes what another worker reads. Rust's
//! `thread_local!` declares such a variable as a `static` of which every thread gets a fresh
//! copy, made the first time that thread touches it. No other thread can reach your copy,
//! so it needs no lock.
//!
//! A server thread keeps two things of its own:
//!
//! - `hit` adds one to *this thread's* request counter and returns the new value; `hits`
//!   reads it; `take_hits` returns it and starts again from 0. A `Cell` fits: the value is
//!   `Copy` and is replaced whole.
//! - `visit` appends a page to this thread's list; `visited` returns a copy of the list. A
//!   `RefCell` fits: the `Vec` is borrowed and changed in place.
//! - `hits_on_new_threads(&[3, 5])` starts one thread per entry; thread `i` calls `hit`
//!   `per_thread[i]` times and reports what *it* sees. The answer is `[3, 5]`.
//!
//! Reach a thread-local with `HITS.with(|hits| ...)`. std also has shortcuts such as
//! `HITS.get()`, but the tests compile this file against loom as well, which has only
//! `with`.

use crate::cell::{Cell, RefCell};
use crate::thread;
use crate::thread::thread_local;

thread_local! {
    // No `const { .. }` around the initialisers: loom's `thread_local!`, used when the tests
    // compile this file against loom, accepts only a plain expression.
    /// Requests served by the current thread.
    #[allow(clippy::missing_const_for_thread_local)]
    static HITS: Cell<u64> = Cell::new(0);
    /// Pages visited by the current thread, in order.
    #[allow(clippy::missing_const_for_thread_local)]
    static VISITED: RefCell<Vec<String>> = RefCell::new(Vec::new());
}

/// Adds one to the current thread's counter and returns the new value.
pub fn hit() -> u64 {
    todo!()
}

/// The current thread's counter.
pub fn hits() -> u64 {
    todo!()
}

/// Returns the current thread's counter and resets it to 0.
pub fn take_hits() -> u64 {
    todo!()
}

/// Appends `page` to the current thread's list of visited pages.
pub fn visit(page: &str) {
    todo!()
}

/// A copy of the current thread's visited pages, oldest first.
pub fn visited() -> Vec<String> {
    todo!()
}

/// Starts one thread per entry of `per_thread`; thread `i` calls [`hit`] `per_thread[i]`
/// times and then reads its own [`hits`]. Returns those readings in the same order. The
/// calling thread's counter is not touched.
pub fn hits_on_new_threads(per_thread: &[u64]) -> Vec<u64> {
    todo!()
}
