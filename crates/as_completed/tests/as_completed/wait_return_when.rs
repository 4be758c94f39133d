//! Exercise `wait_return_when`: Python's `wait(fs, timeout, return_when)`.

use std::time::Duration;

use ::as_completed::futures::{Executor, Future, Promise};
use ::as_completed::wait_return_when::{DoneAndNotDone, ReturnWhen, wait};
use ReturnWhen::{AllCompleted, FirstCompleted, FirstException};
use Start::{Cancelled, Failed, Panicked, Pending, Value};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// How a test future stands when `wait` is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Value,
    Failed,
    /// Finished by a task that panicked (an executor turns the panic into an error).
    Panicked,
    Cancelled,
    /// Never finished while `wait` runs (the test keeps its promise).
    Pending,
}

/// Futures in the given states, plus the promises of the pending ones (keep them alive:
/// dropping a promise finishes its future as abandoned).
fn futures_in(states: &[Start]) -> (Vec<Promise<u8>>, Vec<Future<u8>>) {
    let mut kept = Vec::new();
    let futures = states
        .iter()
        .map(|state| {
            let (promise, future) = Promise::new();
            match state {
                Start::Value => assert!(promise.set_result(1)),
                Start::Failed => assert!(promise.set_error("boom")),
                Start::Panicked => return panicked(),
                Start::Cancelled => {
                    assert!(future.cancel());
                    kept.push(promise);
                }
                Start::Pending => kept.push(promise),
            }
            future
        })
        .collect();
    (kept, futures)
}

/// A future whose task panicked, finished before this returns.
fn panicked() -> Future<u8> {
    let executor = Executor::new(1);
    let future = executor.submit(|| -> Result<u8, String> {
        panic!("this task panics on purpose (the test plants it)")
    });
    // The executor's drop waits for its worker, so the future is finished.
    drop(executor);
    future
}

fn split(done: &[usize], not_done: &[usize]) -> DoneAndNotDone {
    DoneAndNotDone {
        done: done.to_vec(),
        not_done: not_done.to_vec(),
    }
}

/// Cases whose condition already holds when `wait` is called, so it returns at once
/// (no timeout given: a wrong "not yet" hangs and the hang guard reports it).
#[rstest]
#[case::first_completed_by_a_value(FirstCompleted, &[Pending, Value], &[1], &[0])]
#[case::first_completed_by_a_cancellation(FirstCompleted, &[Cancelled, Pending], &[0], &[1])]
#[case::first_completed_by_a_failure(FirstCompleted, &[Pending, Failed, Pending], &[1], &[0, 2])]
#[case::first_exception_stops_at_a_failure(
    FirstException,
    &[Value, Pending, Failed],
    &[0, 2],
    &[1]
)]
#[case::first_exception_stops_at_a_panic(FirstException, &[Pending, Panicked], &[1], &[0])]
#[case::first_exception_without_failures_waits_for_all(
    FirstException,
    &[Value, Cancelled, Value],
    &[0, 1, 2],
    &[]
)]
#[case::all_completed_counts_every_kind_of_finish(
    AllCompleted,
    &[Value, Failed, Cancelled],
    &[0, 1, 2],
    &[]
)]
#[case::no_futures(FirstCompleted, &[], &[], &[])]
#[case::no_futures_all_completed(AllCompleted, &[], &[], &[])]
fn wait_returns_done_and_not_done(
    #[case] return_when: ReturnWhen,
    #[case] states: &'static [Start],
    #[case] done: &[usize],
    #[case] not_done: &[usize],
) {
    let (promises, futures) = futures_in(states);
    let got = finishes_within(GENEROUS, "wait whose condition already holds", move || {
        wait(&futures, None, return_when)
    });
    assert_eq!(
        got,
        split(done, not_done),
        "wait(.., {return_when:?}) with futures {states:?}: `done` lists every finished \
         future (values, failures and cancellations), `not_done` the rest, both ascending"
    );
    drop(promises);
}

