//! Topic `as_completed`: the learner's files in `exercises/as_completed/`, compiled against
//! std. The exercise list, points and hints are in `exercises/as_completed/info.toml`.
//!
//! `crate::futures` is the course's thread future and executor (`support`'s, on std), so
//! the topic does not depend on finishing the `pool` topic first.
support::std_world!();
pub use support::facade::std_flavour::futures;
