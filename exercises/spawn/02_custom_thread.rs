//! # custom_thread: "extend `Thread` and override `run()`", and a callable object
//!
//! The tutorials' second way to start a thread is a subclass: `class Countdown(Thread)`
//! overrides `run()`, keeps its state in `self`, and inherits `start()`, which runs `run()`
//! on a new thread. Rust has no inheritance, but a trait gives the same shape: the trait
//! *requires* `run` and *provides* `start`, written once for every type that implements it.
//!
//! The classic Python slip is calling `t.run()` instead of `t.start()`: the body then runs
//! on the caller's thread and the caller waits for it. `start` must hand `run` to a new
//! thread and return at once.
//!
//! The tutorials' third way is "a class without extending Thread": an object with a
//! `__call__` method passed as `target`. In Rust that is any value moved into a closure:
//! `Greeter` knows nothing about threads, and `start_callable` gives it one.

use crate::thread::{self, JoinHandle};

/// Python's `Thread` subclass. Implement `run`; `start` comes with the trait.
pub trait CustomThread: Sized + Send + 'static {
    /// What `run` hands back through `join()` (a Python subclass would store it in `self`).
    type Output: Send + 'static;

    /// The thread's body: Python's overridden `run()`. It takes `self` by value, so the
    /// object's state moves onto the new thread with it.
    fn run(self) -> Self::Output;

    /// Python's `start()`: runs `self.run()` on a new thread and returns its handle
    /// without waiting for `run` to finish.
    fn start(self) -> JoinHandle<Self::Output> {
        todo!()
    }
}

/// The tutorials' `myThread`, with state: counts down from `from` to 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    pub from: u32,
}

impl CustomThread for Countdown {
    type Output = Vec<u32>;

    /// `[from, from - 1, ..., 1]`; empty when `from` is 0.
    fn run(self) -> Vec<u32> {
        todo!()
    }
}

/// A plain object that can be "called" (Python's `__call__`); it is not a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeter {
    pub greeting: String,
    pub names: Vec<String>,
}

impl Greeter {
    /// One line per name, in order: `"{greeting}, {name}!"`.
    pub fn call(self) -> Vec<String> {
        todo!()
    }
}

/// `Thread(target=greeter).start()`: calls `greeter.call()` on a new thread.
pub fn start_callable(greeter: Greeter) -> JoinHandle<Vec<String>> {
    todo!()
}
