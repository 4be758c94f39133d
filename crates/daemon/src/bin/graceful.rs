//! `graceful`: works until Ctrl-C (SIGINT), then finishes the jobs in progress, flushes the
//! journal to stdout and exits with status 0.
//!
//! The program around the `graceful` exercise: the SIGINT handling and the workers are the
//! learner's (`exercises/daemon/05_graceful.rs`), called through the `daemon` lib. The test
//! `graceful::sigint::*` starts this binary, waits for its `ready` line, sends SIGINT and
//! reads what it printed. Try it by hand: `cargo run -p daemon --bin graceful`, then Ctrl-C.

use std::hint::black_box;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::{Arc, Once};

use daemon::event::Event;
use daemon::graceful::{run_until_stopped, stop_on_sigint};

/// Printed when the first job starts, after the SIGINT handler was installed.
const READY: &str = "ready";
/// How many worker threads run the jobs.
const WORKERS: usize = 2;

fn main() -> ExitCode {
    let stop = Arc::new(Event::new());
    if let Err(e) = stop_on_sigint(Arc::clone(&stop)) {
        eprintln!("graceful: cannot install the SIGINT handler: {e}");
        return ExitCode::FAILURE;
    }
    let announced = Once::new();
    let work = |job| {
        // The first job to start says `ready`: the handler is installed and a job is in
        // progress, so a SIGINT from now on must let that job finish. Rust's stdout is
        // line-buffered, so the line reaches a reading parent at once.
        announced.call_once(|| println!("{READY}"));
        checksum(job)
    };
    // Not `stdout().lock()`: `work` prints from the worker threads while the run goes on.
    let mut out = io::stdout();
    let summary = run_until_stopped(stop, WORKERS, work, &mut out).and_then(|jobs| {
        writeln!(out, "graceful: stopped after {jobs} jobs, journal flushed")?;
        out.flush()
    });
    match summary {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graceful: cannot write the journal: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A job that takes a little real work (no sleeping), so the journal stays short.
fn checksum(job: u64) -> String {
    let mut x = job;
    for i in 0..20_000_u64 {
        x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    format!("{x:016x}")
}
