//! Topic `lock`: Locks: Mutex, lock order, RLock, semaphores, condition variables.
//!
//! The learner's files in `exercises/lock/` (with the `solution` feature, `solutions/lock/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/lock/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "A shared counter that never loses an increment (Python's Lock around `counter += 1`)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/lock/01_counter.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/lock/01_counter.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod counter;

#[doc = "Threads share one database connection; each insert-then-read-back is one transaction."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/lock/02_sql_lock.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/lock/02_sql_lock.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod sql_lock;

#[doc = "Transfers between accounts with one lock each: no deadlock, no money created or lost."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(not(feature = "solution"), path = "../../../exercises/lock/03_bank.rs")]
#[cfg_attr(feature = "solution", path = "../../../solutions/lock/03_bank.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod bank;

#[doc = "A reentrant lock like Python's RLock: owner, depth, and a Condvar for waiters."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/lock/04_rlock.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/lock/04_rlock.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod rlock;

#[doc = "Semaphore with RAII permits, and a BoundedSemaphore that refuses over-release."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/lock/05_semaphore.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/lock/05_semaphore.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod semaphore;

#[doc = "A blocking producer/consumer queue (Python's queue.Queue(maxsize)) on Mutex + two Condvars."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/lock/06_bounded_queue.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/lock/06_bounded_queue.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod bounded_queue;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
