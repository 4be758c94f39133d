//! Exercise `first_success`: the first future to succeed wins, the rest are cancelled.

use ::as_completed::first_success::{AllFailed, first_success};
use ::as_completed::futures::{Future, Promise, TaskError};
use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// An outcome a test future has before `first_success` is called.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Value(u32),
    Failed(String),
    Cancelled,
}

fn finished(outcomes: &[Outcome]) -> Vec<Future<u32>> {
    outcomes
        .iter()
        .map(|outcome| {
            let (promise, future) = Promise::new();
            match outcome {
                Outcome::Value(v) => assert!(promise.set_result(*v)),
                Outcome::Failed(why) => assert!(promise.set_error(why.clone())),
                Outcome::Cancelled => assert!(future.cancel()),
            }
            future
        })
        .collect()
}

fn run(futures: Vec<Future<u32>>) -> Result<(usize, u32), AllFailed> {
    finishes_within(GENEROUS, "first_success", move || first_success(&futures))
}

#[test]
fn a_failure_does_not_win() {
    let got = run(finished(&[
        Outcome::Failed("mirror down".into()),
        Outcome::Value(2),
        Outcome::Value(3),
    ]));
    assert_eq!(
        got,
        Ok((1, 2)),
        "future 0 failed, 1 and 2 succeeded (done before the call, so in input order): 1 wins"
    );
}

#[test]
fn a_later_success_does_not_replace_the_winner() {
    let got = run(finished(&[Outcome::Value(10), Outcome::Value(20)]));
    assert_eq!(
        got,
        Ok((0, 10)),
        "both succeeded, 0 first: the winner is the first success; set it only while there \
         is none yet"
    );
}

#[test]
fn pending_losers_are_cancelled_and_never_deliver() {
    let (late, pending) = Promise::<u32>::new();
    let (winning, winner) = Promise::<u32>::new();
    assert!(winning.set_result(5));
    let futures = vec![pending.clone(), winner.clone()];
    let got = run(futures);
    assert_eq!(got, Ok((1, 5)), "future 1 succeeded and 0 never finished");
    assert!(
        pending.cancelled(),
        "the pending loser must be cancelled once there is a winner (call cancel() on every \
         other future, after releasing your lock)"
    );
    assert!(
        !winner.cancelled(),
        "never cancel the winner (it is done anyway, but it says what you meant)"
    );
    assert!(
        !late.set_result(6),
        "a cancelled future refuses a late result"
    );
}

#[test]
fn a_running_loser_keeps_running_and_is_ignored() {
    let (running_promise, running) = Promise::<u32>::new();
    assert!(running_promise.set_running());
    let (winning, winner) = Promise::<u32>::new();
    assert!(winning.set_result(7));
    let got = run(vec![running.clone(), winner]);
    assert_eq!(
        got,
        Ok((1, 7)),
        "the running future has no result yet: 1 wins"
    );
    assert!(
        running.running() && !running.cancelled(),
        "cancel() cannot stop a running task (as in Python); the loser keeps running"
    );
    assert!(
        running_promise.set_result(8),
        "a running task may still finish"
    );
}

#[test]
fn when_all_fail_every_error_is_reported_in_input_order() {
    let got = run(finished(&[
        Outcome::Failed("a".into()),
        Outcome::Cancelled,
        Outcome::Failed("b".into()),
    ]));
    assert_eq!(
        got,
        Err(AllFailed {
            errors: vec![
                TaskError::Failed("a".into()),
                TaskError::Cancelled,
                TaskError::Failed("b".into()),
            ]
        }),
        "no future succeeded: return AllFailed with each future's error, in input order"
    );
}

#[test]
fn no_futures_means_all_failed_with_no_errors() {
    assert_eq!(
        run(Vec::new()),
        Err(AllFailed { errors: vec![] }),
        "with no futures nobody can win: return AllFailed at once, do not wait"
    );
}

