//! # live_registry: `threading.active_count()` and `threading.enumerate()`
//!
//! Python keeps a table of the threads that are alive: `active_count()` counts them,
//! `enumerate()` lists them. A thread is in the table from the moment `start()` returns
//! until it has finished, and it leaves the table even when its target raises.
//!
//! Rust's std keeps no such table, so build one. `LiveRegistry::spawn` starts a named
//! thread that is listed from the moment `spawn` returns until `join` returns, also when the
//! thread panics (its panic still reaches `join` as `Err`). A `Registration` is one entry:
//! the entry exists exactly as long as that value. One thread leaving never takes another
//! thread's entry with it, and registrations racing each other are all counted.
//!
//! At the bottom, a process-wide registry and the module-level functions `spawn`,
//! `active_count` and `enumerate`, like Python's. (Python also counts the main thread and
//! threads it did not start itself; this registry counts only threads started through it.)

use std::collections::BTreeMap;

use crate::sync::{Arc, Mutex};
use crate::thread::{self, JoinHandle};

/// The threads started through this registry that have not finished yet. A handle to one
/// shared roster: clones share it (like an `Arc`), so give each thread a clone.
#[derive(Debug, Clone, Default)]
pub struct LiveRegistry {
    roster: Arc<Mutex<Roster>>,
}

/// Who is alive, by ticket. Tickets are handed out in `register`, never reused.
#[derive(Debug, Default)]
struct Roster {
    next_ticket: u64,
    names: BTreeMap<u64, String>,
}

/// One entry in a [`LiveRegistry`]: the entry exists exactly as long as this value.
#[derive(Debug)]
pub struct Registration {
    roster: Arc<Mutex<Roster>>,
    ticket: u64,
}

impl LiveRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        todo!()
    }

    /// Adds an entry called `name` now; it stays until the returned guard is dropped.
    pub fn register(&self, name: &str) -> Registration {
        todo!()
    }

    /// Starts `f` on a new thread called `name`. The thread is listed from before this
    /// returns until it has finished (the entry is gone by the time `join` returns), even
    /// if `f` panics.
    pub fn spawn<F, T>(&self, name: &str, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        todo!()
    }

    /// `threading.active_count()`: how many registered threads are alive.
    pub fn active_count(&self) -> usize {
        todo!()
    }

    /// `threading.enumerate()`: the names of the live threads, sorted. A name shared by two
    /// live threads is listed twice.
    pub fn enumerate(&self) -> Vec<String> {
        todo!()
    }
}

impl Drop for Registration {
    /// Removes this entry. Runs when the thread's closure ends, normally or by a panic.
    fn drop(&mut self) {
        todo!()
    }
}

crate::sync::lazy_static! {
    /// The process-wide registry behind the module-level functions below.
    static ref LIVE: LiveRegistry = LiveRegistry::new();
}

/// `threading.Thread(target=f, name=name).start()`, counted by the process-wide registry.
pub fn spawn<F, T>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    todo!()
}

/// `threading.active_count()` for threads started with [`spawn`].
pub fn active_count() -> usize {
    todo!()
}

/// `threading.enumerate()` for threads started with [`spawn`]: their names, sorted.
pub fn enumerate() -> Vec<String> {
    todo!()
}
