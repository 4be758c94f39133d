//! # shared_journal: `Sync`, and the Mutex that gives it
//!
//! Python's `list.append` from many threads just works (the GIL makes each append one
//! step). The Rust translation of "an object with a list inside that `&self` methods
//! change" is a `RefCell`, and it compiles until the journal is shared: an `Arc<Journal>`
//! can cross threads only if `Journal` is `Sync`, that is, if two threads may use a
//! `&Journal` at the same time. `RefCell` counts its borrows without synchronisation, so it
//! is not `Sync`.
//!
//! Make `Journal` `Sync`. `write` appends one line; `lines` returns every line written so
//! far. No line is ever lost or duplicated, and the lines one thread writes appear in the
//! order it wrote them. `write_from_threads` starts one thread per batch, each writing its
//! batch's lines in order to the one shared journal, and returns when every thread is done.

use crate::cell::RefCell;
use crate::sync::Arc;
use crate::thread;

/// Lines appended by any number of threads through `&self`.
#[derive(Debug, Default)]
pub struct Journal {
    lines: RefCell<Vec<String>>,
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        todo!()
    }

    /// Appends one line.
    pub fn write(&self, line: &str) {
        todo!()
    }

    /// Every line written so far, in the order they were appended.
    pub fn lines(&self) -> Vec<String> {
        todo!()
    }
}

/// One thread per batch, each writing its lines in order to `journal`; returns when all
/// threads have finished.
pub fn write_from_threads(journal: &Arc<Journal>, batches: Vec<Vec<String>>) {
    todo!()
}