#[test]
fn a_success_after_a_failure_on_another_thread_wins() {
    let got = finishes_within(GENEROUS, "first_success", || {
        let (failing, a) = Promise::<u32>::new();
        let (succeeding, b) = Promise::<u32>::new();
        let (spare, c) = Promise::<u32>::new();
        let finisher = std::thread::spawn(move || {
            failing.set_error("timeout");
            succeeding.set_result(9);
        });
        let got = first_success(&[a, b, c.clone()]);
        finisher.join().unwrap();
        assert!(
            c.cancelled(),
            "future 2 never finished: it must be cancelled"
        );
        drop(spare);
        got
    });
    assert_eq!(
        got,
        Ok((1, 9)),
        "future 0 failed and then 1 succeeded on another thread: a failure wakes you, but \
         only a success ends the race"
    );
}

fn outcome_strategy() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        (0u32..100).prop_map(Outcome::Value),
        "[a-z]{1,3}".prop_map(Outcome::Failed),
        Just(Outcome::Cancelled),
    ]
}

proptest! {
    /// Futures all finished before the call: the first success in input order wins,
    /// otherwise every error comes back.
    #[test]
    fn the_first_success_in_input_order_wins(
        outcomes in proptest::collection::vec(outcome_strategy(), 0..6)
    ) {
        let expected = match outcomes.iter().position(|o| matches!(o, Outcome::Value(_))) {
            Some(i) => match outcomes[i] {
                Outcome::Value(v) => Ok((i, v)),
                _ => unreachable!(),
            },
            None => Err(AllFailed {
                errors: outcomes
                    .iter()
                    .map(|o| match o {
                        Outcome::Failed(why) => TaskError::Failed(why.clone()),
                        _ => TaskError::Cancelled,
                    })
                    .collect(),
            }),
        };
        prop_assert_eq!(run(finished(&outcomes)), expected, "outcomes {:?}", outcomes);
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::futures::{Promise, TaskError};
    use crate::thread;
    use crate::under_loom::first_success::first_success;

    support::loom_test! {
        /// Another thread fails one future, then makes the other succeed, while
        /// `first_success` registers and waits. The failure may wake it first; only the
        /// success may end the race.
        fn a_failure_then_a_success_still_returns_the_success() {
            let (failing, a) = Promise::<u32>::new();
            let (succeeding, b) = Promise::<u32>::new();
            let finisher = thread::spawn(move || {
                failing.set_error("mirror down");
                succeeding.set_result(20);
            });
            let got = first_success(&[a, b]);
            finisher.join().unwrap();
            assert_eq!(
                got,
                Ok((1, 20)),
                "future 0 failed and future 1 succeeded: the success must win in every \
                 interleaving (a failure is not a finish line)"
            );
        }
    }

    support::loom_test! {
        /// Future 0 succeeds on another thread, which then tries to deliver future 1's
        /// result, racing the cancellation. Future 0 wins, once; it is never cancelled; the
        /// loser ends either cancelled (its late result refused) or with its own result.
        fn the_winner_is_kept_and_the_loser_cancelled_exactly_once() {
            let (first, a) = Promise::<u32>::new();
            let (second, b) = Promise::<u32>::new();
            let finisher = thread::spawn(move || {
                first.set_result(10);
                second.set_result(20)
            });
            let futures = [a, b];
            let got = first_success(&futures);
            let loser_delivered = finisher.join().unwrap();
            assert_eq!(got, Ok((0, 10)), "future 0 succeeded first: it is the winner");
            assert!(!futures[0].cancelled(), "the winner was cancelled");
            assert!(
                futures[1].done(),
                "the loser is still pending after first_success returned: cancel the rest"
            );
            assert_eq!(
                futures[1].error() == Some(TaskError::Cancelled),
                !loser_delivered,
                "the loser must end either cancelled (its late result refused) or with its \
                 own result, never both"
            );
        }
    }
}
