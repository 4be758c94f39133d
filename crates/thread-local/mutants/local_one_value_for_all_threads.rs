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
//! Python's own pure-Python `local` keeps, per instance, a dictionary keyed by thread behind
//! a lock. Do the same: a `Mutex<HashMap<ThreadId, T>>`, where
//! `crate::thread::current().id()` names the calling thread. (The `thread_local` crate on
//! crates.io does this without a lock; the idea is the same.)
//!
//! `with` runs `f` while the instance is locked: keep `f` short, and never touch the same
//! `Local` again inside `f` (that thread would wait for itself).

use crate::sync::Mutex;

// ANCHOR: one_value_for_all_threads
/// MUTANT: one value per instance, like an attribute on a plain Python object: every
/// thread reads and writes the same value.
pub struct Local<T> {
    init: Box<dyn Fn() -> T + Send + Sync>,
    value: Mutex<Option<T>>,
}

impl<T> Local<T> {
    pub fn new(init: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self {
            init: Box::new(init),
            value: Mutex::new(None),
        }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut value = self.value.lock().unwrap();
        f(value.get_or_insert_with(|| (self.init)()))
    }
}
// ANCHOR_END: one_value_for_all_threads

impl<T> Local<T> {
    pub fn take(&self) -> Option<T> {
        self.value.lock().unwrap().take()
    }

    pub fn threads_with_a_value(&self) -> usize {
        usize::from(self.value.lock().unwrap().is_some())
    }
}
