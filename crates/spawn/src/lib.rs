//! Topic `spawn`: the learner's files in `exercises/spawn/`, compiled against std.
//! The exercise list, points and hints are in `exercises/spawn/info.toml`.
support::std_world!();
