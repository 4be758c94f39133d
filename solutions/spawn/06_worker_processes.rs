//! # worker_processes: `multiprocessing.Process`, one worker process per input
//!
//! Python's `multiprocessing` starts a second *process*, not a thread: its own interpreter,
//! its own memory, its own GIL, so CPU-bound Python code runs on several cores:
//!
//! ```python
//! procs = [Process(target=square, args=(n,)) for n in inputs]
//! for p in procs: p.start()
//! for p in procs: p.join()
//! ```
//!
//! A process shares no memory with its parent: what goes in and what comes out travels
//! through pipes (Python pickles it for you). Here the worker is a program of its own,
//! `square_worker` (crates/spawn/src/bin/square_worker.rs): it reads one number from its
//! stdin until end of file, prints its square on stdout and exits with status 0, or exits
//! with status 3 and says why on stderr when the square does not fit in 64 bits.
//!
//! The test gives you a [`Worker`]: `worker.start()` starts one process of that program with
//! its stdin, stdout and stderr piped to you, and returns its [`Child`]. Nothing else may be
//! started (the grader refuses files that name `std::process`).
//!
//! 1. `start_worker(worker, input)`: start one process, give it `input` on its stdin, and
//!    close its stdin; return at once, without waiting for the process.
//! 2. `finish_worker(input, child)`: wait for the process and turn what it printed, or how
//!    it failed, into a result.
//! 3. `run_workers(worker, inputs)`: one process per input, every one started before
//!    waiting for any; results in input order.

use std::fmt;
use std::io::Write;

use crate::process::{Child, ExitStatus, Worker};

/// How one worker went wrong; every variant names the worker's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerError {
    /// The worker could not be started, fed or waited for, or it exited successfully but
    /// did not print a number (the `std::io::Error` or what it printed, as text).
    Io { input: u64, message: String },
    /// The worker exited unsuccessfully: its exit status and its stderr (trimmed).
    Failed {
        input: u64,
        status: ExitStatus,
        stderr: String,
    },
}

impl WorkerError {
    /// The input of the worker that went wrong.
    pub fn input(&self) -> u64 {
        match self {
            Self::Io { input, .. } | Self::Failed { input, .. } => *input,
        }
    }
}

impl fmt::Display for WorkerError {
    /// `worker for input 7: cannot start: ...` or
    /// `worker for input 7 failed (exit status: 3): what it said on stderr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { input, message } => write!(f, "worker for input {input}: {message}"),
            Self::Failed {
                input,
                status,
                stderr,
            } => write!(f, "worker for input {input} failed ({status}): {stderr}"),
        }
    }
}

impl std::error::Error for WorkerError {}

/// Starts one worker process (`worker.start()`), writes `input` in decimal and a newline
/// to its stdin, and closes its stdin, so the worker sees end of file and can answer.
/// Returns the running child at once: it does not wait for the process to finish.
///
/// An error starting the process or writing to it is returned as it is.
pub fn start_worker(worker: &Worker, input: u64) -> std::io::Result<Child> {
    let mut child = worker.start()?;
    // `take` moves the pipe out of the child: dropping it at the end of this block closes
    // it, and the worker's read_to_string sees end of file. Left inside `child`, it would
    // stay open and the worker would wait for more input forever.
    {
        let mut stdin = child.stdin.take().expect("Worker::start pipes stdin");
        writeln!(stdin, "{input}")?;
    }
    Ok(child)
}

/// Waits for the worker started for `input` to exit and reads everything it printed.
///
/// - It exited successfully and its stdout (trimmed) is a number: `Ok(that number)`.
/// - It exited unsuccessfully: `Err(WorkerError::Failed)` with its input, its exit status
///   and its stderr (trimmed).
/// - Waiting failed, or it exited successfully without printing a number:
///   `Err(WorkerError::Io)` naming the input.
pub fn finish_worker(input: u64, child: Child) -> Result<u64, WorkerError> {
    // Closes stdin (already closed here), then reads stdout and stderr to the end while it
    // waits, so a worker that prints a lot never blocks on a full pipe.
    let output = child.wait_with_output().map_err(|e| WorkerError::Io {
        input,
        message: format!("cannot wait for it: {e}"),
    })?;
    if !output.status.success() {
        return Err(WorkerError::Failed {
            input,
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.trim().parse().map_err(|_| WorkerError::Io {
        input,
        message: format!("printed {:?}, not a number", stdout.trim()),
    })
}

/// Runs one worker process per input, all of them at the same time: every process is
/// started (and fed) before the first one is waited for. Returns one result per input, in
/// input order, whichever process finished first.
///
/// A worker that fails, or cannot be started, is an `Err` at its input's position and stops
/// nothing: every other worker still runs and its result is still collected, and every
/// process that started is waited for. An empty `inputs` starts nothing and returns an
/// empty list.
pub fn run_workers(worker: &Worker, inputs: &[u64]) -> Vec<Result<u64, WorkerError>> {
    // `collect` first: iterators are lazy, and one `map(start).map(finish)` chain would
    // wait for each process before starting the next one.
    let started: Vec<(u64, std::io::Result<Child>)> = inputs
        .iter()
        .map(|&input| (input, start_worker(worker, input)))
        .collect();
    // Waiting in start order puts each result at its input's position, however the
    // processes were scheduled; a failure is one entry, not the end of the loop.
    started
        .into_iter()
        .map(|(input, started)| match started {
            Ok(child) => finish_worker(input, child),
            Err(e) => Err(WorkerError::Io {
                input,
                message: format!("cannot start it: {e}"),
            }),
        })
        .collect()
}
