//! Topic `lock`: the learner's files in `exercises/lock/`, compiled against std.
//! The exercise list, points and hints are in `exercises/lock/info.toml`.
support::std_world!();
