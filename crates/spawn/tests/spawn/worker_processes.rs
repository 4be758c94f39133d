//! Exercise `worker_processes` (std only: loom models the threads of one process, not
//! processes).
//!
//! The workers are real processes of the course's `square_worker` program. "At the same
//! time" is checked without a clock: with `--meet`, each worker connects to a meeting point
//! the test listens on and waits there for a go-ahead, which the test sends only once every
//! worker has arrived. Every wait is bounded by the hang guard.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;

use spawn::worker_processes::{WorkerError, finish_worker, run_workers, start_worker};
use support::finishes_within;
use support::hang_guard::{GENEROUS, awaiting};
use support::worker::Worker;
use support::worker::for_tests::{with_arg, worker};

/// The smallest input whose square does not fit in 64 bits: `square_worker` exits with
/// status 3 for it.
const TOO_LARGE: u64 = 1 << 32;

/// The course's worker program. nextest runs the tests from an archive, where the path
/// cargo compiled in may not exist, and says where it put the program at run time.
fn square_worker() -> Worker {
    let program = std::env::var_os("NEXTEST_BIN_EXE_square_worker").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_square_worker")),
        PathBuf::from,
    );
    worker(program)
}

/// What a worker sends when it arrives at the meeting point (see square_worker.rs).
const ARRIVED: u8 = b'w';
/// What the test's own thread sends when `run_workers` has returned or panicked.
const ENDED: u8 = b'e';

/// Tells the meeting point that `run_workers` is over, however it ended (also when it
/// panics), so the test never waits for workers that will not come.
struct SayEnded(SocketAddr);

impl Drop for SayEnded {
    fn drop(&mut self) {
        if let Ok(mut stream) = TcpStream::connect(self.0) {
            let _ = stream.write_all(&[ENDED]);
        }
    }
}

#[test]
fn a_worker_squares_its_input() {
    let worker = square_worker();
    let result = finishes_within(GENEROUS, "start_worker and finish_worker", move || {
        let child = start_worker(&worker, 12).expect("start_worker(12) failed");
        finish_worker(12, child)
    });
    assert_eq!(
        result,
        Ok(144),
        "the worker prints 144 for 12: finish_worker returns the number it printed"
    );
}

#[test]
fn start_worker_closes_stdin_so_the_worker_sees_end_of_file() {
    let worker = square_worker();
    let printed = finishes_within(GENEROUS, "a worker reading its stdin", move || {
        let mut child = start_worker(&worker, 12).expect("start_worker(12) failed");
        let mut stdout = child.stdout.take().expect(
            "start_worker must return the child with its stdout still piped (as Worker::start \
             gives it): do not wait for the process in start_worker",
        );
        awaiting(
            "the worker to print its answer; it reads its stdin until end of file, so \
             start_worker must close the child's stdin after writing the number (take it out \
             of the Child and let it drop)",
        );
        let mut text = String::new();
        stdout
            .read_to_string(&mut text)
            .expect("read the worker's stdout");
        let _ = child.wait();
        text
    });
    assert_eq!(
        printed.trim(),
        "144",
        "start_worker(12) must write 12 and a newline to the worker's stdin"
    );
}

#[test]
fn run_workers_returns_results_in_input_order() {
    let worker = square_worker();
    let inputs = vec![3, 1, 4, 1, 5, 9, 2, 6];
    let results = finishes_within(GENEROUS, "run_workers", move || {
        run_workers(&worker, &inputs)
    });
    assert_eq!(
        results,
        [9, 1, 16, 1, 25, 81, 4, 36].map(Ok),
        "one result per input, at its input's position: wait for the children in the order \
         you started them"
    );
}

#[test]
fn run_workers_with_no_inputs_starts_nothing() {
    let worker = square_worker();
    let results = finishes_within(GENEROUS, "run_workers(&[])", move || {
        run_workers(&worker, &[])
    });
    assert_eq!(results, [], "no inputs, no workers, no results");
}

