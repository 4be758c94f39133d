//! # spawn_args: `Thread(target=f, args=(...))`, and a result that comes back
//!
//! Python starts a thread with `Thread(target=work, args=(123,)).start()`, and whatever
//! `work` returns is thrown away: to get a result out, the thread appends to a shared list.
//! Rust's `thread::spawn` takes a closure instead of `target` + `args`. The closure *moves*
//! its arguments onto the new thread (the caller cannot touch them any more, so there is
//! nothing to race on), and its return value comes back through `JoinHandle::join`.
//!
//! 1. `start_target(target, args)`: run `target(args)` on a new thread; return its handle.
//! 2. `map_in_threads(inputs, worker)`: the tutorials' loop that starts one thread per input
//!    and then joins them all. Return the results in the order of `inputs`, whatever order
//!    the threads finish in. All the threads must run at the same time: start every one of
//!    them before you join the first.

use crate::thread::{self, JoinHandle};

/// Python's `Thread(target=target, args=(args,)).start()`, except that `join()` on the
/// returned handle gives back what `target` returned (or `Err` if it panicked).
pub fn start_target<F, A, R>(target: F, args: A) -> JoinHandle<R>
where
    F: FnOnce(A) -> R + Send + 'static,
    A: Send + 'static,
    R: Send + 'static,
{
    todo!()
}

/// Runs `worker(input)` for every input, each on its own thread, all at the same time, and
/// returns the results in the order of `inputs`.
///
/// Panics if a worker panicked (the panic is passed on, like `future.result()` re-raises).
pub fn map_in_threads<A, R>(inputs: Vec<A>, worker: fn(A) -> R) -> Vec<R>
where
    A: Send + 'static,
    R: Send + 'static,
{
    todo!()
}
