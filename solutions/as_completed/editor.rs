//! Not a solution: the reference solutions of `as_completed` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::futures;
pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_as_completed.rs"]
pub mod as_completed;

#[path = "02_wait_return_when.rs"]
pub mod wait_return_when;

#[path = "03_first_success.rs"]
pub mod first_success;

#[path = "04_progress_report.rs"]
pub mod progress_report;

#[path = "05_download_deadline.rs"]
pub mod download_deadline;

fn main() {}
