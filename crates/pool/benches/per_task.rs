//! `cargo bench -p pool`: what one task costs in the reference `ThreadPoolExecutor`
//! (submit + result), side by side with the `threadpool` crate and `rayon`, in one run.
//!
//! Method: every round runs every contender once, in a rotating order, so a machine that
//! slows down for a while slows everyone down alike; the table shows each contender's
//! median over the rounds. Two scenarios:
//! - batch: submit N tiny tasks, then collect the N results (throughput per task);
//! - round trip: submit one task, wait for its result, repeat (wake-up latency).
//!
//! The contenders return results the way their users would: our pool through a
//! `TaskFuture` per task; `threadpool` and `rayon`, which have no futures, through one
//! shared channel, and `threadpool` also with a channel per task (a poor man's future).
//! Nothing here is checked by a test: speed is reported, never asserted.

use std::hint::black_box;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub use support::facade::std_flavour::{cell, hint, sync, thread, time};
include!(concat!(env!("OUT_DIR"), "/bench_world.rs"));

use executor::ThreadPoolExecutor;

const WORKERS: usize = 2;
const BATCH: usize = 20_000;
const ROUND_TRIPS: usize = 2_000;
const ROUNDS: usize = 25;

/// One contender: a name and a function timing one scenario run.
struct Contender {
    name: &'static str,
    run: Box<dyn FnMut() -> Duration>,
}

fn ours_batch(pool: &ThreadPoolExecutor) -> Duration {
    let start = Instant::now();
    let futures: Vec<_> = (0..BATCH)
        .map(|i| pool.submit(move || black_box(i)).expect("open executor"))
        .collect();
    for future in futures {
        black_box(future.result().expect("task result"));
    }
    start.elapsed()
}

fn threadpool_batch_shared_channel(pool: &threadpool::ThreadPool) -> Duration {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel();
    for i in 0..BATCH {
        let tx = tx.clone();
        pool.execute(move || tx.send(black_box(i)).expect("receiver alive"));
    }
    drop(tx);
    for value in rx.iter().take(BATCH) {
        black_box(value);
    }
    start.elapsed()
}

fn threadpool_batch_channel_per_task(pool: &threadpool::ThreadPool) -> Duration {
    let start = Instant::now();
    let receivers: Vec<_> = (0..BATCH)
        .map(|i| {
            let (tx, rx) = mpsc::sync_channel(1);
            pool.execute(move || tx.send(black_box(i)).expect("receiver alive"));
            rx
        })
        .collect();
    for rx in receivers {
        black_box(rx.recv().expect("task result"));
    }
    start.elapsed()
}

fn rayon_batch_shared_channel(pool: &rayon::ThreadPool) -> Duration {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel();
    for i in 0..BATCH {
        let tx = tx.clone();
        pool.spawn(move || tx.send(black_box(i)).expect("receiver alive"));
    }
    drop(tx);
    for value in rx.iter().take(BATCH) {
        black_box(value);
    }
    start.elapsed()
}

fn ours_round_trip(pool: &ThreadPoolExecutor) -> Duration {
    let start = Instant::now();
    for i in 0..ROUND_TRIPS {
        let future = pool.submit(move || black_box(i)).expect("open executor");
        black_box(future.result().expect("task result"));
    }
    start.elapsed()
}

fn threadpool_round_trip(pool: &threadpool::ThreadPool) -> Duration {
    let start = Instant::now();
    for i in 0..ROUND_TRIPS {
        let (tx, rx) = mpsc::sync_channel(1);
        pool.execute(move || tx.send(black_box(i)).expect("receiver alive"));
        black_box(rx.recv().expect("task result"));
    }
    start.elapsed()
}

fn rayon_round_trip(pool: &rayon::ThreadPool) -> Duration {
    let start = Instant::now();
    for i in 0..ROUND_TRIPS {
        let (tx, rx) = mpsc::sync_channel(1);
        pool.spawn(move || tx.send(black_box(i)).expect("receiver alive"));
        black_box(rx.recv().expect("task result"));
    }
    start.elapsed()
}

