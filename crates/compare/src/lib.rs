//! The same work done five ways, for the chapter "Threads, processes, rayon and async".
//!
//! Two kinds of work, as the tutorials tell them apart:
//! - **CPU-bound** ([`cpu`]): counting primes, where the time goes into computing. Python
//!   needs processes for it (the GIL lets one thread run bytecode at a time); Rust threads
//!   already use every core.
//! - **I/O-bound** ([`io`]): requests that each wait for an answer, where the time goes into
//!   waiting. Any way that waits for many at once wins, and async waits for thousands on one
//!   thread.
//!
//! `cargo run -p compare --release` times each way side by side (src/main.rs); the tests
//! check only that every way computes the same answer, never how fast.

pub mod cpu;
pub mod io;
