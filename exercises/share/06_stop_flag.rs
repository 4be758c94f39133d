//! # stop_flag: the tutorials' global `done`
//!
//! The tutorials stop a worker with a module-level `done = False` that the main thread sets
//! to `True` and the worker checks in its loop. In Rust a plain `bool` shared between
//! threads does not compile (writing it while another thread reads is a data race); the
//! same idea is an `AtomicBool`.
//!
//! `StopFlag` starts unset; `stop` sets it for good, `is_stopped` tells whether it is set,
//! on any thread. `run_until_stopped` runs the jobs in order on the calling thread and
//! looks at the flag before each one: a flag set before it starts runs no job, a flag set
//! by job `n` (or by another thread while job `n` runs) runs no job after `n`, and a job
//! that was started always finishes. It returns how many jobs ran. `spawn_worker` does the
//! same on a new thread and returns its handle.

use crate::sync::Arc;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::thread::{self, JoinHandle};

/// A job for a worker.
pub type Job = Box<dyn FnOnce() + Send>;

/// Set once by anyone, seen by everyone.
#[derive(Debug, Default)]
pub struct StopFlag {
    stopped: AtomicBool,
}

impl StopFlag {
    /// An unset flag.
    pub fn new() -> Self {
        todo!()
    }

    /// Sets the flag; it stays set.
    pub fn stop(&self) {
        todo!()
    }

    /// Whether the flag is set.
    pub fn is_stopped(&self) -> bool {
        todo!()
    }
}

/// Runs `jobs` in order until the flag is set; returns how many ran.
pub fn run_until_stopped(flag: &StopFlag, jobs: Vec<Job>) -> usize {
    todo!()
}

/// `run_until_stopped` on a new thread.
pub fn spawn_worker(flag: Arc<StopFlag>, jobs: Vec<Job>) -> JoinHandle<usize> {
    todo!()
}