#[rstest]
#[case::first_completed(FirstCompleted, &[Pending, Pending])]
#[case::first_exception(FirstException, &[Value, Cancelled, Pending])]
#[case::all_completed(AllCompleted, &[Value, Pending, Failed])]
fn a_timeout_returns_what_is_done_so_far(
    #[case] return_when: ReturnWhen,
    #[case] states: &'static [Start],
) {
    let (promises, futures) = futures_in(states);
    // The pending futures never finish while `wait` runs, so the timeout is certain to
    // pass whatever its length.
    let got = finishes_within(GENEROUS, "wait with a timeout", move || {
        wait(&futures, Some(Duration::from_millis(20)), return_when)
    });
    let done: Vec<usize> = (0..states.len())
        .filter(|&i| states[i] != Pending)
        .collect();
    let not_done: Vec<usize> = (0..states.len())
        .filter(|&i| states[i] == Pending)
        .collect();
    assert_eq!(
        got,
        split(&done, &not_done),
        "{return_when:?} cannot be satisfied by {states:?}: after the timeout, return the \
         finished futures as done and the pending ones as not_done"
    );
    drop(promises);
}

#[test]
fn all_completed_waits_for_futures_finished_on_another_thread() {
    let got = finishes_within(GENEROUS, "wait(ALL_COMPLETED)", || {
        let (promises, futures): (Vec<Promise<u8>>, Vec<Future<u8>>) =
            (0..3).map(|_| Promise::new()).unzip();
        let finisher = std::thread::spawn(move || {
            for promise in promises.into_iter().rev() {
                promise.set_result(1);
            }
        });
        let got = wait(&futures, None, AllCompleted);
        finisher.join().unwrap();
        got
    });
    assert_eq!(
        got,
        split(&[0, 1, 2], &[]),
        "ALL_COMPLETED returns only when every future is done: keep waiting after the first \
         wake-up (`while`, not `if`)"
    );
}

#[test]
fn first_completed_returns_when_another_thread_finishes_one() {
    let got = finishes_within(GENEROUS, "wait(FIRST_COMPLETED)", || {
        let (first, a) = Promise::<u8>::new();
        let (second, b) = Promise::<u8>::new();
        let finisher = std::thread::spawn(move || first.set_result(1));
        let got = wait(&[a, b], None, FirstCompleted);
        finisher.join().unwrap();
        drop(second);
        got
    });
    assert_eq!(
        got,
        split(&[0], &[1]),
        "future 0 was finished by another thread and 1 never was: FIRST_COMPLETED must \
         wake for 0 and report 1 as not done"
    );
}

#[test]
fn first_exception_is_not_triggered_by_a_cancellation() {
    let got = finishes_within(GENEROUS, "wait(FIRST_EXCEPTION)", || {
        let (_cancelled_promise, cancelled) = Promise::<u8>::new();
        assert!(cancelled.cancel());
        let (later, value) = Promise::<u8>::new();
        let finisher = std::thread::spawn(move || later.set_result(1));
        let got = wait(&[cancelled, value], None, FirstException);
        finisher.join().unwrap();
        got
    });
    assert_eq!(
        got,
        split(&[0, 1], &[]),
        "a cancelled future is not an exception: with no failure, FIRST_EXCEPTION waits \
         for all (check `error()` is something other than TaskError::Cancelled)"
    );
}

/// On the clock the test drives (`support::clock`), so "at 3 s" and "until 5 s" are exact.
#[test]
fn the_timeout_counts_from_the_call_not_from_each_finish() {
    use support::clock::{Step, TestClock};
    let secs = Duration::from_secs;
    let (promises, futures) = futures_in(&[Pending, Pending]);
    let clock = TestClock::new();
    let run = clock.run(move || wait(&futures, Some(secs(5)), AllCompleted));
    let what = "wait(two pending futures, timeout = 5 s, ALL_COMPLETED)";
    assert_eq!(
        run.next(what),
        Step::WaitsUntil(secs(5)),
        "{what}: wait for the futures at most until the timeout, 5 s after the call"
    );
    clock.advance_to(secs(3));
    // Future 1's promise stays alive (in `promises`) until the end: it never finishes.
    let mut promises = promises.into_iter();
    let first = promises.next().unwrap();
    let step = run.next_after(what, || assert!(first.set_result(1)));
    assert_eq!(
        step,
        Step::WaitsUntil(secs(5)),
        "{what}: future 0 finished at 3 s and future 1 is still pending, so wait on, but \
         only until 5 s after the call; {step:?} starts the timeout again after a finish"
    );
    clock.advance_to(secs(5));
    assert_eq!(
        run.join(what),
        split(&[0], &[1]),
        "at the timeout (5 s) only future 0 had finished"
    );
    drop(promises);
}

