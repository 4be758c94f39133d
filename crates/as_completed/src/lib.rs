//! Topic `as_completed`: Results as they finish: as_completed, wait(return_when), first success wins, progress, deadlines.
//!
//! The learner's files in `exercises/as_completed/` (with the `solution` feature, `solutions/as_completed/`),
//! compiled against std. Written by `cargo tw dev wire` from `exercises/as_completed/info.toml`: edit
//! that file, then run the command; the build fails while this one is out of date.

pub use support::facade::std_flavour::futures;
pub use support::facade::std_flavour::{cell, hint, sync, thread, time};

#[doc = "Python's as_completed(fs, timeout): futures in finishing order, woken by done-callbacks, a Timeout naming the unfinished."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/as_completed/01_as_completed.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/as_completed/01_as_completed.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod as_completed;

#[doc = "Python's wait(fs, timeout, return_when) with FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED, returning (done, not_done)."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/as_completed/02_wait_return_when.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/as_completed/02_wait_return_when.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod wait_return_when;

#[doc = "The first future to succeed wins and every other one is cancelled; failures keep the race going; all failed gives every error."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/as_completed/03_first_success.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/as_completed/03_first_success.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod first_success;

#[doc = "\"n of m done\" lines written by done-callbacks on the finishing threads, numbered in finishing order; wait() for all."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/as_completed/04_progress_report.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/as_completed/04_progress_report.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod progress_report;

#[doc = "The tutorials' concurrent downloader: submit every URL, report \"[n/m] name: bytes\" as each finishes, cancel what misses the deadline."]
#[cfg(not(threadwork_swap))]
#[cfg_attr(
    not(feature = "solution"),
    path = "../../../exercises/as_completed/05_download_deadline.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../../../solutions/as_completed/05_download_deadline.rs"
)]
#[cfg_attr(
    not(feature = "solution"),
    allow(unused_variables, unused_imports, dead_code)
)]
pub mod download_deadline;

// While `THREADWORK_SWAP` replaces files (the mutant check), the build script writes these
// declarations again with the replacements' absolute paths.
#[cfg(threadwork_swap)]
include!(concat!(env!("OUT_DIR"), "/swapped_exercises.rs"));
