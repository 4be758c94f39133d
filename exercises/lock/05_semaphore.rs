//! # semaphore: at most N at a time
//!
//! Python's `threading.Semaphore(n)` lets at most `n` threads past `acquire` until they
//! `release`. `BoundedSemaphore` also refuses a release that would raise the count above
//! its start value (Python raises `ValueError`): a release without a matching acquire is a
//! bug worth catching.
//!
//! `Semaphore::acquire` returns a `Permit` that releases on drop (Python's `with sem:`).

use crate::sync::{Condvar, Mutex};

/// A counting semaphore.
#[derive(Debug)]
pub struct Semaphore {
    permits: Mutex<usize>,
    available: Condvar,
}

/// One permit of a [`Semaphore`], given back when dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        todo!()
    }

    /// Blocks until a permit is free and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        todo!()
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        todo!()
    }

    /// Adds one permit and wakes one waiter (Python's `release()`).
    pub fn release(&self) {
        todo!()
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        todo!()
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        todo!()
    }
}

/// Why a [`BoundedSemaphore`] refused a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SemaphoreError {
    /// Releasing would raise the count above the initial `limit`.
    OverReleased { limit: usize },
}

/// A semaphore whose count never exceeds its initial value.
#[derive(Debug)]
pub struct BoundedSemaphore {
    permits: Mutex<usize>,
    available: Condvar,
    limit: usize,
}

impl BoundedSemaphore {
    pub fn new(limit: usize) -> Self {
        todo!()
    }

    /// Blocks until a permit is free and takes it.
    pub fn acquire(&self) {
        todo!()
    }

    /// Gives a permit back; refuses if every permit is already free. When two threads race
    /// to give back the one permit that is out, exactly one succeeds: the count never goes
    /// above the limit.
    pub fn release(&self) -> Result<(), SemaphoreError> {
        todo!()
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        todo!()
    }
}
