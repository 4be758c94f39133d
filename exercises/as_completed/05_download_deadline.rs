//! # download_deadline: the tutorials' downloader, with progress and a deadline
//!
//! The Python downloader submits one `download_image(url)` per URL to a
//! `ThreadPoolExecutor` and prints `photo-... is downloaded...` as each finishes. Build it on
//! the course's `Executor`, and make it give up in time:
//!
//! - `file_name(url)`: the URL's last path segment plus `.jpg`
//!   (`https://img.example/photo-1516117172878` -> `photo-1516117172878.jpg`).
//! - `download_all` submits `fetch(url)` for every URL, then takes the results *as they
//!   finish* and calls `on_progress` with one line each, numbered in finishing order:
//!   `[2/15] photo-1.jpg: 48213 bytes` or `[3/15] photo-9.jpg: the task failed: 404`.
//! - A failed or panicking download is reported like a finished one, with its `TaskError`'s
//!   text instead of the size, goes to `failed`, and the other downloads go on.
//! - `timeout` counts from the call. When it passes, stop waiting: every download still
//!   unfinished is cancelled (a queued one then never runs) and listed in `timed_out`, in
//!   input order, with no progress line. A download that finishes after you gave up must
//!   not panic anything.

use crate::futures::{Executor, TaskError};
use crate::sync::{Arc, mpsc};
use crate::time::{Duration, Instant};

/// What `download_all` got, in finishing order (`timed_out` in input order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// `(file name, number of bytes)` of every finished download.
    pub saved: Vec<(String, usize)>,
    /// `(url, why)` of every download that failed or panicked.
    pub failed: Vec<(String, TaskError)>,
    /// URLs still unfinished at the deadline; each was cancelled.
    pub timed_out: Vec<String>,
}

/// `https://img.example/photo-1` -> `photo-1.jpg`: the last non-empty path segment + `.jpg`.
pub fn file_name(url: &str) -> String {
    todo!()
}

/// Downloads every URL on `executor`, reporting each as it finishes, until all are done or
/// `timeout` has passed.
pub fn download_all<F, P>(
    executor: &Executor,
    urls: &[String],
    fetch: F,
    timeout: Duration,
    on_progress: P,
) -> DownloadReport
where
    F: Fn(&str) -> Result<Vec<u8>, String> + Send + Sync + 'static,
    P: FnMut(&str),
{
    todo!()
}
