//! # tickets: one indivisible read-modify-write
//!
//! Python's `itertools.count()` shared between threads hands out unique numbers only
//! because the GIL makes `next()` one step. In Rust, atomics are the lock-free way: an
//! atomic integer changes in steps no other thread can come between.
//!
//! `TicketMachine::new(first)` hands out `first`, `first + 1`, ...: every `take` returns a
//! ticket no other `take` returned, and together they are consecutive, whatever threads
//! call it. `issued` is how many tickets were taken. `take_in_threads` starts `threads`
//! threads that each take `per_thread` tickets from one shared machine and returns each
//! thread's tickets in the order it took them, threads in the order they were started.

use crate::sync::Arc;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::thread;

/// Hands out unique, consecutive numbers to any thread.
#[derive(Debug)]
pub struct TicketMachine {
    first: u64,
    next: AtomicU64,
}

impl TicketMachine {
    /// A machine whose first ticket is `first`.
    pub fn new(first: u64) -> Self {
        todo!()
    }

    /// The next ticket, never handed out before.
    pub fn take(&self) -> u64 {
        todo!()
    }

    /// How many tickets were taken so far.
    pub fn issued(&self) -> u64 {
        todo!()
    }
}

/// `threads` threads take `per_thread` tickets each from `machine`; one `Vec` per thread.
pub fn take_in_threads(
    machine: &Arc<TicketMachine>,
    threads: usize,
    per_thread: usize,
) -> Vec<Vec<u64>> {
    todo!()
}
