//! Shared by the grader's integration tests (`tests/grade_*.rs`): where the course is, the
//! grader's dependency cache for tests, and reading a gradebook.
#![allow(dead_code)] // each test binary uses its own part of the fixtures

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace root: the instructor's course.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// One dependency cache for every grader test, so dependencies compile once.
pub fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("grader-cache")
}

/// student -> total, from a gradebook.csv (`student,<topic>...,total`).
pub fn totals(gradebook: &Path) -> BTreeMap<String, f64> {
    let mut book = csv::Reader::from_path(gradebook).expect("gradebook.csv");
    book.records()
        .map(|r| {
            let r = r.expect("row");
            (r[0].to_string(), r[r.len() - 1].parse().expect("a number"))
        })
        .collect()
}