#[test]
fn run_workers_starts_every_process_before_waiting_for_any() {
    const WORKERS: usize = 4;
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen on 127.0.0.1");
    let address = listener.local_addr().expect("the meeting point's address");
    let worker = with_arg(with_arg(square_worker(), "--meet"), address.to_string());
    let inputs: Vec<u64> = (1..=WORKERS as u64).collect();
    let what = format!("run_workers with {WORKERS} workers that wait for each other");
    let results = finishes_within(GENEROUS, &what, move || {
        let call = std::thread::spawn(move || {
            let _say_ended = SayEnded(address);
            run_workers(&worker, &inputs)
        });
        let mut arrived = Vec::new();
        while arrived.len() < WORKERS {
            awaiting(format!(
                "worker process {} of {WORKERS} to start while {} waited at the meeting point \
                 for the others (start every process before waiting for any: waiting for \
                 each one before starting the next runs them one at a time)",
                arrived.len() + 1,
                arrived.len(),
            ));
            let (mut stream, _) = listener.accept().expect("accept at the meeting point");
            let mut first = [0u8; 1];
            stream.read_exact(&mut first).expect("read who arrived");
            if first[0] == ENDED {
                // run_workers is over before every worker arrived: pass its panic on, or
                // say how many of its workers ever ran at the same time.
                let returned = call.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                panic!(
                    "run_workers returned {returned:?} after only {} of its {WORKERS} worker \
                     processes had started: start one process per input, every one before \
                     waiting for any",
                    arrived.len()
                );
            }
            assert_eq!(first[0], ARRIVED, "only workers come to the meeting point");
            arrived.push(stream);
        }
        for stream in &mut arrived {
            stream.write_all(b"!").expect("let a worker go");
        }
        awaiting("run_workers to return after all its workers were let go");
        call.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    });
    assert_eq!(
        results,
        [1, 4, 9, 16].map(Ok),
        "all {WORKERS} workers ran at the same time; their squares, in input order"
    );
}

#[test]
fn a_failing_worker_is_an_error_naming_its_input_status_and_stderr() {
    let worker = square_worker();
    let result = finishes_within(GENEROUS, "start_worker and finish_worker", move || {
        let child = start_worker(&worker, TOO_LARGE).expect("start_worker failed");
        finish_worker(TOO_LARGE, child)
    });
    let Err(WorkerError::Failed {
        input,
        status,
        stderr,
    }) = &result
    else {
        panic!(
            "the worker for {TOO_LARGE} exits with status 3, so finish_worker must return \
             Err(WorkerError::Failed {{ .. }}), not {result:?}"
        );
    };
    assert_eq!(*input, TOO_LARGE, "the error names the worker's input");
    assert_eq!(
        status.code(),
        Some(3),
        "the error holds the worker's exit status"
    );
    assert_eq!(
        stderr, "square_worker: 4294967296 squared does not fit in 64 bits",
        "the error holds what the worker wrote on its stderr, trimmed"
    );
    let shown = result.unwrap_err().to_string();
    assert!(
        shown.contains("4294967296") && shown.contains("exit status: 3"),
        "the error's message names the input and the status: {shown:?}"
    );
}

#[test]
fn a_failing_worker_does_not_stop_the_others() {
    let worker = square_worker();
    let results = finishes_within(GENEROUS, "run_workers", move || {
        run_workers(&worker, &[TOO_LARGE, 2, 3])
    });
    assert_eq!(
        results.len(),
        3,
        "one result per input, also after a worker failed: the other workers' results must \
         still be collected (got {results:?})"
    );
    assert!(
        matches!(&results[0], Err(e) if e.input() == TOO_LARGE),
        "the first worker failed: its entry is an Err naming its input, not {:?}",
        results[0]
    );
    assert_eq!(
        results[1..],
        [Ok(4), Ok(9)],
        "the other workers' results must still be collected after one failed"
    );
}
