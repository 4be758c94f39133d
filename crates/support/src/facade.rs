//! The one place that names std's or loom's primitives (like tokio's `src/loom/`).
//!
//! Exercise files write `use crate::sync::{Arc, Mutex};`. The topic's lib re-exports
//! [`std_flavour`] as `crate::sync`, its test binary re-exports [`loom_flavour`], so the same
//! file is a real program and a loom model. The std flavour is a superset (std-only
//! exercises may use `thread::scope` or `sleep`); loom-checked exercises must stay within the
//! names both flavours share.

/// The real primitives, for the learner's program and the std tests.
// `#[path = "."]`: file modules declared inside resolve next to this file (src/), not in
// src/facade/std_flavour/ (see `futures` below).
#[path = "."]
pub mod std_flavour {
    pub mod sync {
        /// A process-wide static, spelled like loom's `lazy_static!` (see below).
        pub use crate::__std_lazy_static as lazy_static;
        pub use std::sync::*;
        // std's, with timed waits that follow a test's clock (see `crate::clock`); they
        // shadow std's own from the glob above.
        pub use super::super::clocked::{Condvar, WaitTimeoutResult, mpsc};
    }
    /// The course's clock: std's in a program, the test's in a test (see `crate::clock`).
    pub mod time {
        pub use crate::clock::Instant;
        pub use std::time::Duration;
    }
    pub mod thread {
        pub use std::thread::*;
        pub use std::thread_local;
    }
    pub mod cell {
        pub use super::super::std_unsafe_cell::UnsafeCell;
        pub use std::cell::{Cell, RefCell};
    }
    pub mod hint {
        pub use std::hint::*;
    }
    /// The one program an exercise may start (`Worker`), and std's `Child` (src/worker.rs);
    /// not `worker::for_tests`, which makes workers.
    pub mod process {
        pub use crate::worker::{
            Child, ChildStderr, ChildStdin, ChildStdout, ExitStatus, Output, Worker,
        };
    }
    /// A thread future and executor on these primitives (src/futures.rs, compiled per flavour).
    #[path = "futures.rs"]
    #[allow(clippy::duplicate_mod)] // on purpose: once per flavour, like the exercise files
    pub mod futures;
}

/// loom's checked primitives, with the same names.
#[path = "."] // as for `std_flavour`
pub mod loom_flavour {
    pub mod sync {
        pub use loom::sync::*;
        // Recorded for the failing execution's timeline (see `crate::trace`); they shadow
        // loom's own from the glob above.
        pub use super::super::traced::atomic;
        pub use super::super::traced::{Condvar, Mutex, MutexGuard, WaitTimeoutResult};
        pub use super::super::traced_rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
        // Plain error types loom does not re-export; they carry no synchronisation.
        pub use std::sync::{PoisonError, TryLockError};
        // Shadows loom's own mpsc, which never disconnects (see `loom_mpsc`).
        pub use super::super::loom_mpsc as mpsc;
        // loom's `Barrier` is a stub that panics when used, and loom has no `OnceLock`: the
        // course's own, on loom's primitives (see each module for how, and what it records
        // for the timeline). The loom `OnceLock::new` is not
        // `const`: keep one in a field, not a plain `static` (see `loom_once_lock`).
        pub use super::super::loom_barrier::{Barrier, BarrierWaitResult};
        pub use super::super::loom_once_lock::OnceLock;
        /// A static that loom creates afresh in every explored execution.
        pub use loom::lazy_static;
    }
    pub mod thread {
        pub use super::super::traced::thread::{Builder, JoinHandle, spawn};
        pub use loom::thread::*;
        pub use loom::thread_local;
        // `thread::Result<T>` (what `join` returns) is a plain alias loom does not re-export.
        pub use std::thread::Result;
    }
    pub mod cell {
        pub use loom::cell::{Cell, UnsafeCell};
        pub use std::cell::RefCell;
    }
    pub mod hint {
        pub use loom::hint::*;
    }
    /// The same as `std_flavour::process`: loom does not model processes.
    pub use super::std_flavour::process;
    /// The same clock as `std_flavour::time` (loom's timed waits never time out).
    pub use super::std_flavour::time;
    /// The same future and executor as `std_flavour::futures`, on loom's primitives.
    #[path = "futures.rs"]
    #[allow(clippy::duplicate_mod)] // on purpose: once per flavour, like the exercise files
    pub mod futures;
}

/// `crate::sync::lazy_static! { static ref NAME: Type = init; }` in the std flavour: a
/// `LazyLock` static. loom's `Mutex::new` is not `const`, so a plain `static` holding a lock
/// compiles only against std; this spelling compiles in both worlds (loom's version resets
/// the value in every execution it explores).
#[doc(hidden)]
#[macro_export]
macro_rules! __std_lazy_static {
    ($(#[$attr:meta])* $vis:vis static ref $name:ident : $ty:ty = $init:expr; $($rest:tt)*) => {
        $(#[$attr])*
        $vis static $name: ::std::sync::LazyLock<$ty> = ::std::sync::LazyLock::new(|| $init);
        $crate::__std_lazy_static!($($rest)*);
    };
    () => {};
}

/// The std flavour's `Condvar` and `mpsc`, whose timed waits follow a test's clock.
#[doc(hidden)]
pub mod clocked;

/// loom's primitives that record the steps of each execution.
#[doc(hidden)]
pub mod traced;

/// loom's `RwLock`, recording reads and writes the same way.
#[doc(hidden)]
pub mod traced_rwlock;

/// The loom flavour's `sync::mpsc` (reach it through `loom_flavour::sync::mpsc`).
#[doc(hidden)]
pub mod loom_mpsc;

/// The loom flavour's `sync::Barrier` (reach it through `loom_flavour::sync`).
#[doc(hidden)]
pub mod loom_barrier;

/// The loom flavour's `sync::OnceLock` (reach it through `loom_flavour::sync`).
#[doc(hidden)]
pub mod loom_once_lock;

mod std_unsafe_cell {
    /// std's `UnsafeCell` with loom's closure API, so one file compiles in both worlds and
    /// loom can check every access for data races.
    #[derive(Debug, Default)]
    pub struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub const fn new(data: T) -> Self {
            Self(std::cell::UnsafeCell::new(data))
        }

        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        /// Reads through a shared pointer; the caller upholds the aliasing rules.
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Writes through a unique pointer; the caller upholds the aliasing rules.
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}
