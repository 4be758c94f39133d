//! Exercise `join_timeout`: Python's `join(timeout)` and `is_alive()` on a completion signal.
//!
//! Threads that must still be running are blocked on a channel that only the test can
//! release, so "still running after the timeout" is certain and the timeout's value does
//! not matter. Threads that must be finished are waited for first.

use std::sync::mpsc;
use std::time::Duration;

use join::join_timeout::{TimedThread, join_all_timeout, spawn_timed};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Far longer than the hang guard: a join that waits for the whole hour is a bug.
const HOUR: Duration = Duration::from_secs(3600);
/// Short, and irrelevant to the verdict: the threads it is used on cannot finish.
const SHORT: Duration = Duration::from_millis(20);

/// A thread that returns `value` once the returned sender says so (or is dropped).
fn blocked_thread(value: u32) -> (mpsc::Sender<()>, TimedThread<u32>) {
    let (release, wait) = mpsc::channel::<()>();
    let thread = spawn_timed(move || {
        let _ = wait.recv();
        value
    });
    (release, thread)
}

/// Waits (within the hang guard) until `thread` has finished, and gives it back.
fn finished(thread: TimedThread<u32>, what: &'static str) -> TimedThread<u32> {
    finishes_within(GENEROUS, what, move || {
        let done = thread.join_timeout(HOUR);
        (done, thread)
    })
    .1
}

fn join_value(thread: TimedThread<u32>) -> u32 {
    finishes_within(GENEROUS, "join on a finished thread", move || thread.join())
        .expect("the job did not panic, so join must give its value")
}

#[test]
fn a_blocked_thread_is_alive_and_join_timeout_gives_up() {
    let (release, thread) = blocked_thread(5);
    assert!(
        thread.is_alive(),
        "the job is blocked until the test releases it: is_alive must be true"
    );
    let (done, thread) = finishes_within(
        GENEROUS,
        "join_timeout(20 ms) on a thread that cannot finish (it must give up, not wait)",
        move || (thread.join_timeout(SHORT), thread),
    );
    assert!(
        !done,
        "the thread cannot finish before the test releases it: join_timeout must return false"
    );
    assert!(
        thread.is_alive(),
        "after a timed-out join the thread is still alive"
    );
    release.send(()).unwrap();
    assert_eq!(join_value(thread), 5, "released, the job returns 5");
}

#[test]
fn join_timeout_returns_as_soon_as_the_thread_finishes() {
    let (release, thread) = blocked_thread(8);
    release.send(()).unwrap();
    let (done, thread) = finishes_within(
        GENEROUS,
        "join_timeout(1 hour) on a thread that finishes (wake up on the completion signal, \
         do not sleep for the timeout)",
        move || (thread.join_timeout(HOUR), thread),
    );
    assert!(done, "the thread finished: join_timeout must return true");
    assert!(!thread.is_alive(), "a finished thread is not alive");
    assert_eq!(join_value(thread), 8, "the job returned 8");
}

#[test]
fn a_finished_thread_is_reported_even_with_a_zero_timeout() {
    let thread = finished(
        spawn_timed(|| 1),
        "join_timeout(1 hour) on a thread that returns",
    );
    assert!(
        thread.join_timeout(Duration::ZERO),
        "the thread has already finished: join_timeout(0) must say so without waiting"
    );
    assert!(!thread.is_alive(), "a finished thread is not alive");
}

#[test]
fn a_thread_whose_job_panicked_is_not_alive() {
    let thread: TimedThread<u32> = spawn_timed(|| panic!("worker crashed"));
    let thread = finished(
        thread,
        "join_timeout(1 hour) on a thread whose job panicked: the completion signal must \
         also be given when the job panics (a Drop guard runs during unwinding)",
    );
    assert!(
        !thread.is_alive(),
        "a thread whose job panicked is not alive"
    );
    let outcome = finishes_within(GENEROUS, "join", move || {
        thread
            .join()
            .map_err(|p| p.downcast_ref::<&str>().map(|s| s.to_string()))
    });
    assert_eq!(
        outcome,
        Err(Some("worker crashed".to_string())),
        "join must give the job's panic"
    );
}

