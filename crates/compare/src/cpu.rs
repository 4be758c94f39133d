//! CPU-bound work: how many primes lie below `limit`, split into `parts` ranges.

use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};

/// Trial division: slow on purpose, so the work is computing, not waiting.
pub fn is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

pub fn count_primes(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}

/// `0..limit` cut into `parts` ranges of (nearly) equal length.
pub fn ranges(limit: u64, parts: u64) -> Vec<Range<u64>> {
    let parts = parts.max(1);
    (0..parts)
        .map(|i| limit * i / parts..limit * (i + 1) / parts)
        .collect()
}

/// One thread, one range: the baseline.
pub fn sequential(limit: u64) -> u64 {
    count_primes(0..limit)
}

/// One scoped thread per range (Python: `threading.Thread` per part, which the GIL runs one
/// at a time; here every core works).
pub fn threads(limit: u64, parts: u64) -> u64 {
    std::thread::scope(|scope| {
        let handles: Vec<_> = ranges(limit, parts)
            .into_iter()
            .map(|range| scope.spawn(move || count_primes(range)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// rayon's global pool (one thread per core) splits the numbers itself.
pub fn rayon(limit: u64) -> u64 {
    use rayon::prelude::*;
    (0..limit).into_par_iter().filter(|&n| is_prime(n)).count() as u64
}

/// One tokio task per range on a runtime with `workers` threads. The tasks never `.await`,
/// so each holds its worker thread until it is done: async adds no cores, and while these
/// run, the runtime can serve nothing else.
pub fn async_tasks(limit: u64, parts: u64, workers: usize) -> u64 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let tasks: Vec<_> = ranges(limit, parts)
            .into_iter()
            .map(|range| tokio::spawn(async move { count_primes(range) }))
            .collect();
        let mut total = 0;
        for task in tasks {
            total += task.await.expect("a prime-counting task");
        }
        total
    })
}

/// One worker *process* per range (Python's `multiprocessing.Process`): `program` is this
/// crate's binary, started as `compare count-primes START END`, which prints its count.
/// Each process costs a start, its own memory, and text through a pipe for its answer.
pub fn processes(program: &Path, limit: u64, parts: u64) -> std::io::Result<u64> {
    let children = ranges(limit, parts)
        .into_iter()
        .map(|range| {
            Command::new(program)
                .args([
                    "count-primes",
                    &range.start.to_string(),
                    &range.end.to_string(),
                ])
                .stdout(Stdio::piped())
                .spawn()
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut total = 0;
    for child in children {
        let output = child.wait_with_output()?;
        if !output.status.success() {
            return Err(std::io::Error::other(format!(
                "a worker process ended with {}",
                output.status
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        total += text.trim().parse::<u64>().map_err(|e| {
            std::io::Error::other(format!("a worker process printed {text:?}: {e}"))
        })?;
    }
    Ok(total)
}
