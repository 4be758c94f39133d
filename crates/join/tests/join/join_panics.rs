//! Exercise `join_panics`: a panic comes back as a `JoinError` with its message, and the
//! other threads' results are kept.

use std::sync::{Arc, Barrier};

use join::join_panics::{JoinError, join_reporting, run_all_reporting};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

type Job = Box<dyn FnOnce() -> u32 + Send>;

#[test]
fn a_thread_that_returns_gives_its_value() {
    let got = finishes_within(GENEROUS, "join_reporting", || {
        join_reporting(std::thread::spawn(|| 7_u32))
    });
    assert_eq!(got, Ok(7), "a thread that returned 7 must give Ok(7)");
}

#[rstest]
#[case::literal_message(|| panic!("disk full"), JoinError::Panicked("disk full".into()))]
// black_box: with a constant argument the compiler may fold the message into a &str.
#[case::formatted_message(
    || panic!("disk {} full", std::hint::black_box(3)),
    JoinError::Panicked("disk 3 full".into())
)]
#[case::string_value(
    || std::panic::panic_any(String::from("sent as a String")),
    JoinError::Panicked("sent as a String".into())
)]
#[case::no_message(|| std::panic::panic_any(42_i32), JoinError::PanickedWithoutMessage)]
fn panic_messages_are_recovered(#[case] job: fn() -> u32, #[case] expected: JoinError) {
    let got = finishes_within(
        GENEROUS,
        "join_reporting on a panicking thread",
        move || join_reporting(std::thread::spawn(job)),
    );
    assert_eq!(
        got,
        Err(expected.clone()),
        "the thread panicked; join_reporting must return Err({expected:?}). A literal \
         `panic!(\"..\")` carries a &'static str, a formatted one a String: downcast to both"
    );
}

#[test]
fn one_panicking_job_does_not_lose_the_other_results() {
    let jobs: Vec<Job> = vec![
        Box::new(|| 1),
        Box::new(|| panic!("job 2 failed")),
        Box::new(|| 3),
    ];
    let got = finishes_within(GENEROUS, "run_all_reporting", move || {
        run_all_reporting(jobs)
    });
    assert_eq!(
        got,
        vec![
            Ok(1),
            Err(JoinError::Panicked("job 2 failed".into())),
            Ok(3)
        ],
        "job 2 panicked, jobs 1 and 3 returned: every outcome must be reported, in spawn order"
    );
}

#[test]
fn jobs_run_at_the_same_time() {
    // Each job waits until all three have arrived: run one by one, none ever returns.
    let barrier = Arc::new(Barrier::new(3));
    let jobs: Vec<Job> = (0..3_u32)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            Box::new(move || {
                barrier.wait();
                i
            }) as Job
        })
        .collect();
    let got = finishes_within(
        GENEROUS,
        "run_all_reporting on jobs that wait for each other (spawn every job before joining any)",
        move || run_all_reporting(jobs),
    );
    assert_eq!(
        got,
        vec![Ok(0), Ok(1), Ok(2)],
        "three jobs returned 0, 1, 2"
    );
}

/// What one generated job does.
#[derive(Debug, Clone)]
enum Outcome {
    Returns(u32),
    Panics(String),
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        any::<u32>().prop_map(Outcome::Returns),
        "[a-z ]{0,12}".prop_map(Outcome::Panics),
    ]
}

proptest! {
    // No regression files: a run on the stubs would write one for every failing case.
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any mix of returning and panicking jobs: each outcome is reported in its place.
    #[test]
    fn every_outcome_is_reported_in_spawn_order(outcomes in prop::collection::vec(outcome(), 0..6)) {
        let jobs: Vec<Job> = outcomes
            .iter()
            .cloned()
            .map(|o| {
                Box::new(move || match o {
                    Outcome::Returns(v) => v,
                    Outcome::Panics(message) => panic!("{message}"),
                }) as Job
            })
            .collect();
        let expected: Vec<Result<u32, JoinError>> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Returns(v) => Ok(*v),
                Outcome::Panics(message) => Err(JoinError::Panicked(message.clone())),
            })
            .collect();
        let got = finishes_within(GENEROUS, "run_all_reporting", move || run_all_reporting(jobs));
        prop_assert_eq!(got, expected, "jobs: {:?}", outcomes);
    }
}
