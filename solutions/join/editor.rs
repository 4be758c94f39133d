//! Not a solution: the reference solutions of `join` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_join_all.rs"]
pub mod join_all;

#[path = "02_join_panics.rs"]
pub mod join_panics;

#[path = "03_join_timeout.rs"]
pub mod join_timeout;

#[path = "04_join_typestate.rs"]
pub mod join_typestate;

#[path = "05_join_fan_in.rs"]
pub mod join_fan_in;

fn main() {}