fn rayon_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .build()
        .expect("a rayon pool")
}

/// Runs every contender once per round (rotating who goes first) and returns each one's
/// median time per task, in nanoseconds.
fn medians(contenders: &mut [Contender], tasks_per_run: usize) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(ROUNDS); contenders.len()];
    for _warm_up in 0..2 {
        for c in contenders.iter_mut() {
            let _ = (c.run)();
        }
    }
    for round in 0..ROUNDS {
        for k in 0..contenders.len() {
            let i = (round + k) % contenders.len();
            let elapsed = (contenders[i].run)();
            samples[i].push(elapsed.as_nanos() as f64 / tasks_per_run as f64);
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

fn print_table(title: &str, contenders: &[Contender], ns: &[f64], baseline: &str) {
    let base = contenders
        .iter()
        .zip(ns)
        .find(|(c, _)| c.name == baseline)
        .map_or(1.0, |(_, &v)| v);
    println!("\n{title}");
    println!(
        "| {:<40} | {:>10} | {:>14} |",
        "contender", "ns/task", "vs threadpool"
    );
    println!("|{:-<42}|{:->12}|{:->16}|", "", "", "");
    for (c, &v) in contenders.iter().zip(ns) {
        println!("| {:<40} | {:>10.0} | {:>13.2}x |", c.name, v, v / base);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this file too, and
    // then it only says how to run it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("per_task: a benchmark; run it with `cargo bench -p pool`");
        return;
    }
    println!(
        "per-task cost, {WORKERS} workers, median of {ROUNDS} interleaved rounds \
         (our pool compiled from {})",
        if std::path::Path::new(SOLUTIONS).is_dir() {
            "solutions/pool"
        } else {
            "exercises/pool: your own files"
        }
    );

    let ours = std::rc::Rc::new(ThreadPoolExecutor::new(WORKERS));
    let tp = std::rc::Rc::new(threadpool::ThreadPool::new(WORKERS));
    let ry = std::rc::Rc::new(rayon_pool());

    let mut batch = vec![
        Contender {
            name: "threadwork ThreadPoolExecutor (futures)",
            run: Box::new({
                let p = ours.clone();
                move || ours_batch(&p)
            }),
        },
        Contender {
            name: "threadpool 1.8 + shared channel",
            run: Box::new({
                let p = tp.clone();
                move || threadpool_batch_shared_channel(&p)
            }),
        },
        Contender {
            name: "threadpool 1.8 + channel per task",
            run: Box::new({
                let p = tp.clone();
                move || threadpool_batch_channel_per_task(&p)
            }),
        },
        Contender {
            name: "rayon 1.12 spawn + shared channel",
            run: Box::new({
                let p = ry.clone();
                move || rayon_batch_shared_channel(&p)
            }),
        },
    ];
    let ns = medians(&mut batch, BATCH);
    print_table(
        &format!("batch: submit {BATCH} tasks, then collect every result"),
        &batch,
        &ns,
        "threadpool 1.8 + shared channel",
    );

    let mut round_trip = vec![
        Contender {
            name: "threadwork ThreadPoolExecutor (futures)",
            run: Box::new({
                let p = ours.clone();
                move || ours_round_trip(&p)
            }),
        },
        Contender {
            name: "threadpool 1.8 + channel per task",
            run: Box::new({
                let p = tp.clone();
                move || threadpool_round_trip(&p)
            }),
        },
        Contender {
            name: "rayon 1.12 spawn + channel per task",
            run: Box::new({
                let p = ry.clone();
                move || rayon_round_trip(&p)
            }),
        },
    ];
    let ns = medians(&mut round_trip, ROUND_TRIPS);
    print_table(
        &format!("round trip: submit one task and wait for it, {ROUND_TRIPS} times"),
        &round_trip,
        &ns,
        "threadpool 1.8 + channel per task",
    );
}

/// Where the reference solutions live, for the header line.
const SOLUTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../solutions/pool");
