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
    let count = workers.len();
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let tx = tx.clone();
            thread::spawn(move || worker(tx))
        })
        .collect();
    // Our own Sender must go too, or the channel never disconnects and the loop below
    // waits forever for a value nobody will send.
    drop(tx);
    // ANCHOR: fixed_count
    // MUTANT: expects one result per worker, like a Python collector calling `get()` once
    // per thread. A worker that sends two values has one of them thrown away.
    let results: Vec<T> = rx.iter().take(count).collect();
    // ANCHOR_END: fixed_count
    // Every Sender is gone, so each worker has returned, panicked, or dropped its Sender
    // early. Joining tells a panic apart from "sent nothing".
    for handle in handles {
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
    results
}
