//! The std flavour's timed waits, on the course's clock (`crate::clock`): std's `Condvar`
//! and `mpsc::Receiver` with the same methods, whose `wait_timeout` / `recv_timeout` follow
//! a test clock where a test runs one. Everything else is std's, unchanged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LockResult, MutexGuard, PoisonError};
use std::time::Duration;

use crate::clock::{self, Ended};

/// std's `Condvar`; its timed waits read the course's clock.
#[derive(Debug, Default)]
pub struct Condvar {
    inner: std::sync::Condvar,
    /// Notifications so far. On a test clock a timed wait is made of short waits with the
    /// lock held in between; a notification sent in such a gap (by a thread that changed the
    /// state earlier, under the lock) would be lost, so the waiter looks at this count too.
    notified: AtomicU64,
}

/// Whether a timed wait ended because its time was up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    pub const fn new() -> Self {
        Self {
            inner: std::sync::Condvar::new(),
            notified: AtomicU64::new(0),
        }
    }

    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.inner.wait(guard)
    }

    pub fn wait_while<'a, T, F>(
        &self,
        guard: MutexGuard<'a, T>,
        condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        self.inner.wait_while(guard, condition)
    }

    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        dur: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        // A poisoned lock is handed on as std does, with the guard inside the error.
        let mut poisoned = false;
        let notified = self.notified.load(Ordering::SeqCst);
        let (guard, ended) = clock::wait_timeout(guard, dur, true, |guard, limit| {
            let (guard, result) = match self.inner.wait_timeout(guard, limit) {
                Ok(woke) => woke,
                Err(e) => {
                    poisoned = true;
                    e.into_inner()
                }
            };
            let ended = if result.timed_out() && self.notified.load(Ordering::SeqCst) == notified {
                Ended::TimedOut
            } else {
                Ended::Woken
            };
            (guard, ended)
        });
        let woke = (guard, WaitTimeoutResult(ended == Ended::TimedOut));
        if poisoned {
            Err(PoisonError::new(woke))
        } else {
            Ok(woke)
        }
    }

    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let deadline = crate::clock::Instant::now().checked_add(dur);
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            let left = deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(crate::clock::Instant::now())
            });
            if left.is_zero() {
                return Ok((guard, WaitTimeoutResult(true)));
            }
            guard = self.wait_timeout(guard, left)?.0;
        }
    }

    pub fn notify_one(&self) {
        self.notified.fetch_add(1, Ordering::SeqCst);
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        self.notified.fetch_add(1, Ordering::SeqCst);
        self.inner.notify_all();
    }
}

/// std's `mpsc`, with a `Receiver` whose `recv_timeout` reads the course's clock.
pub mod mpsc {
    use std::sync::mpsc as std_mpsc;
    use std::time::Duration;
    pub use std_mpsc::{
        IntoIter, Iter, RecvError, RecvTimeoutError, SendError, Sender, SyncSender, TryIter,
        TryRecvError, TrySendError,
    };

    use crate::clock::{self, Ended};

    /// std's `Receiver`; `recv_timeout` reads the course's clock.
    #[derive(Debug)]
    pub struct Receiver<T>(std_mpsc::Receiver<T>);

    pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = std_mpsc::channel();
        (tx, Receiver(rx))
    }

    pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
        let (tx, rx) = std_mpsc::sync_channel(bound);
        (tx, Receiver(rx))
    }

    impl<T> Receiver<T> {
        pub fn recv(&self) -> Result<T, RecvError> {
            self.0.recv()
        }

        pub fn try_recv(&self) -> Result<T, TryRecvError> {
            self.0.try_recv()
        }

        pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
            let mut got = None;
            // A channel never wakes without a message or a disconnection.
            let (_, ended) = clock::wait_timeout((), timeout, false, |(), limit| {
                match self.0.recv_timeout(limit) {
                    Err(RecvTimeoutError::Timeout) => ((), Ended::TimedOut),
                    other => {
                        got = Some(other);
                        ((), Ended::Woken)
                    }
                }
            });
            match (got, ended) {
                (Some(got), _) => got,
                // The time is up; a message sent just then is still taken, as std may.
                (None, _) => self.0.try_recv().map_err(|e| match e {
                    TryRecvError::Empty => RecvTimeoutError::Timeout,
                    TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                }),
            }
        }

        pub fn iter(&self) -> Iter<'_, T> {
            self.0.iter()
        }

        pub fn try_iter(&self) -> TryIter<'_, T> {
            self.0.try_iter()
        }
    }

    impl<T> IntoIterator for Receiver<T> {
        type Item = T;
        type IntoIter = IntoIter<T>;
        fn into_iter(self) -> IntoIter<T> {
            self.0.into_iter()
        }
    }

    impl<'a, T> IntoIterator for &'a Receiver<T> {
        type Item = T;
        type IntoIter = Iter<'a, T>;
        fn into_iter(self) -> Iter<'a, T> {
            self.0.iter()
        }
    }
}
