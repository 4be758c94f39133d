//! Not a solution: the reference solutions of `thread-local` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_per_thread_counter.rs"]
pub mod per_thread_counter;

#[path = "02_local.rs"]
pub mod local;

#[path = "03_merge_at_end.rs"]
pub mod merge_at_end;

#[path = "04_flush_on_exit.rs"]
pub mod flush_on_exit;

#[path = "05_request_context.rs"]
pub mod request_context;

fn main() {}
