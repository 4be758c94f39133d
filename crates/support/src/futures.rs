//! A thread future and a small executor: Python's `concurrent.futures.Future` and
//! `ThreadPoolExecutor`, as much of them as the `as_completed` topic builds on.
//!
//! Written once against the flavour's `super::sync` and `super::thread`, and compiled twice
//! (see `facade.rs`): `std_flavour::futures` for programs, `loom_flavour::futures` for
//! models, so a model checks the learner's waiting code together with this future.
//!
//! This is a *thread* future (a result that another thread will produce), not Rust's async
//! `std::future::Future`: nothing is polled. Waiting is done by blocking on a `Condvar`
//! ([`Future::result`]) or by being called back on completion ([`Future::add_done_callback`]).
//!
//! ```text
//! Promise (producer side, one per future)      Future (consumer side, cheap to clone)
//!   set_running / set_result / set_error  -->    done, cancelled, result, try_result,
//!   dropped unfinished => Abandoned              error, cancel, add_done_callback
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use super::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use super::thread::{self, JoinHandle};

/// Why a future finished without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The task returned an error (in Python: it raised an exception).
    Failed(String),
    /// The task panicked; the message is the panic's.
    Panicked(String),
    /// `cancel()` won before the task started (Python's `CancelledError`).
    Cancelled,
    /// The producer went away without a result (its `Promise` was dropped).
    Abandoned,
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(message) => write!(f, "the task failed: {message}"),
            Self::Panicked(message) => write!(f, "the task panicked: {message}"),
            Self::Cancelled => write!(f, "the task was cancelled"),
            Self::Abandoned => write!(f, "the task was dropped before it finished"),
        }
    }
}

impl std::error::Error for TaskError {}

/// A callback run once, when the future finishes (see [`Future::add_done_callback`]).
type Callback<T> = Box<dyn FnOnce(&Future<T>) + Send>;

/// Where a future is in its life. Python's states, minus its internal bookkeeping.
enum Phase<T> {
    /// Not started: `cancel()` still works.
    Pending,
    /// A worker is running the task: too late to cancel.
    Running,
    /// Done for good: a value, an error, or `Err(Cancelled)`.
    Finished(Result<T, TaskError>),
}

struct State<T> {
    phase: Phase<T>,
    /// Callbacks waiting for the finish; taken (and so run) exactly once.
    callbacks: Vec<Callback<T>>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Notified (all waiters) when `phase` becomes `Finished`.
    finished: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A panicking callback never holds this lock (callbacks run outside it), so a
        // poisoned state is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The consumer's handle on a result that another thread will produce. Clones share it.
pub struct Future<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Future<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.shared.lock().phase {
            Phase::Pending => "pending",
            Phase::Running => "running",
            Phase::Finished(Ok(_)) => "finished",
            Phase::Finished(Err(TaskError::Cancelled)) => "cancelled",
            Phase::Finished(Err(_)) => "failed",
        };
        f.debug_struct("Future").field("state", &state).finish()
    }
}

impl<T> Future<T> {
    /// Whether the future has finished: a value, an error, or cancelled (Python's `done()`).
    pub fn done(&self) -> bool {
        matches!(self.shared.lock().phase, Phase::Finished(_))
    }

    /// Whether a worker is running the task now (Python's `running()`).
    pub fn running(&self) -> bool {
        matches!(self.shared.lock().phase, Phase::Running)
    }

    /// Whether the future was cancelled (Python's `cancelled()`).
    pub fn cancelled(&self) -> bool {
        matches!(
            self.shared.lock().phase,
            Phase::Finished(Err(TaskError::Cancelled))
        )
    }

    /// The error the future finished with, if any, without waiting: `None` while it is
    /// unfinished and when it has a value. Unlike Python's `exception()`, a cancelled future
    /// gives `Some(TaskError::Cancelled)` instead of raising.
    pub fn error(&self) -> Option<TaskError> {
        match &self.shared.lock().phase {
            Phase::Finished(Err(error)) => Some(error.clone()),
            _ => None,
        }
    }

    /// Cancels the task if it has not started (Python's `cancel()`): returns `true` if the
    /// future is now cancelled, `false` if it is running or already finished. Cancelling
    /// finishes the future: waiters wake and callbacks run, on this thread.
    pub fn cancel(&self) -> bool {
        let mut state = self.shared.lock();
        match state.phase {
            Phase::Pending => {}
            Phase::Finished(Err(TaskError::Cancelled)) => return true,
            Phase::Running | Phase::Finished(_) => return false,
        }
        state.phase = Phase::Finished(Err(TaskError::Cancelled));
        let callbacks = std::mem::take(&mut state.callbacks);
        drop(state);
        self.announce(callbacks);
        true
    }

