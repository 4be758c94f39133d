//! Exercise `custom_thread`: `run` is the body, `start` runs it on a new thread.

use std::thread::ThreadId;

use rstest::rstest;
use spawn::custom_thread::{Countdown, CustomThread, Greeter, start_callable};
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// A test's own "subclass": its body reports the thread it ran on.
struct ReportsItsThread;

impl CustomThread for ReportsItsThread {
    type Output = ThreadId;

    fn run(self) -> ThreadId {
        std::thread::current().id()
    }
}

#[rstest]
#[case::from_zero(0, vec![])]
#[case::from_one(1, vec![1])]
#[case::from_five(5, vec![5, 4, 3, 2, 1])]
fn countdown_runs_from_its_start_down_to_one(#[case] from: u32, #[case] expected: Vec<u32>) {
    assert_eq!(
        Countdown { from }.run(),
        expected,
        "Countdown {{ from: {from} }}.run() must count {from}, {}, ..., 1",
        from.saturating_sub(1)
    );
}

#[test]
fn start_runs_run_on_a_new_thread() {
    let caller = std::thread::current().id();
    let ran_on = finishes_within(GENEROUS, "CustomThread::start", || {
        ReportsItsThread.start().join().expect("run panicked")
    });
    assert_ne!(
        ran_on, caller,
        "run() ran on the thread that called start(): that is Python's `t.run()` instead \
         of `t.start()`. Spawn a thread and call run inside it"
    );
}

#[test]
fn a_started_countdown_hands_its_result_to_join() {
    let numbers = finishes_within(GENEROUS, "Countdown.start()", || {
        Countdown { from: 3 }.start().join().expect("run panicked")
    });
    assert_eq!(numbers, [3, 2, 1], "join() must return what run() returned");
}

#[test]
fn a_callable_object_greets_everyone_in_order() {
    let greeter = Greeter {
        greeting: "Hello".into(),
        names: vec!["Ada".into(), "Grace".into()],
    };
    assert_eq!(
        greeter.call(),
        ["Hello, Ada!", "Hello, Grace!"],
        "call() must give one \"{{greeting}}, {{name}}!\" line per name, in order"
    );
}

#[test]
fn a_callable_object_is_a_target_without_any_trait() {
    let greeter = Greeter {
        greeting: "Hi".into(),
        names: vec!["Linus".into()],
    };
    let lines = finishes_within(GENEROUS, "start_callable", move || {
        start_callable(greeter).join().expect("call panicked")
    });
    assert_eq!(
        lines,
        ["Hi, Linus!"],
        "start_callable must return the thread running call()"
    );
}

mod models {
    use crate::sync::mpsc::{self, Receiver};
    use crate::under_loom::custom_thread::CustomThread;

    /// Waits for a go-ahead that its starter sends only after `start` has returned.
    struct WaitsForGo {
        go: Receiver<u32>,
    }

    impl CustomThread for WaitsForGo {
        type Output = u32;

        fn run(self) -> u32 {
            self.go.recv().unwrap()
        }
    }

    support::loom_test! {
        /// `start` must return while `run` is still waiting. A `start` that calls `run`
        /// itself waits for a message that only its own caller can send: DEADLOCK.
        fn start_returns_before_run_has_finished() {
            let (go, inbox) = mpsc::channel();
            let handle = WaitsForGo { go: inbox }.start();
            go.send(42).unwrap();
            assert_eq!(handle.join().unwrap(), 42, "join() must return what run() returned");
        }
    }
}
