//! Each exercise's verdict from one run: its tests counted and recorded, then solved,
//! untouched, or its failures explained with the hint that comes next.

use std::collections::HashMap;
use std::path::Path;

use catalog::{ExerciseId, ExerciseInfo, TopicInfo};

use super::{Detail, Outcome, Report, failures, indent};
use crate::cargo::{self, Diagnostic, Verdict};
use crate::learner::invocation::command;
use crate::learner::models_first;
use crate::learner::paint;
use crate::learner::state::{Fingerprints, State, relative_path};
use crate::learner::term::shorten;

/// What one run says of the exercises checked in it.
pub(super) struct Verdicts<'a> {
    pub root: &'a Path,
    pub topic: &'a TopicInfo,
    pub checked: &'a models_first::Checked,
    pub before: &'a HashMap<&'a ExerciseId, Fingerprints>,
    pub detail: Detail,
    /// More than one exercise checked: an untouched one gets a line, not its failures.
    pub brief: bool,
    pub untouched: &'a dyn Fn(&ExerciseInfo) -> bool,
}

/// An exercise's tests in the run, counted.
struct Tally<'r> {
    /// In the order their failures are explained (see [`failure_order`]).
    tests: Vec<&'r cargo::TestOutcome>,
    /// Chosen, but no verdict: the test process died while they ran.
    missing: Vec<&'r models_first::Crash>,
    passed: usize,
    failed: usize,
    ignored: usize,
}

impl Tally<'_> {
    fn total(&self) -> usize {
        self.passed + self.failed
    }

    fn solved(&self) -> bool {
        self.failed == 0 && self.passed > 0
    }
}

impl Verdicts<'_> {
    /// Records `ex`'s result and says it in `report`.
    pub fn give(&self, ex: &ExerciseInfo, state: &mut State, report: &mut Report) {
        let tally = self.tally(ex);
        let solved = tally.solved();
        state.record_check(
            ex,
            &self.before[&ex.name],
            tally.passed,
            tally.failed,
            solved,
        );
        report.outcomes.push((
            ex.name.clone(),
            if solved {
                Outcome::Solved
            } else {
                Outcome::NotSolved
            },
        ));
        let text = &mut report.text;
        let total = tally.total();
        let run = &self.checked.run;
        let prefix = models_first::tests_of(ex);
        if total == 0 {
            text.push_str(&format!(
                "✗ {}: no test ran. Its tests are the ones named `{prefix}...` in \
                 crates/{}/tests/; if there are none yet, the course is unfinished here.\n",
                ex.name, self.topic.topic
            ));
            if let Some(reason) = &run.crashed {
                text.push_str(&format!("  The test process died: {reason}.\n"));
            }
            return;
        }
        if solved {
            let loom = if ex.loom {
                ", loom models included: every interleaving was explored"
            } else {
                ""
            };
            text.push_str(&paint::pass(&format!(
                "✓ {} is solved: all {total} tests pass{loom}.",
                ex.name
            )));
            text.push('\n');
            text.push_str(&solution_note(self.root, self.topic, ex));
        } else if self.brief && (self.untouched)(ex) {
            text.push_str(&format!(
                "· {}: untouched, so its {total} tests fail on the stub, as they should.\n",
                ex.name
            ));
            return;
        } else {
            self.explain_unsolved(ex, &tally, state, text);
        }
        if tally.ignored > 0 {
            text.push_str(&format!(
                "  ({} ignored test(s) do not count.)\n",
                tally.ignored
            ));
        }
        if !self.brief {
            text.push_str(&warnings_about(
                self.root,
                self.topic,
                ex,
                &run.diagnostics,
                self.detail,
            ));
        }
    }

    fn tally(&self, ex: &ExerciseInfo) -> Tally<'_> {
        let mut tests: Vec<&cargo::TestOutcome> = self
            .checked
            .run
            .tests
            .iter()
            .filter(|t| ex.owns_test(&t.name))
            .collect();
        let order = failure_order(self.root, self.topic, ex);
        tests.sort_by_key(|t| order(&t.name));
        let missing: Vec<&models_first::Crash> = self
            .checked
            .missing
            .iter()
            .filter(|c| ex.owns_test(&c.test))
            .collect();
        let count = |v: Verdict| tests.iter().filter(|t| t.verdict == v).count();
        Tally {
            passed: count(Verdict::Passed),
            failed: count(Verdict::Failed) + missing.len(),
            ignored: count(Verdict::Ignored),
            tests,
            missing,
        }
    }

    /// "✗ x: 2 of 5 tests pass.", the failures, and the next hint.
    fn explain_unsolved(&self, ex: &ExerciseInfo, tally: &Tally, state: &State, text: &mut String) {
        text.push_str(&paint::fail(&format!(
            "✗ {}: {} of {} tests pass.",
            ex.name,
            tally.passed,
            tally.total()
        )));
        text.push('\n');
        let rerun = format!(
            "cargo test -p {} -- {}",
            self.topic.topic,
            models_first::tests_of(ex)
        );
        text.push_str(&failures::explain_failures(
            self.root,
            &tally.tests,
            &tally.missing,
            &rerun,
            self.detail,
            &command(&format!("check {}", ex.name)),
        ));
        if self.checked.std_skipped.contains(&ex.name) {
            text.push_str(
                "  Its std tests were skipped: a loom model failed, and with that bug they \
                 could only hang or fail the same way.\n",
            );
        }
        let shown = state.hints_shown(&ex.name).min(ex.hints.len());
        if shown < ex.hints.len() {
            text.push_str(&format!(
                "Stuck? `{}` shows hint {} of {}.\n",
                command(&format!("hint {}", ex.name)),
                shown + 1,
                ex.hints.len()
            ));
        }
    }
}