/// `plan[i]` is `'F'` (finished before the call) or `'B'` (blocked until after it). The
/// blocked ones must be reported still running, the finished ones finished, with values.
#[rstest]
#[case::finished_blocked_finished("FBF")]
#[case::all_blocked("BBB")]
#[case::all_finished("FF")]
#[case::blocked_first_then_finished("BFF")]
#[case::nothing("")]
fn join_all_timeout_reports_who_finished_and_who_is_still_running(#[case] plan: &str) {
    let mut releases = Vec::new();
    let mut threads = Vec::new();
    for (i, kind) in plan.chars().enumerate() {
        let value = i as u32 * 10;
        if kind == 'B' {
            let (release, thread) = blocked_thread(value);
            releases.push(release);
            threads.push(thread);
        } else {
            let thread = spawn_timed(move || value);
            threads.push(finished(
                thread,
                "join_timeout(1 hour) on a thread that returns",
            ));
        }
    }
    let report = finishes_within(
        GENEROUS,
        "join_all_timeout(20 ms) (never join a thread that has not finished)",
        move || join_all_timeout(threads, SHORT),
    );

    let finished: Vec<(usize, u32)> = report
        .finished
        .into_iter()
        .map(|(i, r)| (i, r.expect("no job panicked")))
        .collect();
    let expected_finished: Vec<(usize, u32)> = plan
        .char_indices()
        .filter(|&(_, k)| k == 'F')
        .map(|(i, _)| (i, i as u32 * 10))
        .collect();
    assert_eq!(
        finished, expected_finished,
        "plan {plan:?}: every thread that had finished must be in `finished`, with its index \
         and value, even when the budget was used up by a blocked thread before it"
    );
    let still_running: Vec<usize> = report.still_running.iter().map(|(i, _)| *i).collect();
    let expected_running: Vec<usize> = plan
        .char_indices()
        .filter(|&(_, k)| k == 'B')
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        still_running, expected_running,
        "plan {plan:?}: the blocked threads must be handed back in `still_running`"
    );
    for (_, thread) in &report.still_running {
        assert!(
            thread.is_alive(),
            "a thread handed back as still running is alive"
        );
    }
    drop(releases);
    for (i, thread) in report.still_running {
        assert_eq!(
            join_value(thread),
            i as u32 * 10,
            "released, thread {i} returns its value"
        );
    }
}

/// On a clock the test drives (`support::clock`): time stands still until the test moves
/// it, and the test sees every timed wait and until when, so a budget, a deadline and a
/// wake-up are checked exactly, without sleeping.
mod on_a_test_clock {
    use std::time::Duration;

    use join::join_timeout::join_all_timeout;
    use support::clock::{Step, TestClock};

    use super::{blocked_thread, join_value};

    const fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn join_timeout_keeps_its_deadline_through_a_spurious_wake_up() {
        let (release, thread) = blocked_thread(3);
        let (done, thread) = support::clock::through_a_spurious_wake_up(
            "join_timeout(5 s) on a thread that cannot finish",
            secs(5),
            secs(2),
            move || (thread.join_timeout(secs(5)), thread),
        );
        assert!(
            !done,
            "the thread cannot finish before the test releases it: join_timeout must return \
             false"
        );
        release.send(()).unwrap();
        assert_eq!(join_value(thread), 3, "released, the job returns 3");
    }

