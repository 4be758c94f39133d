//! Exercise `stop_flag`: jobs run until the flag is set; a started job finishes.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use share::stop_flag::{Job, StopFlag, run_until_stopped, spawn_worker};
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// `n` jobs that each push their number to `log`.
fn logging_jobs(n: usize, log: &Arc<Mutex<Vec<usize>>>) -> Vec<Job> {
    (1..=n)
        .map(|i| {
            let log = Arc::clone(log);
            Box::new(move || log.lock().unwrap().push(i)) as Job
        })
        .collect()
}

#[test]
fn the_flag_starts_unset_and_stays_set() {
    let flag = StopFlag::new();
    assert!(!flag.is_stopped(), "a new flag is not set");
    flag.stop();
    flag.stop();
    assert!(flag.is_stopped(), "after stop, the flag is set");
}

#[test]
fn without_a_stop_every_job_runs() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let ran = run_until_stopped(&StopFlag::new(), logging_jobs(3, &log));
    assert_eq!(ran, 3, "nobody stopped the worker: all 3 jobs run");
    assert_eq!(*log.lock().unwrap(), [1, 2, 3], "jobs run in order");
}

#[test]
fn a_flag_set_before_the_start_runs_no_job() {
    let flag = StopFlag::new();
    flag.stop();
    let log = Arc::new(Mutex::new(Vec::new()));
    let ran = run_until_stopped(&flag, logging_jobs(3, &log));
    assert_eq!(
        (ran, log.lock().unwrap().len()),
        (0, 0),
        "the flag was set before the worker started: no job may run (look before each job)"
    );
}

#[test]
fn a_flag_set_by_job_two_runs_no_job_three() {
    let flag = Arc::new(StopFlag::new());
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut jobs = logging_jobs(5, &log);
    let stopper = Arc::clone(&flag);
    jobs[1] = Box::new(move || stopper.stop());
    let ran = run_until_stopped(&flag, jobs);
    assert_eq!(
        (ran, log.lock().unwrap().clone()),
        (2, vec![1]),
        "job 2 set the flag: jobs 1 and 2 ran, job 3 must not start"
    );
}

#[test]
fn another_thread_stops_the_worker_during_its_first_job() {
    let flag = Arc::new(StopFlag::new());
    let (started_tx, started_rx) = mpsc::channel();
    let (go_on_tx, go_on_rx) = mpsc::channel::<()>();
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut jobs = logging_jobs(3, &log);
    let first_log = Arc::clone(&log);
    // Job 1 tells the test it runs, then waits until the test has set the flag.
    jobs[0] = Box::new(move || {
        started_tx.send(()).unwrap();
        go_on_rx.recv().unwrap();
        first_log.lock().unwrap().push(1);
    });
    let worker = spawn_worker(Arc::clone(&flag), jobs);
    let ran = finishes_within(GENEROUS, "stopping a worker", move || {
        started_rx.recv().expect("the worker never started job 1");
        flag.stop();
        go_on_tx.send(()).unwrap();
        worker.join().expect("the worker panicked")
    });
    assert_eq!(
        (ran, log.lock().unwrap().clone()),
        (1, vec![1]),
        "the flag was set while job 1 ran: job 1 finishes, no other job starts"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::under_loom::stop_flag::{Job, StopFlag, spawn_worker};

    support::loom_test! {
        /// The main thread stops a worker at any point of its two jobs. Whatever the
        /// interleaving, the worker ends, ran at most both jobs, and the flag stays set.
        fn a_stop_from_another_thread_always_ends_the_worker() {
            let flag = Arc::new(StopFlag::new());
            let jobs: Vec<Job> = vec![Box::new(|| {}), Box::new(|| {})];
            let worker = spawn_worker(Arc::clone(&flag), jobs);
            flag.stop();
            let ran = worker.join().unwrap();
            assert!(ran <= 2, "2 jobs, but the worker says it ran {ran}");
            assert!(flag.is_stopped(), "the flag was set, but reads unset after the join");
        }
    }
}
