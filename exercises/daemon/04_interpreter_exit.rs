//! # interpreter_exit: daemon and non-daemon threads
//!
//! When a Python program reaches its end, the interpreter first waits for every
//! *non-daemon* thread still running (the default kind), then exits; *daemon* threads
//! (`Thread(daemon=True)`) are not waited for and simply vanish with the process.
//!
//! Rust has no such distinction: when `main` returns, the process exits and every other
//! thread dies wherever it is, as if they were all daemons. Build a small `Runtime` that
//! models Python's rule:
//!
//! - `spawn` starts a non-daemon thread, `spawn_daemon` a daemon thread; any thread may
//!   spawn more through a clone of the runtime;
//! - `shutdown` blocks until no non-daemon thread is running (including ones started by
//!   other non-daemon threads meanwhile), does not wait for daemon threads, and reports how
//!   many non-daemon threads finished and how many daemon threads it left running;
//! - several threads may be in `shutdown` at once: the end of the last non-daemon thread
//!   lets every one of them return;
//! - a thread that panics still counts as finished, or `shutdown` would wait forever.

use crate::sync::{Arc, Condvar, Mutex};
use crate::thread;

/// What `shutdown` saw when it returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Non-daemon threads that ran to the end (all of them, once `shutdown` returns).
    pub joined: usize,
    /// Daemon threads still running when `shutdown` returned: a real exit would kill them.
    pub abandoned: usize,
}

#[derive(Debug, Default)]
struct Counts {
    non_daemon_running: usize,
    non_daemon_finished: usize,
    daemon_running: usize,
}

#[derive(Debug, Default)]
struct Shared {
    counts: Mutex<Counts>,
    /// Notified whenever a thread finishes.
    thread_finished: Condvar,
}

/// Starts threads and shuts down like the Python interpreter. Clones share one runtime.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    shared: Arc<Shared>,
}

impl Runtime {
    pub fn new() -> Self {
        todo!()
    }

    /// `threading.Thread(target=body).start()`: `shutdown` will wait for it.
    pub fn spawn<F>(&self, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!()
    }

    /// `threading.Thread(target=body, daemon=True).start()`: `shutdown` will not wait.
    pub fn spawn_daemon<F>(&self, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!()
    }

    /// Waits until no non-daemon thread runs; daemon threads are left running.
    pub fn shutdown(&self) -> ShutdownReport {
        todo!()
    }

    fn start<F>(&self, daemon: bool, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!()
    }
}

/// Records the end of a thread when dropped, which also happens when its body panics.
struct Finished {
    shared: Arc<Shared>,
    daemon: bool,
}

impl Drop for Finished {
    fn drop(&mut self) {
        todo!()
    }
}
