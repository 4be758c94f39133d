//! loom's `RwLock` with its reads and writes recorded in [`crate::trace`], like the traced
//! `Mutex` (see `traced`): a writer is a lock like a Mutex's (lock / locked / unlock), a
//! reader shares it (read / reading / done reading), so a deadlock report can say that a
//! writer waits for readers, or a reader for the writer.

use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use super::traced::{address, map_lock};
use crate::trace::{self, Op};

/// loom's `RwLock`, recording reads and writes.
#[derive(Debug, Default)]
pub struct RwLock<T: ?Sized>(loom::sync::RwLock<T>);

/// A shared (read) guard; records the end of the read when dropped.
pub struct RwLockReadGuard<'a, T: ?Sized> {
    inner: loom::sync::RwLockReadGuard<'a, T>,
    object: usize,
    at: &'static Location<'static>,
}

/// The exclusive (write) guard; records the unlock when dropped.
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    inner: loom::sync::RwLockWriteGuard<'a, T>,
    object: usize,
    at: &'static Location<'static>,
}

impl<T> RwLock<T> {
    pub fn new(data: T) -> Self {
        Self(loom::sync::RwLock::new(data))
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.0.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    #[track_caller]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let (at, object) = (Location::caller(), address(&self.0));
        trace::record(Op::ReadLock, object, at);
        let guard = self.0.read();
        trace::record(Op::ReadLocked, object, at);
        map_lock(guard, |inner| RwLockReadGuard { inner, object, at })
    }

    #[track_caller]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let (at, object) = (Location::caller(), address(&self.0));
        trace::record(Op::Lock, object, at);
        let guard = self.0.write();
        trace::record(Op::Locked, object, at);
        map_lock(guard, |inner| RwLockWriteGuard { inner, object, at })
    }

    #[track_caller]
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let (at, object) = (Location::caller(), address(&self.0));
        let guard = |inner| {
            trace::record(Op::ReadLocked, object, at);
            RwLockReadGuard { inner, object, at }
        };
        match self.0.try_read() {
            Ok(inner) => Ok(guard(inner)),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(guard(
                p.into_inner(),
            )))),
        }
    }

    #[track_caller]
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let (at, object) = (Location::caller(), address(&self.0));
        let guard = |inner| {
            trace::record(Op::Locked, object, at);
            RwLockWriteGuard { inner, object, at }
        };
        match self.0.try_write() {
            Ok(inner) => Ok(guard(inner)),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(guard(
                p.into_inner(),
            )))),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.0.get_mut()
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

// Drop has no caller location: the end is shown at the line that took the guard. It is
// recorded before loom's guard lets go (fields drop after this body), so the log never shows
// another thread taking the lock before this one left it.
impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        trace::record(Op::ReadUnlock, self.object, self.at);
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        trace::record(Op::Unlock, self.object, self.at);
    }
}

impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}
