//! # pool_downloader: the concurrent downloader
//!
//! The tutorials' favourite I/O-bound job: download a list of files. One at a time, the
//! program spends nearly all its time waiting for the network. With a pool, several
//! requests wait at once, and the total time drops to about (files / workers) waits.
//! Python's version: `with ThreadPoolExecutor() as ex: ex.map(download_image, urls)`.
//!
//! `fetch` (one plain HTTP GET over `std::net`) is given. Write `download_all` and
//! `save_all` with your `ThreadPoolExecutor`: one task per URL, results in URL order, and
//! one URL's failure never hides the others' results.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use super::executor::ThreadPoolExecutor;
use super::task_future::TaskError;

/// Why one URL could not be downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadError {
    /// The URL is not `http://host:port/path`.
    BadUrl(String),
    /// Connecting, sending, receiving or saving failed (the `io::Error`'s text).
    Io(String),
    /// The server answered with another status than 200 OK (404: no such file).
    Status(u16),
    /// The download task itself panicked or was cancelled.
    Task(TaskError),
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::BadUrl(url) => write!(f, "`{url}` is not an http://host:port/path URL"),
            DownloadError::Io(message) => write!(f, "I/O error: {message}"),
            DownloadError::Status(code) => write!(f, "the server answered {code}"),
            DownloadError::Task(error) => write!(f, "the download task failed: {error}"),
        }
    }
}

impl std::error::Error for DownloadError {}

fn io_error(error: io::Error) -> DownloadError {
    DownloadError::Io(error.to_string())
}

/// Given: downloads `http://host:port/path` with one HTTP/1.0 GET and returns the body.
/// It blocks while the server thinks: that waiting is what a pool overlaps.
pub fn fetch(url: &str) -> Result<Vec<u8>, DownloadError> {
    let bad_url = || DownloadError::BadUrl(url.to_string());
    let rest = url.strip_prefix("http://").ok_or_else(bad_url)?;
    let (host, path) = rest.split_at(rest.find('/').ok_or_else(bad_url)?);
    let mut stream = TcpStream::connect(host).map_err(io_error)?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").map_err(io_error)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(io_error)?;
    let no_header = || DownloadError::Io("the response has no HTTP header".into());
    let header_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(no_header)?;
    let status = String::from_utf8_lossy(&response[..header_end])
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(no_header)?;
    if status != 200 {
        return Err(DownloadError::Status(status));
    }
    Ok(response[header_end + 4..].to_vec())
}

/// Downloads every URL with `max_workers` threads. Result `i` belongs to `urls[i]`.
pub fn download_all(urls: &[String], max_workers: usize) -> Vec<Result<Vec<u8>, DownloadError>> {
    todo!()
}

/// Downloads every URL into `dir`, named after the last segment of its path
/// (`http://h:1/img/cat.jpg` -> `dir/cat.jpg`), with `max_workers` threads. The worker that
/// downloads a file also writes it. Result `i` is the path written for `urls[i]`.
pub fn save_all(
    urls: &[String],
    dir: &Path,
    max_workers: usize,
) -> Vec<Result<PathBuf, DownloadError>> {
    todo!()
}
