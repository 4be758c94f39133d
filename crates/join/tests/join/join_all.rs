//! Exercise `join_all`: every thread runs at once, every result comes back in spawn order.

use std::sync::{Arc, Barrier, mpsc};

use join::join_all::{join_all, squares};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

type Job<T> = Box<dyn FnOnce() -> T + Send>;

/// Jobs that finish in the order `finish_order` (a permutation of `0..n`): job
/// `finish_order[k]` waits until job `finish_order[k - 1]` has done its work. Job `i`
/// returns `i * 10`. Channels, not sleeps, fix the order.
fn jobs_finishing_in(finish_order: &[usize]) -> Vec<Job<usize>> {
    let n = finish_order.len();
    let mut waits_for: Vec<Option<mpsc::Receiver<()>>> = (0..n).map(|_| None).collect();
    let mut releases: Vec<Option<mpsc::Sender<()>>> = (0..n).map(|_| None).collect();
    for pair in finish_order.windows(2) {
        let (tx, rx) = mpsc::channel();
        releases[pair[0]] = Some(tx);
        waits_for[pair[1]] = Some(rx);
    }
    waits_for
        .into_iter()
        .zip(releases)
        .enumerate()
        .map(|(i, (wait, release))| {
            Box::new(move || {
                if let Some(wait) = wait {
                    // Err only if the job before was dropped without running: carry on.
                    let _ = wait.recv();
                }
                if let Some(release) = release {
                    let _ = release.send(());
                }
                i * 10
            }) as Job<usize>
        })
        .collect()
}

fn spawn_order_results(n: usize) -> Vec<usize> {
    (0..n).map(|i| i * 10).collect()
}

#[rstest]
#[case::two(2)]
#[case::five(5)]
#[case::eight(8)]
fn results_come_back_in_spawn_order_when_threads_finish_in_reverse(#[case] n: usize) {
    let reverse: Vec<usize> = (0..n).rev().collect();
    let jobs = jobs_finishing_in(&reverse);
    let results = finishes_within(
        GENEROUS,
        "join_all on jobs finishing in reverse",
        move || join_all(jobs),
    );
    assert_eq!(
        results,
        spawn_order_results(n),
        "the last job finished first, yet results must be in spawn order: join the handles \
         in the order you spawned them (collecting as threads finish gives completion order)"
    );
}

#[rstest]
#[case::two(2)]
#[case::four(4)]
fn all_jobs_run_at_the_same_time(#[case] n: usize) {
    // Every job waits at the barrier until all n have arrived: run one by one, none returns.
    let barrier = Arc::new(Barrier::new(n));
    let jobs: Vec<Job<usize>> = (0..n)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            Box::new(move || {
                barrier.wait();
                i
            }) as Job<usize>
        })
        .collect();
    let results = finishes_within(
        GENEROUS,
        "join_all on jobs that wait for each other (spawn every job before joining any)",
        move || join_all(jobs),
    );
    assert_eq!(
        results,
        (0..n).collect::<Vec<_>>(),
        "each job returns its index; results must be in spawn order"
    );
}

#[test]
fn no_jobs_give_no_results() {
    let results = finishes_within(GENEROUS, "join_all on no jobs", || {
        join_all(Vec::<Job<u8>>::new())
    });
    assert!(results.is_empty(), "no jobs, no results; got {results:?}");
}

#[rstest]
#[case::empty(&[], &[])]
#[case::one(&[7], &[49])]
#[case::tutorial(&[1, 2, 3, 4], &[1, 4, 9, 16])]
#[case::repeats(&[5, 0, 5], &[25, 0, 25])]
fn squares_are_in_the_order_of_the_numbers(#[case] numbers: &[u64], #[case] expected: &[u64]) {
    let numbers = numbers.to_vec();
    let got = finishes_within(GENEROUS, "squares", move || squares(&numbers));
    assert_eq!(
        got, expected,
        "squares must square each number, in the given order"
    );
}

proptest! {
    // No regression files: a run on the stubs would write one for every failing case.
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever order the threads finish in, the results are in spawn order.
    #[test]
    fn any_finish_order_gives_spawn_order_results(
        finish_order in (1usize..=6)
            .prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
    ) {
        let n = finish_order.len();
        let jobs = jobs_finishing_in(&finish_order);
        let results = finishes_within(GENEROUS, "join_all", move || join_all(jobs));
        prop_assert_eq!(
            results,
            spawn_order_results(n),
            "threads finished in the order {:?}; results must still be in spawn order",
            finish_order
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::mpsc;
    use crate::under_loom::join_all::join_all;

    type Job = Box<dyn FnOnce() -> char + Send>;

    support::loom_test! {
        /// Two independent jobs. Whichever finishes first, 'a' (spawned first) comes first.
        fn results_come_back_in_spawn_order_in_every_interleaving() {
            let jobs: Vec<Job> = vec![Box::new(|| 'a'), Box::new(|| 'b')];
            let results = join_all(jobs);
            assert_eq!(
                results,
                ['a', 'b'],
                "the jobs were spawned as ['a', 'b'] but join_all returned {results:?}: results \
                 must be in spawn order. Join the handles in spawn order; collecting results as \
                 threads finish gives completion order."
            );
        }
    }

    support::loom_test! {
        /// Job 'x' waits for a message from job 'y'. If join_all waits for one job before
        /// starting the next, 'x' waits forever and loom reports the deadlock.
        fn every_job_starts_before_any_is_waited_for() {
            let (tx, rx) = mpsc::channel::<char>();
            let jobs: Vec<Job> = vec![
                Box::new(move || rx.recv().unwrap_or('?')),
                Box::new(move || {
                    tx.send('x').unwrap();
                    'y'
                }),
            ];
            let results = join_all(jobs);
            assert_eq!(results, ['x', 'y'], "job 1 hands 'x' to job 0, which returns it");
        }
    }
}
