//! loom's primitives with every operation recorded in [`crate::trace`], so a failing model's
//! report shows the interleaving. Each wrapper is `#[track_caller]`: the recorded place is
//! the learner's line, and loom's own locations (deadlock reports) stay there too.

use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use crate::trace::{self, Op};

pub(super) fn address<T: ?Sized>(value: &T) -> usize {
    (value as *const T).cast::<()>() as usize
}

/// loom's `Mutex`, recording lock and unlock.
#[derive(Debug)]
pub struct Mutex<T: ?Sized>(loom::sync::Mutex<T>);

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

/// The guard of a [`Mutex`]; records the unlock when dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    inner: Option<loom::sync::MutexGuard<'a, T>>,
    /// The lock itself, so a spurious wake-up can take it back (see [`Condvar::wait`]).
    mutex: &'a loom::sync::Mutex<T>,
    at: &'static Location<'static>,
}

impl<T: ?Sized> MutexGuard<'_, T> {
    fn object(&self) -> usize {
        address(self.mutex)
    }
}

impl<T> Mutex<T> {
    pub fn new(data: T) -> Self {
        Self(loom::sync::Mutex::new(data))
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.0.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        trace::record(Op::Lock, address(&self.0), at);
        let guard = self.0.lock();
        trace::record(Op::Locked, address(&self.0), at);
        map_lock(guard, |g| self.guard(g, at))
    }

    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        match self.0.try_lock() {
            Ok(g) => {
                trace::record(Op::Locked, address(&self.0), at);
                Ok(self.guard(g, at))
            }
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(
                self.guard(p.into_inner(), at),
            ))),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.0.get_mut()
    }

    fn guard<'a>(
        &'a self,
        inner: loom::sync::MutexGuard<'a, T>,
        at: &'static Location<'static>,
    ) -> MutexGuard<'a, T> {
        MutexGuard {
            inner: Some(inner),
            mutex: &self.0,
            at,
        }
    }
}

pub(super) fn map_lock<G, H>(result: LockResult<G>, f: impl FnOnce(G) -> H) -> LockResult<H> {
    match result {
        Ok(g) => Ok(f(g)),
        Err(p) => Err(PoisonError::new(f(p.into_inner()))),
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a live guard")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a live guard")
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            // Drop has no caller location: the unlock is shown at the line that locked.
            trace::record(Op::Unlock, self.object(), self.at);
        }
    }
}

impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// loom's `Condvar`, recording waits, wake-ups and notifications, and waking spuriously.
///
/// A real condition variable may return from `wait` with no notification (POSIX and std
/// allow it), and a wake-up may find its condition already undone by a third thread. loom's
/// own `Condvar` never does either, so `if` instead of `while` around a wait passed every
/// model. Here each thread's *first* wait on each condition variable returns spuriously: it
/// releases the lock, lets every other thread run (loom explores who), and takes the lock
/// back without any notification. A `while` loop re-checks and waits again for real, so
/// correct code loses no behaviour (the schedule where nobody runs in between is the plain
/// wait); an `if` trusts the wake-up and is caught. Only the first, so a correct loop ends.
/// Only condition variables made in the learner's file do this: the course's own (the
/// futures' and the executor's) are correct, and their extra interleavings would cost time.
#[derive(Debug)]
pub struct Condvar {
    inner: loom::sync::Condvar,
    /// Whether it was made in the learner's file, so it wakes spuriously.
    spurious: bool,
    /// Threads that already had their spurious wake-up here (a plain std lock: loom runs
    /// every model thread on one OS thread, and it is never held across a loom operation).
    woken_spuriously: std::sync::Mutex<Vec<loom::thread::ThreadId>>,
}

/// Off only for measuring what the spurious wake-ups cost (`THREADWORK_SPURIOUS=0`,
/// scripts/bench-trace); a model run with it off proves less.
static SPURIOUS: AtomicBool = AtomicBool::new(true);
/// The environment variable that turns the spurious wake-ups off.
pub const SPURIOUS_ENV: &str = "THREADWORK_SPURIOUS";

/// Reads [`SPURIOUS_ENV`]: called once as a model's child process starts.
pub fn read_spurious_setting() {
    let on = std::env::var(SPURIOUS_ENV).map_or(true, |v| v != "0");
    SPURIOUS.store(on, Ordering::Relaxed);
}

