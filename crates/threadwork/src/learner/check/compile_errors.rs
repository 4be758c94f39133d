//! A topic that does not build: each compiler error under the exercise whose file it points
//! at; and the case where only other exercises are broken, so their stubs stand in.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use catalog::{ExerciseId, ExerciseInfo, TopicInfo};

use super::{Outcome, Report, indent};
use crate::cargo::{self, CheckRun, Diagnostic};
use crate::learner::invocation::command;
use crate::learner::paint;
use crate::learner::state::{Fingerprints, State, relative_path};
use crate::learner::term::shorten;

/// How many compiler errors to show per exercise before "and N more".
const MAX_ERRORS: usize = 3;

/// The compiler errors of a run, by the exercise (index in the topic) whose file they point
/// at, and those pointing elsewhere.
fn owners<'r>(
    topic: &TopicInfo,
    run: &'r CheckRun,
) -> (BTreeMap<usize, Vec<&'r Diagnostic>>, Vec<&'r Diagnostic>) {
    let mut by_exercise: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
    let mut elsewhere: Vec<&Diagnostic> = Vec::new();
    for d in run.diagnostics.iter().filter(|d| d.error) {
        let owner = topic.exercises.iter().position(|ex| {
            let path = relative_path(topic, ex);
            d.files.iter().any(|f| f.ends_with(&path))
        });
        match owner {
            Some(i) => by_exercise.entry(i).or_default().push(d),
            None => elsewhere.push(d),
        }
    }
    (by_exercise, elsewhere)
}

/// The exercises that keep the topic from building when none of them is one of `checked`
/// and nothing else is broken: the case where their stubs can stand in for them.
pub(super) fn only_others_broken<'t>(
    topic: &'t TopicInfo,
    checked: &[&ExerciseInfo],
    run: &CheckRun,
) -> Option<Vec<&'t ExerciseInfo>> {
    if !run.build_failed {
        return None;
    }
    let (by_exercise, elsewhere) = owners(topic, run);
    let broken: Vec<&ExerciseInfo> = by_exercise.keys().map(|&i| &topic.exercises[i]).collect();
    let blames_checked = broken
        .iter()
        .any(|b| checked.iter().any(|c| c.name == b.name));
    (elsewhere.is_empty() && !broken.is_empty() && !blames_checked).then_some(broken)
}

/// Other exercises did not compile and were checked with their stubs in their place: say
/// which, with their errors, and record them as failing.
#[allow(clippy::too_many_arguments)]
pub(super) fn explain_stubbed(
    root: &Path,
    state: &mut State,
    before: &HashMap<&ExerciseId, Fingerprints>,
    topic: &TopicInfo,
    checked: &[&ExerciseInfo],
    stubbed: &[&ExerciseInfo],
    run: &CheckRun,
    report: &mut Report,
) {
    let (by_exercise, _) = owners(topic, run);
    let names = |exs: &[&ExerciseInfo]| {
        exs.iter()
            .map(|ex| ex.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = &mut report.text;
    for (&i, errors) in &by_exercise {
        let ex = &topic.exercises[i];
        text.push_str(&paint::fail(&format!(
            "✗ {} does not compile ({}):",
            ex.name,
            relative_path(topic, ex)
        )));
        text.push('\n');
        errors_of(root, topic, errors, text);
        state.record_check(ex, &before[&ex.name], 0, 0, false);
    }
    text.push_str(&format!(
        "So {} was checked with the original stub of {} in its place (your file is not \
         changed; `{}` checks it).\n\n",
        names(checked),
        names(stubbed),
        command(&format!("check {}", stubbed[0].name))
    ));
}

/// Up to [`MAX_ERRORS`] of one exercise's compiler errors, indented.
fn errors_of(root: &Path, topic: &TopicInfo, errors: &[&Diagnostic], text: &mut String) {
    for d in errors.iter().take(MAX_ERRORS) {
        text.push_str(&indent(&shorten(root, &d.rendered), "  "));
        text.push('\n');
    }
    if errors.len() > MAX_ERRORS {
        text.push_str(&format!(
            "  ... and {} more error(s): `cargo test -p {}` shows them all.\n",
            errors.len() - MAX_ERRORS,
            topic.topic
        ));
    }
}

/// The topic does not compile: show each error under the exercise whose file it points at.
pub(super) fn explain_build_failure(
    root: &Path,
    state: &mut State,
    before: &HashMap<&ExerciseId, Fingerprints>,
    topic: &TopicInfo,
    exercises: &[&ExerciseInfo],
    run: &CheckRun,
    report: &mut Report,
) {
    let (by_exercise, elsewhere) = owners(topic, run);
    let text = &mut report.text;
    text.push_str(&paint::fail(&format!(
        "✗ {} does not compile, so none of its tests can run.",
        topic.topic
    )));
    text.push('\n');
    for (&i, errors) in &by_exercise {
        let ex = &topic.exercises[i];
        text.push_str(&format!(
            "\nIn exercise `{}` ({}):\n",
            ex.name,
            relative_path(topic, ex)
        ));
        errors_of(root, topic, errors, text);
        // A file that does not build is a failing exercise, recorded as such.
        state.record_check(ex, &before[&ex.name], 0, 0, false);
    }
    if !elsewhere.is_empty() {
        text.push_str("\nOutside the exercise files (the course's own code):\n");
        for d in elsewhere.iter().take(MAX_ERRORS) {
            text.push_str(&indent(&shorten(root, &d.rendered), "  "));
            text.push('\n');
        }
    }
    if by_exercise.is_empty() && elsewhere.is_empty() {
        text.push_str("cargo gave no error message; its output ends with:\n");
        text.push_str(&indent(&cargo::tail(&shorten(root, &run.output), 20), "  "));
        text.push('\n');
    }
    for ex in exercises {
        let blamed = by_exercise
            .keys()
            .any(|&i| topic.exercises[i].name == ex.name);
        report.outcomes.push((
            ex.name.clone(),
            if blamed {
                Outcome::NotSolved
            } else {
                Outcome::NotRun
            },
        ));
    }
    let blamed: Vec<&str> = by_exercise
        .keys()
        .map(|&i| topic.exercises[i].name.as_str())
        .collect();
    let not_run: Vec<&str> = report
        .outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::NotRun)
        .map(|(name, _)| name.as_str())
        .collect();
    if !not_run.is_empty() && !blamed.is_empty() {
        text.push_str(&format!(
            "\n{} could not be checked: its tests are in the same test program as {}.\n",
            not_run.join(", "),
            blamed.join(", ")
        ));
    }
    if !blamed.is_empty() {
        text.push_str(&format!(
            "\nAll exercises of `{}` are compiled together: fix the error(s) above, or start \
             over with `{}`.\n",
            topic.topic,
            command(&format!("reset {}", blamed[0]))
        ));
    }
}