    #[test]
    fn join_all_timeout_gives_later_threads_only_what_is_left_of_the_budget() {
        let clock = TestClock::new();
        let (first_release, first) = blocked_thread(0);
        let (second_release, second) = blocked_thread(10);
        let (third_release, third) = blocked_thread(20);
        let run = clock.run(move || join_all_timeout(vec![first, second, third], secs(6)));
        let what = "join_all_timeout(6 s) on three threads";
        assert_eq!(
            run.next(what),
            Step::WaitsUntil(secs(6)),
            "{what}: the first thread may use the whole budget, until 6 s"
        );
        clock.advance_to(secs(2));
        let step = run.next_after(what, || first_release.send(()).unwrap());
        assert_eq!(
            step,
            Step::WaitsUntil(secs(6)),
            "{what}: the first thread finished at 2 s, so the second may wait only for what is \
             left of the one budget (until 6 s); {step:?} gives it a budget of its own"
        );
        clock.advance_to(secs(6));
        let step = run.next(what);
        assert_eq!(
            step,
            Step::Returned,
            "{what}: the budget was spent at 6 s, so the third thread is only checked, not \
             waited for; {step:?} gives it time the budget does not have"
        );
        let report = run.join(what);
        let finished: Vec<usize> = report.finished.iter().map(|(i, _)| *i).collect();
        let running: Vec<usize> = report.still_running.iter().map(|(i, _)| *i).collect();
        assert_eq!(
            (finished, running),
            (vec![0], vec![1, 2]),
            "thread 0 finished at 2 s; threads 1 and 2 were still running at 6 s"
        );
        drop((second_release, third_release));
        for (i, thread) in report.still_running {
            assert_eq!(
                join_value(thread),
                i as u32 * 10,
                "released, thread {i} returns"
            );
        }
    }
}

/// Models: the completion signal itself, in every interleaving. loom has no clock: its
/// `wait_timeout` never times out, so a missed wake-up shows up as a deadlock.
mod models {
    use std::time::Duration;

    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicBool, Ordering};
    use crate::thread;
    use crate::under_loom::join_timeout::spawn_timed;

    const HOUR: Duration = Duration::from_secs(3600);

    support::loom_test! {
        /// The thread may finish before, during or after the joiner checks the flag. In
        /// every case join_timeout must see the finish (a lost wake-up deadlocks here).
        fn join_timeout_sees_a_finish_that_races_with_the_check() {
            let thread = spawn_timed(|| 7);
            assert!(
                thread.join_timeout(HOUR),
                "the thread finished, but join_timeout(1 hour) returned false"
            );
            assert!(!thread.is_alive(), "after join_timeout returned true, is_alive must be false");
            assert_eq!(thread.join().unwrap(), 7, "the job returned 7");
        }
    }

    support::loom_test! {
        /// is_alive may only turn false once the job has really run.
        fn is_alive_turns_false_only_after_the_job_has_run() {
            let ran = Arc::new(AtomicBool::new(false));
            let job_ran = Arc::clone(&ran);
            // SeqCst: the model checks the signal's ordering, not this flag's.
            let thread = spawn_timed(move || job_ran.store(true, Ordering::SeqCst));
            if !thread.is_alive() {
                assert!(
                    ran.load(Ordering::SeqCst),
                    "is_alive said false before the job ran: give the signal after the job"
                );
            }
            thread.join().unwrap();
        }
    }

    support::loom_test! {
        /// Two threads wait in join_timeout for the same thread. Its finish is the one
        /// event both wait for, so it must wake them both: waking one waiter only
        /// (`notify_one`) leaves the other asleep (loom's wait_timeout never times out):
        /// DEADLOCK.
        fn one_finish_wakes_every_thread_in_join_timeout() {
            let timed = Arc::new(spawn_timed(|| 7));
            let shared = Arc::clone(&timed);
            let second = thread::spawn(move || shared.join_timeout(HOUR));
            let first = timed.join_timeout(HOUR);
            let second = second.join().unwrap();
            assert!(
                first && second,
                "the thread finished, but join_timeout(1 hour) returned {first} in one waiter \
                 and {second} in the other"
            );
        }
    }
}
