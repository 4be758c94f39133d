//! # event: Python's `threading.Event`
//!
//! An `Event` is a flag that threads can wait for. Python's tutorials use one as a stop
//! signal: the main thread calls `stop_event.set()` and the background thread notices.
//!
//! Build it from a `Mutex<bool>` (the flag) and a `Condvar` (wakes the waiters):
//!
//! - `set()` raises the flag and wakes *every* waiting thread;
//! - `clear()` lowers it; `is_set()` reads it;
//! - `wait()` returns at once if the flag is up, otherwise sleeps until `set()`;
//! - `wait_timeout(t)` is Python's `wait(timeout=t)`: `true` if the flag is up, `false` if
//!   `t` passed first.
//!
//! A waiter must never sleep through a `set()` that happened while it was deciding to wait
//! (the missed wake-up): the loom tests try every interleaving to find one.

use crate::sync::{Condvar, Mutex};
use crate::time::{Duration, Instant};

/// A flag that threads can wait for (`threading.Event()`).
#[derive(Debug, Default)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Self {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Raises the flag and wakes every thread waiting for it.
    pub fn set(&self) {
        let mut flag = self.flag.lock().unwrap();
        *flag = true;
        // Every waiter waits for the same thing, so all of them may go: notify_all.
        self.changed.notify_all();
    }

    /// Lowers the flag; later waits block again until the next `set`.
    pub fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    /// Whether the flag is up.
    pub fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    /// Blocks until the flag is up (returns at once if it already is).
    pub fn wait(&self) {
        let mut flag = self.flag.lock().unwrap();
        // Checked and waited under one guard, so a `set` cannot slip in between. `while`,
        // not `if`: a Condvar may wake spuriously, and the flag may have been cleared again.
        while !*flag {
            flag = self.changed.wait(flag).unwrap();
        }
    }

    /// Blocks until the flag is up or `timeout` has passed; `true` if the flag is up.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        // A timeout too large for the clock is "forever".
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            self.wait();
            return true;
        };
        let mut flag = self.flag.lock().unwrap();
        // One deadline for the whole wait: a spurious wake-up must not restart the timeout.
        while !*flag {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            flag = self.changed.wait_timeout(flag, deadline - now).unwrap().0;
        }
        true
    }
}
