//! # graceful: Ctrl-C without losing work
//!
//! The tutorials stop their worker threads on Ctrl-C with
//! `signal.signal(signal.SIGINT, handler)`, where `handler` calls `stop_event.set()`.
//! Do the same for a real Rust program (`crates/daemon/src/bin/graceful.rs` calls these two
//! functions):
//!
//! - `stop_on_sigint(stop)` makes SIGINT set `stop` instead of killing the process. A signal
//!   handler interrupts whatever a thread was doing, even in the middle of holding a lock, so
//!   it must not lock your `Event`: let `signal_hook::iterator::Signals` deliver the signal
//!   to an ordinary thread, which then calls `stop.set()`.
//! - `run_until_stopped(stop, workers, work, out)` runs `workers` threads that take job
//!   numbers 0, 1, 2, ... (each number once), compute `work(n)` and record the result, until
//!   `stop` is set. Stop is checked *between* jobs: a job that was started is finished and
//!   recorded. When every worker has ended, the journal is written to `out`, one line
//!   `job {n}: {result}` per job in job order, and flushed; it returns how many jobs ran.
//!
//! The program then prints its summary line and exits with status 0.
//!
//! This exercise uses your `Event` from `01_event.rs`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use signal_hook::consts::SIGINT;
use signal_hook::iterator::Signals;

use super::event::Event;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::thread;

/// From now on, SIGINT (Ctrl-C) sets `stop` instead of ending the process.
pub fn stop_on_sigint(stop: Arc<Event>) -> io::Result<()> {
    // Registered before we return: a Ctrl-C arriving right after is already caught.
    let mut signals = Signals::new([SIGINT])?;
    // Nobody joins this thread; like a Python daemon thread it ends with the process.
    thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.set();
        }
    });
    Ok(())
}

/// Runs jobs on `workers` threads until `stop` is set, then writes the journal to `out`.
pub fn run_until_stopped<W, F>(
    stop: Arc<Event>,
    workers: usize,
    work: F,
    out: &mut W,
) -> io::Result<u64>
where
    W: Write,
    F: Fn(u64) -> String + Sync,
{
    let next_job = AtomicU64::new(0);
    let journal = Mutex::new(BTreeMap::new());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // Checked between jobs only: once a job number is taken, the job is finished
                // and recorded, so the journal has no gaps.
                while !stop.is_set() {
                    // Relaxed: only the uniqueness of the numbers matters; the results reach
                    // the journal through its Mutex, and the scope's join publishes them.
                    let job = next_job.fetch_add(1, Ordering::Relaxed);
                    let result = work(job);
                    journal.lock().unwrap().insert(job, result);
                }
            });
        }
    });
    let journal = journal.into_inner().unwrap();
    for (job, result) in &journal {
        writeln!(out, "job {job}: {result}")?;
    }
    out.flush()?;
    Ok(journal.len() as u64)
}
