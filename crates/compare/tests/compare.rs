//! Every way computes the same answer. How fast each is, is for `cargo run -p compare
//! --release` to show side by side, never for a timed test to decide.

use std::path::Path;
use std::time::Duration;

use compare::{cpu, io};

const LIMIT: u64 = 2_000;
/// There are 303 primes below 2,000.
const PRIMES_BELOW_LIMIT: u64 = 303;

#[test]
fn every_cpu_way_counts_the_same_primes() {
    assert_eq!(cpu::sequential(LIMIT), PRIMES_BELOW_LIMIT);
    assert_eq!(cpu::threads(LIMIT, 3), PRIMES_BELOW_LIMIT);
    assert_eq!(cpu::rayon(LIMIT), PRIMES_BELOW_LIMIT);
    assert_eq!(cpu::async_tasks(LIMIT, 3, 2), PRIMES_BELOW_LIMIT);
}

#[test]
fn worker_processes_count_the_same_primes() {
    let program = Path::new(env!("CARGO_BIN_EXE_compare"));
    assert_eq!(
        cpu::processes(program, LIMIT, 3).unwrap(),
        PRIMES_BELOW_LIMIT
    );
}

#[test]
fn ranges_cover_every_number_once() {
    for parts in [1, 2, 3, 7] {
        let ranges = cpu::ranges(LIMIT, parts);
        assert_eq!(ranges.len() as u64, parts);
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges.last().unwrap().end, LIMIT);
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }
}

#[test]
fn every_io_way_answers_every_request_in_order() {
    let expected: Vec<u64> = (0..20).map(|i| i * i).collect();
    for answers in [
        io::sequential(20, Duration::ZERO),
        io::threads(20, Duration::ZERO),
        io::rayon(20, Duration::ZERO),
        io::async_tasks(20, Duration::ZERO),
    ] {
        assert_eq!(answers, expected);
    }
}
