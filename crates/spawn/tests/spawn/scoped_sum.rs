//! Exercise `scoped_sum` (std only: loom has no `thread::scope`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Barrier;

use proptest::prelude::*;
use rstest::rstest;
use spawn::scoped_sum::{chunk_ranges, map_chunks, parallel_sum};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[rstest]
#[case::even(6, 3, vec![0..2, 2..4, 4..6])]
#[case::longer_first(10, 3, vec![0..4, 4..7, 7..10])]
#[case::one_part(5, 1, vec![0..5])]
#[case::more_parts_than_items(2, 5, vec![0..1, 1..2])]
#[case::nothing_to_split(0, 4, vec![])]
fn chunk_ranges_cuts_fair_contiguous_pieces(
    #[case] len: usize,
    #[case] parts: usize,
    #[case] expected: Vec<Range<usize>>,
) {
    assert_eq!(
        chunk_ranges(len, parts),
        expected,
        "chunk_ranges({len}, {parts}): at most {parts} non-empty ranges covering 0..{len} in \
         order, lengths differing by at most one, longer ones first"
    );
}

#[test]
#[should_panic(expected = "at least one")]
fn chunk_ranges_refuses_zero_parts() {
    chunk_ranges(10, 0);
}

proptest! {
    // No regression files: a failing case against an unfinished stub is not worth keeping
    // in the learner's tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// For any length and part count: ranges cover `0..len` in order, none empty, and
    /// their lengths differ by at most one.
    #[test]
    fn chunk_ranges_always_covers_everything_fairly(len in 0usize..300, parts in 1usize..20) {
        let ranges = chunk_ranges(len, parts);
        prop_assert_eq!(ranges.len(), parts.min(len), "min(parts, len) ranges");
        let mut next = 0;
        for r in &ranges {
            prop_assert_eq!(r.start, next, "ranges must be contiguous: {:?}", ranges);
            prop_assert!(r.end > r.start, "no empty range: {:?}", ranges);
            next = r.end;
        }
        prop_assert_eq!(next, len, "the ranges must end at len: {:?}", ranges);
        let sizes: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
        let (min, max) = (sizes.iter().min(), sizes.iter().max());
        if let (Some(min), Some(max)) = (min, max) {
            prop_assert!(max - min <= 1, "lengths differ by more than one: {:?}", sizes);
        }
    }

    /// The parallel sum is the plain sum, for any numbers and any thread count.
    #[test]
    fn parallel_sum_equals_the_sequential_sum(
        numbers in prop::collection::vec(0u64..1_000_000, 0..400),
        threads in 1usize..9,
    ) {
        let expected: u64 = numbers.iter().sum();
        let got = finishes_within(GENEROUS, "parallel_sum", move || parallel_sum(&numbers, threads));
        prop_assert_eq!(got, expected, "parallel_sum with {} threads", threads);
    }
}

#[test]
fn map_chunks_returns_results_in_chunk_order() {
    let numbers: Vec<u64> = (1..=10).collect();
    let firsts = finishes_within(GENEROUS, "map_chunks", move || {
        map_chunks(&numbers, 3, |chunk| chunk[0])
    });
    assert_eq!(
        firsts,
        [1, 5, 8],
        "each result must sit at its chunk's position (chunks 1..=4, 5..=7, 8..=10): join \
         the scoped handles in the order you spawned them"
    );
}

#[test]
fn map_chunks_runs_each_chunk_on_its_own_new_thread() {
    let caller = std::thread::current().id();
    let numbers: Vec<u64> = (0..40).collect();
    let ran_on = finishes_within(GENEROUS, "map_chunks", move || {
        map_chunks(&numbers, 4, |_| std::thread::current().id())
    });
    let distinct: HashSet<_> = ran_on.iter().collect();
    assert_eq!(
        (ran_on.len(), distinct.len()),
        (4, 4),
        "4 chunks must run on 4 different threads: spawn one scoped thread per chunk"
    );
    assert!(
        !ran_on.contains(&caller),
        "a chunk ran on the caller's thread: every chunk gets a scoped thread"
    );
}

#[test]
fn map_chunks_runs_all_chunks_at_the_same_time() {
    // Every chunk waits at one barrier for all the others: this finishes only if all four
    // run at once. Spawning and joining one chunk at a time makes the first wait forever.
    let numbers: Vec<u64> = (0..8).collect();
    let barrier = Barrier::new(4);
    let lens = finishes_within(GENEROUS, "4 chunks waiting for each other", move || {
        map_chunks(&numbers, 4, |chunk| {
            barrier.wait();
            chunk.len()
        })
    });
    assert_eq!(lens, [2, 2, 2, 2], "four chunks of two");
}

#[test]
fn map_chunks_borrows_the_callers_slice_without_copying() {
    let numbers: Vec<u64> = (0..12).collect();
    let base = numbers.as_ptr() as usize;
    let end = base + numbers.len() * std::mem::size_of::<u64>();
    let inside = finishes_within(GENEROUS, "map_chunks", move || {
        map_chunks(&numbers, 3, |chunk| {
            let at = chunk.as_ptr() as usize;
            base <= at && at < end
        })
    });
    assert_eq!(
        inside,
        [true, true, true],
        "the chunks must be slices of the caller's data (borrowed in a thread::scope), not \
         copies"
    );
}

#[rstest]
#[case::empty(vec![], 3, 0)]
#[case::one_thread(vec![1, 2, 3], 1, 6)]
#[case::more_threads_than_numbers(vec![40, 2], 8, 42)]
fn parallel_sum_adds_everything(
    #[case] numbers: Vec<u64>,
    #[case] threads: usize,
    #[case] expected: u64,
) {
    let got = finishes_within(GENEROUS, "parallel_sum", move || {
        parallel_sum(&numbers, threads)
    });
    assert_eq!(got, expected, "parallel_sum with {threads} threads");
}
