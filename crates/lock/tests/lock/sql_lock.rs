//! Exercise `sql_lock`: each insert-then-read-back is one transaction on the shared connection.

use std::sync::Arc;

use lock::sql_lock::{Row, SharedDb};
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Each INSERT in the log must be directly followed by the SELECT of the same name.
fn assert_transactions_are_not_interleaved(log: &[String]) {
    assert_eq!(log.len() % 2, 0, "every INSERT needs its SELECT: {log:?}");
    for pair in log.chunks(2) {
        let inserted = pair[0].strip_prefix("INSERT ");
        let selected = pair[1].strip_prefix("SELECT ");
        assert!(
            inserted.is_some() && inserted == selected,
            "another query ran between `{}` and `{}`: the insert and the read-back must \
             happen under one lock. Whole log: {log:?}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn a_single_insert_reads_back_its_own_row() {
    let db = SharedDb::new();
    let row = db.insert_and_read_back("ada");
    assert_eq!(
        row,
        Row {
            id: 1,
            name: "ada".into()
        },
        "the first row has id 1"
    );
    assert_eq!(
        db.rows(),
        vec![row],
        "the table holds exactly the inserted row"
    );
    assert_eq!(
        db.query_log(),
        ["INSERT ada", "SELECT ada"],
        "one INSERT, one SELECT"
    );
}

#[test]
fn ten_threads_each_read_back_their_own_row() {
    let db = Arc::new(SharedDb::new());
    let shared = Arc::clone(&db);
    let rows = finishes_within(GENEROUS, "10 threads querying one connection", move || {
        let handles: Vec<_> = (0..10)
            .map(|i| {
                let db = Arc::clone(&shared);
                std::thread::spawn(move || {
                    (0..50)
                        .map(|j| db.insert_and_read_back(&format!("query-{i}-{j}")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a query thread panicked"))
            .collect::<Vec<_>>()
    });
    for row in &rows {
        assert!(
            row.name.starts_with("query-"),
            "read back a row nobody inserted: {row:?}"
        );
    }
    assert_eq!(
        db.rows().len(),
        500,
        "10 threads x 50 inserts must leave 500 rows"
    );
    assert_transactions_are_not_interleaved(&db.query_log());
}

mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::sql_lock::SharedDb;

    support::loom_test! {
        /// Two threads insert and read back. Locking the insert and the read separately
        /// lets the other thread's insert land in between: you read back *its* row.
        fn each_thread_reads_back_the_row_it_inserted() {
            let db = Arc::new(SharedDb::new());
            let other = Arc::clone(&db);
            let handle = thread::spawn(move || other.insert_and_read_back("bob"));
            let mine = db.insert_and_read_back("ada");
            let theirs = handle.join().unwrap();
            assert_eq!(
                (mine.name.as_str(), theirs.name.as_str()),
                ("ada", "bob"),
                "a thread read back another thread's row: its insert and its read-back were \
                 not one transaction. Hold one lock across both."
            );
            super::assert_transactions_are_not_interleaved(&db.query_log());
        }
    }
}
