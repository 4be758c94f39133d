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
//! - `timeout` counts from the call. When it passes, stop waiting: every download still
//!   unfinished is cancelled (a queued one then never runs) and listed in `timed_out`.
//!
//! Waiting for "the next one to finish, but not past the deadline" is a job for a channel:
//! each future's done-callback sends its index, and `recv_timeout` waits for the next one.
//! A download that finishes after you gave up still runs its callback; by then the receiver
//! is gone, so its `send` fails, and that must not panic.

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
    let last = url
        .rsplit('/')
        .find(|segment| !segment.is_empty())
        .unwrap_or(url);
    format!("{last}.jpg")
}

/// Downloads every URL on `executor`, reporting each as it finishes, until all are done or
/// `timeout` has passed.
pub fn download_all<F, P>(
    executor: &Executor,
    urls: &[String],
    fetch: F,
    timeout: Duration,
    mut on_progress: P,
) -> DownloadReport
where
    F: Fn(&str) -> Result<Vec<u8>, String> + Send + Sync + 'static,
    P: FnMut(&str),
{
    let fetch = Arc::new(fetch);
    let (finished_tx, finished_rx) = mpsc::channel();
    let futures: Vec<_> = urls
        .iter()
        .enumerate()
        .map(|(index, url)| {
            let fetch = Arc::clone(&fetch);
            let url = url.clone();
            let future = executor.submit(move || fetch(&url));
            let finished_tx = finished_tx.clone();
            future.add_done_callback(move |_| {
                // After the deadline nobody listens any more; that is fine.
                let _ = finished_tx.send(index);
            });
            future
        })
        .collect();

    let deadline = Instant::now().checked_add(timeout);
    let mut report = DownloadReport::default();
    let mut reported = vec![false; urls.len()];
    for n in 1..=urls.len() {
        let next = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                finished_rx.recv_timeout(left).ok()
            }
            None => finished_rx.recv().ok(),
        };
        let Some(index) = next else {
            break; // the deadline passed
        };
        reported[index] = true;
        let name = file_name(&urls[index]);
        let line = match futures[index].result() {
            Ok(bytes) => {
                report.saved.push((name.clone(), bytes.len()));
                format!("[{n}/{}] {name}: {} bytes", urls.len(), bytes.len())
            }
            Err(error) => {
                let line = format!("[{n}/{}] {name}: {error}", urls.len());
                report.failed.push((urls[index].clone(), error));
                line
            }
        };
        on_progress(&line);
    }

    for (index, future) in futures.iter().enumerate() {
        if !reported[index] {
            future.cancel();
            report.timed_out.push(urls[index].clone());
        }
    }
    report
}
