//! Not a solution: the reference solutions of `pool` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_worker_pool.rs"]
pub mod worker_pool;

#[path = "02_task_future.rs"]
pub mod task_future;

#[path = "03_executor.rs"]
pub mod executor;

#[path = "04_ordered_map.rs"]
pub mod ordered_map;

#[path = "05_pool_downloader.rs"]
pub mod pool_downloader;

fn main() {}
