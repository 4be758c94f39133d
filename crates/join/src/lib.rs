//! Topic `join`: the learner's files in `exercises/join/`, compiled against std.
//! The exercise list, points and hints are in `exercises/join/info.toml`.
support::std_world!();
