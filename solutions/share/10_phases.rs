//! # phases: Python's `threading.Barrier`
//!
//! `threading.Barrier(n)` makes `n` threads meet: each `wait()` blocks until all `n` have
//! called it, then all go on together, and the barrier is ready for the next meeting.
//! `wait()` returns a different number to each thread; `Barrier(n, action=f)` runs `f` in
//! exactly one of them. Rust's `Barrier::new(n)` is the same meeting point; its `wait()`
//! returns a `BarrierWaitResult` whose `is_leader()` is true in exactly one thread per
//! meeting.
//!
//! A `Board` is shared by `workers` threads, numbered `0..workers`, that work in rounds:
//! in every round each of them calls `round(me, part)` once. `round` puts the worker's part
//! on the board (phase 1), then adds up every worker's part of *this* round and returns
//! that total (phase 2). No worker adds up a round before every worker has put its part of
//! that round, and no worker's next `round` puts its new part while another still adds up
//! the last round: every worker's `round` returns the same total. In each round exactly
//! one worker (a leader) appends the round's total to the board's totals; `totals()` is
//! them, in round order. A board for one worker never waits.

use crate::sync::{Barrier, Mutex};

/// The parts of the current round, and every round's total.
#[derive(Debug)]
pub struct Board {
    state: Mutex<State>,
    meeting: Barrier,
}

#[derive(Debug)]
struct State {
    parts: Vec<u64>,
    totals: Vec<u64>,
}

impl Board {
    /// A board for `workers` threads (at least one).
    pub fn new(workers: usize) -> Self {
        Self {
            state: Mutex::new(State {
                parts: vec![0; workers],
                totals: Vec::new(),
            }),
            meeting: Barrier::new(workers),
        }
    }

    /// Worker `me` puts `part`, meets the others, and returns this round's total.
    pub fn round(&self, me: usize, part: u64) -> u64 {
        self.state.lock().unwrap().parts[me] = part;
        let leader = self.meeting.wait().is_leader();
        let mut state = self.state.lock().unwrap();
        let total = state.parts.iter().sum();
        if leader {
            state.totals.push(total);
        }
        drop(state);
        // Nobody puts the next round's part while another still adds this one up.
        self.meeting.wait();
        total
    }

    /// Every round's total so far, in round order.
    pub fn totals(&self) -> Vec<u64> {
        self.state.lock().unwrap().totals.clone()
    }
}
