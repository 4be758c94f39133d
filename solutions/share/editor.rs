//! Not a solution: the reference solutions of `share` as one program, so editors resolve
//! them like the exercises. Built only with `--features solution` (CI). Written by
//! `cargo tw dev wire`.

// Nothing calls the solutions here.
#![allow(dead_code, unused_imports)]

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[path = "01_rc_to_arc.rs"]
pub mod rc_to_arc;

#[path = "02_shared_journal.rs"]
pub mod shared_journal;

#[path = "03_guard_scope.rs"]
pub mod guard_scope;

#[path = "04_poisoning.rs"]
pub mod poisoning;

#[path = "05_tickets.rs"]
pub mod tickets;

#[path = "06_stop_flag.rs"]
pub mod stop_flag;

#[path = "07_publish.rs"]
pub mod publish;

#[path = "08_queue_maxsize.rs"]
pub mod queue_maxsize;

#[path = "09_settings.rs"]
pub mod settings;

#[path = "10_phases.rs"]
pub mod phases;

#[path = "11_config_once.rs"]
pub mod config_once;

fn main() {}
