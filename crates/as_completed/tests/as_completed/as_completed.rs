//! Exercise `as_completed`: futures in finishing order, woken by callbacks, with a timeout.

use std::time::Duration;

use ::as_completed::as_completed::{Timeout, as_completed};
use ::as_completed::futures::{Future, Promise, TaskError};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// `n` pending futures and the promises that finish them.
fn pending(n: usize) -> (Vec<Option<Promise<usize>>>, Vec<Future<usize>>) {
    (0..n)
        .map(|_| {
            let (promise, future) = Promise::new();
            (Some(promise), future)
        })
        .unzip()
}

/// Runs a test body under the hang guard: a `next()` that waits when it should not fails
/// the test with a message instead of freezing `cargo test`.
fn guarded<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    finishes_within(GENEROUS, "as_completed and next()", body)
}

/// Finishes future `i` with the value `i`.
fn finish(promises: &mut [Option<Promise<usize>>], i: usize) {
    let promise = promises[i].take().expect("each future is finished once");
    assert!(promise.set_result(i), "the test finished future {i} twice");
}

#[rstest]
#[case::in_order(&[0, 1, 2])]
#[case::reversed(&[2, 1, 0])]
#[case::middle_first(&[1, 2, 0])]
fn futures_are_yielded_in_the_order_they_finish(#[case] finish_order: &[usize]) {
    let to_finish = finish_order.to_vec();
    let order: Vec<usize> = guarded(move || {
        let (mut promises, futures) = pending(to_finish.len());
        let finished = as_completed(futures, None);
        for i in to_finish {
            finish(&mut promises, i);
        }
        finished.map(|item| item.unwrap().0).collect()
    });
    assert_eq!(
        order, finish_order,
        "futures finished in the order {finish_order:?} but as_completed yielded {order:?}: \
         yield them as they finish (a queue filled by done-callbacks), not in the order they \
         were given"
    );
}

#[test]
fn futures_already_finished_come_first_in_input_order() {
    let order: Vec<usize> = guarded(|| {
        let (mut promises, futures) = pending(3);
        finish(&mut promises, 2);
        finish(&mut promises, 0);
        let finished = as_completed(futures, None);
        finish(&mut promises, 1);
        finished.map(|item| item.unwrap().0).collect()
    });
    assert_eq!(
        order,
        [0, 2, 1],
        "futures 0 and 2 were done before the call, 1 after: expected [0, 2, 1] (Python yields \
         the already finished ones first, in input order)"
    );
}

#[test]
fn each_yielded_future_is_the_one_at_its_index() {
    guarded(|| {
        let (mut promises, futures) = pending(3);
        let mut finished = as_completed(futures, None);
        for i in [1, 0, 2] {
            finish(&mut promises, i);
            support::hang_guard::awaiting(format!("next() to yield future {i}, already finished"));
            let (index, future) = finished.next().expect("a future finished").unwrap();
            assert_eq!(
                (index, future.result()),
                (i, Ok(i)),
                "future {i} finished with value {i}: yield `(its index, that same future)`"
            );
        }
        support::hang_guard::awaiting("next() to return None once all 3 futures were yielded");
        assert!(
            finished.next().is_none(),
            "all 3 futures were yielded: the iterator must end (return None)"
        );
    });
}

#[test]
fn failed_and_cancelled_futures_are_yielded_too() {
    let got: Vec<(usize, Option<TaskError>)> = guarded(|| {
        let (failing, failed) = Promise::<u8>::new();
        let (_kept, cancelled) = Promise::<u8>::new();
        let finished = as_completed(vec![failed, cancelled.clone()], None);
        assert!(cancelled.cancel(), "a pending future can be cancelled");
        failing.set_error("404");
        finished
            .map(|item| {
                let (index, future) = item.unwrap();
                (index, future.error())
            })
            .collect()
    });
    assert_eq!(
        got,
        [
            (1, Some(TaskError::Cancelled)),
            (0, Some(TaskError::Failed("404".into())))
        ],
        "a cancelled or failed future is finished too: yield it when it finishes"
    );
}

#[test]
fn no_futures_means_nothing_to_yield() {
    let first = guarded(|| as_completed(Vec::<Future<u8>>::new(), None).next());
    assert!(
        first.is_none(),
        "as_completed of no futures must end at once, without waiting"
    );
}

#[test]
fn a_future_finished_on_another_thread_wakes_the_iterator() {
    let order = guarded(|| {
        let (mut promises, futures) = pending(3);
        let finished = as_completed(futures, None);
        let finisher = std::thread::spawn(move || {
            for i in [2, 0, 1] {
                finish(&mut promises, i);
            }
        });
        let order: Vec<usize> = finished.map(|item| item.unwrap().0).collect();
        finisher.join().unwrap();
        order
    });
    assert_eq!(
        order,
        [2, 0, 1],
        "one thread finished futures 2, 0, 1, in that order, while next() waited"
    );
}

#[test]
fn a_timeout_names_the_unfinished_futures_and_ends_the_iteration() {
    let (mut promises, futures) = pending(3);
    finish(&mut promises, 0);
    finish(&mut promises, 2);
    // Future 1 is never finished while the iterator runs, so the timeout is certain to pass
    // whatever its length: it only has to be short enough not to slow the test down.
    let items: Vec<Result<usize, Timeout>> = guarded(|| {
        as_completed(futures, Some(Duration::from_millis(20)))
            .map(|item| item.map(|(index, _)| index))
            .collect()
    });
    let expected = Timeout {
        pending: vec![1],
        total: 3,
    };
    assert_eq!(
        items,
        [Ok(0), Ok(2), Err(expected.clone())],
        "futures 0 and 2 are done and 1 never finishes: yield 0 and 2, then one \
         Err(Timeout) listing [1], then end"
    );
    assert_eq!(
        expected.to_string(),
        "1 (of 3) futures unfinished: [1]",
        "the timeout message reads like Python's"
    );
    drop(promises);
}

