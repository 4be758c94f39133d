//! # progress_report: "n of m done", from whichever thread finishes
//!
//! The tutorials' downloader prints a line as each image arrives. Here the lines come from
//! done-callbacks (Python's `future.add_done_callback(report)`), and a callback runs on the
//! thread that finished the future, so several may run at the same time.
//!
//! `Progress::track` registers a callback on every `(label, future)` pair. Each callback
//! adds one line, numbered in finishing order:
//!
//! ```text
//! 1 of 3 done: photo-2.jpg
//! 2 of 3 done: photo-7.jpg (the task failed: 404)
//! 3 of 3 done: photo-1.jpg
//! ```
//!
//! A line has `(error)` after the label when the future finished without a value (its
//! `TaskError`'s text; a cancelled future is done too). Futures already done when `track`
//! is called are counted at once, in input order. `wait` blocks until every future is done
//! (with no futures, it returns at once) and returns the lines.
//!
//! However many callbacks run at once, line `k` of the list is always the one that says
//! `k of m`: the numbers and the order of the lines never disagree.

use crate::futures::Future;
use crate::sync::{Arc, Condvar, Mutex};

/// The count and the lines, always changed together.
#[derive(Debug, Default)]
struct Board {
    done: usize,
    lines: Vec<String>,
}

/// Progress of a fixed set of futures.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    board: Mutex<Board>,
    /// Notified when the last future is done.
    all_done: Condvar,
}

impl Progress {
    /// Starts reporting on `jobs`: one line per future, as each finishes.
    pub fn track<T: Send + 'static>(jobs: &[(String, Future<T>)]) -> Arc<Progress> {
        todo!()
    }

    /// One more future is done: number it and write its line.
    fn record(&self, line_end: &str) {
        todo!()
    }

    /// How many of the futures are done so far.
    pub fn done(&self) -> usize {
        todo!()
    }

    /// Blocks until every future is done, then returns all the lines in order. Any number
    /// of threads may wait at once: all of them return.
    pub fn wait(&self) -> Vec<String> {
        todo!()
    }
}
