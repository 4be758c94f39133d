//! A tiny HTTP/1.0 file server on 127.0.0.1, for the downloader's tests and benchmark.
//!
//! It listens on a free port (port 0), answers a fixed number of requests, one thread per
//! connection, and stops by itself. Files are served from memory: `GET /name` answers 200
//! with the bytes of `name`, or 404. Two knobs:
//! - `together`: hold every answer until that many requests are open at once (then answer
//!   them all). A test uses it to *prove* downloads overlap without timing anything: with
//!   fewer simultaneous requests, the server never answers.
//! - `latency`: a fixed pause before each answer, standing for a slow network. Only the
//!   benchmark sets it; tests leave it at zero.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How the server answers.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Answer only when this many requests are open at the same time (1: at once).
    pub together: usize,
    /// Pause before each answer (simulated network latency; benchmark only).
    pub latency: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            together: 1,
            latency: Duration::ZERO,
        }
    }
}

/// A running server; `finish` waits for its last request.
pub struct FileServer {
    addr: SocketAddr,
    serving: JoinHandle<Vec<String>>,
}

impl FileServer {
    /// Serves `files` for exactly `requests` requests, then stops.
    pub fn start(files: HashMap<String, Vec<u8>>, requests: usize, options: Options) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the listener's address");
        let files = Arc::new(files);
        let together = Arc::new(Barrier::new(options.together.max(1)));
        let serving = thread::spawn(move || {
            let connections: Vec<_> = (0..requests)
                .map(|_| {
                    let (stream, _) = listener.accept().expect("accept a connection");
                    let (files, together) = (Arc::clone(&files), Arc::clone(&together));
                    thread::spawn(move || answer(stream, &files, &together, options.latency))
                })
                .collect();
            connections
                .into_iter()
                .map(|c| c.join().expect("a connection thread panicked"))
                .collect()
        });
        Self { addr, serving }
    }

    /// The URL of `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("http://{}/{name}", self.addr)
    }

    /// Waits until every request was answered; returns the requested paths, sorted.
    pub fn finish(self) -> Vec<String> {
        let mut paths = self.serving.join().expect("the server thread panicked");
        paths.sort();
        paths
    }
}

/// Reads one request, waits for its companions (and the latency), answers, closes.
fn answer(
    stream: TcpStream,
    files: &HashMap<String, Vec<u8>>,
    together: &Barrier,
    latency: Duration,
) -> String {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader
        .read_line(&mut request_line)
        .expect("read the request line");
    // Skip the headers, up to the empty line.
    let mut header = String::new();
    while reader.read_line(&mut header).expect("read a header") > 2 {
        header.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    together.wait();
    if !latency.is_zero() {
        // Simulated network latency, benchmark only; it orders nothing.
        thread::sleep(latency);
    }
    let mut stream = reader.into_inner();
    let response = match files.get(path.trim_start_matches('/')) {
        Some(body) => {
            let head = format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
            [head.as_bytes(), body].concat()
        }
        None => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    };
    // The client may already have given up; the test reports that, not the server.
    let _ = stream.write_all(&response);
    path
}

/// `count` files named `file-0.bin` ... with distinct contents of `size` bytes each.
pub fn sample_files(count: usize, size: usize) -> HashMap<String, Vec<u8>> {
    (0..count)
        .map(|i| {
            let body = (0..size).map(|b| (b * 31 + i * 7) as u8).collect();
            (format!("file-{i}.bin"), body)
        })
        .collect()
}
