//! The course catalogue, shared by the topic crates' build scripts and the `threadwork` CLI.
//!
//! - [`id`]: the typed identities of topics and exercises, the keys of the grader's maps.
//! - [`info`]: the typed `exercises/<topic>/info.toml` schema (one file per topic).
//! - [`guard`]: the import rule (primitives only through `crate::sync`, `crate::thread`,
//!   `crate::cell`), checked by parsing with `syn`.
//! - [`mutants`]: the known-buggy variants, each a patch that puts one bug into a solution
//!   (`crates/<topic>/mutants/`), applied in memory.
//! - [`wiring`]: what a topic crate's `build.rs` calls to include the learner's files twice,
//!   once against std and once against loom.
//! - [`workspace`] and [`stubs`]: the course on disk (its root, the stubs its authors
//!   committed), shared by the learner's CLI and the grader.
//! - [`text`]: the cuts of long output both of them print.

pub mod guard;
pub mod id;
pub mod info;
pub mod mutants;
pub mod stubs;
pub mod text;
pub mod wiring;
pub mod workspace;

pub use id::{ExerciseId, TopicId};
pub use info::{Catalog, CatalogError, ExerciseFile, ExerciseInfo, TopicInfo};
