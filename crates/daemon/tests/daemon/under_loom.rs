//! The learner's exercise files again, compiled against loom (this test binary's
//! `crate::sync` is loom) for the models. Written by `cargo tw dev wire` from
//! `exercises/daemon/info.toml`.

// The models use only part of each exercise's API.
#![allow(dead_code)]

#[doc = "Python's threading.Event (set, clear, is_set, wait, wait with a timeout) on a Mutex and a Condvar."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/daemon/01_event.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/daemon/01_event.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod event;

#[doc = "The word processor's auto-save thread: woken by edits, never polling, and saving the last edit before it stops."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/daemon/03_auto_save.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/daemon/03_auto_save.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod auto_save;

#[doc = "A small runtime that, like Python at exit, waits for non-daemon threads and abandons daemon ones."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/daemon/04_interpreter_exit.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/daemon/04_interpreter_exit.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod interpreter_exit;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_under_loom.rs"));