fn start_strategy() -> impl Strategy<Value = Start> {
    prop_oneof![Just(Value), Just(Failed), Just(Cancelled), Just(Pending)]
}

fn return_when_strategy() -> impl Strategy<Value = ReturnWhen> {
    prop_oneof![
        Just(FirstCompleted),
        Just(FirstException),
        Just(AllCompleted)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the states and the mode, `done` and `not_done` split the futures by whether
    /// they are finished. When the mode cannot be satisfied (it would wait for a pending
    /// future that never finishes) a short timeout ends the wait.
    #[test]
    fn done_and_not_done_always_split_the_futures(
        states in proptest::collection::vec(start_strategy(), 0..6),
        return_when in return_when_strategy(),
    ) {
        let finished = states.iter().filter(|&&s| s != Pending).count();
        let failed = states.contains(&Failed);
        let satisfied = finished == states.len()
            || match return_when {
                FirstCompleted => finished > 0,
                FirstException => failed,
                AllCompleted => false,
            };
        let timeout = (!satisfied).then(|| Duration::from_millis(1));
        let (promises, futures) = futures_in(&states);
        let got = finishes_within(GENEROUS, "wait", move || wait(&futures, timeout, return_when));
        let done: Vec<usize> = (0..states.len()).filter(|&i| states[i] != Pending).collect();
        let not_done: Vec<usize> = (0..states.len()).filter(|&i| states[i] == Pending).collect();
        prop_assert_eq!(got, split(&done, &not_done), "states {:?}, {:?}", states, return_when);
        drop(promises);
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::futures::Promise;
    use crate::thread;
    use crate::under_loom::wait_return_when::{DoneAndNotDone, ReturnWhen, wait};

    support::loom_test! {
        /// One future finishes on another thread while `wait` registers and sleeps; the
        /// other never does. FIRST_COMPLETED must return exactly then: not before (nothing
        /// done yet), and not never (a missed wake-up).
        fn first_completed_wakes_exactly_when_one_finishes() {
            let (first, a) = Promise::<u8>::new();
            let (second, b) = Promise::<u8>::new();
            let finisher = thread::spawn(move || {
                first.set_result(1);
            });
            let got = wait(&[a, b], None, ReturnWhen::FirstCompleted);
            finisher.join().unwrap();
            drop(second);
            assert_eq!(
                got,
                DoneAndNotDone { done: vec![0], not_done: vec![1] },
                "FIRST_COMPLETED returned before any future finished, or reported the wrong \
                 ones: wait in a loop until the callbacks have counted a finish"
            );
        }
    }

    support::loom_test! {
        /// Another thread finishes both futures, one after the other, while `wait`
        /// registers and sleeps. ALL_COMPLETED must not return after the first wake-up.
        fn all_completed_waits_for_every_future() {
            let (first, a) = Promise::<u8>::new();
            let (second, b) = Promise::<u8>::new();
            let finisher = thread::spawn(move || {
                first.set_result(1);
                second.set_result(2);
            });
            let got = wait(&[a, b], None, ReturnWhen::AllCompleted);
            finisher.join().unwrap();
            assert_eq!(
                got,
                DoneAndNotDone { done: vec![0, 1], not_done: vec![] },
                "ALL_COMPLETED returned with a future still running: one wake-up is not \
                 enough, re-check the count after every one (`while`, not `if`)"
            );
        }
    }

    support::loom_test! {
        /// A cancelled future and one finishing with a value on another thread. No failure,
        /// so FIRST_EXCEPTION must wait for both.
        fn first_exception_ignores_a_cancellation() {
            let (kept, cancelled) = Promise::<u8>::new();
            assert!(cancelled.cancel());
            let (later, value) = Promise::<u8>::new();
            let finisher = thread::spawn(move || {
                later.set_result(1);
            });
            let got = wait(&[cancelled, value], None, ReturnWhen::FirstException);
            finisher.join().unwrap();
            drop(kept);
            assert_eq!(
                got,
                DoneAndNotDone { done: vec![0, 1], not_done: vec![] },
                "FIRST_EXCEPTION returned early: a cancellation is not an exception"
            );
        }
    }
}
