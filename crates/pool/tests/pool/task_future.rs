//! Exercise `task_future`: the state machine behind `submit`'s return value.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use pool::task_future::{TaskError, TaskFuture, task_future};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// A finished future, for the tests that start from one.
fn finished_with(value: u32) -> TaskFuture<u32> {
    let (future, completer) = task_future();
    assert!(
        completer.set_running_or_notify_cancel(),
        "a fresh future must let its task start"
    );
    completer.set_result(value);
    future
}

#[test]
fn a_new_future_is_pending() {
    let (future, _completer) = task_future::<u32>();
    assert!(
        !future.done(),
        "a future whose task has not run must not be done()"
    );
    assert!(
        !future.running(),
        "nobody called set_running_or_notify_cancel: not running()"
    );
    assert!(!future.cancelled(), "nobody cancelled it: not cancelled()");
}

#[test]
fn starting_the_task_makes_the_future_running() {
    let (future, completer) = task_future::<u32>();
    assert!(
        completer.set_running_or_notify_cancel(),
        "set_running_or_notify_cancel on a pending future must return true (the task may run)"
    );
    assert!(
        future.running(),
        "after set_running_or_notify_cancel the future is running()"
    );
    assert!(!future.done(), "a running future is not done() yet");
}

#[test]
fn result_returns_the_value_set_on_another_thread() {
    let (future, completer) = task_future();
    let value = finishes_within(GENEROUS, "result() while a thread sets 42", move || {
        let worker = std::thread::spawn(move || {
            completer.set_running_or_notify_cancel();
            completer.set_result(42);
        });
        let value = future.result();
        worker.join().unwrap();
        (value, future.done(), future.running())
    });
    assert_eq!(
        value.0,
        Ok(42),
        "result() must return the value passed to set_result"
    );
    assert!(value.1, "a future with a result is done()");
    assert!(!value.2, "a finished future is no longer running()");
}

