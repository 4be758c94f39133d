//! The learner's exercise files again, compiled against loom (this test binary's
//! `crate::sync` is loom) for the models. Written by `cargo tw dev wire` from
//! `exercises/spawn/info.toml`.

// The models use only part of each exercise's API.
#![allow(dead_code)]

#[doc = "Thread(target=f, args=(...)) as a move closure, with the result returned through join()."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../../exercises/spawn/01_spawn_args.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/spawn/01_spawn_args.rs"
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
    path = "../../../../exercises/spawn/02_custom_thread.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/spawn/02_custom_thread.rs"
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
    path = "../../../../exercises/spawn/03_thread_identity.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/spawn/03_thread_identity.rs"
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
    path = "../../../../exercises/spawn/04_live_registry.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../../solutions/spawn/04_live_registry.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod live_registry;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_under_loom.rs"));
