//! Topic `daemon`: the learner's files in `exercises/daemon/`, compiled against std.
//! The exercise list, points and hints are in `exercises/daemon/info.toml`.
//! `src/bin/graceful.rs` is the real program the `graceful` exercise's SIGINT test starts.
support::std_world!();
