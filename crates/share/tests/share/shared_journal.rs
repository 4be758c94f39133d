//! Exercise `shared_journal`: `Sync`, and no line lost.

// The stub's `Journal` is not `Sync` until the learner makes it so: an `Arc` of it is the
// exercise, and its test says so at run time.
#![allow(clippy::arc_with_non_send_sync)]

use std::sync::Arc;

use share::shared_journal::{Journal, write_from_threads};
use support::finishes_within;
use support::hang_guard::GENEROUS;

use crate::probe::is_sync;

fn batch(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

#[test]
fn a_journal_can_be_shared_between_threads() {
    assert!(
        is_sync!(Journal),
        "`Journal` is not Sync: two threads cannot use one `&Journal` at once, so an \
         `Arc<Journal>` cannot cross threads. A `RefCell` inside is the usual reason."
    );
}

#[test]
fn lines_come_back_in_writing_order() {
    let journal = Journal::new();
    journal.write("one");
    journal.write("two");
    assert_eq!(
        journal.lines(),
        batch(&["one", "two"]),
        "lines in the order written"
    );
    assert_eq!(
        Journal::new().lines(),
        Vec::<String>::new(),
        "a new journal is empty"
    );
}

#[test]
fn every_thread_writes_all_its_lines_in_order() {
    let batches: Vec<Vec<String>> = (0..4)
        .map(|t| (0..50).map(|i| format!("t{t}-{i}")).collect())
        .collect();
    let expected = batches.clone();
    // The journal lives inside the guarded closure: a `Journal` that is not `Sync` yet must
    // fail `a_journal_can_be_shared_between_threads`, not the compilation of every test.
    let lines = finishes_within(GENEROUS, "write_from_threads", move || {
        let journal = Arc::new(Journal::new());
        write_from_threads(&journal, batches);
        journal.lines()
    });
    assert_eq!(
        lines.len(),
        200,
        "4 threads x 50 lines: lines were lost or duplicated"
    );
    for (t, batch) in expected.iter().enumerate() {
        let mine: Vec<_> = lines
            .iter()
            .filter(|l| l.starts_with(&format!("t{t}-")))
            .cloned()
            .collect();
        assert_eq!(
            &mine, batch,
            "thread {t}'s lines are missing or out of order"
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::under_loom::shared_journal::{Journal, write_from_threads};

    support::loom_test! {
        /// Two threads append one line each at the same time: both lines are kept.
        fn no_line_is_lost_in_any_interleaving() {
            let journal = Arc::new(Journal::new());
            write_from_threads(&journal, vec![vec!["a".to_string()], vec!["b".to_string()]]);
            let mut lines = journal.lines();
            lines.sort();
            assert_eq!(
                lines,
                vec!["a".to_string(), "b".to_string()],
                "two threads wrote one line each, the journal kept {lines:?}: an append that \
                 lets go of the lock between reading and writing loses the other's line"
            );
        }
    }
}
