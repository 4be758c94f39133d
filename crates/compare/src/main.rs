//! `cargo run -p compare --release`: threads, processes, rayon and async side by side.
//!
//! Every way runs once per round and the rounds alternate, so a busy machine slows them all
//! alike; the table shows each way's median and its speed-up over the sequential way
//! (sequential seconds / its seconds), measured in this run. `compare count-primes START END` is the worker the process way starts.

use std::time::{Duration, Instant};

use compare::{cpu, io};

const ROUNDS: usize = 3;
const PRIME_LIMIT: u64 = 2_000_000;
const REQUESTS: u64 = 100;
const LATENCY: Duration = Duration::from_millis(20);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, start, end] if mode == "count-primes" => {
            let (Ok(start), Ok(end)) = (start.parse(), end.parse()) else {
                eprintln!("usage: compare count-primes START END (two whole numbers)");
                std::process::exit(2);
            };
            println!("{}", cpu::count_primes(start..end));
        }
        [] => compare_all(),
        _ => {
            eprintln!(
                "usage: compare            (times every way, for the book's chapter)\n       \
                 compare count-primes START END   (the worker the process way starts)"
            );
            std::process::exit(2);
        }
    }
}

/// One way of doing the work: its name, the threads it keeps busy, and a run that returns
/// a checksum (so every way is seen to compute the same answer).
struct Way {
    name: &'static str,
    threads: String,
    run: Box<dyn Fn() -> u64>,
}

fn compare_all() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // More parts than cores: the higher ranges cost more (longer trial divisions), so equal
    // ranges one per core would leave a core idle at the end.
    let parts = 4 * cores as u64;
    let me = std::env::current_exe().expect("the path of this program");
    let sum = |answers: Vec<u64>| answers.iter().sum::<u64>();
    println!("{cores} cores; {ROUNDS} rounds, alternating; median seconds per way\n");

    let cpu_ways = vec![
        way("sequential", "1", move || cpu::sequential(PRIME_LIMIT)),
        way("threads (scoped)", &parts.to_string(), move || {
            cpu::threads(PRIME_LIMIT, parts)
        }),
        way("processes", &format!("{parts} processes"), move || {
            cpu::processes(&me, PRIME_LIMIT, parts).expect("the worker processes")
        }),
        way("rayon", &format!("{cores} (its pool)"), || {
            cpu::rayon(PRIME_LIMIT)
        }),
        way("async (tokio tasks)", &cores.to_string(), move || {
            cpu::async_tasks(PRIME_LIMIT, parts, cores)
        }),
    ];
    table(
        &format!("CPU-bound: count the primes below {PRIME_LIMIT}"),
        &cpu_ways,
    );

    let io_ways = vec![
        way("sequential", "1", move || {
            sum(io::sequential(REQUESTS, LATENCY))
        }),
        way(
            "threads (one per request)",
            &REQUESTS.to_string(),
            move || sum(io::threads(REQUESTS, LATENCY)),
        ),
        way("rayon", &format!("{cores} (its pool)"), move || {
            sum(io::rayon(REQUESTS, LATENCY))
        }),
        way("async (tokio, one thread)", "1", move || {
            sum(io::async_tasks(REQUESTS, LATENCY))
        }),
    ];
    table(
        &format!(
            "I/O-bound: {REQUESTS} requests that each wait {} ms",
            LATENCY.as_millis()
        ),
        &io_ways,
    );
}

fn way(name: &'static str, threads: &str, run: impl Fn() -> u64 + 'static) -> Way {
    Way {
        name,
        threads: threads.to_string(),
        run: Box::new(run),
    }
}

fn table(title: &str, ways: &[Way]) {
    let mut seconds = vec![Vec::with_capacity(ROUNDS); ways.len()];
    let mut answers = vec![0; ways.len()];
    for _ in 0..ROUNDS {
        for (i, way) in ways.iter().enumerate() {
            let start = Instant::now();
            answers[i] = (way.run)();
            seconds[i].push(start.elapsed().as_secs_f64());
        }
    }
    let medians: Vec<f64> = seconds
        .iter_mut()
        .map(|s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect();
    println!("{title}");
    println!(
        "  {:<27} {:>9} {:>9}  {:<18} answer",
        "way", "seconds", "speed-up", "threads"
    );
    for (i, way) in ways.iter().enumerate() {
        println!(
            "  {:<27} {:>9.3} {:>8.2}x  {:<18} {}",
            way.name,
            medians[i],
            medians[0] / medians[i],
            way.threads,
            answers[i]
        );
    }
    assert!(
        answers.iter().all(|&a| a == answers[0]),
        "the ways disagree on the answer: {answers:?}"
    );
    println!();
}
