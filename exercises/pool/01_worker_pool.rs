//! # worker_pool: a fixed crew of threads and one queue of jobs
//!
//! The engine under Python's `ThreadPoolExecutor`: `max_workers` threads started once, and
//! a shared queue. `execute` puts a job in the queue; each worker loops: take a job, run
//! it, take the next. An idle worker sleeps (it never polls) until there is work or the
//! pool shuts down. Threads are reused, never started per job.
//!
//! Python's rules to keep:
//! - `shutdown(wait, cancel_pending)`: no new jobs from then on; jobs already queued still
//!   run, unless `cancel_pending` drops them unrun; with `wait`, return only once every
//!   worker has finished and exited.
//! - a job that panics does not kill its worker (Python's workers catch every exception).
//! - dropping the pool is Python's `with` block ending: `shutdown(wait = true)`.
//!
//! - every job runs exactly once; `size` workers run `size` jobs at the same time.
//! - a job racing `shutdown` is either refused or run, never lost; `shutdown` wakes every
//!   idle worker, and calling it twice is harmless.

use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::{self, JoinHandle};

/// A unit of work for the pool.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// `execute` after `shutdown` (Python: "cannot schedule new futures after shutdown").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolClosed;

impl fmt::Display for PoolClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot schedule new work after shutdown")
    }
}

impl std::error::Error for PoolClosed {}

/// What the workers share, under one lock.
struct Queue {
    jobs: VecDeque<Job>,
    /// Set by `shutdown`: accept no more jobs; workers leave once `jobs` is empty.
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Notified when a job arrives or the pool closes: what idle workers wait for.
    work_or_closed: Condvar,
}

/// A fixed number of worker threads running jobs from one queue, first in first out.
pub struct WorkerPool {
    shared: Arc<Shared>,
    /// Taken (and joined) by the first `shutdown(wait = true)`.
    workers: Mutex<Vec<JoinHandle<()>>>,
    size: usize,
}

impl WorkerPool {
    /// Starts `size` worker threads, named `pool-worker-0`, `pool-worker-1`, ...
    /// Panics if `size` is 0, with a message that contains `at least one worker` (Python
    /// raises `ValueError`).
    pub fn new(size: usize) -> Self {
        todo!()
    }

    /// How many worker threads the pool started.
    pub fn size(&self) -> usize {
        todo!()
    }

    /// Queues `job` for the next idle worker, or refuses it after `shutdown`.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) -> Result<(), PoolClosed> {
        todo!()
    }

    /// Stops accepting jobs. Queued jobs still run, unless `cancel_pending` drops them
    /// unrun. With `wait`, returns once every worker has exited. Calling it again is fine.
    pub fn shutdown(&self, wait: bool, cancel_pending: bool) {
        todo!()
    }
}

impl Drop for WorkerPool {
    /// The end of Python's `with ThreadPoolExecutor() as pool:` block.
    fn drop(&mut self) {
        // TODO: shut down and wait for the workers.
        // (Left empty rather than `todo!()`: a panic inside `drop` can abort the tests.)
    }
}
