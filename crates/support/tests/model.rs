//! The model runner's promises: exhaustive whatever the environment says, and failures
//! reported as failures with the learner-facing text.

use std::panic;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use serial_test::serial;
use support::model::explore;

/// A lost update: two threads load then store. Only some interleavings lose an increment.
fn lost_update() {
    let value = Arc::new(AtomicUsize::new(0));
    let other = Arc::clone(&value);
    let handle = loom::thread::spawn(move || {
        let v = other.load(Ordering::SeqCst);
        other.store(v + 1, Ordering::SeqCst);
    });
    let v = value.load(Ordering::SeqCst);
    value.store(v + 1, Ordering::SeqCst);
    handle.join().unwrap();
    assert_eq!(value.load(Ordering::SeqCst), 2, "an increment was lost");
}

fn failure_text(test_path: &str, model: fn()) -> Option<String> {
    let outcome = panic::catch_unwind(|| explore("support", test_path, model));
    outcome.err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default()
    })
}

#[test]
#[serial]
fn loom_bounds_in_the_environment_cannot_hide_a_race() {
    // Honoured, these would end loom's search after the first (benign) interleaving,
    // silently, as a pass: loom checks the limits every LOOM_CHECKPOINT_INTERVAL runs.
    const BOUNDS: [(&str, &str); 4] = [
        ("LOOM_CHECKPOINT_INTERVAL", "1"),
        ("LOOM_MAX_PERMUTATIONS", "1"),
        ("LOOM_MAX_DURATION", "0"),
        ("LOOM_MAX_PREEMPTIONS", "0"),
    ];
    for (key, value) in BOUNDS {
        // SAFETY: #[serial] keeps every other test of this binary from running meanwhile.
        unsafe { std::env::set_var(key, value) };
    }
    let report = failure_text(
        concat!(
            module_path!(),
            "::loom_bounds_in_the_environment_cannot_hide_a_race"
        ),
        lost_update,
    );
    for (key, _) in BOUNDS {
        // SAFETY: as above.
        unsafe { std::env::remove_var(key) };
    }
    let report = report.expect("the lost update must be found despite the bounds");
    assert!(report.contains("an increment was lost"), "{report}");
}

#[test]
#[serial]
fn a_failing_model_names_its_exercise_and_the_rerun_command() {
    let report = failure_text(
        concat!(
            module_path!(),
            "::a_failing_model_names_its_exercise_and_the_rerun_command"
        ),
        lost_update,
    )
    .expect("the lost update must be found");
    assert!(
        report.starts_with("exercise `a_failing_model_names_its_exercise_and_the_rerun_command`"),
        "{report}"
    );
    assert!(report.contains("cargo test -p support --"), "{report}");
}

/// Ends the whole process in the middle of the first interleaving, with status 0.
fn exits_early() {
    std::process::exit(0);
}

#[test]
#[serial]
fn a_model_whose_process_exits_early_fails() {
    let report = failure_text(
        concat!(module_path!(), "::a_model_whose_process_exits_early_fails"),
        exits_early,
    )
    .expect("exiting the process must not count as exploring every interleaving");
    assert!(report.contains("ended before loom finished"), "{report}");
}
