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
//! `TaskError`'s text). `wait` blocks until every future is done and returns the lines.
//!
//! The bug to avoid: count in one step and write the line in another. Two callbacks take
//! numbers 1 and 2, then the one holding 2 writes first: "2 of 3" comes before "1 of 3".

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
        let progress = Arc::new(Progress {
            total: jobs.len(),
            board: Mutex::new(Board::default()),
            all_done: Condvar::new(),
        });
        for (label, future) in jobs {
            let progress = Arc::clone(&progress);
            let label = label.clone();
            future.add_done_callback(move |future| {
                let line_end = match future.error() {
                    None => label,
                    Some(error) => format!("{label} ({error})"),
                };
                progress.record(&line_end);
            });
        }
        progress
    }

    /// One more future is done: number it and write its line in one critical section.
    fn record(&self, line_end: &str) {
        let mut board = self.board.lock().unwrap();
        board.done += 1;
        let line = format!("{} of {} done: {line_end}", board.done, self.total);
        board.lines.push(line);
        if board.done == self.total {
            self.all_done.notify_all();
        }
    }

    /// How many of the futures are done so far.
    pub fn done(&self) -> usize {
        self.board.lock().unwrap().done
    }

    /// Blocks until every future is done, then returns all the lines in order. Any number
    /// of threads may wait at once: all of them return.
    pub fn wait(&self) -> Vec<String> {
        let mut board = self.board.lock().unwrap();
        // Checked under the lock the callbacks use, so the last notify cannot slip in
        // between the check and the wait.
        while board.done < self.total {
            board = self.all_done.wait(board).unwrap();
        }
        board.lines.clone()
    }
}
