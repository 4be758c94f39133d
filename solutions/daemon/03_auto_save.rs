//! # auto_save: a background saver that never loses the last edit
//!
//! A word processor has a thread that auto-saves the document in the background. Polling
//! ("every second, save if something changed") wastes wake-ups and still loses the edit made
//! in the last second before quitting. Build a saver that:
//!
//! - sleeps until there is an unsaved edit or a stop request (a `Condvar`, no timer);
//! - saves a *copy* of the text without holding the lock, so editing never waits for the
//!   disk;
//! - on `stop`, saves whatever is still unsaved, then ends; `stop` returns once the saver
//!   thread has finished, so nothing is lost when the program exits.
//!
//! Several quick edits may be saved as one: only the latest text matters.

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
        let shared = Arc::new(Shared::default());
        let for_saver = Arc::clone(&shared);
        let saver = thread::spawn(move || run_saver(&for_saver, save));
        Self { shared, saver }
    }

    /// Replaces the document's text and wakes the saver.
    pub fn edit(&self, text: &str) {
        let mut document = self.shared.document.lock().unwrap();
        document.text = text.to_string();
        document.dirty = true;
        // One saver thread waits on this Condvar, so notify_one reaches it.
        self.shared.wake_saver.notify_one();
    }

    /// Asks the saver to save what is left and end, and waits until it has.
    pub fn stop(self) {
        self.shared.document.lock().unwrap().stopping = true;
        self.shared.wake_saver.notify_one();
        // The join is the promise: when `stop` returns, the last edit is saved.
        self.saver.join().unwrap();
    }
}

fn run_saver<F: FnMut(&str)>(shared: &Shared, mut save: F) {
    let mut document = shared.document.lock().unwrap();
    loop {
        // `while`: sleep again if woken with nothing to do (a spurious wake-up).
        while !document.dirty && !document.stopping {
            document = shared.wake_saver.wait(document).unwrap();
        }
        // Dirty first: a stop request never skips the last edit.
        if document.dirty {
            let copy = document.text.clone();
            document.dirty = false;
            // Save without the lock, so edits go on meanwhile; they set `dirty` again.
            drop(document);
            save(&copy);
            document = shared.document.lock().unwrap();
        } else {
            // Stopping and nothing left to save.
            return;
        }
    }
}