#[rstest]
#[case::one_waiter(1)]
#[case::three_waiters(3)]
fn every_waiting_clone_gets_the_value(#[case] waiters: usize) {
    let (future, completer) = task_future();
    let values = finishes_within(GENEROUS, "several threads waiting in result()", move || {
        let handles: Vec<_> = (0..waiters)
            .map(|_| {
                let future = future.clone();
                std::thread::spawn(move || future.result())
            })
            .collect();
        completer.set_result(String::from("shared"));
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert_eq!(
        values,
        vec![Ok(String::from("shared")); waiters],
        "every thread blocked in result() must wake up with the value: notify_all, not \
         notify_one, when the future finishes"
    );
}

#[test]
fn a_panic_comes_back_as_an_error() {
    let (future, completer) = task_future::<u32>();
    completer.set_running_or_notify_cancel();
    completer.set_panic("disk on fire".into());
    let expected = TaskError::Panicked("disk on fire".into());
    assert_eq!(
        future.result(),
        Err(expected.clone()),
        "result() of a panicked task is Err(Panicked(message))"
    );
    assert_eq!(
        future.exception(),
        Some(expected),
        "exception() returns the panic, like Python's future.exception()"
    );
    assert!(
        future.done() && !future.cancelled(),
        "a panicked task is done, not cancelled"
    );
}

#[test]
fn exception_is_none_when_the_task_returned() {
    assert_eq!(
        finished_with(7).exception(),
        None,
        "exception() of a task that returned a value must be None"
    );
}

#[test]
fn cancel_while_pending_wins_and_the_task_never_starts() {
    let (future, completer) = task_future::<u32>();
    assert!(
        future.cancel(),
        "cancel() of a pending future must succeed (return true)"
    );
    assert!(
        future.cancelled() && future.done(),
        "a cancelled future is cancelled() and done()"
    );
    assert!(
        !completer.set_running_or_notify_cancel(),
        "after a successful cancel(), set_running_or_notify_cancel must return false so the \
         worker skips the task"
    );
    assert_eq!(
        future.result(),
        Err(TaskError::Cancelled),
        "result() of a cancelled future"
    );
    assert_eq!(
        future.exception(),
        Some(TaskError::Cancelled),
        "exception() when cancelled"
    );
}

#[test]
fn cancelling_twice_still_reports_cancelled() {
    let (future, _completer) = task_future::<u32>();
    assert!(
        future.cancel(),
        "the first cancel() of a pending future succeeds"
    );
    assert!(
        future.cancel(),
        "cancel() of an already cancelled future returns true (Python)"
    );
}

#[rstest]
#[case::running(false)]
#[case::finished(true)]
fn cancel_is_refused_once_the_task_started(#[case] finish: bool) {
    let (future, completer) = task_future::<u32>();
    assert!(
        completer.set_running_or_notify_cancel(),
        "a fresh future lets its task start"
    );
    if finish {
        completer.set_result(1);
    } else {
        std::mem::forget(completer);
    }
    assert!(
        !future.cancel(),
        "cancel() must return false once the task started: it is too late to stop it"
    );
    assert!(
        !future.cancelled(),
        "a refused cancel() must not mark the future cancelled"
    );
}

#[test]
fn a_result_set_after_cancel_is_ignored() {
    let (future, completer) = task_future();
    assert!(future.cancel(), "cancel() of a pending future succeeds");
    completer.set_result(5);
    assert_eq!(
        future.result(),
        Err(TaskError::Cancelled),
        "a cancelled future stays cancelled: set_result afterwards must change nothing"
    );
}

#[test]
#[should_panic(expected = "already started")]
fn starting_a_task_twice_is_a_bug_that_panics() {
    let (_future, completer) = task_future::<u32>();
    completer.set_running_or_notify_cancel();
    // Python raises RuntimeError here; ours panics with "... already started".
    completer.set_running_or_notify_cancel();
}

#[test]
fn result_timeout_gives_up_on_a_task_that_never_finishes() {
    let (future, completer) = task_future::<u32>();
    completer.set_running_or_notify_cancel();
    // Nobody will ever finish this task, so "not done in time" is certain.
    let outcome = finishes_within(GENEROUS, "result_timeout(10 ms)", move || {
        future.result_timeout(Duration::from_millis(10))
    });
    assert_eq!(
        outcome, None,
        "result_timeout must return None when the task is not done"
    );
    drop(completer);
}

/// On the clock the test drives (`support::clock`): the timeout is checked exactly, and no
/// test waits for it.
#[test]
fn result_timeout_keeps_one_deadline_through_a_spurious_wake_up() {
    let secs = Duration::from_secs;
    let (future, completer) = task_future::<u32>();
    completer.set_running_or_notify_cancel();
    let outcome = support::clock::through_a_spurious_wake_up(
        "result_timeout(5 s) on a task nobody finishes",
        secs(5),
        secs(3),
        move || future.result_timeout(secs(5)),
    );
    assert_eq!(
        outcome, None,
        "the task is not done: result_timeout must return None"
    );
    drop(completer);
}

#[test]
fn result_timeout_returns_a_value_that_is_already_there() {
    assert_eq!(
        finished_with(9).result_timeout(Duration::ZERO),
        Some(Ok(9)),
        "result_timeout on a finished future returns its value, even with a zero timeout"
    );
}

#[test]
fn result_timeout_wakes_up_when_the_task_finishes() {
    let (future, completer) = task_future();
    let outcome = finishes_within(GENEROUS, "result_timeout while another thread finishes", {
        move || {
            let waiter = std::thread::spawn(move || future.result_timeout(GENEROUS * 2));
            completer.set_result(3);
            waiter.join().unwrap()
        }
    });
    assert_eq!(
        outcome,
        Some(Ok(3)),
        "result_timeout must wake up when the value arrives, not sleep out its timeout"
    );
}

#[rstest]
#[case::pending(false, Err(TaskError::Cancelled))]
#[case::running(true, Err(TaskError::Panicked(String::new())))]
fn a_dropped_completer_never_leaves_a_waiter_hanging(
    #[case] started: bool,
    #[case] expected: Result<u32, TaskError>,
) {
    let (future, completer) = task_future::<u32>();
    if started {
        completer.set_running_or_notify_cancel();
    }
    let outcome = finishes_within(
        GENEROUS,
        "result() after the completer is dropped",
        move || {
            drop(completer);
            future.result()
        },
    );
    let same_kind = matches!(
        (&outcome, &expected),
        (Err(TaskError::Cancelled), Err(TaskError::Cancelled))
            | (Err(TaskError::Panicked(_)), Err(TaskError::Panicked(_)))
    );
    assert!(
        same_kind,
        "a completer dropped while the future was {} must leave it {expected:?}, got \
         {outcome:?}: implement Drop for Completer",
        if started { "running" } else { "pending" }
    );
}

#[test]
fn a_callback_added_early_runs_once_when_the_task_finishes() {
    // A callback run under the future's lock deadlocks as it reads its future: guarded.
    finishes_within(GENEROUS, "a callback added early, then set_result", || {
        let (future, completer) = task_future();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        future.add_done_callback(move |f: &TaskFuture<u32>| log.lock().unwrap().push(f.result()));
        assert!(
            seen.lock().unwrap().is_empty(),
            "a callback must not run before the task is done"
        );
        completer.set_result(11);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![Ok(11)],
            "the callback must run exactly once, when the result is set, and see the result"
        );
    });
}

#[test]
fn a_callback_added_late_runs_at_once_in_the_calling_thread() {
    // A callback run under the future's lock deadlocks as it reads its future: guarded.
    finishes_within(GENEROUS, "add_done_callback on a finished future", || {
        let future = finished_with(2);
        let (tx, rx) = mpsc::channel();
        future.add_done_callback(move |f| {
            tx.send((std::thread::current().id(), f.result())).unwrap()
        });
        let (thread, value) = rx
            .try_recv()
            .expect("a callback added to a done future must run before add_done_callback returns");
        assert_eq!(
            thread,
            std::thread::current().id(),
            "...and in the thread that added it"
        );
        assert_eq!(value, Ok(2), "the callback receives the finished future");
    });
}

#[test]
fn callbacks_run_in_the_order_they_were_added() {
    let (future, completer) = task_future::<u32>();
    let order = Arc::new(Mutex::new(Vec::new()));
    for i in 0..3 {
        let order = Arc::clone(&order);
        future.add_done_callback(move |_| order.lock().unwrap().push(i));
    }
    completer.set_result(0);
    assert_eq!(
        *order.lock().unwrap(),
        vec![0, 1, 2],
        "callbacks run in the order added"
    );
}

#[test]
fn cancelling_runs_the_callbacks() {
    // A callback run under the future's lock deadlocks as it reads its future: guarded.
    finishes_within(
        GENEROUS,
        "cancel() running a callback that reads its future",
        || {
            let (future, _completer) = task_future::<u32>();
            let calls = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&calls);
            future.add_done_callback(move |f| {
                assert!(f.cancelled(), "the callback sees a cancelled future");
                counter.fetch_add(1, Ordering::SeqCst);
            });
            future.cancel();
            assert_eq!(
                calls.load(Ordering::SeqCst),
                1,
                "cancel() must run the done callbacks once"
            );
        },
    );
}

