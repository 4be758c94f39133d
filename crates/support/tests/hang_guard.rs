//! The hang guard's promises: a finished body is passed through, a stuck one fails with a
//! message naming it, and the grader's shorter limit (an environment variable) is honoured.

use std::time::Duration;

use serial_test::serial;
use support::finishes_within;
use support::hang_guard::{GENEROUS, LIMIT_ENV};

/// A body that never finishes: it waits for a message nobody sends.
fn stuck() {
    let (_keep_open, rx) = std::sync::mpsc::channel::<()>();
    let _ = rx.recv();
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

#[test]
#[serial]
fn a_finished_body_returns_its_value() {
    // SAFETY: #[serial]: no other test of this binary reads the environment meanwhile.
    unsafe { std::env::remove_var(LIMIT_ENV) };
    assert_eq!(finishes_within(GENEROUS, "adding", || 2 + 2), 4);
}

#[test]
#[serial]
fn a_panic_in_the_body_is_passed_on_unchanged() {
    let outcome = std::panic::catch_unwind(|| {
        finishes_within(GENEROUS, "failing", || panic!("the learner's assertion"))
    });
    assert_eq!(panic_text(outcome.unwrap_err()), "the learner's assertion");
}

#[test]
#[serial]
fn the_environment_limit_replaces_the_default_and_names_what_was_stuck() {
    // SAFETY: #[serial], as above.
    unsafe { std::env::set_var(LIMIT_ENV, "1") };
    let outcome = std::panic::catch_unwind(|| finishes_within(GENEROUS, "the stuck body", stuck));
    unsafe { std::env::remove_var(LIMIT_ENV) };
    let text = panic_text(outcome.expect_err("a stuck body must fail the test"));
    assert!(
        text.starts_with("the stuck body was still running after 1 s"),
        "{text}"
    );
}

#[test]
#[serial]
fn a_limit_that_is_not_a_positive_number_is_ignored() {
    for junk in ["", "0", "soon", "-5"] {
        // SAFETY: #[serial], as above.
        unsafe { std::env::set_var(LIMIT_ENV, junk) };
        // A thread of its own per case: after a hang, the guard refuses further cases on the
        // thread it ran on (see `after_a_hang_the_same_test_runs_no_further_guarded_case`).
        let outcome =
            std::thread::spawn(|| finishes_within(Duration::from_secs(1), "stuck", stuck)).join();
        let text = panic_text(outcome.expect_err("a stuck body must fail the test"));
        assert!(text.contains("after 1 s"), "{junk:?}: {text}");
    }
    unsafe { std::env::remove_var(LIMIT_ENV) };
}

#[test]
#[serial]
fn after_a_hang_the_same_test_runs_no_further_guarded_case() {
    // SAFETY: #[serial], as above.
    unsafe { std::env::set_var(LIMIT_ENV, "1") };
    let first = std::panic::catch_unwind(|| finishes_within(GENEROUS, "case 1", stuck));
    unsafe { std::env::remove_var(LIMIT_ENV) };
    assert!(first.is_err(), "the stuck case must fail");
    // What proptest does next: shrink, and run a smaller case on the same thread.
    let retry = std::panic::catch_unwind(|| finishes_within(GENEROUS, "case 2", || ()));
    let text = panic_text(retry.expect_err("a retry after a hang must be refused"));
    assert!(text.starts_with("not run: `case 1` hung earlier"), "{text}");
}

#[test]
#[serial]
fn a_stuck_body_that_said_what_it_awaits_is_reported_with_it() {
    // SAFETY: #[serial], as above.
    unsafe { std::env::set_var(LIMIT_ENV, "1") };
    let outcome = std::panic::catch_unwind(|| {
        finishes_within(GENEROUS, "the heartbeat", || {
            support::hang_guard::awaiting("the first beat");
            stuck();
        })
    });
    unsafe { std::env::remove_var(LIMIT_ENV) };
    let text = panic_text(outcome.expect_err("a stuck body must fail the test"));
    assert!(text.contains("it was waiting for the first beat"), "{text}");
}
