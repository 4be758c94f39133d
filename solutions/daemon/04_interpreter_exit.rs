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
        Self::default()
    }

    /// `threading.Thread(target=body).start()`: `shutdown` will wait for it.
    pub fn spawn<F>(&self, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        self.start(false, body);
    }

    /// `threading.Thread(target=body, daemon=True).start()`: `shutdown` will not wait.
    pub fn spawn_daemon<F>(&self, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        self.start(true, body);
    }

    /// Waits until no non-daemon thread runs; daemon threads are left running.
    pub fn shutdown(&self) -> ShutdownReport {
        let mut counts = self.shared.counts.lock().unwrap();
        // `while`, not `if`: every finishing thread notifies, daemon or not, so a wake-up
        // only means "something finished", not "the last non-daemon thread finished".
        while counts.non_daemon_running > 0 {
            counts = self.shared.thread_finished.wait(counts).unwrap();
        }
        ShutdownReport {
            joined: counts.non_daemon_finished,
            abandoned: counts.daemon_running,
        }
    }

    fn start<F>(&self, daemon: bool, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // Counted before the thread exists, so a `shutdown` that starts right after this
        // call already sees it (Python's `start()` registers the thread the same way).
        let mut counts = self.shared.counts.lock().unwrap();
        if daemon {
            counts.daemon_running += 1;
        } else {
            counts.non_daemon_running += 1;
        }
        drop(counts);
        let finished = Finished {
            shared: Arc::clone(&self.shared),
            daemon,
        };
        // The handle is dropped: nobody joins these threads, `shutdown` counts them instead.
        thread::spawn(move || {
            let _finished = finished;
            body();
        });
    }
}

/// Records the end of a thread when dropped, which also happens when its body panics.
struct Finished {
    shared: Arc<Shared>,
    daemon: bool,
}

impl Drop for Finished {
    fn drop(&mut self) {
        // No thread ever panics while holding this lock (bodies run without it), so it is
        // never poisoned, even when this drop runs because the body panicked.
        let mut counts = self.shared.counts.lock().unwrap();
        if self.daemon {
            counts.daemon_running -= 1;
        } else {
            counts.non_daemon_running -= 1;
            counts.non_daemon_finished += 1;
        }
        self.shared.thread_finished.notify_all();
    }
}
