//! A learner's check runs each exercise's loom models before its std tests.
//!
//! loom proves a deadlock or a lost wake-up in milliseconds, while the std tests of the same
//! bug can only hang until their hang guard (60 s) gives up. So the models run first, and
//! the std tests of an exercise whose model failed are not run at all: the verdict is
//! already known, and they could add nothing but the wait. A correct attempt runs every test
//! (two cargo runs instead of one; the second finds the build fresh).
//!
//! Which model failed is read from libtest's verdicts, never from what the tests printed.

use std::path::Path;

use anyhow::Result;
use catalog::{ExerciseInfo, TopicInfo};

use crate::cargo::{self, CheckRun, Selection, Verdict};

/// The tests run for some exercises of one topic.
pub struct Checked {
    pub run: CheckRun,
    /// Tests the selections chose that have no verdict because the test process died.
    pub missing: Vec<String>,
    /// Exercises whose std tests were not run because one of their models failed.
    pub std_skipped: Vec<String>,
}

/// The libtest filter of an exercise's tests, and of its loom models
/// (`support::loom_test!` inside `mod models` of the exercise's test module).
pub fn tests_of(ex: &ExerciseInfo) -> String {
    ex.test_filter()
}

fn models_of(ex: &ExerciseInfo) -> String {
    ex.models_filter()
}

/// Runs the tests of `exercises` (all of `topic`'s, or some): models first, then the std
/// tests of the exercises whose models passed.
/// `env` goes to every cargo run (see [`Selection::env`]).
pub fn run(
    root: &Path,
    topic: &TopicInfo,
    exercises: &[&ExerciseInfo],
    env: &[(String, String)],
) -> Result<Checked> {
    let whole_topic = exercises.len() == topic.exercises.len();
    let all = |exs: &[&ExerciseInfo]| Selection {
        filters: if whole_topic {
            Vec::new()
        } else {
            exs.iter().map(|ex| tests_of(ex)).collect()
        },
        skips: Vec::new(),
        env: env.to_vec(),
    };
    let with_models: Vec<&ExerciseInfo> = exercises.iter().copied().filter(|ex| ex.loom).collect();
    if with_models.is_empty() {
        return run_one(root, topic, &all(exercises), Vec::new());
    }
    let models = Selection {
        filters: with_models.iter().map(|ex| models_of(ex)).collect(),
        skips: Vec::new(),
        env: env.to_vec(),
    };
    let first = run_one(root, topic, &models, Vec::new())?;
    if first.run.build_failed {
        return Ok(first);
    }
    let failed: Vec<&ExerciseInfo> = with_models
        .iter()
        .copied()
        .filter(|ex| model_failed(&first, ex))
        .collect();
    let rest: Vec<&ExerciseInfo> = exercises
        .iter()
        .copied()
        .filter(|ex| !failed.iter().any(|f| f.name == ex.name))
        .collect();
    let std_skipped = failed.iter().map(|ex| ex.name.clone()).collect();
    if rest.is_empty() {
        return Ok(Checked {
            std_skipped,
            ..first
        });
    }
    let mut std_tests = if failed.is_empty() {
        all(&rest)
    } else {
        Selection {
            filters: rest.iter().map(|ex| tests_of(ex)).collect(),
            skips: Vec::new(),
            env: env.to_vec(),
        }
    };
    std_tests.skips = models.filters;
    let second = run_one(root, topic, &std_tests, std_skipped)?;
    Ok(Checked {
        run: first.run.merge(second.run),
        missing: first.missing.into_iter().chain(second.missing).collect(),
        std_skipped: second.std_skipped,
    })
}

/// Whether a model of `ex` failed, or had no verdict because the test process died.
fn model_failed(checked: &Checked, ex: &ExerciseInfo) -> bool {
    let prefix = models_of(ex);
    checked
        .run
        .tests
        .iter()
        .any(|t| t.name.starts_with(&prefix) && t.verdict == Verdict::Failed)
        || checked.missing.iter().any(|name| name.starts_with(&prefix))
}

fn run_one(
    root: &Path,
    topic: &TopicInfo,
    selection: &Selection,
    std_skipped: Vec<String>,
) -> Result<Checked> {
    let run = cargo::check(root, &topic.topic, selection)?;
    let missing = match &run.crashed {
        Some(_) if !run.build_failed => cargo::list_tests(root, &topic.topic, selection)?
            .into_iter()
            .filter(|name| run.tests.iter().all(|t| &t.name != name))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Checked {
        run,
        missing,
        std_skipped,
    })
}