#[test]
fn a_callback_may_call_its_own_future_without_deadlocking() {
    let (future, completer) = task_future::<u32>();
    let seen = finishes_within(GENEROUS, "a callback calling result() on its future", {
        move || {
            let (tx, rx) = mpsc::channel();
            future.add_done_callback(move |f| tx.send((f.done(), f.result())).unwrap());
            completer.set_result(8);
            rx.recv().unwrap()
        }
    });
    assert_eq!(
        seen,
        (true, Ok(8)),
        "a callback calling done()/result() on its own future must work: run callbacks \
         after releasing the lock"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::task_future::{TaskError, task_future};

    support::loom_test! {
        /// The caller cancels while the worker starts the task. Exactly one may win: a
        /// check with one lock and a change with another lets both succeed.
        fn cancel_and_start_are_decided_exactly_once() {
            let (future, completer) = task_future::<u32>();
            let worker = thread::spawn(move || {
                let started = completer.set_running_or_notify_cancel();
                if started {
                    completer.set_result(1);
                }
                started
            });
            let cancelled = future.cancel();
            let started = worker.join().unwrap();
            assert!(
                cancelled != started,
                "cancel() returned {cancelled} and set_running_or_notify_cancel() returned \
                 {started}: exactly one must win. Look at the state and change it under one \
                 lock guard in both."
            );
            let expected = if cancelled { Err(TaskError::Cancelled) } else { Ok(1) };
            assert_eq!(future.result(), expected, "the result must match who won");
        }
    }

    support::loom_test! {
        /// The caller waits in result() while the worker sets the value: a missing notify
        /// (or one sent before the state changed) leaves the caller asleep forever.
        fn result_wakes_up_when_the_worker_finishes() {
            let (future, completer) = task_future();
            let worker = thread::spawn(move || {
                completer.set_running_or_notify_cancel();
                completer.set_result(5_u32);
            });
            assert_eq!(future.result(), Ok(5), "result() must return the worker's value");
            worker.join().unwrap();
        }
    }

    support::loom_test! {
        /// Two threads wait in result() while the worker sets the value. Both must wake:
        /// every waiter waits for the same thing, so `notify_one` leaves one of them asleep
        /// forever (DEADLOCK).
        fn every_waiter_wakes_when_the_worker_finishes() {
            // Spurious wake-ups off: they multiply this model's interleavings (7x) and add
            // nothing to what it checks; `result_wakes_up_when_the_worker_finishes` catches an `if`.
            support::model::without_spurious_wakeups();
            let (future, completer) = task_future();
            let other = {
                let future = future.clone();
                thread::spawn(move || future.result())
            };
            let worker = thread::spawn(move || {
                completer.set_running_or_notify_cancel();
                completer.set_result(5_u32);
            });
            assert_eq!(future.result(), Ok(5), "result() must return the worker's value");
            assert_eq!(other.join().unwrap(), Ok(5), "every waiter gets the worker's value");
            worker.join().unwrap();
        }
    }

    support::loom_test! {
        /// The caller adds a callback while the worker finishes. Deciding "run it now" or
        /// "leave it for the finisher" without the lock loses it or runs it twice.
        fn a_callback_added_while_the_task_finishes_runs_exactly_once() {
            let (future, completer) = task_future::<u32>();
            let calls = Arc::new(AtomicUsize::new(0));
            let worker = thread::spawn(move || completer.set_result(3));
            let counter = Arc::clone(&calls);
            future.add_done_callback(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            });
            worker.join().unwrap();
            assert_eq!(
                calls.load(Ordering::SeqCst),
                1,
                "the callback ran {} time(s): it must run exactly once. Decide under the lock \
                 whether the future is done (run it now) or not (store it for the finisher).",
                calls.load(Ordering::SeqCst)
            );
        }
    }

    support::loom_test! {
        /// A callback that reads its own future. Running callbacks while still holding the
        /// future's lock deadlocks here: the callback waits for the lock its thread holds.
        fn a_callback_reading_its_future_does_not_deadlock() {
            let (future, completer) = task_future::<u32>();
            let reads = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&reads);
            future.add_done_callback(move |f| {
                assert_eq!(f.result(), Ok(4), "the callback sees the finished value");
                counter.fetch_add(1, Ordering::SeqCst);
            });
            let worker = thread::spawn(move || completer.set_result(4));
            worker.join().unwrap();
            assert_eq!(reads.load(Ordering::SeqCst), 1, "the callback must run once");
        }
    }

    support::loom_test! {
        /// The worker drops its completer without running the task (as shutdown with
        /// cancel_futures does) while the caller waits: the caller must wake up cancelled.
        fn a_dropped_completer_wakes_the_waiter() {
            let (future, completer) = task_future::<u32>();
            let worker = thread::spawn(move || drop(completer));
            assert_eq!(
                future.result(),
                Err(TaskError::Cancelled),
                "a future whose completer was dropped unrun is cancelled"
            );
            worker.join().unwrap();
        }
    }
}
