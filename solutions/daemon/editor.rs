//! Not a solution: the reference solutions of `daemon` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_event.rs"]
pub mod event;

#[path = "02_heartbeat.rs"]
pub mod heartbeat;

#[path = "03_auto_save.rs"]
pub mod auto_save;

#[path = "04_interpreter_exit.rs"]
pub mod interpreter_exit;

#[path = "05_graceful.rs"]
pub mod graceful;

fn main() {}
