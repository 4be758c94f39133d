//! Exercise `ordered_map`: `executor.map`, results in input order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use pool::executor::ThreadPoolExecutor;
use pool::ordered_map::MapResults;
use pool::task_future::{TaskError, task_future};
use pool::worker_pool::PoolClosed;
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

use crate::executor::plug;

#[rstest]
#[case::one_worker(1)]
#[case::two_workers(2)]
#[case::four_workers(4)]
fn map_yields_results_in_input_order(#[case] workers: usize) {
    let squares = finishes_within(GENEROUS, "executor.map(square, 0..20)", move || {
        let executor = ThreadPoolExecutor::new(workers);
        let results = executor
            .map(|x: u64| x * x, 0..20)
            .expect("an open executor maps");
        results.collect::<Vec<_>>()
    });
    let expected: Vec<_> = (0..20_u64).map(|x| Ok(x * x)).collect();
    assert_eq!(
        squares, expected,
        "map must yield f(item) for every item, in input order"
    );
}

#[test]
fn mapping_nothing_yields_nothing() {
    let results = finishes_within(GENEROUS, "map over an empty list", || {
        let executor = ThreadPoolExecutor::new(1);
        executor
            .map(|x: u8| x, Vec::new())
            .unwrap()
            .collect::<Vec<_>>()
    });
    assert!(
        results.is_empty(),
        "map over no items must yield no results"
    );
}

#[test]
fn every_task_is_submitted_before_the_first_result_is_read() {
    let started = finishes_within(GENEROUS, "map with an unread result iterator", || {
        let executor = ThreadPoolExecutor::new(2);
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let results = executor
            .map(move |x: u8| tx.lock().unwrap().send(x).unwrap(), [1, 2, 3])
            .unwrap();
        // Nobody has called next(): the tasks must run anyway, like Python's map.
        let mut started: Vec<_> = (0..3).map(|_| rx.recv().unwrap()).collect();
        started.sort_unstable();
        drop(results);
        started
    });
    assert_eq!(
        started,
        vec![1, 2, 3],
        "map must submit every item at once, not one per call to next()"
    );
}

#[test]
fn the_first_result_waits_for_the_first_item_even_if_others_finish_first() {
    let results = finishes_within(GENEROUS, "map with a slow first item", || {
        let executor = ThreadPoolExecutor::new(2);
        let (slow_tx, slow_rx) = mpsc::channel::<()>();
        let (fast_done_tx, fast_done_rx) = mpsc::channel();
        let gates = Mutex::new((Some(slow_rx), fast_done_tx));
        let results = executor
            .map(
                move |item: &'static str| {
                    if item == "slow" {
                        let gate = gates.lock().unwrap().0.take().unwrap();
                        let _ = gate.recv();
                    } else {
                        gates.lock().unwrap().1.send(()).unwrap();
                    }
                    item
                },
                ["slow", "fast"],
            )
            .unwrap();
        // The fast item has finished while the slow one is still blocked.
        fast_done_rx.recv().unwrap();
        slow_tx.send(()).unwrap();
        results.collect::<Vec<_>>()
    });
    assert_eq!(
        results,
        vec![Ok("slow"), Ok("fast")],
        "map must yield results in input order, not in the order tasks finish"
    );
}

#[test]
fn map_results_follow_the_order_of_the_futures_not_of_completion() {
    let (first, first_done) = task_future::<&str>();
    let (second, second_done) = task_future::<&str>();
    let results = MapResults::new(vec![first, second]);
    // The second finishes first; only then the first.
    second_done.set_result("second");
    first_done.set_result("first");
    assert_eq!(
        results.collect::<Vec<_>>(),
        vec![Ok("first"), Ok("second")],
        "MapResults must yield in the order of its futures, not the order they finished"
    );
}

#[test]
fn a_panicking_item_fails_only_its_own_result() {
    let results = finishes_within(GENEROUS, "map with one panicking item", || {
        let executor = ThreadPoolExecutor::new(2);
        let results = executor.map(
            |x: i32| {
                assert!(x != 2, "item 2 is cursed");
                x
            },
            [1, 2, 3],
        );
        results.unwrap().collect::<Vec<_>>()
    });
    assert_eq!(
        results,
        vec![
            Ok(1),
            Err(TaskError::Panicked("item 2 is cursed".into())),
            Ok(3)
        ],
        "a panic must fail its own item only; the other results still arrive, in order"
    );
}

