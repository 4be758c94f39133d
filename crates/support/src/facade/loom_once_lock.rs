//! The loom flavour's `sync::OnceLock`: loom 0.7 has none.
//!
//! A state (empty, being initialised, full) under the traced [`Mutex`], one traced
//! [`Condvar`] for the threads that wait while another initialises, and the value in a
//! cell written once, by the one thread that moved the state from empty to initialising,
//! before it publishes "full" under the lock. Every reader locks first and reads the value
//! only once it saw "full", so loom's lock gives every read its happens-before. Like std's:
//! `get_or_init` runs the initialiser in exactly one thread while the others wait for it,
//! `set` fails (giving the value back) when it is already full, and an initialiser that
//! panics leaves the cell empty for the next caller.
//!
//! **`new` is not `const`** (loom's `Mutex::new` is not), so unlike std's a loom `OnceLock`
//! cannot be a plain `static`: keep it in a field (or in `lazy_static!`).

use std::cell::UnsafeCell;
use std::fmt;

use super::traced::{Condvar, Mutex};

/// A cell written at most once, like `std::sync::OnceLock`.
pub struct OnceLock<T> {
    state: Mutex<State>,
    initialised: Condvar,
    value: UnsafeCell<Option<T>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Empty,
    /// One thread runs the initialiser (or `set` writes); the others wait.
    Running,
    Full,
}

// SAFETY: the value is written only by the thread that moved the state from `Empty` to
// `Running`, while no reader may look at it, and is read (shared, never written again) only
// after the state was seen `Full` under the lock. That is std's `OnceLock`'s contract:
// sharing it shares `&T` (`T: Sync`) and may hand a `T` from one thread to another
// (`T: Send`).
unsafe impl<T: Sync + Send> Sync for OnceLock<T> {}
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T> Default for OnceLock<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Puts the cell back to empty if the initialiser panics (the unwinding drops this).
struct Reset<'a, T> {
    cell: &'a OnceLock<T>,
    armed: bool,
}

impl<T> Drop for Reset<'_, T> {
    fn drop(&mut self) {
        if self.armed {
            *self.cell.state.lock().unwrap_or_else(|e| e.into_inner()) = State::Empty;
            self.cell.initialised.notify_all();
        }
    }
}

impl<T> OnceLock<T> {
    /// An empty cell. Not `const`, unlike std's (see the module doc).
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State::Empty),
            initialised: Condvar::new(),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, if the cell is full; never waits for an initialiser.
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        let state = *self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state == State::Full).then(|| self.full())
    }

    /// Fills an empty cell with `value`; `Err(value)` if it is already full. Waits while
    /// another thread initialises it, as std's does.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, running `init` first if the cell is empty. Of many threads asking at
    /// once, exactly one runs `init`; the others wait for it and get its value.
    #[track_caller]
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match *state {
                State::Full => return self.full(),
                State::Running => {
                    state = self
                        .initialised
                        .wait(state)
                        .unwrap_or_else(|e| e.into_inner());
                }
                State::Empty => break,
            }
        }
        *state = State::Running;
        drop(state);
        let mut reset = Reset {
            cell: self,
            armed: true,
        };
        let value = init();
        // SAFETY: only this thread moved the state to `Running`; nobody reads the value
        // before it is `Full` (see the `Sync` impl).
        unsafe { *self.value.get() = Some(value) };
        reset.armed = false;
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = State::Full;
        self.initialised.notify_all();
        self.full()
    }

    /// The value of a cell seen `Full`.
    fn full(&self) -> &T {
        // SAFETY: the state was `Full`, so the value was written and never changes again.
        unsafe { (*self.value.get()).as_ref() }.expect("a full cell holds its value")
    }

    /// The value, if any, taking the cell apart.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("OnceLock");
        match self.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn concurrent_get_or_init_runs_the_initialiser_once() {
        loom::model(|| {
            let cell = Arc::new(OnceLock::new());
            let runs = Arc::new(AtomicUsize::new(0));
            let (c, r) = (Arc::clone(&cell), Arc::clone(&runs));
            let worker = loom::thread::spawn(move || {
                *c.get_or_init(|| {
                    r.fetch_add(1, Ordering::SeqCst);
                    1
                })
            });
            let mine = *cell.get_or_init(|| {
                runs.fetch_add(1, Ordering::SeqCst);
                2
            });
            let theirs = worker.join().unwrap();
            assert_eq!(mine, theirs, "both see the one value");
            assert_eq!(runs.load(Ordering::SeqCst), 1, "one initialiser ran");
            assert_eq!(cell.get(), Some(&mine));
        });
    }

    #[test]
    fn set_fills_once_and_get_never_waits() {
        loom::model(|| {
            let cell = Arc::new(OnceLock::new());
            let other = Arc::clone(&cell);
            let worker = loom::thread::spawn(move || other.set(1));
            let seen = cell.get().copied();
            let mine = cell.set(2);
            let theirs = worker.join().unwrap();
            assert!(mine.is_ok() != theirs.is_ok(), "exactly one set succeeds");
            let value = *cell.get().unwrap();
            assert!(seen.is_none() || seen == Some(value));
            assert_eq!(if mine.is_ok() { 2 } else { 1 }, value);
        });
    }

    #[test]
    fn a_panicking_initialiser_leaves_it_empty() {
        // One thread, caught where it panics: loom fails a model whose thread panics out.
        loom::model(|| {
            let cell = OnceLock::new();
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                cell.get_or_init(|| -> u8 { panic!("init failed") });
            }));
            assert!(panicked.is_err());
            assert_eq!(cell.get(), None, "still empty after the panic");
            assert_eq!(*cell.get_or_init(|| 3), 3, "the next caller initialises it");
        });
    }
}
