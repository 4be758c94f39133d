//! Exercise `join_typestate`: Unstarted -> Running -> Finished, each a type.
//!
//! That `join` on an unstarted thread does not compile cannot be a test here: a test that
//! calls it would not compile, and the stub has the same signatures, so a compile-fail
//! check would pass on the untouched stub. docs/src/join.md explains it instead.

use std::sync::{Arc, Barrier, mpsc};

use join::join_typestate::Thread;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn new_does_not_run_the_job() {
    let (ran_tx, ran_rx) = mpsc::channel();
    let unstarted = Thread::new("lazy", move || ran_tx.send(()).unwrap());
    assert!(
        ran_rx.try_recv().is_err(),
        "Thread::new ran the job: nothing may run before start() (Python: Thread(target=...) \
         only prepares)"
    );
    finishes_within(GENEROUS, "start then join", move || {
        let _ = unstarted.start().join();
    });
    assert!(
        ran_rx.try_recv().is_ok(),
        "after start() and join(), the job must have run once"
    );
}

#[rstest]
#[case::numbered("worker-1")]
#[case::word("downloader")]
fn start_runs_the_job_on_a_thread_carrying_the_name(#[case] name: &'static str) {
    let seen = finishes_within(GENEROUS, "start then join", move || {
        Thread::new(name, || std::thread::current().name().map(str::to_owned))
            .start()
            .join()
            .into_result()
            .expect("the job does not panic")
    });
    assert_eq!(
        seen.as_deref(),
        Some(name),
        "inside the job, thread::current().name() must be the name given to Thread::new: \
         spawn with thread::Builder::new().name(..)"
    );
}

#[test]
fn join_gives_the_jobs_value() {
    let finished = finishes_within(GENEROUS, "start then join", || {
        Thread::new("answer", || 42_u32).start().join()
    });
    assert_eq!(
        finished.value(),
        Some(&42),
        "value() must be the job's return value"
    );
    assert_eq!(
        finished.into_result().ok(),
        Some(42),
        "into_result() must be Ok(the job's return value)"
    );
}

#[test]
fn a_running_thread_is_alive_while_its_job_is_blocked() {
    let (release, wait) = mpsc::channel::<()>();
    let running = Thread::new("blocked", move || wait.recv().is_ok()).start();
    assert!(
        running.is_alive(),
        "the job waits until the test releases it: is_alive must be true"
    );
    release.send(()).unwrap();
    let finished = finishes_within(GENEROUS, "join after release", move || running.join());
    assert_eq!(
        finished.value(),
        Some(&true),
        "released, the job returns true"
    );
}

#[test]
fn a_running_thread_whose_job_returned_is_not_alive() {
    let running = Thread::new("quick", || 7).start();
    // The job returns at once, but the thread ends a moment later: poll until it has.
    let running = finishes_within(
        GENEROUS,
        "polling is_alive() on a thread whose job returns at once",
        move || {
            support::hang_guard::awaiting(
                "is_alive() to turn false: the job returned at once, and a thread whose job \
                 has returned is not alive",
            );
            while running.is_alive() {
                std::thread::yield_now();
            }
            running
        },
    );
    let finished = finishes_within(GENEROUS, "join on a finished thread", move || {
        running.join()
    });
    assert_eq!(finished.value(), Some(&7), "the job returned 7");
}

#[test]
fn a_panicking_job_is_kept_in_the_finished_state() {
    let finished = finishes_within(GENEROUS, "start then join of a panicking job", || {
        Thread::new("doomed", || -> u32 { panic!("exploded") })
            .start()
            .join()
    });
    assert_eq!(
        finished.value(),
        None,
        "the job panicked: value() must be None"
    );
    let payload = finished
        .into_result()
        .expect_err("the job panicked: into_result() must be Err(payload)");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"exploded"),
        "the Err must carry the job's panic payload"
    );
}

#[test]
fn the_name_survives_every_state() {
    let unstarted = Thread::new("kept", || ());
    assert_eq!(unstarted.name(), "kept", "name() of an unstarted thread");
    let running = unstarted.start();
    assert_eq!(running.name(), "kept", "name() of a running thread");
    let finished = finishes_within(GENEROUS, "join", move || running.join());
    assert_eq!(finished.name(), "kept", "name() of a finished thread");
}

#[test]
fn start_really_starts_and_join_only_waits() {
    // Both jobs wait for each other: if start() only stored the job and join() ran it,
    // the first join would never return.
    let barrier = Arc::new(Barrier::new(2));
    let (a, b) = (Arc::clone(&barrier), Arc::clone(&barrier));
    let values = finishes_within(
        GENEROUS,
        "two threads that wait for each other (start() must spawn; join() must only wait)",
        move || {
            let first = Thread::new("a", move || a.wait().is_leader()).start();
            let second = Thread::new("b", move || b.wait().is_leader()).start();
            (
                first.join().into_result().is_ok(),
                second.join().into_result().is_ok(),
            )
        },
    );
    assert_eq!(values, (true, true), "both jobs must return normally");
}
