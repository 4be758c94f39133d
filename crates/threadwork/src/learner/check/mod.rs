//! `threadwork check [topic | topic::exercise | exercise]`: runs just those tests and
//! explains each failure in learner terms: which exercise, which test, the panic or the
//! readable loom report (the support crate already rewrote it), the compiler's or the
//! import guard's error when the topic does not build. Every result is recorded in the state
//! file, so `list` knows it without running anything.
//!
//! One run, in stages: the files the compiler cannot read are said first ([`unreadable`]);
//! the tests run, loom models first, with the stubs of broken files standing in
//! ([`run_with_stand_ins`]); a topic that does not build is explained by
//! [`compile_errors`]; otherwise each exercise gets its verdict ([`verdict`]), its failures
//! explained by [`failures`].

mod compile_errors;
mod failures;
mod verdict;

use std::collections::HashMap;

use anyhow::{Result, bail};
use catalog::{Catalog, ExerciseId, ExerciseInfo, TopicInfo};

use super::models_first;
use super::overlay;
use super::paint;
use super::state::{Fingerprints, State, Status, relative_path};
use super::term::{Out, shorten};
use super::unreadable::{self, Unreadable};
use crate::cargo::{self, CheckRun};
use catalog::wiring::SWAP_ENV;

/// What one check found for one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Solved,
    NotSolved,
    /// Its tests could not run (another exercise of the topic does not compile).
    NotRun,
}

/// How much of the failures to show: all of them (`check`), or the first finding and a
/// count of the rest, so that watch's screen fits a 80x24 terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Full,
    FirstFailure,
}

/// The text to show and the outcome per exercise.
pub struct Report {
    pub text: String,
    pub outcomes: Vec<(ExerciseId, Outcome)>,
}

pub fn check(catalog: &Catalog, target: Option<&str>, all: bool) -> Result<()> {
    let state = State::load(&catalog.root);
    let out = Out::plain();
    let targets: Vec<(&TopicInfo, Vec<&ExerciseInfo>)> = match (target, all) {
        (Some(_), true) => bail!("give either a topic or exercise, or --all, not both"),
        (None, true) => catalog
            .topics
            .iter()
            .map(|t| (t, t.exercises.iter().collect()))
            .collect(),
        (Some(target), false) => vec![super::resolve_target(catalog, target)?],
        (None, false) => {
            let (topic, ex) = match super::current_exercise(catalog, &state) {
                Ok(found) => found,
                Err(_) => {
                    out.say("Every exercise is solved: nothing to check. Well done!");
                    return Ok(());
                }
            };
            out.say(&format!(
                "The current exercise is {} ({}).",
                ex.name, topic.topic
            ));
            vec![(topic, vec![ex])]
        }
    };
    let mut unsolved = Vec::new();
    for (topic, exercises) in targets {
        out.say(&checking_line(topic, &exercises));
        let report = check_exercises(catalog, topic, &exercises, Detail::Full)?;
        out.say(&report.text);
        unsolved.extend(
            report
                .outcomes
                .into_iter()
                .filter(|(_, o)| *o != Outcome::Solved)
                .map(|(name, _)| name.to_string()),
        );
    }
    match unsolved.as_slice() {
        [] => Ok(()),
        [one] => bail!("`{one}` is not solved yet"),
        many => bail!(
            "{} exercises are not solved yet: {}",
            many.len(),
            many.join(", ")
        ),
    }
}

/// "Checking lock::counter (exercises/lock/01_counter.rs)..." or "Checking lock (6 exercises)...".
pub fn checking_line(topic: &TopicInfo, exercises: &[&ExerciseInfo]) -> String {
    match exercises {
        [ex] => format!(
            "Checking {}::{} ({})...",
            topic.topic,
            ex.name,
            relative_path(topic, ex)
        ),
        _ => format!(
            "Checking {} ({} exercises)...",
            topic.topic,
            exercises.len()
        ),
    }
}

