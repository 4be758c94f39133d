//! The `thread-local` topic's one test binary.
//!
//! `thread_locals::<exercise>` is the learner's file compiled against std (the lib);
//! `crate::under_loom::<exercise>` is the *same file* compiled against loom, because this
//! crate's `crate::sync`, `crate::thread` and `crate::cell` are loom's. Tests of exercise `x`
//! live in module `x`.
//!
//! A thread-local value belongs to the thread that touched it, and libtest may run several
//! tests on one thread. So the std tests do their thread-local work on threads they spawn
//! themselves: every such thread starts with fresh values.

#[allow(unused_imports)]
pub use support::facade::loom_flavour::{cell, hint, sync, thread, time};
/// The same exercise files compiled against loom (written by `cargo tw dev wire`).
mod under_loom;

// Code under test that ends the process with status 0 fails its test (support::early_exit).
support::an_early_exit_fails!();

mod flush_on_exit;
mod local;
mod merge_at_end;
mod per_thread_counter;
mod request_context;
