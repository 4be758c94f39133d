//! Topic `join`: Join: waiting for threads, their results, their panics, with a timeout.
//!
//! The learner's files in `exercises/join/` (with the `solution` feature, `solutions/join/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/join/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "Start every thread, then join them all and return the results in spawn order (Python: `for t in threads: t.join()`)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/join/01_join_all.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/join/01_join_all.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_all;

#[doc = "A panicking thread comes back as a `JoinError` carrying its message; the other threads' results are not lost."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/join/02_join_panics.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/join/02_join_panics.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_panics;

#[doc = "Python's `join(timeout)` and `is_alive()`: a completion signal (Mutex<bool> + Condvar) and one time budget for many threads."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/join/03_join_timeout.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/join/03_join_timeout.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_timeout;

#[doc = "A Thread<Unstarted> -> Thread<Running> -> Thread<Finished> API: joining a thread that was never started does not compile."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/join/04_join_typestate.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/join/04_join_typestate.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_typestate;

#[doc = "Fan-in: workers send any number of results over one channel; the collector ends when the last Sender is dropped."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/join/05_join_fan_in.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/join/05_join_fan_in.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_fan_in;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
