//! The one place that names std's or loom's primitives (like tokio's `src/loom/`).
//!
//! Exercise files write `use crate::sync::{Arc, Mutex};`. The topic's lib re-exports
//! [`std_flavour`] as `crate::sync`, its test binary re-exports [`loom_flavour`], so the same
//! file is a real program and a loom model. The std flavour is a superset (std-only
//! exercises may use `thread::scope` or `sleep`); loom-checked exercises must stay within the
//! names both flavours share.

/// The real primitives, for the learner's program and the std tests.
pub mod std_flavour {
    pub mod sync {
        pub use std::sync::*;
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
}

/// loom's checked primitives, with the same names.
pub mod loom_flavour {
    pub mod sync {
        pub use loom::sync::*;
        // Plain error types loom does not re-export; they carry no synchronisation.
        pub use std::sync::{PoisonError, TryLockError};
    }
    pub mod thread {
        pub use loom::thread::*;
        pub use loom::thread_local;
    }
    pub mod cell {
        pub use loom::cell::{Cell, UnsafeCell};
        pub use std::cell::RefCell;
    }
    pub mod hint {
        pub use loom::hint::*;
    }
}

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
