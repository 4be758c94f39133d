//! Not a solution: the reference solutions of `lock` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_counter.rs"]
pub mod counter;

#[path = "02_sql_lock.rs"]
pub mod sql_lock;

#[path = "03_bank.rs"]
pub mod bank;

#[path = "04_rlock.rs"]
pub mod rlock;

#[path = "05_semaphore.rs"]
pub mod semaphore;

#[path = "06_bounded_queue.rs"]
pub mod bounded_queue;

fn main() {}
