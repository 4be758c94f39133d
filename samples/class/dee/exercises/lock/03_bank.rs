//! # bank: two locks, one order
//!
//! Each account has its own lock, so transfers between different accounts run in parallel.
//! A transfer needs *two* locks. If one thread locks A then B while another locks B then A,
//! each holds what the other waits for: a deadlock. The cure is one global order: always
//! lock the lower account number first.
//!
//! Also make `total` a consistent snapshot: while it adds up, no transfer may move money
//! from an account it has not read yet to one it already has.

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
        Self {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// Moves `amount` from `from` to `to`, atomically: no one ever sees the money in both
    /// accounts or in neither.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        for id in [from, to] {
            if id >= self.accounts.len() {
                return Err(TransferError::NoSuchAccount(id));
            }
        }
        if from == to {
            return Err(TransferError::SameAccount(from));
        }
        // ANCHOR: direction
        // MUTANT: locks in transfer direction; opposite transfers deadlock.
        let mut from_balance = self.accounts[from].lock().unwrap();
        let mut to_balance = self.accounts[to].lock().unwrap();
        // ANCHOR_END: direction
        if *from_balance < amount {
            return Err(TransferError::InsufficientFunds {
                balance: *from_balance,
                amount,
            });
        }
        *from_balance -= amount;
        *to_balance += amount;
        Ok(())
    }

    /// The balance of one account (`None` if there is no such account).
    pub fn balance(&self, id: usize) -> Option<u64> {
        self.accounts.get(id).map(|a| *a.lock().unwrap())
    }

    /// The sum of all balances, as one consistent snapshot: every account is locked, in
    /// ascending order, before any is read.
    pub fn total(&self) -> u64 {
        let guards: Vec<MutexGuard<'_, u64>> =
            self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|g| **g).sum()
    }
}