/// On the clock the test drives (`support::clock`), so "3 s later" and "until 5 s" are exact.
#[test]
fn the_timeout_counts_from_the_call_not_from_the_first_next() {
    use support::clock::{Step, TestClock};
    // The std facade's channel: its timed wait follows the test clock.
    use support::facade::std_flavour::sync::mpsc;
    let secs = Duration::from_secs;
    let (promises, futures) = pending(1);
    let (go_on, hold) = mpsc::channel::<()>();
    let clock = TestClock::new();
    let run = clock.run(move || {
        let mut finished = as_completed(futures, Some(secs(5)));
        // The caller does something else for a while before it reads the iterator.
        let _ = hold.recv_timeout(secs(3_600));
        finished.next().map(|item| item.map(|(index, _)| index))
    });
    let what = "as_completed(one future that never finishes, timeout = 5 s), read 3 s later";
    assert_eq!(
        run.next(what),
        Step::WaitsUntil(secs(3_600)),
        "the test holds the caller"
    );
    clock.advance_to(secs(3));
    let step = run.next_after(what, || go_on.send(()).unwrap());
    assert_eq!(
        step,
        Step::WaitsUntil(secs(5)),
        "{what}: the first next() at 3 s may wait only until 5 s, 5 s after the call; \
         {step:?} starts the clock at the first next() (as CPython's generator does), not at \
         the call"
    );
    clock.advance_to(secs(5));
    assert_eq!(
        run.join(what),
        Some(Err(Timeout {
            pending: vec![0],
            total: 1
        })),
        "at 5 s the future is still unfinished: next() yields Err(Timeout)"
    );
    drop(promises);
}

#[test]
fn a_zero_timeout_still_yields_what_is_already_done() {
    let items: Vec<Result<usize, Timeout>> = guarded(|| {
        let (mut promises, futures) = pending(2);
        finish(&mut promises, 1);
        finish(&mut promises, 0);
        as_completed(futures, Some(Duration::ZERO))
            .map(|item| item.map(|(index, _)| index))
            .collect()
    });
    assert_eq!(
        items,
        [Ok(0), Ok(1)],
        "with every future done, even a zero timeout must not fire: look at the queue \
         before looking at the clock"
    );
}

proptest! {
    /// Any futures done before the call (in input order), then the rest in finishing order:
    /// each exactly once.
    #[test]
    fn every_future_is_yielded_once_in_finishing_order(
        (done_before, finish_order) in (0usize..8).prop_flat_map(|n| (
            proptest::collection::vec(any::<bool>(), n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        ))
    ) {
        let n = done_before.len();
        let (mut promises, futures) = pending(n);
        let mut expected: Vec<usize> = (0..n).filter(|&i| done_before[i]).collect();
        for &i in &expected {
            finish(&mut promises, i);
        }
        let finished = as_completed(futures, None);
        for &i in finish_order.iter().filter(|&&i| !done_before[i]) {
            finish(&mut promises, i);
            expected.push(i);
        }
        let order: Vec<usize> = guarded(|| finished.map(|item| item.unwrap().0).collect());
        prop_assert_eq!(
            &order, &expected,
            "done before the call: {:?}; then finished in the order {:?}", done_before, finish_order
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::futures::Promise;
    use crate::thread;
    use crate::under_loom::as_completed::as_completed;

    support::loom_test! {
        /// The finishing thread starts first, so the finish can land before, during or
        /// after the callback is registered, and before or after `next()` starts waiting.
        /// Checking the queue, unlocking, then waiting misses it in one of them.
        fn a_future_finishing_while_the_iterator_registers_is_never_missed() {
            let (promise, future) = Promise::new();
            let finisher = thread::spawn(move || {
                promise.set_result(7);
            });
            let yielded: Vec<(usize, Result<i32, _>)> = as_completed(vec![future], None)
                .map(|item| {
                    let (index, future) = item.expect("no timeout was given");
                    (index, future.result())
                })
                .collect();
            finisher.join().unwrap();
            assert_eq!(
                yielded,
                [(0, Ok(7))],
                "the one future finished with 7: it must be yielded once, with index 0"
            );
        }
    }

    support::loom_test! {
        /// Another thread finishes two futures, second one first, while the iterator
        /// registers and waits: both are yielded once each, and any future finished after
        /// `as_completed` registered comes in finishing order.
        fn two_futures_finished_by_another_thread_are_each_yielded_once() {
            let (first, a) = Promise::new();
            let (second, b) = Promise::new();
            let finisher = thread::spawn(move || {
                second.set_result(1);
                first.set_result(0);
            });
            let yielded: Vec<usize> = as_completed(vec![a, b], None)
                .map(|item| item.expect("no timeout was given").0)
                .collect();
            finisher.join().unwrap();
            // Future 1 finishes first, so [1, 0]; or [0, 1] when both were already done as
            // the callbacks were registered (already-done futures come in input order).
            assert!(
                yielded == [1, 0] || yielded == [0, 1],
                "two futures finished: each must be yielded exactly once, got {yielded:?}"
            );
        }
    }
}
