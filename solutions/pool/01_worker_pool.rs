//! # worker_pool: a fixed crew of threads and one queue of jobs
//!
//! The engine under Python's `ThreadPoolExecutor`: `max_workers` threads started once, and
//! a shared queue. `execute` puts a job in the queue; each worker loops: take a job, run
//! it, take the next. An idle worker sleeps on a `Condvar` until there is work or the pool
//! shuts down. Threads are reused, never started per job.
//!
//! Python's rules to keep:
//! - `shutdown(wait, cancel_pending)`: no new jobs from then on; jobs already queued still
//!   run, unless `cancel_pending` drops them unrun; with `wait`, return only once every
//!   worker has finished and exited.
//! - a job that panics does not kill its worker (Python's workers catch every exception).
//! - dropping the pool is Python's `with` block ending: `shutdown(wait = true)`.
//!
//! The classic bugs: a shutdown that sets the flag but does not wake the idle workers
//! (they sleep forever and `shutdown(true)` never returns); a worker that leaves as soon as
//! it sees the flag, losing the jobs still queued; running the job while holding the lock
//! (then only one job runs at a time).

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
    /// Workers inside `work_or_closed.wait` right now, woken or not.
    idle: usize,
    /// Of those, how many `execute` already woke (they will take a job when they run).
    /// A wake-up costs a system call: `execute` wakes a worker only when there is one
    /// asleep that nobody woke yet. Never more than the true number: at worst one wake-up
    /// too many, never one too few.
    woken: usize,
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
    /// Panics if `size` is 0 (Python raises `ValueError`).
    pub fn new(size: usize) -> Self {
        assert!(size > 0, "a worker pool needs at least one worker");
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                closed: false,
                idle: 0,
                woken: 0,
            }),
            work_or_closed: Condvar::new(),
        });
        let workers = (0..size)
            .map(|i| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || work(&shared))
                    .expect("the operating system refused to start a worker thread")
            })
            .collect();
        Self {
            shared,
            workers: Mutex::new(workers),
            size,
        }
    }

    /// How many worker threads the pool started.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Queues `job` for the next idle worker, or refuses it after `shutdown`.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) -> Result<(), PoolClosed> {
        let mut queue = self.shared.queue.lock().unwrap();
        if queue.closed {
            // `job` is dropped when we return, after the guard: dropping it may run code.
            drop(queue);
            return Err(PoolClosed);
        }
        queue.jobs.push_back(Box::new(job));
        // Decided under the lock: a worker counts itself idle before it waits, under this
        // same lock, so it cannot slip into `wait` unseen. One new job needs one worker;
        // if every sleeper was already woken, they will find this job too.
        let wake_one = queue.idle > queue.woken;
        if wake_one {
            queue.woken += 1;
        }
        drop(queue);
        if wake_one {
            self.shared.work_or_closed.notify_one();
        }
        Ok(())
    }

    /// Stops accepting jobs. Queued jobs still run, unless `cancel_pending` drops them
    /// unrun. With `wait`, returns once every worker has exited. Calling it again is fine.
    pub fn shutdown(&self, wait: bool, cancel_pending: bool) {
        let dropped = {
            let mut queue = self.shared.queue.lock().unwrap();
            queue.closed = true;
            if cancel_pending {
                std::mem::take(&mut queue.jobs)
            } else {
                VecDeque::new()
            }
        };
        // Every idle worker must wake up, see `closed` and leave: notify_one would wake
        // only one of them and the others would sleep forever.
        self.shared.work_or_closed.notify_all();
        // Dropped outside the lock: dropping a job can run other code (a future's
        // callbacks) that might need this pool.
        drop(dropped);
        if wait {
            // Held while joining, so a second `shutdown(true)` also returns only when the
            // workers are gone. Workers never take this lock, so they can finish.
            let mut workers = self.workers.lock().unwrap();
            for worker in workers.drain(..) {
                // Jobs run under catch_unwind, so a worker never ends by panicking.
                let _ = worker.join();
            }
        }
    }
}

impl Drop for WorkerPool {
    /// The end of Python's `with ThreadPoolExecutor() as pool:` block.
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}

/// One worker's life: take the oldest job, run it, repeat; leave when closed and empty.
fn work(shared: &Shared) {
    loop {
        let job = {
            let mut queue = shared.queue.lock().unwrap();
            loop {
                // Jobs first: queued work still runs after shutdown.
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                if queue.closed {
                    return;
                }
                // Re-checked after every wake-up: it can be spurious, or another worker
                // may have taken the job we were woken for.
                queue.idle += 1;
                queue = shared.work_or_closed.wait(queue).unwrap();
                queue.idle -= 1;
                // Maybe not *our* wake-up (it can be spurious, or from shutdown): then the
                // count just drops early, which only ever costs an extra wake-up.
                queue.woken = queue.woken.saturating_sub(1);
            }
        };
        // Run outside the lock so the other workers can take jobs meanwhile. A panicking
        // job is caught here so the worker lives on (its message was already printed).
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}
