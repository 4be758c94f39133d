//! The hang guard for std tests: a deadlocked learner's program must fail its test with a
//! clear message, not freeze `cargo test`. Never used to order threads: the limit is
//! generous, and a test that finishes never waits for it.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// The default limit: far above any correct solution even on a saturated 2-core machine.
pub const GENEROUS: Duration = Duration::from_secs(60);

/// Replaces every test's limit when set (whole seconds). The grader sets it: a class has
/// many deadlocked submissions and each would otherwise idle a full minute per stuck test.
pub const LIMIT_ENV: &str = "THREADWORK_HANG_GUARD_SECS";

/// `limit`, unless [`LIMIT_ENV`] holds a positive number of seconds.
pub(crate) fn effective(limit: Duration) -> Duration {
    std::env::var(LIMIT_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&secs| secs > 0)
        .map_or(limit, Duration::from_secs)
}

thread_local! {
    /// What a guard on this thread gave up on, if one did. libtest runs each test on its own
    /// thread and proptest runs every case (and every shrinking retry) on it, so this is
    /// "an earlier case of this test hung".
    static GAVE_UP_ON: RefCell<Option<String>> = const { RefCell::new(None) };
    /// On a guarded body's thread: where the guard reads what the body waits for now.
    static AWAITING: RefCell<Option<Awaited>> = const { RefCell::new(None) };
}

/// What a guarded body said it waits for (see [`awaiting`]).
type Awaited = Arc<Mutex<Option<String>>>;

/// Called inside a guarded body before a step that may block: if the guard fires, its
/// message says the body was waiting for `what` ("the first beat", "next() to yield the
/// second future") instead of guessing. Outside a guarded body it does nothing.
pub fn awaiting(what: impl Into<String>) {
    AWAITING.with(|a| {
        if let Some(awaited) = &*a.borrow() {
            *awaited.lock().unwrap_or_else(|e| e.into_inner()) = Some(what.into());
        }
    });
}

/// The hang guard's message: what was awaited if the body said so, else the usual causes.
fn hang_message(what: &str, secs: u64, awaited: Option<String>) -> String {
    let cause = match awaited {
        Some(awaited) => format!(
            "it was waiting for {awaited}, which never came (a deadlock, a wake-up that is \
             never sent, or a loop that never ends before it)"
        ),
        None => "it never finished: threads deadlocked (each holding a lock another waits \
                 for), a wake-up that never comes, or a loop that never ends"
            .to_string(),
    };
    format!(
        "{what} was still running after {secs} s: {cause}. If the exercise is loom-checked \
         (`cargo tw list` says so), its loom tests show the exact interleaving."
    )
}

/// Runs `body` on a fresh thread and returns its result; if it has not finished after
/// `limit`, fails with a message saying `what` was stuck and what that usually means.
/// A panic in `body` is passed on unchanged, so assertion messages reach the learner.
pub fn finishes_within<T, F>(limit: Duration, what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let limit = effective(limit);
    // Once a case hung, proptest would shrink and run ever smaller inputs, each waiting out
    // the limit again (hours in all): refuse at once, so the test ends with this report.
    if let Some(earlier) = GAVE_UP_ON.with(|g| g.borrow().clone()) {
        panic!(
            "not run: {earlier} hung earlier in this test (its thread is still stuck), so \
             no further case is tried; proptest's \"minimal failing input\" below is not the \
             input that hung, the first one it printed is"
        );
    }
    let (done_tx, done_rx) = mpsc::channel();
    let awaited = Awaited::default();
    let told = Arc::clone(&awaited);
    let worker = std::thread::spawn(move || {
        AWAITING.with(|a| *a.borrow_mut() = Some(told));
        let value = body();
        // The receiver is gone only if we already timed out; nothing to report then.
        let _ = done_tx.send(());
        value
    });
    match done_rx.recv_timeout(limit) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            GAVE_UP_ON.with(|g| *g.borrow_mut() = Some(format!("`{what}`")));
            let awaited = awaited.lock().unwrap_or_else(|e| e.into_inner()).clone();
            panic!("{}", hang_message(what, limit.as_secs(), awaited))
        }
    }
}
