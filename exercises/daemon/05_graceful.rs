//! # graceful: Ctrl-C without losing work
//!
//! The tutorials stop their worker threads on Ctrl-C with
//! `signal.signal(signal.SIGINT, handler)`, where `handler` calls `stop_event.set()`.
//! Do the same for a real Rust program (`crates/daemon/src/bin/graceful.rs` calls these two
//! functions):
//!
//! - `stop_on_sigint(stop)` makes SIGINT set `stop` instead of killing the process, from the
//!   moment it returns. A signal handler interrupts whatever a thread was doing, even in the
//!   middle of holding a lock, so the handler itself must not lock your `Event`.
//! - `run_until_stopped(stop, workers, work, out)` runs `workers` threads that take job
//!   numbers 0, 1, 2, ... (each number once), compute `work(n)` and record the result, until
//!   `stop` is set: no job starts after that (none at all if it is set already), and a job
//!   that was started is finished and recorded. When every worker has ended, the journal is
//!   written to `out`, one line `job {n}: {result}` per job in job order, and flushed; it
//!   returns how many jobs ran.
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
    todo!()
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
    todo!()
}
