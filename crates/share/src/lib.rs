//! Topic `share`: Sharing between threads: Send and Sync, Arc, Mutex guards, poisoning, atomics, bounded channels, RwLock, Barrier, OnceLock.
//!
//! The learner's files in `exercises/share/` (with the `solution` feature, `solutions/share/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/share/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "The first compile error: an Rc cannot cross threads; share one list between threads with an Arc."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/01_rc_to_arc.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/01_rc_to_arc.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod rc_to_arc;

#[doc = "A journal many threads append to: a RefCell is not Sync, a Mutex is; one guard per append."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/02_shared_journal.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/02_shared_journal.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod shared_journal;

#[doc = "A MutexGuard holds the lock until it is dropped: deliver messages to a handler that may post replies, without deadlocking."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/03_guard_scope.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/03_guard_scope.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod guard_scope;

#[doc = "Why every stub writes .lock().unwrap(): a panic while holding a Mutex poisons it; a tally that keeps counting after one of its jobs panicked."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/04_poisoning.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/04_poisoning.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod poisoning;

#[doc = "An AtomicU64 that hands out unique, consecutive tickets: one read-modify-write, not a load and a store."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/05_tickets.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/share/05_tickets.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod tickets;

#[doc = "The tutorials' global `done` flag as an AtomicBool: jobs run until another thread stops them, and a started job always finishes."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/06_stop_flag.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/06_stop_flag.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod stop_flag;

#[doc = "Hand a value to another thread with a value and a flag, no lock: Release and Acquire, and the Relaxed bug loom finds."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/07_publish.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/share/07_publish.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod publish;

#[doc = "Python's queue.Queue(maxsize) on std's channels: put_nowait refuses when full, maxsize 0 means unbounded, get ends when every producer is gone."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/08_queue_maxsize.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/08_queue_maxsize.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod queue_maxsize;

#[doc = "Settings that many threads read at once and one thread changes: an RwLock, and an update no reader sees half-done."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/09_settings.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/share/09_settings.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod settings;

#[doc = "Python's threading.Barrier: workers put their part, meet, then read every part; one leader per round, and a second meeting before the next round."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/10_phases.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/share/10_phases.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod phases;

#[doc = "Python's double-checked-lock singleton as a OnceLock field: a config loaded exactly once even when many threads ask first, preloadable, and a failed load leaves it empty."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/share/11_config_once.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/share/11_config_once.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod config_once;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
