//! `cargo bench -p thread-local`: exercise `merge_at_end`, both ways, side by side.
//!
//! One shared lock taken for every value (`histogram_shared_lock`, given) against per-thread
//! counts merged once at the end (`histogram_merged`, the exercise). Both count the same
//! values in the same run, so the ratio compares like with like on this machine, however
//! busy it is. Each variant runs a few times; the table shows the fastest run (the one least
//! disturbed by other programs). Nothing here is a test: speed is never a pass/fail verdict.

use std::hint::black_box;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use thread_locals::merge_at_end::{histogram_merged, histogram_shared_lock};

const VALUES: usize = 2_000_000;
const BUCKETS: usize = 16;
const RUNS: usize = 5;

/// Deterministic pseudo-random input (xorshift), the same on every run.
fn input() -> Arc<Vec<u32>> {
    let mut state = 0x9E37_79B9u32;
    let values = (0..VALUES)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        })
        .collect();
    Arc::new(values)
}

/// The fastest of `RUNS` runs, and the histogram it produced.
fn fastest(run: impl Fn() -> Vec<u64>) -> (Duration, Vec<u64>) {
    let mut best = Duration::MAX;
    let mut result = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        result = black_box(run());
        best = best.min(start.elapsed());
    }
    (best, result)
}

/// Runs `run`, turning an unfinished exercise (`todo!()`) into `None` without a backtrace.
fn unless_unfinished(run: impl Fn() -> (Duration, Vec<u64>)) -> Option<(Duration, Vec<u64>)> {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(run));
    panic::set_hook(previous_hook);
    outcome.ok()
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let values = input();
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let mut thread_counts = vec![1, 2, cores, 2 * cores];
    thread_counts.sort_unstable();
    thread_counts.dedup();

    println!(
        "merge_at_end: histogram of {VALUES} values into {BUCKETS} buckets, fastest of {RUNS} \
         runs ({cores} cores)\n"
    );
    println!(
        "{:>7} | {:>16} | {:>21} | {:>8}",
        "threads", "one shared lock", "per-thread + merge", "speed-up"
    );
    println!("{:-<8}+{:-<18}+{:-<23}+{:-<9}", "", "", "", "");
    let mut unfinished = false;
    for threads in thread_counts {
        let (locked_time, locked) =
            fastest(|| histogram_shared_lock(Arc::clone(&values), BUCKETS, threads));
        let merged = unless_unfinished(|| {
            fastest(|| histogram_merged(Arc::clone(&values), BUCKETS, threads))
        });
        let (merged_cell, ratio_cell) = match merged {
            Some((merged_time, merged)) => {
                assert_eq!(
                    merged, locked,
                    "histogram_merged gave another histogram than the shared-lock version; \
                     run `cargo test -p thread-local merge_at_end`"
                );
                let ratio = locked_time.as_secs_f64() / merged_time.as_secs_f64();
                (millis(merged_time), format!("{ratio:.1}x"))
            }
            None => {
                unfinished = true;
                ("todo!()".to_string(), "-".to_string())
            }
        };
        println!(
            "{threads:>7} | {:>16} | {merged_cell:>21} | {ratio_cell:>8}",
            millis(locked_time)
        );
    }
    if unfinished {
        println!(
            "\nhistogram_merged is not written yet (exercises/thread-local/03_merge_at_end.rs); \
             `cargo bench -p thread-local --features solution` shows the reference."
        );
    }
}
