//! The steps of the loom execution being explored, so a failing model's report can show the
//! interleaving that breaks it, step by step, in the learner's own file.
//!
//! The loom flavour's primitives ([`crate::facade::loom_flavour`]) record each operation with
//! `#[track_caller]`: which thread, what, on which object, where. loom runs a model's threads
//! as coroutines on one OS thread, so one plain (std) log needs no ordering of its own; it is
//! emptied as each execution starts, so after loom panics it holds the failing execution.
//! The child process prints it ([`print_on_panic`]) and the parent renders it ([`render`]).

mod render;

use std::panic::Location;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

#[cfg(test)]
pub(crate) use render::dump;
pub(crate) use render::in_learners_file;
pub use render::{Blocked, parse, render};

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Asked for a lock (the step a blocked thread stays at).
    Lock,
    /// Got it.
    Locked,
    Unlock,
    /// Asked an `RwLock` for a read (shared) lock; a write lock is `Lock`/`Locked`/`Unlock`.
    ReadLock,
    /// Got the read lock (other readers may hold it too).
    ReadLocked,
    /// Let go of a read lock.
    ReadUnlock,
    /// Released the lock and sleeps on a condition variable.
    Wait,
    /// Woke from a condition variable wait, holding the lock again.
    Woke,
    /// Returned from a wait with no notification, holding the lock again (see
    /// `facade::traced::Condvar`).
    WokeSpuriously,
    NotifyOne,
    NotifyAll,
    Load(u64),
    Store(u64),
    /// A read-modify-write (fetch_add, swap, compare_exchange...): the value it read.
    Update(u64),
    /// Sends on a channel.
    Send,
    /// Asks a channel for a value (the step a blocked receiver stays at).
    Recv,
    /// Got one (or learned the channel is closed).
    Received,
    /// Arrives at a `Barrier`, the `n`th of its generation (counting from 1).
    Arrive(u64),
    /// Sleeps at a `Barrier` until the rest arrive (the step a blocked thread stays at).
    AtBarrier,
    /// Let go by the barrier: every thread of its generation has arrived.
    PassedBarrier,
    Spawn(usize),
    /// Waits for a thread to finish (the step a blocked joiner stays at).
    Joining(usize),
    Join(usize),
}

/// One recorded operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub thread: usize,
    pub op: Op,
    /// The object's address, so steps on one lock can be told apart from steps on another.
    pub object: usize,
    pub file: String,
    pub line: u32,
}

/// A step as recorded: nothing allocated, turned into a [`Step`] only when printed.
#[derive(Clone, Copy)]
struct Raw {
    /// `None` while the thread's thread-locals are being destroyed (see [`running_thread`]).
    thread: Option<loom::thread::ThreadId>,
    op: Op,
    object: usize,
    at: &'static Location<'static>,
}

static LOG: Mutex<Vec<Raw>> = Mutex::new(Vec::new());
/// Off only for measuring what recording costs (`THREADWORK_TRACE=0`, scripts/bench-trace).
static ENABLED: AtomicBool = AtomicBool::new(true);
/// The environment variable that turns recording off.
pub const TRACE_ENV: &str = "THREADWORK_TRACE";
static NAMES: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());

/// Starts the log afresh: called as each explored execution begins.
pub fn begin_execution() {
    enter_thread();
    LOG.lock().unwrap_or_else(|e| e.into_inner()).clear();
    NAMES.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The thread number of steps taken by a thread-local's destructor as its thread exits.
pub const EXITING: usize = usize::MAX;

loom::thread_local! {
    /// The running thread's id, set as it starts. Cheaper than `loom::thread::current()`
    /// per step, and readable exactly while that is: loom takes every thread-local of an
    /// exiting thread away before running their destructors, which may lock (a buffer
    /// flushed on exit) but must not make `current()` panic.
    static ME: std::cell::Cell<Option<loom::thread::ThreadId>> = std::cell::Cell::new(None);
}

/// Called first in every thread of a model (the facade's `spawn` wraps the closure), so the
/// thread-local exists and is later seen destroyed, not created afresh, during teardown.
pub fn enter_thread() {
    ME.with(|me| me.set(Some(loom::thread::current().id())));
}

/// The running model thread, `None` while its thread-locals are being destroyed.
pub(crate) fn running_thread() -> Option<loom::thread::ThreadId> {
    ME.try_with(std::cell::Cell::get).ok().flatten()
}

/// loom's `ThreadId` prints as `ThreadId(3)`; it has no other accessor.
pub fn thread_number(id: loom::thread::ThreadId) -> usize {
    format!("{id:?}")
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// Remembers the name an exercise gave a thread (`Builder::name`).
pub fn name_thread(thread: usize, name: &str) {
    NAMES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((thread, name.to_string()));
}

/// Records one step of the running thread.
pub fn record(op: Op, object: usize, at: &'static Location<'static>) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let step = Raw {
        thread: running_thread(),
        op,
        object,
        at,
    };
    LOG.lock().unwrap_or_else(|e| e.into_inner()).push(step);
}

/// The marker lines around the printed log, found by [`parse`].
pub const BEGIN: &str = "[threadwork] trace begin";
pub const END: &str = "[threadwork] trace end";

/// In the model's child process: on the first panic (the failing execution), print the log
/// after the panic message, for the parent's report.
pub fn print_on_panic() {
    ENABLED.store(
        std::env::var(TRACE_ENV).map_or(true, |v| v != "0"),
        Ordering::Relaxed,
    );
    static PRINTED: AtomicBool = AtomicBool::new(false);
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        if PRINTED.swap(true, Ordering::SeqCst) {
            return;
        }
        let log: Vec<Step> = LOG
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|r| Step {
                thread: r.thread.map_or(EXITING, thread_number),
                op: r.op,
                object: r.object,
                file: r.at.file().to_string(),
                line: r.at.line(),
            })
            .collect();
        let names = NAMES.lock().unwrap_or_else(|e| e.into_inner()).clone();
        eprintln!("{}", render::dump(&log, &names));
    }));
}
