//! Topic `thread-local`: the learner's files in `exercises/thread-local/`, compiled against
//! std. The exercise list, points and hints are in `exercises/thread-local/info.toml`.
//!
//! The lib is named `thread_locals` (tests write `thread_locals::<exercise>::...`) so that it
//! never collides with the crates.io `thread_local` crate.
support::std_world!();