/// Turns the spurious wake-ups off for the rest of this model's process. For the few models
/// whose interleavings they multiply past the cost budget (a pool's two sleeping workers:
/// 23,103 executions become 183,924); call it first in the model, and name the smaller model
/// of the same exercise that still catches an `if` around its wait.
pub fn without_spurious_wakeups() {
    SPURIOUS.store(false, Ordering::Relaxed);
}

/// What [`Condvar::wait_timeout`] says: under loom, never that it timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}

impl Condvar {
    #[track_caller]
    pub fn new() -> Self {
        Self {
            inner: loom::sync::Condvar::new(),
            spurious: trace::in_learners_file(Location::caller().file()),
            woken_spuriously: std::sync::Mutex::default(),
        }
    }

    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let at = Location::caller();
        self.sleep(guard, at, |inner| self.inner.wait(inner))
    }

    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Like loom's, it never times out (loom has no clock): the result says it did not.
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        dur: std::time::Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let at = Location::caller();
        let woke = self.sleep(guard, at, |inner| {
            map_lock(self.inner.wait_timeout(inner, dur), |(g, _)| g)
        });
        map_lock(woke, |g| (g, WaitTimeoutResult(false)))
    }

    /// Releases `guard`'s lock, sleeps with `wait` (or wakes spuriously, see the type's
    /// doc), and returns holding the lock again; every step is recorded at `at`.
    fn sleep<'a, T: ?Sized>(
        &self,
        mut guard: MutexGuard<'a, T>,
        at: &'static Location<'static>,
        wait: impl FnOnce(loom::sync::MutexGuard<'a, T>) -> LockResult<loom::sync::MutexGuard<'a, T>>,
    ) -> LockResult<MutexGuard<'a, T>> {
        let (inner, mutex) = (guard.inner.take().expect("a live guard"), guard.mutex);
        let object = guard.object();
        trace::record(Op::Wait, object, at);
        let woke = if self.first_wait_here() {
            drop(inner);
            let again = mutex.lock();
            trace::record(Op::WokeSpuriously, object, at);
            again
        } else {
            let woke = wait(inner);
            trace::record(Op::Woke, object, at);
            woke
        };
        map_lock(woke, |g| MutexGuard {
            inner: Some(g),
            mutex,
            at,
        })
    }

    /// Whether the running thread has not waited on this condition variable before.
    fn first_wait_here(&self) -> bool {
        if !self.spurious || !SPURIOUS.load(Ordering::Relaxed) {
            return false;
        }
        let Some(me) = trace::running_thread() else {
            return false; // a thread-local's destructor during teardown: wait for real
        };
        let mut seen = self
            .woken_spuriously
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if seen.contains(&me) {
            return false;
        }
        seen.push(me);
        true
    }

    #[track_caller]
    pub fn notify_one(&self) {
        trace::record(Op::NotifyOne, address(self), Location::caller());
        self.inner.notify_one();
    }

    #[track_caller]
    pub fn notify_all(&self) {
        trace::record(Op::NotifyAll, address(self), Location::caller());
        self.inner.notify_all();
    }
}

/// loom's atomics, recording the value each operation read or wrote.
pub mod atomic {
    use std::panic::Location;

    pub use loom::sync::atomic::{Ordering, fence};

    use super::address;
    use crate::trace::{self, Op};

