//! Exercise `join_fan_in`: workers send any number of values; the collector ends when the
//! last `Sender` is dropped and loses nothing.

use std::sync::mpsc::Sender;

use join::join_fan_in::fan_in;
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

type Worker = Box<dyn FnOnce(Sender<u32>) + Send>;

/// Worker `i` sends `i * 100`, `i * 100 + 1`, ... (`counts[i]` values).
fn workers_sending(counts: &[u32]) -> Vec<Worker> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let first = i as u32 * 100;
            Box::new(move |tx: Sender<u32>| {
                for value in first..first + count {
                    tx.send(value)
                        .expect("the collector hung up before the workers were done");
                }
            }) as Worker
        })
        .collect()
}

fn all_values(counts: &[u32]) -> Vec<u32> {
    let mut values: Vec<u32> = counts
        .iter()
        .enumerate()
        .flat_map(|(i, &count)| (i as u32 * 100..).take(count as usize))
        .collect();
    values.sort_unstable();
    values
}

fn collect(counts: &[u32]) -> Vec<u32> {
    let workers = workers_sending(counts);
    let mut got = finishes_within(
        GENEROUS,
        "fan_in (the collector ends only when every Sender is gone, its own included)",
        move || fan_in(workers),
    );
    got.sort_unstable();
    got
}

#[rstest]
#[case::one_worker_one_value(&[1])]
#[case::one_worker_many_values(&[5])]
#[case::uneven_workers(&[0, 2, 5])]
#[case::silent_workers(&[0, 0])]
#[case::no_workers(&[])]
fn every_value_sent_arrives_exactly_once(#[case] counts: &[u32]) {
    assert_eq!(
        collect(counts),
        all_values(counts),
        "workers sent {counts:?} values each: every value must arrive, once. Do not count \
         results: wait until every Sender is dropped"
    );
}

#[test]
fn values_from_one_worker_keep_their_order() {
    let workers = workers_sending(&[4]);
    let got = finishes_within(GENEROUS, "fan_in", move || fan_in(workers));
    assert_eq!(
        got,
        [0, 1, 2, 3],
        "one worker's values arrive in the order it sent them"
    );
}

#[test]
#[should_panic(expected = "worker 1 crashed")]
fn a_panicking_worker_is_not_mistaken_for_a_silent_one() {
    let workers: Vec<Worker> = vec![
        Box::new(|tx: Sender<u32>| tx.send(1).unwrap()),
        Box::new(|_tx: Sender<u32>| panic!("worker 1 crashed")),
    ];
    // fan_in must re-raise the worker's panic (join, then resume_unwind).
    finishes_within(GENEROUS, "fan_in with a panicking worker", move || {
        fan_in(workers)
    });
}

proptest! {
    // No regression files: a run on the stubs would write one for every failing case.
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any number of workers sending any number of values each: nothing lost or doubled.
    #[test]
    fn no_value_is_lost_or_duplicated(counts in prop::collection::vec(0u32..6, 0..6)) {
        prop_assert_eq!(collect(&counts), all_values(&counts), "values per worker: {:?}", counts);
    }
}

/// Models: the learner's collector over every interleaving of the workers' sends and the
/// Senders' drops (the course's loom channel disconnects like std's).
mod models {
    use crate::sync::mpsc::Sender;
    use crate::under_loom::join_fan_in::fan_in;

    type Worker = Box<dyn FnOnce(Sender<u32>) + Send>;

    support::loom_test! {
        /// Worker 0 sends one value, worker 1 two. A collector that stops after a fixed
        /// count loses one; one that keeps a Sender alive never stops (a deadlock).
        fn no_value_is_lost_in_any_interleaving() {
            let workers: Vec<Worker> = vec![
                Box::new(|tx| tx.send(1).unwrap()),
                Box::new(|tx| {
                    tx.send(2).unwrap();
                    tx.send(3).unwrap();
                }),
            ];
            let mut got = fan_in(workers);
            got.sort_unstable();
            assert_eq!(
                got,
                [1, 2, 3],
                "worker 0 sent 1, worker 1 sent 2 and 3, but fan_in returned {got:?}: do not \
                 stop after a fixed count, receive until every Sender is dropped"
            );
        }
    }

    support::loom_test! {
        /// A worker that sends nothing still ends, by dropping its Sender.
        fn a_silent_worker_does_not_stall_the_collector() {
            let workers: Vec<Worker> = vec![Box::new(|_tx| {}), Box::new(|tx| tx.send(7).unwrap())];
            let got = fan_in(workers);
            assert_eq!(got, [7], "only worker 1 sent a value (7)");
        }
    }
}