/// Where the course's reference solution is, for comparison once solved; nothing in a copy
/// without solutions (the students' copy an instructor exports).
fn solution_note(root: &Path, topic: &TopicInfo, ex: &ExerciseInfo) -> String {
    let path = format!(
        "{}/{}/{}",
        catalog::info::SOLUTIONS_DIR,
        topic.topic,
        ex.file
    );
    if root.join(&path).is_file() {
        format!("  Compare with the course's solution: {path}\n")
    } else {
        String::new()
    }
}

/// The order in which an exercise's failing tests are explained, as a sort key of their
/// names: loom models first (they prove the bug: a race, a deadlock), then the std tests
/// (often only its symptom), each in the order the tests file declares them, since its
/// authors put the test that names the bug most directly first.
fn failure_order(
    root: &Path,
    topic: &TopicInfo,
    ex: &ExerciseInfo,
) -> impl Fn(&str) -> (bool, usize, String) {
    let source = std::fs::read_to_string(crate::learner::state::tests_path(root, topic, ex))
        .unwrap_or_default();
    let prefix = models_first::tests_of(ex);
    move |name: &str| order_key(&source, &prefix, name)
}

/// (std test?, where the tests file declares it, name): see [`failure_order`]. An rstest
/// case (`parallel_counts_add_up::case_2_two_threads`) sorts with its function.
fn order_key(source: &str, prefix: &str, name: &str) -> (bool, usize, String) {
    let is_model = name.contains("::models::");
    let declared = name
        .strip_prefix(prefix)
        .unwrap_or(name)
        .split("::")
        .find_map(|part| source.find(&format!("fn {part}(")))
        .unwrap_or(usize::MAX);
    (!is_model, declared, name.to_string())
}

/// Compiler warnings about the learner's file, when there are any (two at most).
fn warnings_about(
    root: &Path,
    topic: &TopicInfo,
    ex: &ExerciseInfo,
    diagnostics: &[Diagnostic],
    detail: Detail,
) -> String {
    let path = relative_path(topic, ex);
    let warnings: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| !d.error && d.files.iter().any(|f| f.ends_with(&path)))
        .collect();
    if warnings.is_empty() {
        return String::new();
    }
    if detail == Detail::FirstFailure {
        // Watch's screen has no room for them; the check command shows them.
        return format!(
            "The compiler has {} warning(s) about {path}: `{}` shows them.\n",
            warnings.len(),
            command(&format!("check {}", ex.name))
        );
    }
    let mut text = format!(
        "The compiler has {} warning(s) about {path}:\n",
        warnings.len()
    );
    for d in warnings.iter().take(2) {
        text.push_str(&indent(&shorten(root, &d.rendered), "  "));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_come_first_then_the_order_the_tests_file_declares() {
        let source = "fn b_first() {}\nfn a_second(x: u8) {}\nmod models {\n fn z_model() {}\n fn y_model() {}\n}";
        let mut names = vec![
            "c::a_second::case_1",
            "c::b_first",
            "c::models::y_model",
            "c::models::z_model",
        ];
        names.sort_by_key(|n| order_key(source, "c::", n));
        assert_eq!(
            names,
            [
                "c::models::z_model",
                "c::models::y_model",
                "c::b_first",
                "c::a_second::case_1"
            ]
        );
    }
}
