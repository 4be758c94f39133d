//! The course's thread future and executor (`support::facade::*_flavour::futures`): std
//! tests of the Python semantics, and loom models of the races the topics build on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use support::facade::std_flavour::futures::{Executor, Future, Promise, TaskError};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn result_blocks_until_another_thread_sets_it() {
    let got = finishes_within(GENEROUS, "Future::result", || {
        let (promise, future) = Promise::new();
        let setter = std::thread::spawn(move || promise.set_result(42));
        let got = future.result();
        assert!(
            setter.join().unwrap(),
            "nobody cancelled, so the result is stored"
        );
        got
    });
    assert_eq!(got, Ok(42));
}

#[test]
fn a_callback_on_a_finished_future_runs_at_once_on_the_caller() {
    let (promise, future) = Promise::new();
    promise.set_result(1);
    let me = std::thread::current().id();
    let (tx, rx) = mpsc::channel();
    future.add_done_callback(move |f| tx.send((std::thread::current().id(), f.result())).unwrap());
    assert_eq!(rx.try_recv().unwrap(), (me, Ok(1)));
}

#[test]
fn a_callback_on_a_pending_future_runs_once_on_the_finishing_thread() {
    let (promise, future) = Promise::new();
    let (tx, rx) = mpsc::channel();
    future.add_done_callback(move |f| tx.send((std::thread::current().id(), f.result())).unwrap());
    assert!(
        rx.try_recv().is_err(),
        "not finished yet: the callback must wait"
    );
    let setter = std::thread::spawn(move || {
        promise.set_result("done");
        std::thread::current().id()
    });
    let setter_id = setter.join().unwrap();
    assert_eq!(rx.recv().unwrap(), (setter_id, Ok("done")));
    assert!(rx.recv().is_err(), "the callback ran once and was dropped");
}

#[test]
fn cancel_follows_python() {
    let (pending_promise, pending) = Promise::<u8>::new();
    assert!(pending.cancel(), "a pending future can be cancelled");
    assert!(
        pending.cancel(),
        "cancelling again still says cancelled (as in Python)"
    );
    assert!(pending.done() && pending.cancelled());
    assert_eq!(pending.error(), Some(TaskError::Cancelled));
    assert!(
        !pending_promise.set_running(),
        "a cancelled task must not start"
    );
    assert!(pending_promise.is_cancelled());
    assert!(
        !pending_promise.set_result(1),
        "a cancelled future refuses a result"
    );
    assert_eq!(pending.result(), Err(TaskError::Cancelled));

    let (running_promise, running) = Promise::<u8>::new();
    assert!(running_promise.set_running());
    assert!(running.running());
    assert!(!running.cancel(), "a running task cannot be cancelled");
    assert!(running_promise.set_result(2));
    assert!(!running.cancel(), "a finished future cannot be cancelled");
    assert_eq!(running.try_result(), Some(Ok(2)));
}

#[test]
fn a_dropped_promise_abandons_its_future() {
    let (promise, future) = Promise::<u8>::new();
    assert_eq!(future.try_result(), None);
    drop(promise);
    assert_eq!(future.result(), Err(TaskError::Abandoned));
}

#[test]
fn errors_are_reported_without_blocking() {
    let (promise, future) = Promise::<u8>::new();
    assert_eq!(future.error(), None, "unfinished: no error yet");
    promise.set_error("404");
    assert_eq!(future.error(), Some(TaskError::Failed("404".into())));
    assert_eq!(
        future.error().unwrap().to_string(),
        "the task failed: 404",
        "TaskError's text is what progress lines show"
    );
}

#[test]
fn the_executor_runs_tasks_and_captures_failures_and_panics() {
    let executor = Executor::new(2);
    let ok = executor.submit(|| Ok(6 * 7));
    let failed = executor.submit(|| Err::<u8, _>("nope".to_string()));
    let panicked = executor.submit(|| -> Result<u8, String> { panic!("boom") });
    assert_eq!(ok.result(), Ok(42));
    assert_eq!(failed.result(), Err(TaskError::Failed("nope".into())));
    assert_eq!(panicked.result(), Err(TaskError::Panicked("boom".into())));
    let later = executor.submit(|| Ok("workers survive a panicking task"));
    assert!(later.result().is_ok());
}

