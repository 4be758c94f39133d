//! Topic `thread-local`: Thread-local data: thread_local!, threading.local(), per-thread buffers, request context.
//!
//! The learner's files in `exercises/thread-local/` (with the `solution` feature, `solutions/thread-local/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/thread-local/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "thread_local! with Cell and RefCell: a per-thread counter no other thread can see."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/thread-local/01_per_thread_counter.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/thread-local/01_per_thread_counter.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod per_thread_counter;

#[doc = "Local<T>, like threading.local(): one value per thread per instance, made on first access."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/thread-local/02_local.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/thread-local/02_local.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod local;

#[doc = "Per-thread counts merged once at the end, instead of one shared lock per value (cargo bench shows the gain)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/thread-local/03_merge_at_end.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/thread-local/03_merge_at_end.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod merge_at_end;

#[doc = "A thread-local log buffer whose destructor hands its last lines to a shared sink when the thread exits."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/thread-local/04_flush_on_exit.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/thread-local/04_flush_on_exit.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod flush_on_exit;

#[doc = "A scoped 'current request': a guard sets a thread-local and restores the previous value on drop, nested and on panic."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/thread-local/05_request_context.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/thread-local/05_request_context.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod request_context;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
