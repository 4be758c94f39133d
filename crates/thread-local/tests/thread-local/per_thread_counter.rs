//! Exercise `per_thread_counter`: each thread counts on its own copy.

use std::sync::mpsc;

use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;
use thread_locals::per_thread_counter::{
    hit, hits, hits_on_new_threads, take_hits, visit, visited,
};

/// Runs `body` on a thread of its own, so its thread-locals start fresh.
fn on_a_fresh_thread<T: Send + 'static>(
    what: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> T {
    finishes_within(GENEROUS, what, body)
}

#[test]
fn hit_counts_up_from_zero_on_a_fresh_thread() {
    let seen = on_a_fresh_thread("three hits", || [hit(), hit(), hit(), hits()]);
    assert_eq!(
        seen,
        [1, 2, 3, 3],
        "on a new thread, hit() must return 1, 2, 3 and hits() then 3: each thread's counter \
         starts at 0 and hit() returns the value after adding one"
    );
}

#[test]
fn take_hits_returns_the_count_and_starts_again_from_zero() {
    let seen = on_a_fresh_thread("take_hits", || {
        hit();
        hit();
        [take_hits(), hits(), hit()]
    });
    assert_eq!(
        seen,
        [2, 0, 1],
        "after two hits, take_hits() must return 2 and leave 0 behind (Cell::replace(0) does \
         both), so the next hit() returns 1"
    );
}

#[test]
fn visited_pages_are_kept_in_order() {
    let pages = on_a_fresh_thread("three visits", || {
        visit("/");
        visit("/users");
        visit("/users/7");
        visited()
    });
    assert_eq!(
        pages,
        ["/", "/users", "/users/7"],
        "visited() must return this thread's pages in the order visit() received them"
    );
}

#[rstest]
#[case::two_threads(&[3, 5])]
#[case::one_idle_thread(&[0, 4, 1])]
#[case::four_busy_threads(&[10_000, 20_000, 30_000, 40_000])]
fn hits_on_new_threads_reports_each_threads_own_count(#[case] per_thread: &'static [u64]) {
    let seen = on_a_fresh_thread("hits_on_new_threads", move || {
        hits_on_new_threads(per_thread)
    });
    assert_eq!(
        seen, per_thread,
        "each new thread must report only its own hits, in the order of `per_thread`. Totals \
         that grow from thread to thread mean the threads share one counter; zeros mean the \
         count was read on the calling thread instead of on the worker"
    );
}

#[test]
fn the_callers_counter_is_untouched_by_its_workers() {
    let (before, workers, after) = on_a_fresh_thread("caller and workers", || {
        hit();
        let before = hits();
        let workers = hits_on_new_threads(&[2, 2]);
        (before, workers, hits())
    });
    assert_eq!(workers, [2, 2], "each worker made 2 hits and must report 2");
    assert_eq!(
        (before, after),
        (1, 1),
        "the caller made 1 hit; its workers' hits must not change the caller's counter"
    );
}

#[test]
fn a_thread_never_sees_pages_another_thread_visited() {
    let (first_done_tx, first_done_rx) = mpsc::channel();
    let (second_done_tx, second_done_rx) = mpsc::channel();
    let (first, second) = on_a_fresh_thread("two visiting threads", move || {
        let first = std::thread::spawn(move || {
            visit("/a");
            // Let the second thread visit only after this visit happened...
            first_done_tx.send(()).unwrap();
            // ...and read only after the second thread's visit happened.
            second_done_rx.recv().unwrap();
            visited()
        });
        let second = std::thread::spawn(move || {
            first_done_rx.recv().unwrap();
            visit("/b");
            let mine = visited();
            second_done_tx.send(()).unwrap();
            mine
        });
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!(
        (first, second),
        (vec!["/a".to_string()], vec!["/b".to_string()]),
        "both visits happened before either thread read its list, yet each list must hold \
         only that thread's own page: keep the list in a thread_local!, not in a shared static"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::thread;
    use crate::under_loom::per_thread_counter::{hit, hits, hits_on_new_threads};

    support::loom_test! {
        /// A worker hits twice while the model's main thread hits once, in any order: each
        /// must still read only its own count.
        fn each_thread_reads_only_its_own_hits() {
            let worker = thread::spawn(|| {
                hit();
                hit();
                hits()
            });
            hit();
            let mine = hits();
            let theirs = worker.join().unwrap();
            assert_eq!(
                (mine, theirs),
                (1, 2),
                "the main thread hit once and a worker twice, but they read {mine} and \
                 {theirs}: the counter must be a thread_local!, one copy per thread"
            );
        }
    }

    support::loom_test! {
        /// The learner's own spawning: every worker reports its own count.
        fn hits_on_new_threads_reports_what_each_worker_counted() {
            let seen = hits_on_new_threads(&[1, 2]);
            assert_eq!(
                seen,
                [1, 2],
                "hits_on_new_threads(&[1, 2]) returned {seen:?}: read hits() on each worker, \
                 before it ends, and return the readings in order"
            );
            assert_eq!(hits(), 0, "the calling thread made no hit; its counter must read 0");
        }
    }
}
