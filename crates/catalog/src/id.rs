//! The course's identities, typed so that a topic and an exercise cannot be swapped by
//! mistake in a map key or an argument.
//!
//! Both are read from `info.toml` (and validated there, [`crate::info`]); the other ways in
//! are named parses ([`TopicId::from_package`] for what a tool printed, [`ExerciseId::parse`]
//! for a name checked by the same rule) and files the course wrote itself (serde).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A topic: its package name, which is also its folder under `crates/`, `exercises/` and
/// `solutions/` (`lock`, `thread-local`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(transparent)]
pub struct TopicId(String);

/// An exercise: its name, a Rust identifier unique in the whole course (the catalogue
/// checks both), so it names one exercise without its topic. It is also the module name
/// and the prefix of its tests (`counter::...`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ExerciseId(String);

impl TopicId {
    /// The topic of a package named in a tool's output (nextest's suites, cargo's
    /// messages). Whether such a topic exists is for the caller to ask the catalogue.
    pub fn from_package(name: &str) -> Self {
        TopicId(name.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A topic is also a folder (`crates/<topic>`, `exercises/<topic>`), so it joins paths.
impl AsRef<std::path::Path> for TopicId {
    fn as_ref(&self) -> &std::path::Path {
        self.0.as_ref()
    }
}

impl ExerciseId {
    /// `name` as an exercise's name, if it can be one: a snake_case Rust identifier, since
    /// it is also a module name and the prefix of its tests. Whether the course has such an
    /// exercise is for the catalogue to say.
    pub fn parse(name: &str) -> Option<Self> {
        is_identifier(name).then(|| ExerciseId(name.to_string()))
    }

    /// Whether the name (as `info.toml` spelled it) keeps the rule of [`ExerciseId::parse`].
    pub(crate) fn is_well_formed(&self) -> bool {
        is_identifier(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

macro_rules! shown_and_compared_as_str {
    ($id:ty) => {
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $id {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// A name typed by the learner or found in a file (`threadwork hint counter`,
        /// `exercises/lock/`) is compared with an identity, never turned into one.
        impl PartialEq<str> for $id {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $id {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

shown_and_compared_as_str!(TopicId);
shown_and_compared_as_str!(ExerciseId);

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("counter", true)]
    #[case("bounded_queue", true)]
    #[case("Counter", false)]
    #[case("2x", false)]
    #[case("a-b", false)]
    #[case("", false)]
    fn exercise_names_are_snake_case_identifiers(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(ExerciseId::parse(s).is_some(), ok, "{s}");
    }
}
