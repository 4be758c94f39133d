//! The `join` topic's one test binary.
//!
//! `join::<exercise>` is the learner's file compiled against std (the lib);
//! `crate::under_loom::<exercise>` is the *same file* compiled against loom, because this
//! crate's `crate::sync` is loom. Tests of exercise `x` live in module `x`.

#[allow(unused_imports)]
pub use support::facade::loom_flavour::{cell, hint, sync, thread, time};
/// The same exercise files compiled against loom (written by `cargo tw dev wire`).
mod under_loom;

// Code under test that ends the process with status 0 fails its test (support::early_exit).
support::an_early_exit_fails!();

mod join_all;
mod join_fan_in;
mod join_panics;
mod join_timeout;
mod join_typestate;
