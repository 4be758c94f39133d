//! Exercise `graceful`: the job in progress is finished, the journal is flushed, and the
//! real program exits 0 on SIGINT.
//!
//! The in-process tests hold a job in progress on a channel while they set the stop event,
//! so "stop arrived in the middle of a job" is certain. The SIGINT test starts the real
//! binary, waits for its `ready` line (never a sleep), sends SIGINT and reads what it printed.

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use daemon::event::Event;
use daemon::graceful::run_until_stopped;
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

mod sigint;

/// The journal lines `run_until_stopped` must write for jobs `0..count`, given `work`.
fn journal_of(count: u64, work: impl Fn(u64) -> String) -> String {
    (0..count)
        .map(|job| format!("job {job}: {}\n", work(job)))
        .collect()
}

fn square(job: u64) -> String {
    (job * job).to_string()
}

#[test]
fn stop_set_before_the_run_means_no_job_and_an_empty_journal() {
    let (jobs, out) = finishes_within(GENEROUS, "run_until_stopped with stop already set", || {
        let stop = Arc::new(Event::new());
        stop.set();
        let mut out = Vec::new();
        let jobs = run_until_stopped(
            stop,
            2,
            |job| panic!("job {job} started after stop"),
            &mut out,
        )
        .expect("writing to a Vec cannot fail");
        (jobs, out)
    });
    assert_eq!(jobs, 0, "stop was set before the run: no job may start");
    assert!(out.is_empty(), "no job ran, so the journal is empty");
}

#[test]
fn the_job_in_progress_when_stop_is_set_is_finished_and_no_new_one_starts() {
    let (jobs, out) = finishes_within(GENEROUS, "one worker stopped during job 2", || {
        let stop = Arc::new(Event::new());
        let (in_job_tx, in_job_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Mutex::new(go_rx);
        let test_stop = Arc::clone(&stop);
        let controller = std::thread::spawn(move || {
            // Job 2 is in progress: set stop now, then let the job finish.
            in_job_rx.recv().expect("job 2 never started");
            test_stop.set();
            go_tx.send(()).expect("the worker is gone");
        });
        let work = move |job: u64| {
            if job == 2 {
                in_job_tx.send(()).unwrap();
                go_rx.lock().unwrap().recv().unwrap();
            }
            assert!(
                job <= 2,
                "job {job} started after stop was set: check stop between jobs"
            );
            square(job)
        };
        let mut out = Vec::new();
        let jobs =
            run_until_stopped(stop, 1, work, &mut out).expect("writing to a Vec cannot fail");
        controller.join().expect("the controlling thread panicked");
        (jobs, out)
    });
    assert_eq!(
        jobs, 3,
        "jobs 0, 1 and 2 ran (2 was in progress when stop came): run_until_stopped returns 3"
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        journal_of(3, square),
        "the journal must hold `job N: result` for jobs 0, 1, 2 in order, job 2 included"
    );
}

#[rstest]
#[case::two_workers(2)]
#[case::four_workers(4)]
fn every_worker_finishes_its_job_in_progress(#[case] workers: usize) {
    let (jobs, out) = finishes_within(GENEROUS, "workers stopped mid-job", move || {
        let stop = Arc::new(Event::new());
        let (in_job_tx, in_job_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Mutex::new(go_rx);
        let test_stop = Arc::clone(&stop);
        let controller = std::thread::spawn(move || {
            // Every worker holds one of the first `workers` jobs: stop, then release them.
            for _ in 0..workers {
                in_job_rx
                    .recv()
                    .expect("a worker never started its first job");
            }
            test_stop.set();
            for _ in 0..workers {
                go_tx.send(()).expect("the workers are gone");
            }
        });
        let work = move |job: u64| {
            assert!(
                (job as usize) < workers,
                "job {job} started after stop was set: check stop between jobs"
            );
            in_job_tx.send(()).unwrap();
            go_rx.lock().unwrap().recv().unwrap();
            square(job)
        };
        let mut out = Vec::new();
        let jobs =
            run_until_stopped(stop, workers, work, &mut out).expect("writing to a Vec cannot fail");
        controller.join().expect("the controlling thread panicked");
        (jobs, out)
    });
    assert_eq!(
        jobs, workers as u64,
        "each of the {workers} workers was in the middle of one job when stop came"
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        journal_of(workers as u64, square),
        "every job in progress must be finished and written, in job order"
    );
}

proptest! {
    /// Whichever job sets the stop event itself, with any number of workers: jobs are
    /// numbered without gaps or repeats, each is recorded once, and the journal is in order.
    #[test]
    fn the_journal_has_every_started_job_once_in_order(workers in 1usize..5, stop_at in 0u64..40) {
        let started = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&started);
        let (jobs, out) = finishes_within(GENEROUS, "run_until_stopped", move || {
            let stop = Arc::new(Event::new());
            let stopper = Arc::clone(&stop);
            let work = move |job: u64| {
                seen.lock().unwrap().push(job);
                if job == stop_at {
                    stopper.set();
                }
                square(job)
            };
            let mut out = Vec::new();
            let jobs = run_until_stopped(stop, workers, work, &mut out).expect("writing to a Vec cannot fail");
            (jobs, out)
        });
        let started = started.lock().unwrap().clone();
        let distinct: BTreeSet<u64> = started.iter().copied().collect();
        prop_assert_eq!(
            distinct.len(), started.len(),
            "a job number was handed out twice: take numbers with one atomic fetch_add"
        );
        prop_assert_eq!(started.len() as u64, jobs, "every started job must be counted");
        prop_assert!(jobs > stop_at, "jobs 0..={} all ran before stop was set", stop_at);
        prop_assert_eq!(String::from_utf8_lossy(&out), journal_of(jobs, square));
    }
}
