//! Exercise `merge_at_end`: per-thread counts, merged once, give the shared-lock answer.

use std::sync::Arc;

use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;
use thread_locals::merge_at_end::{Totals, bucket_of, histogram_merged, histogram_shared_lock};

/// The histogram counted by one thread, the obvious way.
fn sequential(values: &[u32], buckets: usize) -> Vec<u64> {
    let mut counts = vec![0; buckets];
    for &value in values {
        counts[bucket_of(value, buckets)] += 1;
    }
    counts
}

#[test]
fn merge_adds_every_bucket() {
    let totals = Totals::new(3);
    totals.merge(&[1, 0, 2]);
    totals.merge(&[0, 5, 1]);
    assert_eq!(
        totals.snapshot(),
        [1, 5, 3],
        "merge must add local[i] to bucket i (not replace it)"
    );
}

#[test]
fn concurrent_merges_lose_nothing() {
    let totals = Arc::new(Totals::new(2));
    let shared = Arc::clone(&totals);
    finishes_within(GENEROUS, "eight threads merging", move || {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let totals = Arc::clone(&shared);
                std::thread::spawn(move || {
                    for _ in 0..1_000 {
                        totals.merge(&[1, 2]);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
    assert_eq!(
        totals.snapshot(),
        [8_000, 16_000],
        "8 threads x 1000 merges of [1, 2]: counts were lost. Add every bucket under one \
         guard of the lock"
    );
}

#[rstest]
#[case::one_thread(1, 10_000, 7)]
#[case::two_threads(2, 10_000, 16)]
#[case::more_threads_than_cores(8, 50_000, 4)]
#[case::more_threads_than_values(6, 4, 3)]
#[case::one_bucket(3, 1_000, 1)]
fn histogram_merged_matches_counting_alone(
    #[case] threads: usize,
    #[case] len: u32,
    #[case] buckets: usize,
) {
    let values: Vec<u32> = (0..len).map(|i| i.wrapping_mul(2_654_435_761)).collect();
    let expected = sequential(&values, buckets);
    let shared = Arc::new(values);
    let merged = finishes_within(GENEROUS, "histogram_merged", move || {
        histogram_merged(shared, buckets, threads)
    });
    assert_eq!(
        merged, expected,
        "{threads} threads, {len} values, {buckets} buckets: the merged histogram differs from \
         counting alone. Every value counted once, every thread's counts merged, every thread \
         joined before the snapshot?"
    );
}

#[test]
fn histogram_merged_agrees_with_the_shared_lock_version() {
    let values: Arc<Vec<u32>> = Arc::new((0..20_000u32).map(|i| i ^ (i >> 3)).collect());
    let (merged, locked) = finishes_within(GENEROUS, "both histograms", move || {
        (
            histogram_merged(Arc::clone(&values), 10, 4),
            histogram_shared_lock(values, 10, 4),
        )
    });
    assert_eq!(
        merged, locked,
        "the merged histogram must equal the one counted under the shared lock"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any values, any bucket count, any number of threads: the same counts as one thread.
    #[test]
    fn any_input_gives_the_sequential_histogram(
        values in prop::collection::vec(any::<u32>(), 0..300),
        buckets in 1usize..9,
        threads in 1usize..6,
    ) {
        let expected = sequential(&values, buckets);
        let shared = Arc::new(values);
        let merged = finishes_within(GENEROUS, "histogram_merged", move || {
            histogram_merged(shared, buckets, threads)
        });
        prop_assert_eq!(
            merged,
            expected,
            "{} threads, {} buckets: counts differ from counting alone",
            threads,
            buckets
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::merge_at_end::{Totals, histogram_merged};

    support::loom_test! {
        /// Two threads merge at the same moment: both contributions must be in the totals.
        fn two_merges_at_once_lose_nothing() {
            let totals = Arc::new(Totals::new(2));
            let other = Arc::clone(&totals);
            let worker = thread::spawn(move || other.merge(&[1, 2]));
            totals.merge(&[10, 20]);
            worker.join().unwrap();
            let counts = totals.snapshot();
            assert_eq!(
                counts,
                [11, 22],
                "merges of [1, 2] and [10, 20] ran at once and left {counts:?}: one merge \
                 overwrote the other. Read and write the counts under one guard"
            );
        }
    }

    support::loom_test! {
        /// The learner's own threads: every merge happens before the totals are read.
        fn histogram_merged_reads_the_totals_after_every_merge() {
            let counts = histogram_merged(Arc::new(vec![0, 1, 2, 3, 4]), 2, 2);
            assert_eq!(
                counts,
                [3, 2],
                "histogram_merged([0, 1, 2, 3, 4], 2 buckets, 2 threads) returned {counts:?}: \
                 a thread's counts were missing. Join every thread before the snapshot"
            );
        }
    }
}
