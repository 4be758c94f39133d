//! `square_worker`: reads one number from stdin (until end of file), prints its square.
//!
//! The program the `worker_processes` exercise starts, one process per input
//! (`exercises/spawn/06_worker_processes.rs`). Try it by hand:
//! `echo 12 | cargo run -q -p spawn --bin square_worker` prints `144`.
//!
//! - A square that does not fit in 64 bits (an input of 2^32 or more) ends it with status 3
//!   and says so on stderr; input that is not a number, with status 2.
//! - `--meet HOST:PORT` (tests only): before reading stdin, connect to that address, send one
//!   byte (`w`) and wait for one byte back. A test that accepts N such connections knows N
//!   workers run at the same time, without a clock. If the meeting point closes first, the
//!   worker ends with status 4.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

/// What a worker sends when it arrives at the meeting point.
const ARRIVED: u8 = b'w';
/// Exit status when the square does not fit in a `u64`.
const TOO_LARGE: u8 = 3;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {}
        [flag, address] if flag == "--meet" => {
            if let Err(e) = meet(address) {
                eprintln!("square_worker: no go-ahead from the meeting point at {address}: {e}");
                return ExitCode::from(4);
            }
        }
        _ => {
            eprintln!("usage: square_worker [--meet HOST:PORT] < number");
            return ExitCode::from(2);
        }
    }
    let mut input = String::new();
    if let Err(e) = io::stdin().read_to_string(&mut input) {
        eprintln!("square_worker: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    let Ok(n) = input.trim().parse::<u64>() else {
        eprintln!(
            "square_worker: expected one number on stdin, got {:?}",
            input.trim()
        );
        return ExitCode::from(2);
    };
    match n.checked_mul(n) {
        Some(square) => {
            println!("{square}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("square_worker: {n} squared does not fit in 64 bits");
            ExitCode::from(TOO_LARGE)
        }
    }
}

/// Says "arrived" to the meeting point and waits for its one-byte go-ahead.
fn meet(address: &str) -> io::Result<()> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(&[ARRIVED])?;
    let mut go = [0u8; 1];
    stream.read_exact(&mut go)
}
