//! # flush_on_exit: a per-thread buffer that empties itself when its thread ends
//!
//! Writing every log line to a shared sink means taking the sink's lock for every line.
//! Python's `logging.handlers.MemoryHandler` buffers lines and hands them to its target in
//! batches; here each *thread* keeps its own buffer, so logging takes no lock at all until a
//! batch is full.
//!
//! The danger is the tail: lines still in the buffer when the thread ends. A thread-local
//! value is dropped when its thread exits (even when the thread panics), so a `Drop` impl on
//! the buffer is the place to hand over the rest. Nothing may be lost.
//!
//! - `Sink` collects lines from every thread: `append` adds a batch under its lock and wakes
//!   waiters; `lines` copies what arrived; `wait_for_lines(n)` blocks until at least `n`
//!   lines arrived (a `Condvar` wait), then returns a copy.
//! - `log(&sink, line)` appends to the calling thread's buffer, which is attached to `sink`;
//!   at `BATCH` lines it hands the batch to the sink. A thread that switches to another sink
//!   first hands its pending lines to the old one.
//! - `flush` hands the calling thread's pending lines over now; `pending` counts them.
//! - `Buffer`'s `Drop` flushes: this runs when the thread exits.
//!
//! Why `wait_for_lines`: a thread's destructors run *after* its closure returned. std's
//! `join` waits for them on Linux, but `thread::scope` does not, and neither does loom's
//! `join`. Waiting for the lines themselves is the only wait that says they arrived.

use crate::cell::RefCell;
use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::thread_local;

/// Lines a thread buffers before it hands them to its sink.
pub const BATCH: usize = 3;

/// Where every thread's lines end up.
#[derive(Debug, Default)]
pub struct Sink {
    lines: Mutex<Vec<String>>,
    arrived: Condvar,
}

impl Sink {
    /// An empty sink.
    pub fn new() -> Self {
        todo!()
    }

    /// Adds `batch`, in order, after the lines already there, and wakes every waiter.
    pub fn append(&self, batch: Vec<String>) {
        todo!()
    }

    /// A copy of the lines that arrived so far.
    pub fn lines(&self) -> Vec<String> {
        todo!()
    }

    /// Blocks until at least `n` lines arrived, then returns a copy of all of them.
    pub fn wait_for_lines(&self, n: usize) -> Vec<String> {
        todo!()
    }
}

/// A thread's pending lines and the sink they belong to.
#[derive(Debug)]
pub struct Buffer {
    sink: Arc<Sink>,
    pending: Vec<String>,
}

impl Buffer {
    /// Hands the pending lines to the sink (nothing to do if there are none).
    fn flush(&mut self) {
        todo!()
    }
}

impl Drop for Buffer {
    /// Runs when the thread exits (or the buffer is replaced): the tail reaches the sink.
    fn drop(&mut self) {
        // Left empty rather than `todo!()`: a panic while a thread's locals are destroyed
        // aborts the whole test run. Hand the pending lines to the sink here.
    }
}

thread_local! {
    // No `const { .. }` around the initialisers: loom's `thread_local!`, used when the tests
    // compile this file against loom, accepts only a plain expression.
    /// The calling thread's buffer, attached to a sink on the first `log`.
    #[allow(clippy::missing_const_for_thread_local)]
    static BUFFER: RefCell<Option<Buffer>> = RefCell::new(None);
}

/// Appends `line` to the calling thread's buffer for `sink`; a full batch goes to the sink.
pub fn log(sink: &Arc<Sink>, line: impl Into<String>) {
    todo!()
}

/// Hands the calling thread's pending lines to its sink now.
pub fn flush() {
    todo!()
}

/// How many lines the calling thread holds that its sink has not received yet.
pub fn pending() -> usize {
    todo!()
}