#[test]
fn a_task_cancelled_while_queued_never_runs() {
    let ran = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let executor = Executor::new(1);
    let blocker = {
        let gate = Arc::clone(&gate);
        executor.submit(move || {
            let (open, opened) = &*gate;
            let mut open = open.lock().unwrap();
            while !*open {
                open = opened.wait(open).unwrap();
            }
            Ok(())
        })
    };
    let queued = {
        let ran = Arc::clone(&ran);
        executor.submit(move || Ok(ran.fetch_add(1, Ordering::SeqCst)))
    };
    assert!(queued.cancel(), "queued behind the blocker: still pending");
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    blocker.result().unwrap();
    drop(executor);
    assert_eq!(ran.load(Ordering::SeqCst), 0, "the cancelled task ran");
}

#[test]
fn dropping_the_executor_runs_what_is_queued() {
    let futures: Vec<Future<usize>> = {
        let executor = Executor::new(1);
        (0..5).map(|i| executor.submit(move || Ok(i))).collect()
    };
    let results: Vec<_> = futures.iter().map(Future::try_result).collect();
    assert_eq!(results, (0..5).map(|i| Some(Ok(i))).collect::<Vec<_>>());
}

#[test]
#[should_panic(expected = "a done-callback panicked on an executor worker: callback bug")]
fn a_panicking_callback_is_reported_when_the_executor_is_dropped() {
    let executor = Executor::new(1);
    let (tx, rx) = mpsc::channel::<()>();
    let future = executor.submit(move || {
        // Wait until the callback is registered, so it runs on the worker.
        rx.recv().unwrap();
        Ok(())
    });
    future.add_done_callback(|_| panic!("callback bug"));
    tx.send(()).unwrap();
    drop(executor);
}

/// Models: the same future, compiled against loom.
mod models {
    use support::facade::loom_flavour::futures::{Executor, Promise, TaskError};
    use support::facade::loom_flavour::sync::Arc;
    use support::facade::loom_flavour::sync::atomic::{AtomicUsize, Ordering};
    use support::facade::loom_flavour::thread;

    support::loom_test! {
        /// A callback registered while another thread finishes the future runs exactly
        /// once, whichever comes first.
        fn a_callback_racing_the_finish_runs_exactly_once() {
            let (promise, future) = Promise::new();
            let setter = thread::spawn(move || {
                promise.set_result(1u8);
            });
            let calls = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&calls);
            future.add_done_callback(move |f| {
                assert_eq!(f.try_result(), Some(Ok(1)), "a callback sees the outcome");
                counted.fetch_add(1, Ordering::SeqCst);
            });
            setter.join().unwrap();
            assert_eq!(calls.load(Ordering::SeqCst), 1, "the callback must run exactly once");
        }
    }

    support::loom_test! {
        /// `result()` sleeps until another thread sets the value, never missing the wake-up.
        fn result_wakes_when_another_thread_sets_it() {
            let (promise, future) = Promise::new();
            let setter = thread::spawn(move || {
                promise.set_result(7u8);
            });
            assert_eq!(future.result(), Ok(7));
            setter.join().unwrap();
        }
    }

    support::loom_test! {
        /// `cancel` racing `set_result`: exactly one of them wins, and the future agrees.
        fn cancel_racing_set_result_has_one_winner() {
            let (promise, future) = Promise::new();
            let setter = thread::spawn(move || promise.set_result(3u8));
            let cancelled = future.cancel();
            let delivered = setter.join().unwrap();
            assert!(cancelled != delivered, "exactly one of cancel and set_result wins");
            let expected = if cancelled { Err(TaskError::Cancelled) } else { Ok(3) };
            assert_eq!(future.result(), expected);
        }
    }

    support::loom_test! {
        /// One worker runs a submitted task; dropping the executor joins it.
        fn an_executor_with_one_worker_runs_a_task() {
            let executor = Executor::new(1);
            let future = executor.submit(|| Ok(5u8));
            assert_eq!(future.result(), Ok(5));
            drop(executor);
        }
    }
}
