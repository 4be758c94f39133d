//! Not a solution: the reference solutions of `spawn` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::process;
pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_spawn_args.rs"]
pub mod spawn_args;

#[path = "02_custom_thread.rs"]
pub mod custom_thread;

#[path = "03_thread_identity.rs"]
pub mod thread_identity;

#[path = "04_live_registry.rs"]
pub mod live_registry;

#[path = "05_scoped_sum.rs"]
pub mod scoped_sum;

#[path = "06_worker_processes.rs"]
pub mod worker_processes;

fn main() {}
