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
        Self {
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    /// Blocks until a permit is free and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        // MUTANT: checks under one lock, takes under another.
        if *self.permits.lock().unwrap() == 0 {
            return None;
        }
        let mut permits = self.permits.lock().unwrap();
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// Adds one permit and wakes one waiter (Python's `release()`).
    pub fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        self.available.notify_one();
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
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
        Self {
            permits: Mutex::new(limit),
            available: Condvar::new(),
            limit,
        }
    }

    /// Blocks until a permit is free and takes it.
    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// Gives a permit back; refuses if every permit is already free. The check and the
    /// increment share one guard, so two racing releases cannot both pass the check.
    pub fn release(&self) -> Result<(), SemaphoreError> {
        let mut permits = self.permits.lock().unwrap();
        if *permits == self.limit {
            return Err(SemaphoreError::OverReleased { limit: self.limit });
        }
        *permits += 1;
        self.available.notify_one();
        Ok(())
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}
