//! # auto_save: a background saver that never loses the last edit
//!
//! A word processor has a thread that auto-saves the document in the background. Polling
//! ("every second, save if something changed") wastes wake-ups and still loses the edit made
//! in the last second before quitting. Build a saver that:
//!
//! - sleeps until there is an unsaved edit or a stop request, and wakes for either at once
//!   (no timer, no polling);
//! - lets editing go on while a save is in progress: `edit` never waits for the disk;
//! - on `stop`, saves whatever is still unsaved, then ends; `stop` returns once the saver
//!   thread has finished, so nothing is lost when the program exits. Without any edit,
//!   nothing is saved.
//!
//! Several quick edits may be saved as one: every text saved is an edit, in the order of
//! the edits, and the last edit is always the last text saved.

use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::{self, JoinHandle};

#[derive(Debug, Default)]
struct Document {
    text: String,
    /// An edit happened since the last copy was taken for saving.
    dirty: bool,
    /// `stop` was called: save what is left, then end.
    stopping: bool,
}

#[derive(Debug, Default)]
struct Shared {
    document: Mutex<Document>,
    /// Notified on every edit and on stop: the two things the saver waits for.
    wake_saver: Condvar,
}

/// A document with its auto-save thread.
#[derive(Debug)]
pub struct AutoSaver {
    shared: Arc<Shared>,
    saver: JoinHandle<()>,
}

impl AutoSaver {
    /// Starts the saver thread. `save` is called on that thread with each text to save.
    pub fn start<F>(save: F) -> Self
    where
        F: FnMut(&str) + Send + 'static,
    {
        todo!()
    }

    /// Replaces the document's text and wakes the saver.
    pub fn edit(&self, text: &str) {
        todo!()
    }

    /// Asks the saver to save what is left and end, and waits until it has.
    pub fn stop(self) {
        todo!()
    }
}

fn run_saver<F: FnMut(&str)>(shared: &Shared, save: F) {
    todo!()
}
