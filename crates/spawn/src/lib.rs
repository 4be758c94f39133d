//! Topic `spawn`: Starting threads: target and args, run(), names and ids, live threads, scoped threads, worker processes.
//!
//! The learner's files in `exercises/spawn/` (with the `solution` feature, `solutions/spawn/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/spawn/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::process;
pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "Thread(target=f, args=(...)) as a move closure, with the result returned through join()."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/01_spawn_args.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/01_spawn_args.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod spawn_args;

#[doc = "Python's Thread subclass as a trait with a required run() and a provided start(); a callable object as a target."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/02_custom_thread.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/02_custom_thread.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod custom_thread;

#[doc = "Names and ids: thread::Builder::name, thread::current(), JoinHandle::thread(), and a captured main thread."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/03_thread_identity.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/03_thread_identity.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod thread_identity;

#[doc = "threading.active_count() and enumerate(): a registry that lists a thread from spawn until join, even if it panics."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/04_live_registry.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/04_live_registry.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod live_registry;

#[doc = "CPU-bound work without a GIL: thread::scope threads that borrow chunks of one slice."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/05_scoped_sum.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/05_scoped_sum.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod scoped_sum;

#[doc = "multiprocessing.Process(target=...).start()/.join() as worker processes: one per input, fed on stdin, answers read from stdout."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/spawn/06_worker_processes.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/spawn/06_worker_processes.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod worker_processes;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
