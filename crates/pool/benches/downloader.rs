//! `cargo bench -p pool`: the concurrent downloader, 1 worker against several, on a local
//! HTTP server (127.0.0.1, a free port) that waits a fixed time before each answer.
//!
//! The wait stands for network latency: it is a simulation inside the benchmark's own
//! server, not a way of ordering threads. The downloads are I/O-bound: the client spends
//! its time waiting for answers, so N workers wait N times at once, and the run takes about
//! files / N waits. Rounds alternate between the worker counts; the table shows medians.

use std::time::{Duration, Instant};

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};
include!(concat!(env!("OUT_DIR"), "/bench_world.rs"));

#[allow(dead_code)]
#[path = "../tests/pool/pool_downloader/server.rs"]
mod server;

use pool_downloader::download_all;
use server::{FileServer, Options, sample_files};

const FILES: usize = 24;
const FILE_SIZE: usize = 64 * 1024;
const LATENCY: Duration = Duration::from_millis(20);
const WORKER_COUNTS: [usize; 4] = [1, 2, 4, 8];
const ROUNDS: usize = 5;

/// Downloads every file once with `workers` threads from a fresh server; the elapsed time.
fn one_run(workers: usize) -> Duration {
    let files = sample_files(FILES, FILE_SIZE);
    let server = FileServer::start(
        files,
        FILES,
        Options {
            latency: LATENCY,
            ..Options::default()
        },
    );
    let urls: Vec<_> = (0..FILES)
        .map(|i| server.url(&format!("file-{i}.bin")))
        .collect();
    let start = Instant::now();
    let results = download_all(&urls, workers);
    let elapsed = start.elapsed();
    server.finish();
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_ok_and(|b| b.len() == FILE_SIZE)),
        "every download must succeed with the whole file"
    );
    elapsed
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("downloader: a benchmark; run it with `cargo bench -p pool`");
        return;
    }
    let mut samples = vec![Vec::with_capacity(ROUNDS); WORKER_COUNTS.len()];
    for round in 0..ROUNDS {
        for k in 0..WORKER_COUNTS.len() {
            let i = (round + k) % WORKER_COUNTS.len();
            samples[i].push(one_run(WORKER_COUNTS[i]).as_secs_f64() * 1e3);
        }
    }
    println!(
        "\nconcurrent downloader: {FILES} files of {} KiB from 127.0.0.1, {} ms simulated \
         latency per request, median of {ROUNDS} interleaved rounds",
        FILE_SIZE / 1024,
        LATENCY.as_millis()
    );
    println!(
        "| {:>7} | {:>10} | {:>17} | {:>16} |",
        "workers", "ms", "speed-up vs 1", "ideal (latency)"
    );
    println!("|{:->9}|{:->12}|{:->19}|{:->18}|", "", "", "", "");
    let medians: Vec<f64> = samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect();
    for (&workers, &ms) in WORKER_COUNTS.iter().zip(&medians) {
        let ideal = (FILES.div_ceil(workers) as u128 * LATENCY.as_millis()) as f64;
        println!(
            "| {workers:>7} | {ms:>10.1} | {:>16.2}x | {ideal:>13.0} ms |",
            medians[0] / ms
        );
    }
}
