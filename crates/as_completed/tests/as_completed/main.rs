//! The `as_completed` topic's one test binary.
//!
//! `::as_completed::<exercise>` is the learner's file compiled against std (the lib);
//! `crate::under_loom::<exercise>` is the *same file* compiled against loom, because this
//! crate's `crate::sync`, `crate::thread` and `crate::futures` are loom's. Tests of exercise
//! `x` live in module `x`. (`::` in front: the lib and exercise 1 share the name.)

#[allow(unused_imports)]
pub use support::facade::loom_flavour::{cell, hint, sync, thread, time};
/// The same exercise files compiled against loom (written by `cargo tw dev wire`).
mod under_loom;

// Code under test that ends the process with status 0 fails its test (support::early_exit).
support::an_early_exit_fails!();
/// The course's future and executor on loom, for the exercise files under loom.
pub use support::facade::loom_flavour::futures;

mod as_completed;
mod download_deadline;
mod first_success;
mod progress_report;
mod wait_return_when;
