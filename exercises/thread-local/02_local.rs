//! # local: `threading.local()` as an object
//!
//! `thread_local!` declares one static for the whole program. Python's `threading.local()`
//! is an *object*: make as many as you like, and each gives every thread its own
//! attributes. A subclass with an `__init__` even builds each thread's starting state the
//! first time that thread looks.
//!
//! Build `Local<T>`: one `T` per thread *per instance*. `Local::new(init)` stores the
//! initialiser; the first time a thread calls `with` on an instance, `init()` makes that
//! thread's value. Two instances never share values, and neither do two threads.
//!
//! `init()` runs once per thread per instance (again after that thread's `take`), never for
//! a thread that already has a value. Dropping the `Local` drops every thread's value. Unlike
//! Python's, this one keeps a thread's value after the thread ends, until `take` or drop.
//!
//! `with` may hold the instance's lock while `f` runs: keep `f` short, and never touch the
//! same `Local` again inside `f` (that thread would wait for itself).

use std::collections::HashMap;

use crate::sync::Mutex;
use crate::thread::{self, ThreadId};

/// One `T` per thread, created on that thread's first access by the initialiser.
pub struct Local<T> {
    init: Box<dyn Fn() -> T + Send + Sync>,
    values: Mutex<HashMap<ThreadId, T>>,
}

impl<T> Local<T> {
    /// An instance whose value on each thread starts as `init()`.
    pub fn new(init: impl Fn() -> T + Send + Sync + 'static) -> Self {
        todo!()
    }

    /// Runs `f` on the calling thread's value, creating it with the initialiser if this
    /// thread has none yet, and returns what `f` returns.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        todo!()
    }

    /// Removes the calling thread's value and returns it (Python: `del data.x`); other
    /// threads' values stay. The next `with` on this thread starts again from `init()`.
    pub fn take(&self) -> Option<T> {
        todo!()
    }

    /// How many threads hold a value in this instance right now.
    pub fn threads_with_a_value(&self) -> usize {
        todo!()
    }
}