    macro_rules! traced_atomic {
        ($name:ident, $int:ty) => {
            #[derive(Debug, Default)]
            pub struct $name(loom::sync::atomic::$name);

            impl $name {
                pub fn new(v: $int) -> Self {
                    Self(loom::sync::atomic::$name::new(v))
                }

                pub fn into_inner(self) -> $int {
                    self.0.into_inner()
                }

                #[track_caller]
                pub fn load(&self, order: Ordering) -> $int {
                    let v = self.0.load(order);
                    trace::record(Op::Load(v as u64), address(self), Location::caller());
                    v
                }

                #[track_caller]
                pub fn store(&self, v: $int, order: Ordering) {
                    self.0.store(v, order);
                    trace::record(Op::Store(v as u64), address(self), Location::caller());
                }

                #[track_caller]
                pub fn swap(&self, v: $int, order: Ordering) -> $int {
                    self.updated(self.0.swap(v, order))
                }

                #[track_caller]
                pub fn compare_exchange(
                    &self,
                    current: $int,
                    new: $int,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$int, $int> {
                    self.exchanged(self.0.compare_exchange(current, new, success, failure))
                }

                #[track_caller]
                pub fn compare_exchange_weak(
                    &self,
                    current: $int,
                    new: $int,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$int, $int> {
                    self.exchanged(self.0.compare_exchange_weak(current, new, success, failure))
                }

                #[track_caller]
                pub fn fetch_update<F>(
                    &self,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    f: F,
                ) -> Result<$int, $int>
                where
                    F: FnMut($int) -> Option<$int>,
                {
                    self.exchanged(self.0.fetch_update(set_order, fetch_order, f))
                }

                /// Records what a compare-and-set read, whether it wrote or not.
                #[track_caller]
                fn exchanged(&self, result: Result<$int, $int>) -> Result<$int, $int> {
                    self.updated(result.unwrap_or_else(|v| v));
                    result
                }

                #[track_caller]
                fn updated(&self, read: $int) -> $int {
                    trace::record(Op::Update(read as u64), address(self), Location::caller());
                    read
                }
            }
        };
        ($name:ident, $int:ty, arithmetic) => {
            traced_atomic!($name, $int);
            impl $name {
                #[track_caller]
                pub fn fetch_add(&self, v: $int, order: Ordering) -> $int {
                    self.updated(self.0.fetch_add(v, order))
                }
                #[track_caller]
                pub fn fetch_sub(&self, v: $int, order: Ordering) -> $int {
                    self.updated(self.0.fetch_sub(v, order))
                }
                #[track_caller]
                pub fn fetch_max(&self, v: $int, order: Ordering) -> $int {
                    self.updated(self.0.fetch_max(v, order))
                }
                #[track_caller]
                pub fn fetch_min(&self, v: $int, order: Ordering) -> $int {
                    self.updated(self.0.fetch_min(v, order))
                }
            }
        };
    }

    traced_atomic!(AtomicBool, bool);
    impl AtomicBool {
        #[track_caller]
        pub fn fetch_or(&self, v: bool, order: Ordering) -> bool {
            self.updated(self.0.fetch_or(v, order))
        }
        #[track_caller]
        pub fn fetch_and(&self, v: bool, order: Ordering) -> bool {
            self.updated(self.0.fetch_and(v, order))
        }
    }
    traced_atomic!(AtomicUsize, usize, arithmetic);
    traced_atomic!(AtomicIsize, isize, arithmetic);
    traced_atomic!(AtomicU64, u64, arithmetic);
    traced_atomic!(AtomicI64, i64, arithmetic);
    traced_atomic!(AtomicU32, u32, arithmetic);
    traced_atomic!(AtomicI32, i32, arithmetic);
}

/// loom's `thread::spawn` and `JoinHandle`, recording spawns and joins.
pub mod thread {
    use std::panic::Location;

    use crate::trace::{self, Op};

    /// A spawned thread's handle; `join` is recorded.
    #[derive(Debug)]
    pub struct JoinHandle<T>(loom::thread::JoinHandle<T>);

    impl<T> JoinHandle<T> {
        #[track_caller]
        pub fn join(self) -> std::thread::Result<T> {
            let at = Location::caller();
            let joined = trace::thread_number(self.0.thread().id());
            trace::record(Op::Joining(joined), 0, at);
            let result = self.0.join();
            trace::record(Op::Join(joined), 0, at);
            result
        }

        pub fn thread(&self) -> &loom::thread::Thread {
            self.0.thread()
        }
    }

    #[track_caller]
    pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let handle = loom::thread::spawn(move || {
            trace::enter_thread();
            f()
        });
        spawned(handle, Location::caller())
    }

    fn spawned<T>(
        handle: loom::thread::JoinHandle<T>,
        at: &'static Location<'static>,
    ) -> JoinHandle<T> {
        let id = trace::thread_number(handle.thread().id());
        if let Some(name) = handle.thread().name() {
            trace::name_thread(id, name);
        }
        trace::record(Op::Spawn(id), 0, at);
        JoinHandle(handle)
    }

    /// loom's thread `Builder`; `spawn` is recorded with the thread's name.
    pub struct Builder(loom::thread::Builder);

    impl Default for Builder {
        fn default() -> Self {
            Self::new()
        }
    }

    impl Builder {
        pub fn new() -> Self {
            Self(loom::thread::Builder::new())
        }

        pub fn name(self, name: String) -> Self {
            Self(self.0.name(name))
        }

        pub fn stack_size(self, size: usize) -> Self {
            Self(self.0.stack_size(size))
        }

        #[track_caller]
        pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
        where
            F: FnOnce() -> T + Send + 'static,
            T: Send + 'static,
        {
            let at = Location::caller();
            let f = move || {
                trace::enter_thread();
                f()
            };
            self.0.spawn(f).map(|h| spawned(h, at))
        }
    }
}
