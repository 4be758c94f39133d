//! Topic `pool`: Thread pools: futures, workers, submit and shutdown, ordered map, a concurrent downloader.
//!
//! The learner's files in `exercises/pool/` (with the `solution` feature, `solutions/pool/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/pool/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "A fixed set of worker threads taking jobs from one queue; shutdown wakes the idle ones."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/pool/01_worker_pool.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/pool/01_worker_pool.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod worker_pool;

#[doc = "A future with pending/running/finished/cancelled states (Python's concurrent.futures.Future)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/pool/02_task_future.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/pool/02_task_future.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod task_future;

#[doc = "ThreadPoolExecutor: submit(f) returns a TaskFuture; shutdown(wait, cancel_futures); Drop is Python's `with`."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/pool/03_executor.rs"
)]
#[cfg_attr(feature = "solution", path = "../../../solutions/pool/03_executor.rs")]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod executor;

#[doc = "executor.map(f, items): every task submitted at once, results yielded in input order."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/pool/04_ordered_map.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/pool/04_ordered_map.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod ordered_map;

#[doc = "The tutorials' concurrent downloader: fetch files from a local HTTP server with a pool."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/pool/05_pool_downloader.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/pool/05_pool_downloader.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod pool_downloader;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