#[test]
fn dropping_the_results_early_cancels_tasks_not_started() {
    let ran = finishes_within(GENEROUS, "dropping map's results unread", || {
        let executor = ThreadPoolExecutor::new(1);
        let (_plugged, release) = plug(&executor);
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        let results = executor
            .map(
                move |_: u8| counter.fetch_add(1, Ordering::SeqCst),
                [1, 2, 3],
            )
            .unwrap();
        drop(results);
        drop(release);
        drop(executor);
        ran.load(Ordering::SeqCst)
    });
    assert_eq!(
        ran, 0,
        "dropping map's result iterator must cancel the tasks that have not started \
         (Python's map cancels when its generator is closed after it started; here any drop \
         cancels): implement Drop for MapResults"
    );
}

#[test]
fn map_after_shutdown_is_refused() {
    let refused = finishes_within(GENEROUS, "map after shutdown", || {
        let executor = ThreadPoolExecutor::new(1);
        executor.shutdown(true, false);
        executor.map(|x: u8| x, [1]).err()
    });
    assert_eq!(
        refused,
        Some(PoolClosed),
        "map after shutdown must return Err(PoolClosed)"
    );
}

#[test]
fn the_results_know_how_many_are_left() {
    let lengths = finishes_within(GENEROUS, "len() of map's results", || {
        let executor = ThreadPoolExecutor::new(2);
        let mut results = executor.map(|x: u8| x, [1, 2, 3]).unwrap();
        let before = results.len();
        let _ = results.next();
        (before, results.len())
    });
    assert_eq!(
        lengths,
        (3, 2),
        "MapResults::len() counts the results not yet yielded"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The sequential model of `map` is `Iterator::map`: same values, same order, with the
    /// panicking items (multiples of 7) as errors in their own places.
    #[test]
    fn map_agrees_with_a_sequential_map(workers in 1usize..5, items in prop::collection::vec(0u32..100, 0..30)) {
        let inputs = items.clone();
        let got = finishes_within(GENEROUS, "a random map", move || {
            let executor = ThreadPoolExecutor::new(workers);
            let results = executor.map(
                |x: u32| {
                    assert!(x % 7 != 0, "multiple of seven");
                    x + 1
                },
                inputs,
            );
            results.unwrap().collect::<Vec<_>>()
        });
        let expected: Vec<_> = items
            .iter()
            .map(|&x| if x % 7 == 0 { Err(TaskError::Panicked("multiple of seven".into())) } else { Ok(x + 1) })
            .collect();
        prop_assert_eq!(got, expected, "map must equal a sequential map, item by item, in order");
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::thread;
    use crate::under_loom::executor::ThreadPoolExecutor;
    use crate::under_loom::ordered_map::MapResults;
    use crate::under_loom::task_future::task_future;

    support::loom_test! {
        /// A worker finishes the second future before the first, while the caller already
        /// reads. Whatever the caller's next() finds done first, it must yield input order.
        fn results_come_back_in_input_order() {
            let (first, first_done) = task_future::<u32>();
            let (second, second_done) = task_future::<u32>();
            let results = MapResults::new(vec![first, second]);
            let worker = thread::spawn(move || {
                second_done.set_result(1);
                first_done.set_result(0);
            });
            let results: Vec<_> = results.collect();
            worker.join().unwrap();
            assert_eq!(
                results,
                vec![Ok(0), Ok(1)],
                "MapResults yielded {results:?}: results must come in input order. next() \
                 waits on the oldest input's future, whatever finished first."
            );
        }
    }

    support::loom_test! {
        /// The learner's whole `map` on one worker, racing the worker: the item is
        /// submitted, its result delivered, the executor shut down cleanly. (One item:
        /// each more multiplies the interleavings a hundredfold.)
        fn map_on_one_worker_delivers_its_result() {
            let executor = ThreadPoolExecutor::new(1);
            let results: Vec<_> = executor.map(|x: u32| x * 2, [21]).unwrap().collect();
            assert_eq!(results, vec![Ok(42)], "map must deliver f(item) for the item");
        }
    }
}
