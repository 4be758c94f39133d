//! Exercise `poisoning`: a panicking job poisons the lock; the tally keeps counting.

use std::sync::Arc;

use share::poisoning::{Job, Tally, run_jobs};
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// A job that counts `word` once.
fn counting(word: &'static str) -> Job {
    Box::new(move |tally: &Tally| tally.add(word))
}

/// A job that counts `word` inside `update`, then panics with the lock held.
fn panicking_midway(word: &'static str) -> Job {
    Box::new(move |tally: &Tally| {
        tally.update(|counts| {
            *counts.entry(word.to_string()).or_default() += 1;
            panic!("this job fails on purpose, halfway through an update");
        })
    })
}

#[test]
fn words_are_counted() {
    let tally = Tally::new();
    tally.add("a");
    tally.add("a");
    tally.update(|counts| *counts.entry("b".to_string()).or_default() += 5);
    assert_eq!(
        (tally.count("a"), tally.count("b"), tally.count("c")),
        (2, 5, 0)
    );
    assert!(
        !tally.is_poisoned(),
        "no update panicked: the tally is not poisoned"
    );
}

#[test]
fn one_panicking_job_does_not_stop_or_break_the_others() {
    let tally = Arc::new(Tally::new());
    let shared = Arc::clone(&tally);
    let panicked = finishes_within(GENEROUS, "run_jobs", move || {
        let jobs = vec![
            counting("a"),
            panicking_midway("b"),
            counting("a"),
            counting("b"),
        ];
        run_jobs(&shared, jobs)
    });
    assert_eq!(
        panicked, 1,
        "exactly one job panics on purpose; {panicked} panicked. If more: a later job \
         panicked on the poisoned lock (what does `.unwrap()` do with a `PoisonError`?)"
    );
    assert_eq!(
        (tally.count("a"), tally.count("b")),
        (2, 2),
        "the counts of every job, including the half-done update, stay in the tally"
    );
}

#[test]
fn poisoning_is_reported_until_recovered() {
    let tally = Arc::new(Tally::new());
    let shared = Arc::clone(&tally);
    finishes_within(GENEROUS, "run_jobs", move || {
        run_jobs(&shared, vec![panicking_midway("x")])
    });
    assert!(
        tally.is_poisoned(),
        "an update panicked with the lock held: `is_poisoned` must say so"
    );
    tally.recover();
    assert!(
        !tally.is_poisoned(),
        "after `recover`, the tally is not poisoned"
    );
    tally.add("x");
    assert_eq!(tally.count("x"), 2, "counting goes on after `recover`");
}
