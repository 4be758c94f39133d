//! # bank: two locks, one order
//!
//! Each account has its own lock, so transfers between different accounts run in parallel.
//! A transfer needs *two* locks. If one thread locks A then B while another locks B then A,
//! each holds what the other waits for: a deadlock. Transfers in opposite directions, from
//! any number of threads, must never deadlock, and no money is ever created or lost.
//!
//! Also make `total` a consistent snapshot: while it adds up, no transfer may move money
//! from an account it has not read yet to one it already has. `total` must not deadlock
//! with transfers either.

use crate::sync::{Mutex, MutexGuard};

/// Why a transfer was refused. A refused transfer changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// `from` or `to` is not an account number.
    NoSuchAccount(usize),
    /// `from == to`: locking the same account twice would deadlock with itself.
    SameAccount(usize),
    /// `from` holds less than `amount`.
    InsufficientFunds { balance: u64, amount: u64 },
}

/// Accounts numbered `0..n`, each behind its own lock.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    /// A bank whose account `i` starts with `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        todo!()
    }

    /// Moves `amount` from `from` to `to`, atomically: no one ever sees the money in both
    /// accounts or in neither. A zero amount is a valid transfer. A refused transfer is
    /// checked in this order: an unknown account (`from` before `to`), then `from == to`,
    /// then insufficient funds.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        todo!()
    }

    /// The balance of one account (`None` if there is no such account).
    pub fn balance(&self, id: usize) -> Option<u64> {
        todo!()
    }

    /// The sum of all balances, as one consistent snapshot taken while transfers run: the
    /// total of a bank whose transfers all keep the money is the same at every moment.
    pub fn total(&self) -> u64 {
        todo!()
    }
}
