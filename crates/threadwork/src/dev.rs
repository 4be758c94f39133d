//! Checks for the course itself, run by CI (`cargo tw dev ...`).
//!
//! - `guard`: every exercise, solution and mutant file follows the import rule.
//! - `stub-check`: with the untouched stubs, every test of every topic fails, and every
//!   exercise has tests. A test that passes on a `todo!()` stub checks nothing.
//! - `mutant-check`: every known-buggy variant listed in `crates/<topic>/mutants/mutants.toml`
//!   is caught by the test it names, with the report text it names; every loom-checked
//!   exercise has at least one such variant.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog::{Catalog, TopicInfo};
use clap::Subcommand;
use serde::Deserialize;

use crate::cargo::{self, TestRequest};

#[derive(Subcommand)]
pub enum DevCommand {
    /// Checks the import rule over every exercise, solution and mutant file.
    Guard,
    /// Proves every test fails against the untouched stubs.
    StubCheck {
        /// Topics to check (default: all).
        topics: Vec<String>,
    },
    /// Proves every known-buggy variant is caught.
    MutantCheck {
        /// Topics to check (default: all).
        topics: Vec<String>,
    },
}

pub fn run(catalog: &Catalog, cmd: DevCommand) -> Result<()> {
    match cmd {
        DevCommand::Guard => guard(catalog),
        DevCommand::StubCheck { topics } => {
            for_topics(catalog, &topics, |topic| stub_check(catalog, topic))
        }
        DevCommand::MutantCheck { topics } => {
            for_topics(catalog, &topics, |topic| mutant_check(catalog, topic))
        }
    }
}

fn for_topics(
    catalog: &Catalog,
    names: &[String],
    mut check: impl FnMut(&TopicInfo) -> Result<()>,
) -> Result<()> {
    let mut failures = Vec::new();
    for topic in &catalog.topics {
        if names.is_empty() || names.contains(&topic.topic) {
            if let Err(e) = check(topic) {
                eprintln!("FAIL {}: {e:#}", topic.topic);
                failures.push(topic.topic.clone());
            }
        }
    }
    for name in names {
        if catalog.topic(name).is_none() {
            bail!("there is no topic `{name}`");
        }
    }
    if !failures.is_empty() {
        bail!("failed for: {}", failures.join(", "));
    }
    Ok(())
}

fn mutants_dir(catalog: &Catalog, topic: &TopicInfo) -> PathBuf {
    catalog
        .root
        .join("crates")
        .join(&topic.topic)
        .join("mutants")
}

fn guard(catalog: &Catalog) -> Result<()> {
    let mut files = Vec::new();
    for topic in &catalog.topics {
        for ex in &topic.exercises {
            files.push(catalog.source_path(topic, ex, false));
            files.push(catalog.source_path(topic, ex, true));
        }
        if let Ok(entries) = std::fs::read_dir(mutants_dir(catalog, topic)) {
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "rs")),
            );
        }
    }
    let mut violations = Vec::new();
    for file in &files {
        let found = catalog::guard::check_file(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        violations.extend(found);
    }
    for v in &violations {
        eprintln!("{v}");
    }
    if !violations.is_empty() {
        bail!(
            "{} import-rule violation(s) in course files",
            violations.len()
        );
    }
    println!("guard: {} files follow the import rule", files.len());
    Ok(())
}

fn stub_check(catalog: &Catalog, topic: &TopicInfo) -> Result<()> {
    let run = cargo::test(
        &catalog.root,
        &TestRequest {
            topic: &topic.topic,
            solution: false,
            exact: None,
            env: Vec::new(),
        },
    )?;
    if run.passed.is_empty() && run.failed.is_empty() {
        bail!(
            "no test ran against the stubs (a compile error?):\n{}",
            cargo::tail(&run.output, 30)
        );
    }
    if !run.passed.is_empty() || !run.ignored.is_empty() {
        bail!(
            "these tests do not fail against the untouched stubs, so they check nothing: {}",
            [run.passed, run.ignored].concat().join(", ")
        );
    }
    let untested: Vec<&str> = topic
        .exercises
        .iter()
        .filter(|ex| {
            !run.failed
                .iter()
                .any(|t| t.starts_with(&format!("{}::", ex.name)))
        })
        .map(|ex| ex.name.as_str())
        .collect();
    if !untested.is_empty() {
        bail!("exercises without tests: {}", untested.join(", "));
    }
    println!(
        "stub-check {}: all {} tests fail against the stubs",
        topic.topic,
        run.failed.len()
    );
    Ok(())
}

/// `crates/<topic>/mutants/mutants.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantList {
    #[serde(rename = "mutant", default)]
    mutants: Vec<Mutant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutant {
    /// The exercise the file replaces.
    exercise: String,
    /// The buggy file, relative to the mutants folder.
    file: String,
    /// The test that must fail.
    caught_by: String,
    /// Text the failure report must contain (what the learner would read).
    report_contains: String,
}

fn load_mutants(path: &Path) -> Result<Vec<Mutant>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let list: MutantList =
        toml::from_str(&text).with_context(|| format!("{} is malformed", path.display()))?;
    Ok(list.mutants)
}

fn mutant_check(catalog: &Catalog, topic: &TopicInfo) -> Result<()> {
    let dir = mutants_dir(catalog, topic);
    let mutants = load_mutants(&dir.join("mutants.toml"))?;
    let uncovered: Vec<&str> = topic
        .exercises
        .iter()
        .filter(|ex| ex.loom && !mutants.iter().any(|m| m.exercise == ex.name))
        .map(|ex| ex.name.as_str())
        .collect();
    if !uncovered.is_empty() {
        bail!(
            "loom-checked exercises without a known-buggy variant in {}: {}",
            dir.join("mutants.toml").display(),
            uncovered.join(", ")
        );
    }
    for m in &mutants {
        if topic.exercises.iter().all(|ex| ex.name != m.exercise) {
            bail!("mutant {} names unknown exercise `{}`", m.file, m.exercise);
        }
        let file = dir.join(&m.file);
        let run = cargo::test(
            &catalog.root,
            &TestRequest {
                topic: &topic.topic,
                solution: true,
                exact: Some(&m.caught_by),
                env: vec![(
                    catalog::wiring::SWAP_ENV,
                    format!("{}={}", m.exercise, file.display()),
                )],
            },
        )?;
        if !run.failed.contains(&m.caught_by) {
            bail!(
                "mutant {} was NOT caught by {} (passed: {:?}):\n{}",
                m.file,
                m.caught_by,
                run.passed,
                cargo::tail(&run.output, 30)
            );
        }
        if !run.output.contains(&m.report_contains) {
            bail!(
                "mutant {} failed {}, but the report lacks `{}`:\n{}",
                m.file,
                m.caught_by,
                m.report_contains,
                cargo::tail(&run.output, 30)
            );
        }
        println!(
            "mutant-check {}: {} caught by {}",
            topic.topic, m.file, m.caught_by
        );
    }
    Ok(())
}
