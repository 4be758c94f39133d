//! # sql_lock: one connection, many threads
//!
//! The tutorials share one database connection between threads and guard every query with
//! `sql_lock = threading.Lock()`. Here the "connection" is an in-memory table plus a query
//! log. `insert_and_read_back` inserts a row and reads back the last inserted row (like
//! SQLite's `last_insert_rowid()`): the two steps must be one transaction, or another
//! thread's insert can land in between and you read back *its* row.

use crate::sync::Mutex;

/// A row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: u64,
    pub name: String,
}

/// The raw connection. Not thread-safe on its own: every call needs `&mut`.
#[derive(Debug, Default)]
pub struct Connection {
    rows: Vec<Row>,
    log: Vec<String>,
}

impl Connection {
    /// `INSERT INTO people (name) VALUES (?)`: the new row gets the next id.
    pub fn insert(&mut self, name: &str) {
        let id = self.rows.len() as u64 + 1;
        self.log.push(format!("INSERT {name}"));
        self.rows.push(Row {
            id,
            name: name.to_string(),
        });
    }

    /// `SELECT * FROM people WHERE id = last_insert_rowid()`.
    pub fn last_inserted(&self) -> Option<Row> {
        self.rows.last().cloned()
    }

    /// Logs the read, so tests can see that each INSERT is followed by its own SELECT.
    pub fn log_select(&mut self, row: &Row) {
        self.log.push(format!("SELECT {}", row.name));
    }
}

/// One connection shared by every thread, like the tutorials' `sql_lock` example.
#[derive(Debug, Default)]
pub struct SharedDb {
    connection: Mutex<Connection>,
}

impl SharedDb {
    pub fn new() -> Self {
        todo!()
    }

    /// Inserts `name` and returns the row read back, which is always the row this call
    /// inserted (ids start at 1). The insert, the read and its log entry are one
    /// transaction: in the query log every `INSERT name` is followed at once by its own
    /// `SELECT name`, however many threads insert at the same time.
    pub fn insert_and_read_back(&self, name: &str) -> Row {
        todo!()
    }

    /// Every row, in id order.
    pub fn rows(&self) -> Vec<Row> {
        todo!()
    }

    /// Every query so far, in the order the connection ran them.
    pub fn query_log(&self) -> Vec<String> {
        todo!()
    }
}
