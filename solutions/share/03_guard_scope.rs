//! # guard_scope: a lock is held exactly as long as its guard lives
//!
//! Python's `with lock:` ends where the indentation ends. Rust's `lock()` returns a
//! `MutexGuard`, and the lock is held until that guard is dropped: at the end of the block
//! that owns it, at `drop(guard)`, or at the end of the statement for a guard that is never
//! stored. std's `Mutex` is not reentrant: a thread that locks it again while it holds it
//! waits for itself forever.
//!
//! `Inbox` collects messages from any number of threads. `deliver` takes every message
//! posted so far out of the inbox and calls `handle` on each, in posting order, and returns
//! how many it handled. `handle` gets the inbox too and may post to it (a reply, or a
//! message from another thread may arrive meanwhile): such messages stay in the inbox for
//! the next `deliver`, and posting from inside `handle` never blocks or deadlocks.

use crate::sync::Mutex;

/// Messages waiting to be delivered.
#[derive(Debug, Default)]
pub struct Inbox {
    messages: Mutex<Vec<String>>,
}

impl Inbox {
    /// An empty inbox.
    pub fn new() -> Self {
        Self {
            messages: Mutex::new(Vec::new()),
        }
    }

    /// Adds a message for the next `deliver`.
    pub fn post(&self, message: &str) {
        self.messages.lock().unwrap().push(message.to_owned());
    }

    /// How many messages wait.
    pub fn len(&self) -> usize {
        self.messages.lock().unwrap().len()
    }

    /// Whether no message waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands every waiting message, oldest first, to `handle`; returns how many.
    pub fn deliver(&self, mut handle: impl FnMut(&Inbox, String)) -> usize {
        let taken = std::mem::take(&mut *self.messages.lock().unwrap());
        let delivered = taken.len();
        for message in taken {
            handle(self, message);
        }
        delivered
    }
}
