//! A learner's check runs each exercise's loom models before its std tests.
//!
//! loom proves a deadlock or a lost wake-up in milliseconds, while the std tests of the same
//! bug can only hang until their hang guard (60 s) gives up. So the models run first, and
//! the std tests of an exercise whose model failed are not run at all: the verdict is
//! already known, and they could add nothing but the wait. A correct attempt runs every test:
//! one cargo run builds and runs the models, then the test binaries it built run the std
//! tests directly (a second `cargo test` would only check the build again).
//!
//! A test that kills its process (an abort, a stack overflow) leaves every test still
//! running without a verdict: those run again without it (see [`rerun_after_crash`]).
//!
//! Which model failed is read from libtest's verdicts, never from what the tests printed.

use std::path::Path;

use anyhow::Result;
use catalog::{ExerciseId, ExerciseInfo, TopicInfo};

use crate::cargo::{self, CheckRun, Selection, Verdict};

/// The tests run for some exercises of one topic.
pub struct Checked {
    pub run: CheckRun,
    /// Tests the selections chose that have no verdict because their process died.
    pub missing: Vec<Crash>,
    /// Exercises whose std tests were not run because one of their models failed.
    pub std_skipped: Vec<ExerciseId>,
}

/// A test with no verdict: the process running it died.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    pub test: String,
    /// The process's end, as cargo says it (`signal: 6, SIGABRT: process abort signal`).
    pub status: String,
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
    let second = if first.run.binaries.is_empty() {
        run_one(root, topic, &std_tests, std_skipped)?
    } else {
        let run = cargo::run_built(&first.run.binaries, &std_tests, &[])?;
        finish(root, topic, run, &std_tests, std_skipped)?
    };
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
        || checked.missing.iter().any(|c| c.test.starts_with(&prefix))
}

fn run_one(
    root: &Path,
    topic: &TopicInfo,
    selection: &Selection,
    std_skipped: Vec<ExerciseId>,
) -> Result<Checked> {
    let run = cargo::check(root, &topic.topic, selection)?;
    finish(root, topic, run, selection, std_skipped)
}

fn finish(
    root: &Path,
    topic: &TopicInfo,
    mut run: CheckRun,
    selection: &Selection,
    std_skipped: Vec<ExerciseId>,
) -> Result<Checked> {
    let missing = match run.crashed.clone() {
        Some(status) if !run.build_failed => {
            if run.binaries.is_empty() {
                cargo::list_tests(root, &topic.topic, selection)?
                    .into_iter()
                    .filter(|name| run.tests.iter().all(|t| &t.name != name))
                    .map(|test| Crash {
                        test,
                        status: status.clone(),
                    })
                    .collect()
            } else {
                rerun_after_crash(&mut run, selection, &status)?
            }
        }
        _ => Vec::new(),
    };
    Ok(Checked {
        run,
        missing,
        std_skipped,
    })
}

/// A test process died (`status`) before reporting every test: those without a verdict run
/// again, one exercise per process, so that the other exercises get their real verdicts. In
/// an exercise whose process dies again, its tests run one at a time, in libtest's order
/// (`--list`): the first with no verdict is the one that killed it; the rest run on without
/// it. Decided from verdicts and exit statuses only, never from what the tests printed.
fn rerun_after_crash(
    run: &mut CheckRun,
    selection: &Selection,
    status: &str,
) -> Result<Vec<Crash>> {
    let binaries = run.binaries.clone();
    let unreported = |run: &CheckRun, names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| run.tests.iter().all(|t| &t.name != *n))
            .cloned()
            .collect()
    };
    let pending = unreported(run, &cargo::list_built(&binaries, selection, &[])?);
    let mut groups: Vec<Vec<String>> = Vec::new();
    for name in pending {
        let exercise = |n: &String| n.split("::").next().map(str::to_string);
        match groups
            .iter_mut()
            .find(|g| exercise(&g[0]) == exercise(&name))
        {
            Some(group) => group.push(name),
            None => groups.push(vec![name]),
        }
    }
    let mut crashes = Vec::new();
    for mut left in groups {
        let mut one_at_a_time = false;
        let mut last_status = status.to_string();
        // Each round gives a verdict or finds the crashing test: bounded by the tests.
        for _ in 0..=2 * left.len() {
            if left.is_empty() {
                break;
            }
            let only = Selection {
                filters: left.clone(),
                skips: Vec::new(),
                env: selection.env.clone(),
            };
            let mut extra = vec!["--exact"];
            let order = if one_at_a_time {
                extra.push("--test-threads=1");
                cargo::list_built(&binaries, &only, &["--exact"])?
            } else {
                left.clone()
            };
            let again = cargo::run_built(&binaries, &only, &extra)?;
            let still = unreported(&again, &order);
            let died = again.crashed.clone();
            run.tests.extend(again.tests);
            run.output.push_str(&again.output);
            match died {
                None => {
                    left = still;
                    break;
                }
                Some(status) if !one_at_a_time => {
                    last_status = status;
                    one_at_a_time = true;
                    left = still;
                }
                Some(status) => {
                    let Some((first, rest)) = still.split_first() else {
                        left = Vec::new();
                        break;
                    };
                    crashes.push(Crash {
                        test: first.clone(),
                        status: status.clone(),
                    });
                    last_status = status;
                    one_at_a_time = false;
                    left = rest.to_vec();
                }
            }
        }
        // Still no verdict (the process ended early without a crash, or the rounds ran out).
        crashes.extend(left.into_iter().map(|test| Crash {
            test,
            status: last_status.clone(),
        }));
    }
    Ok(crashes)
}
