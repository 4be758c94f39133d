//! Exercise `counter`: no increment is ever lost.

use std::sync::Arc;

use lock::counter::{Counter, count_in_parallel};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn a_new_counter_reads_zero() {
    assert_eq!(Counter::new().get(), 0, "Counter::new() must start at 0");
}

#[test]
fn increments_from_one_thread_add_up() {
    let counter = Counter::new();
    for _ in 0..5 {
        counter.increment();
    }
    assert_eq!(counter.get(), 5, "5 increments from one thread must read 5");
}

#[rstest]
#[case::one_thread(1, 1_000)]
#[case::two_threads(2, 10_000)]
#[case::eight_threads(8, 5_000)]
fn parallel_counts_add_up(#[case] threads: usize, #[case] per_thread: u64) {
    let total = finishes_within(GENEROUS, "count_in_parallel", move || {
        count_in_parallel(threads, per_thread)
    });
    assert_eq!(
        total,
        threads as u64 * per_thread,
        "{threads} threads x {per_thread} increments: increments were lost (or invented)"
    );
}

#[test]
fn a_counter_can_be_shared_through_an_arc() {
    let counter = Arc::new(Counter::new());
    let clone = Arc::clone(&counter);
    finishes_within(GENEROUS, "one increment on another thread", move || {
        std::thread::spawn(move || clone.increment())
            .join()
            .unwrap()
    });
    assert_eq!(
        counter.get(),
        1,
        "an increment made on another thread must be visible"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::counter::{Counter, count_in_parallel};

    support::loom_test! {
        /// Two threads increment once each. A split read/write (or an atomic load then
        /// store) loses one increment in some interleaving, and loom finds it.
        fn no_increment_is_lost_in_any_interleaving() {
            let counter = Arc::new(Counter::new());
            let other = Arc::clone(&counter);
            let handle = thread::spawn(move || other.increment());
            counter.increment();
            handle.join().unwrap();
            assert_eq!(
                counter.get(),
                2,
                "two threads incremented once each but the counter reads {}: both read the \
                 old value before either wrote. Hold the lock across the read and the write.",
                counter.get()
            );
        }
    }

    support::loom_test! {
        /// The learner's own spawning and joining, checked in every interleaving.
        fn count_in_parallel_joins_every_thread() {
            assert_eq!(
                count_in_parallel(2, 1),
                2,
                "count_in_parallel(2, 1) must return 2: was every thread joined before reading?"
            );
        }
    }
}
