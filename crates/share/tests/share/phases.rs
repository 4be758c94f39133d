//! Exercise `phases`: workers meet at a `Barrier` between the phases of every round.

use std::sync::Arc;

use share::phases::Board;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Runs `parts[w]` through worker `w`, one thread each; returns every worker's totals.
fn run(parts: Vec<Vec<u64>>) -> (Vec<Vec<u64>>, Vec<u64>) {
    finishes_within(GENEROUS, "workers meeting on a board", move || {
        let board = Arc::new(Board::new(parts.len()));
        let handles: Vec<_> = parts
            .into_iter()
            .enumerate()
            .map(|(me, mine)| {
                let board = Arc::clone(&board);
                std::thread::spawn(move || {
                    mine.into_iter()
                        .map(|part| board.round(me, part))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let seen = handles.into_iter().map(|h| h.join().unwrap()).collect();
        (seen, board.totals())
    })
}

#[test]
fn every_worker_reads_every_part_of_each_round() {
    let (seen, totals) = run(vec![vec![1, 10, 100], vec![2, 20, 200], vec![3, 30, 300]]);
    assert_eq!(
        seen,
        vec![vec![6, 60, 600]; 3],
        "each worker's round must return the sum of every worker's part of the same round"
    );
    assert_eq!(totals, [6, 60, 600], "one total per round, in round order");
}

#[test]
fn exactly_one_leader_appends_each_rounds_total() {
    let parts: Vec<Vec<u64>> = (0..4)
        .map(|w| (0..5).map(|r| w * 10 + r).collect())
        .collect();
    let (_, totals) = run(parts);
    assert_eq!(
        totals,
        [60, 64, 68, 72, 76],
        "4 workers, 5 rounds: 5 totals, appended by one leader per round (is_leader), \
         not one per worker"
    );
}

#[test]
fn a_single_worker_meets_only_itself() {
    let board = Board::new(1);
    let got = finishes_within(GENEROUS, "a board of one", move || {
        let got = (board.round(0, 4), board.round(0, 5));
        (got, board.totals())
    });
    assert_eq!(
        got,
        ((4, 5), vec![4, 5]),
        "a lone worker reads its own part and leads"
    );
}

#[test]
fn a_new_board_has_no_totals() {
    assert_eq!(
        Board::new(3).totals(),
        Vec::<u64>::new(),
        "no round ran yet"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    // std's `Arc`, not loom's: the board's own locks and meetings are what the models
    // explore; loom's reference counts would only multiply the interleavings.
    use std::sync::Arc;

    use crate::thread;
    use crate::under_loom::phases::Board;

    /// Worker 1 in a spawned thread, worker 0 in the model's own.
    fn two_workers(mine: Vec<u64>, theirs: Vec<u64>) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
        let board = Arc::new(Board::new(2));
        let other = Arc::clone(&board);
        let worker = thread::spawn(move || {
            theirs
                .into_iter()
                .map(|p| other.round(1, p))
                .collect::<Vec<_>>()
        });
        let seen: Vec<u64> = mine.into_iter().map(|p| board.round(0, p)).collect();
        let seen_there = worker.join().unwrap();
        (seen, seen_there, board.totals())
    }

    support::loom_test! {
        /// Two workers, one round: nobody adds up before both parts are on the board.
        fn no_worker_reads_a_round_before_every_part_is_on_the_board() {
            let (seen, seen_there, totals) = two_workers(vec![1], vec![2]);
            assert_eq!(
                (seen, seen_there),
                (vec![3], vec![3]),
                "a worker added up the board before the other put its part there: meet \
                 between putting and reading"
            );
            assert_eq!(totals, [3], "one leader appends the round's total");
        }
    }

    support::loom_test! {
        /// Two workers, two rounds: a fast worker must not put round 2's part while the
        /// other still adds up round 1.
        fn no_worker_overwrites_a_part_another_still_reads() {
            let (seen, seen_there, totals) = two_workers(vec![1, 10], vec![2, 20]);
            assert_eq!(
                (seen, seen_there),
                (vec![3, 30], vec![3, 30]),
                "a worker added up a board that mixed two rounds: the other worker put its \
                 next part before this one had read the last round. Meet again before the \
                 next round's put"
            );
            assert_eq!(totals, [3, 30], "one total per round, in round order");
        }
    }
}
