//! Topic `daemon`: Background threads: events, stopping workers, daemon threads, Ctrl-C.
//!
//! The learner's files in `exercises/daemon/` (with the `solution` feature, `solutions/daemon/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/daemon/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "Python's threading.Event (set, clear, is_set, wait, wait with a timeout) on a Mutex and a Condvar."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/daemon/01_event.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/daemon/01_event.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod event;

#[doc = "A background heartbeat that beats at once, then every interval, and stops at once when its stop Event is set."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/daemon/02_heartbeat.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/daemon/02_heartbeat.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod heartbeat;

#[doc = "The word processor's auto-save thread: woken by edits, never polling, and saving the last edit before it stops."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/daemon/03_auto_save.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/daemon/03_auto_save.rs"
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
    path = "../../../exercises/daemon/04_interpreter_exit.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/daemon/04_interpreter_exit.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod interpreter_exit;

#[doc = "Ctrl-C sets the stop Event; workers finish their current job, the journal is flushed, and the program exits 0."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/daemon/05_graceful.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/daemon/05_graceful.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod graceful;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