    // ANCHOR: add_done_callback
    /// Calls `callback` once, when the future finishes, on the thread that finishes it (or
    /// right now, on this thread, if it already has). Python's `add_done_callback`.
    ///
    /// Checking "finished?" and registering happen under one lock, so a finish can never
    /// slip in between and be missed. Callbacks run outside that lock: they may call any
    /// method of the future.
    pub fn add_done_callback<F>(&self, callback: F)
    where
        F: FnOnce(&Future<T>) + Send + 'static,
    {
        let mut state = self.shared.lock();
        if matches!(state.phase, Phase::Finished(_)) {
            drop(state);
            callback(self);
        } else {
            state.callbacks.push(Box::new(callback));
        }
    }
    // ANCHOR_END: add_done_callback

    /// Wakes the threads blocked in `result()` and runs the callbacks; called once, right
    /// after the phase became `Finished`, without holding the lock.
    fn announce(&self, callbacks: Vec<Callback<T>>) {
        self.shared.finished.notify_all();
        for callback in callbacks {
            callback(self);
        }
    }
}

impl<T: Clone> Future<T> {
    /// Blocks until the future finishes, then returns its outcome (Python's `result()`; a
    /// failed, panicked or cancelled task gives `Err`).
    pub fn result(&self) -> Result<T, TaskError> {
        let mut state = self.shared.lock();
        loop {
            if let Phase::Finished(outcome) = &state.phase {
                return outcome.clone();
            }
            // `loop` + re-check: a wake-up only means "look again" (spurious wake-ups exist).
            state = self
                .shared
                .finished
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The outcome if the future has finished, `None` otherwise. Never blocks.
    pub fn try_result(&self) -> Option<Result<T, TaskError>> {
        match &self.shared.lock().phase {
            Phase::Finished(outcome) => Some(outcome.clone()),
            _ => None,
        }
    }
}

/// The producer's side of one future: whoever holds it finishes the future, once.
/// Dropping it unfinished finishes the future with [`TaskError::Abandoned`], so no waiter
/// is left blocked forever by a producer that went away.
pub struct Promise<T> {
    /// `None` once the promise has been kept (the future finished through it).
    shared: Option<Arc<Shared<T>>>,
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise").finish_non_exhaustive()
    }
}

impl<T> Promise<T> {
    /// A new pending future and the promise that finishes it.
    #[allow(clippy::new_ret_no_self)] // the pair is the point: producer and consumer sides
    pub fn new() -> (Promise<T>, Future<T>) {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Pending,
                callbacks: Vec::new(),
            }),
            finished: Condvar::new(),
        });
        let future = Future {
            shared: Arc::clone(&shared),
        };
        (
            Promise {
                shared: Some(shared),
            },
            future,
        )
    }

    /// Marks the task as started, unless it was cancelled: returns `false` then, and the
    /// task must not run (Python's `set_running_or_notify_cancel`).
    pub fn set_running(&self) -> bool {
        let Some(shared) = &self.shared else {
            return false;
        };
        let mut state = shared.lock();
        match state.phase {
            Phase::Pending => {
                state.phase = Phase::Running;
                true
            }
            Phase::Running => true,
            Phase::Finished(_) => false,
        }
    }

    /// Whether the future was cancelled: a long task may check this and stop early.
    pub fn is_cancelled(&self) -> bool {
        self.shared.as_ref().is_some_and(|shared| {
            matches!(
                shared.lock().phase,
                Phase::Finished(Err(TaskError::Cancelled))
            )
        })
    }

    /// Finishes the future with `value`. Returns `false` (and drops `value`) if the future
    /// had been cancelled first.
    pub fn set_result(self, value: T) -> bool {
        self.settle(Ok(value))
    }

    /// Finishes the future with `TaskError::Failed(message)` (Python: the task raised).
    /// Returns `false` if the future had been cancelled first.
    pub fn set_error(self, message: impl Into<String>) -> bool {
        self.settle(Err(TaskError::Failed(message.into())))
    }

    fn settle(mut self, outcome: Result<T, TaskError>) -> bool {
        match self.shared.take() {
            Some(shared) => finish(shared, outcome),
            None => false,
        }
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            finish(shared, Err(TaskError::Abandoned));
        }
    }
}

