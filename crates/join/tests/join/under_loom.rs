//! The learner's exercise files again, compiled against loom (this test binary's
//! `crate::sync` is loom) for the models. Written by `cargo tw dev wire` from
//! `exercises/join/info.toml`.

// The models use only part of each exercise's API.
#![allow(dead_code)]

#[doc = "Start every thread, then join them all and return the results in spawn order (Python: `for t in threads: t.join()`)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/join/01_join_all.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/join/01_join_all.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_all;

#[doc = "Python's `join(timeout)` and `is_alive()`: a completion signal (Mutex<bool> + Condvar) and one time budget for many threads."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/join/03_join_timeout.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/join/03_join_timeout.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_timeout;

#[doc = "Fan-in: workers send any number of results over one channel; the collector ends when the last Sender is dropped."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/join/05_join_fan_in.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/join/05_join_fan_in.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod join_fan_in;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_under_loom.rs"));
