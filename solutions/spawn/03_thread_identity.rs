//! # thread_identity: `name`, `ident`, `current_thread()`, `main_thread()`
//!
//! Python gives every thread a `name` (yours, or `"Thread-3"`) and, once started, an
//! `ident`. `threading.current_thread()` tells running code which thread it is on, and
//! `threading.main_thread()` finds the thread the interpreter started with.
//!
//! In Rust: `thread::Builder::new().name(..)` names a thread before it starts (a name is
//! optional: an unnamed thread's `name()` is `None`); `thread::current()` is the running
//! thread's handle, with `.name()` and `.id()`; `JoinHandle::thread()` is what the parent
//! knows about a child. A `ThreadId` is never reused while the process lives (a Python
//! `ident` may be recycled once its thread has ended). There is no global "main thread"
//! lookup: the main thread records who it is at start-up and hands that record around.
//!
//! A classic slip: asking `thread::current()` *before* spawning, then moving the answer into
//! the new thread. That reports the parent. A thread learns who it is by asking from inside.

use crate::thread::{self, JoinHandle, ThreadId};

/// Who a thread is: Python's `(t.name, t.ident)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: Option<String>,
    pub id: ThreadId,
}

/// `threading.current_thread()`: the identity of the thread running this line.
pub fn whoami() -> Identity {
    let me = thread::current();
    Identity {
        name: me.name().map(str::to_owned),
        id: me.id(),
    }
}

/// `Thread(target=f, name=name).start()`: runs `f` on a new thread called `name`.
///
/// Panics if the operating system refuses to start a thread (Python raises `RuntimeError`).
pub fn spawn_named<F, T>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(f)
        .unwrap_or_else(|e| panic!("could not start thread {name:?}: {e}"))
}

/// `(t.name, t.ident)` as the parent sees them: read from the handle, without asking the
/// thread (which may be busy, or finished).
pub fn identity_of<T>(handle: &JoinHandle<T>) -> Identity {
    let thread = handle.thread();
    Identity {
        name: thread.name().map(str::to_owned),
        id: thread.id(),
    }
}

/// Starts a thread named `name` that reports its own identity, and returns
/// `(what the handle says, what the thread said)`. The two must agree.
pub fn ask_a_named_thread(name: &str) -> (Identity, Identity) {
    // `whoami` is called inside the closure, so it runs on the new thread.
    let handle = spawn_named(name, whoami);
    let seen_by_parent = identity_of(&handle);
    let seen_by_thread = handle
        .join()
        .expect("a thread that only asks who it is panicked");
    (seen_by_parent, seen_by_thread)
}

/// Python's `current_thread().name` is never empty. The same for display: the name if the
/// thread has one, otherwise `"unnamed ThreadId(N)"` (the id's `Debug` form).
pub fn display_name(identity: &Identity) -> String {
    match &identity.name {
        Some(name) => name.clone(),
        None => format!("unnamed {:?}", identity.id),
    }
}

/// `threading.main_thread()`: captured once by the main thread, cloned to whoever asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainThread {
    id: ThreadId,
}

impl MainThread {
    /// Records the calling thread as the main thread. Call it first thing in `main`.
    pub fn capture() -> Self {
        Self {
            id: thread::current().id(),
        }
    }

    /// The main thread's id.
    pub fn id(&self) -> ThreadId {
        self.id
    }

    /// Whether the calling thread is the one that called `capture`.
    pub fn is_current(&self) -> bool {
        thread::current().id() == self.id
    }
}