/// Stores the outcome unless the future already finished (it was cancelled), then wakes
/// waiters and runs callbacks outside the lock.
fn finish<T>(shared: Arc<Shared<T>>, outcome: Result<T, TaskError>) -> bool {
    let future = Future { shared };
    let mut state = future.shared.lock();
    if matches!(state.phase, Phase::Finished(_)) {
        return false;
    }
    state.phase = Phase::Finished(outcome);
    let callbacks = std::mem::take(&mut state.callbacks);
    drop(state);
    future.announce(callbacks);
    true
}

/// A job as the workers see it: the task wrapped with its promise.
type Job = Box<dyn FnOnce() + Send>;

struct Queue {
    jobs: Mutex<Jobs>,
    /// Notified when a job is queued or the executor shuts down.
    available: Condvar,
    /// Panics that escaped a job: a done-callback panicked while the worker finished a
    /// future. Re-raised when the executor is dropped, so such a bug fails its test.
    callback_panics: Mutex<Vec<String>>,
}

struct Jobs {
    waiting: VecDeque<Job>,
    shutting_down: bool,
}

/// A fixed set of worker threads running submitted tasks in order (Python's
/// `ThreadPoolExecutor(max_workers)`). Dropping it runs the queued tasks, then joins the
/// workers (Python's `shutdown(wait=True)`), then panics if a done-callback panicked on a
/// worker (Python logs those and carries on; a test should hear about them).
///
/// The `pool` topic builds one of these; this one is given so that `as_completed` can be
/// done first. Workers run jobs inside `catch_unwind`: in loom models, keep tasks and
/// callbacks run by an `Executor` free of blocking, so loom's own deadlock panic is never
/// caught there (the exercises' models use `Promise`s and plain threads instead).
pub struct Executor {
    queue: Arc<Queue>,
    workers: Vec<JoinHandle<()>>,
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("workers", &self.workers.len())
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// Starts `workers` threads. Panics if `workers` is 0: nothing would ever run.
    pub fn new(workers: usize) -> Self {
        assert!(workers > 0, "an executor needs at least one worker");
        let queue = Arc::new(Queue {
            jobs: Mutex::new(Jobs {
                waiting: VecDeque::new(),
                shutting_down: false,
            }),
            available: Condvar::new(),
            callback_panics: Mutex::new(Vec::new()),
        });
        let workers = (0..workers)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || work(&queue))
            })
            .collect();
        Self { queue, workers }
    }

    /// Queues `task` and returns its future at once (Python's `submit`). `Ok(v)` finishes
    /// the future with `v`, `Err(message)` with `TaskError::Failed`, a panic with
    /// `TaskError::Panicked`. A task cancelled before a worker picks it up never runs.
    pub fn submit<T, F>(&self, task: F) -> Future<T>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, String> + Send + 'static,
    {
        let (promise, future) = Promise::new();
        let job: Job = Box::new(move || {
            if !promise.set_running() {
                return; // cancelled while queued
            }
            let outcome = match panic::catch_unwind(AssertUnwindSafe(task)) {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(message)) => Err(TaskError::Failed(message)),
                Err(payload) => Err(TaskError::Panicked(panic_message(&*payload))),
            };
            promise.settle(outcome);
        });
        let mut jobs = self
            .queue
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        jobs.waiting.push_back(job);
        drop(jobs);
        // One job, one worker needed.
        self.queue.available.notify_one();
        future
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        let mut jobs = self
            .queue
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        jobs.shutting_down = true;
        drop(jobs);
        // Every idle worker must see the shutdown, not just one.
        self.queue.available.notify_all();
        for worker in self.workers.drain(..) {
            // Workers catch every panic (see `work`), so joining cannot fail.
            let _ = worker.join();
        }
        let panics = std::mem::take(
            &mut *self
                .queue
                .callback_panics
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        // `std::thread::panicking`: a plain query, the same in both worlds. Panicking again
        // while already unwinding would abort.
        if let (Some(first), false) = (panics.first(), std::thread::panicking()) {
            panic!("a done-callback panicked on an executor worker: {first}");
        }
    }
}

/// A worker: run queued jobs until the executor shuts down and the queue is empty.
fn work(queue: &Queue) {
    loop {
        let mut jobs = queue.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        let job = loop {
            if let Some(job) = jobs.waiting.pop_front() {
                break job;
            }
            if jobs.shutting_down {
                return;
            }
            // `loop` + re-check: another worker may take the job we were woken for.
            jobs = queue
                .available
                .wait(jobs)
                .unwrap_or_else(PoisonError::into_inner);
        };
        drop(jobs); // run the job without holding the queue
        // The task's own panic is caught inside the job; what arrives here came from a
        // done-callback. Keep the worker alive and report it when the executor is dropped.
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(job)) {
            queue
                .callback_panics
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(panic_message(&*payload));
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a non-text panic payload".to_string()
    }
}