/// Runs the tests of `exercises` (all of one topic; loom models first, see
/// [`models_first`]), records each result, and explains what failed. Other exercises of the
/// topic that do not compile are checked no further: their original stubs stand in for
/// them (see [`overlay`]).
pub fn check_exercises(
    catalog: &Catalog,
    topic: &TopicInfo,
    exercises: &[&ExerciseInfo],
    detail: Detail,
) -> Result<Report> {
    let root = &catalog.root;
    let progress = State::load(root).progress(catalog);
    let before: HashMap<&ExerciseId, Fingerprints> = topic
        .exercises
        .iter()
        .map(|ex| (&ex.name, Fingerprints::now(root, topic, ex)))
        .collect();
    let mut report = Report {
        text: String::new(),
        outcomes: Vec::new(),
    };
    // Files the compiler cannot read: said here, and their stubs stand in for them.
    let unreadable = unreadable::find(root, topic);
    let is_unreadable = |ex: &ExerciseInfo| unreadable.iter().any(|u| u.ex.name == ex.name);
    for u in unreadable
        .iter()
        .filter(|u| exercises.iter().any(|ex| ex.name == u.ex.name))
    {
        say_unreadable(u, &mut report.text);
        report
            .outcomes
            .push((u.ex.name.clone(), Outcome::NotSolved));
    }
    let asked = exercises;
    let exercises: Vec<&ExerciseInfo> = asked
        .iter()
        .copied()
        .filter(|ex| !is_unreadable(ex))
        .collect();
    let ran = if exercises.is_empty() {
        None
    } else {
        Some(run_with_stand_ins(catalog, topic, &exercises, &unreadable)?)
    };
    // Loaded again after the run: a hint shown meanwhile (another terminal) is kept.
    let mut state = State::load(root);
    for u in &unreadable {
        state.record_check(u.ex, &before[&u.ex.name], 0, 0, false);
    }
    let Some(ran) = ran else {
        state.save();
        return Ok(report);
    };
    let run = &ran.checked.run;
    for u in &unreadable {
        let was_asked = asked.iter().any(|ex| ex.name == u.ex.name);
        if !was_asked && !run.build_failed && ran.swapped.iter().any(|ex| ex.name == u.ex.name) {
            say_unreadable(u, &mut report.text);
            report
                .text
                .push_str(" Its original stub stood in for it meanwhile.\n\n");
        }
    }
    if run.build_failed {
        compile_errors::explain_build_failure(
            root,
            &mut state,
            &before,
            topic,
            &exercises,
            run,
            &mut report,
        );
    } else if run.tests.is_empty() && run.crashed.is_none() {
        report.text.push_str(&format!(
            "✗ `cargo test -p {}` ran no test; its output ends with:\n{}\n",
            topic.topic,
            indent(&cargo::tail(&shorten(root, &run.output), 15), "  ")
        ));
        report.outcomes.extend(
            exercises
                .iter()
                .map(|ex| (ex.name.clone(), Outcome::NotRun)),
        );
    } else {
        if !ran.stubbed.is_empty() {
            compile_errors::explain_stubbed(
                root,
                &mut state,
                &before,
                topic,
                &exercises,
                &ran.stubbed,
                run,
                &mut report,
            );
        }
        let untouched =
            |ex: &ExerciseInfo| progress.get(&ex.name).map(|e| e.status) == Some(Status::Untouched);
        let verdicts = verdict::Verdicts {
            root,
            topic,
            checked: &ran.checked,
            before: &before,
            detail,
            brief: exercises.len() > 1,
            untouched: &untouched,
        };
        for ex in &exercises {
            verdicts.give(ex, &mut state, &mut report);
        }
    }
    state.save();
    Ok(report)
}

fn say_unreadable(u: &Unreadable, text: &mut String) {
    text.push_str(&paint::fail(&format!("✗ {}: {}", u.ex.name, u.why)));
    text.push('\n');
}

/// One test run of a topic, and which exercises' stubs stood in for the learner's files.
struct Ran<'t> {
    checked: models_first::Checked,
    /// Unreadable files, replaced by their stubs from the start.
    swapped: Vec<&'t ExerciseInfo>,
    /// Files that did not compile (none of them checked), replaced for a second try.
    stubbed: Vec<&'t ExerciseInfo>,
}

/// Runs the tests, unreadable files replaced by their stubs; when the build fails only
/// because of other exercises than `exercises`, runs again with those replaced too.
fn run_with_stand_ins<'t>(
    catalog: &Catalog,
    topic: &'t TopicInfo,
    exercises: &[&ExerciseInfo],
    unreadable: &[Unreadable<'t>],
) -> Result<Ran<'t>> {
    let root = &catalog.root;
    let mut swapped: Vec<&ExerciseInfo> = Vec::new();
    let mut env = Vec::new();
    if !unreadable.is_empty() {
        let others: Vec<&ExerciseInfo> = unreadable.iter().map(|u| u.ex).collect();
        // Without the stubs (no git, e.g. an exported copy not committed yet) the build
        // fails, and says so, as it would with cargo alone.
        if let Ok(swaps) = overlay::stubs_for(catalog, topic, &others) {
            env = vec![(SWAP_ENV.to_string(), overlay::env_value(&swaps))];
            swapped = others;
        }
    }
    let mut checked = models_first::run(root, topic, exercises, &env)?;
    let mut stubbed = Vec::new();
    if let Some(others) = compile_errors::only_others_broken(topic, exercises, &checked.run) {
        let all: Vec<&ExerciseInfo> = swapped.iter().chain(&others).copied().collect();
        if let Ok(swaps) = overlay::stubs_for(catalog, topic, &all) {
            let env = vec![(SWAP_ENV.to_string(), overlay::env_value(&swaps))];
            let retried = models_first::run(root, topic, exercises, &env)?;
            if !retried.run.build_failed {
                stubbed = others;
                checked = models_first::Checked {
                    run: CheckRun {
                        diagnostics: checked.run.diagnostics,
                        ..retried.run
                    },
                    ..retried
                };
            }
        }
    }
    Ok(Ran {
        checked,
        swapped,
        stubbed,
    })
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{by}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
