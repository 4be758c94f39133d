//! # join_fan_in: many workers, one channel, one collector
//!
//! In Python, workers `put` their results on a `queue.Queue` and a collector `get`s them;
//! the collector has to know how many to expect, or the workers must each put a sentinel
//! (`None`) that the collector counts.
//!
//! A Rust channel knows when it is finished: each worker owns a clone of the `Sender`, and
//! once every `Sender` has been dropped, `recv()` returns `Err` (and `for x in rx` ends)
//! after the last queued value. The collector needs no count at all, which matters here:
//! each worker sends *as many results as it likes*, maybe none.
//!
//! Build `fan_in`: start one thread per worker, hand each its own `Sender`, collect every
//! result in arrival order until all workers are done, then join the workers. A worker
//! that panicked must not look like a worker that sent nothing: re-raise its panic.

use crate::sync::mpsc::{self, Sender};
use crate::thread;

/// Runs every worker on its own thread, each with its own `Sender`, and returns all the
/// values they sent, in the order they arrived.
pub fn fan_in<T, W>(workers: Vec<W>) -> Vec<T>
where
    W: FnOnce(Sender<T>) + Send + 'static,
    T: Send + 'static,
{
    todo!()
}
