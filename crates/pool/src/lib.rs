//! Topic `pool`: the learner's files in `exercises/pool/`, compiled against std.
//! The exercise list, points and hints are in `exercises/pool/info.toml`.
support::std_world!();
