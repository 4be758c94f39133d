//! `threadwork check [topic | topic::exercise | exercise]`: runs just those tests and
//! explains each failure in learner terms: which exercise, which test, the panic or the
//! readable loom report (the support crate already rewrote it), the compiler's or the
//! import guard's error when the topic does not build. Every result is recorded in the state
//! file, so `list` knows it without running anything.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Result, bail};
use catalog::{Catalog, ExerciseInfo, TopicInfo};

use super::invocation::command;
use super::models_first;
use super::overlay;
use super::paint;
use super::state::{Fingerprints, State, Status, relative_path};
use super::term::{Out, shorten};
use super::unreadable;
use crate::cargo::{self, CheckRun, Diagnostic, Verdict};
use catalog::wiring::SWAP_ENV;

/// How many compiler errors to show per exercise before "and N more".
const MAX_ERRORS: usize = 3;
/// How many lines of one failure's explanation to show.
const MAX_LINES: usize = 30;

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
    pub outcomes: Vec<(String, Outcome)>,
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
                .map(|(name, _)| name),
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
    let untouched =
        |ex: &ExerciseInfo| progress.get(&ex.name).map(|e| e.status) == Some(Status::Untouched);
    let before: HashMap<&str, Fingerprints> = topic
        .exercises
        .iter()
        .map(|ex| (ex.name.as_str(), Fingerprints::now(root, topic, ex)))
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
        report
            .text
            .push_str(&paint::fail(&format!("✗ {}: {}", u.ex.name, u.why)));
        report.text.push('\n');
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
    let exercises = exercises.as_slice();
    if exercises.is_empty() {
        let mut state = State::load(root);
        for u in &unreadable {
            state.record_check(u.ex, &before[u.ex.name.as_str()], 0, 0, false);
        }
        state.save();
        return Ok(report);
    }
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
    if let Some(others) = only_others_broken(topic, exercises, &checked.run) {
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
    let run = &checked.run;
    // Loaded again after the run: a hint shown meanwhile (another terminal) is kept.
    let mut state = State::load(root);
    let state = &mut state;
    for u in &unreadable {
        state.record_check(u.ex, &before[u.ex.name.as_str()], 0, 0, false);
        let was_asked = asked.iter().any(|ex| ex.name == u.ex.name);
        if !was_asked && !run.build_failed && swapped.iter().any(|ex| ex.name == u.ex.name) {
            report
                .text
                .push_str(&paint::fail(&format!("✗ {}: {}", u.ex.name, u.why)));
            report
                .text
                .push_str(" Its original stub stood in for it meanwhile.\n\n");
        }
    }
    if run.build_failed {
        explain_build_failure(root, state, &before, topic, exercises, run, &mut report);
        state.save();
        return Ok(report);
    }
    if !stubbed.is_empty() {
        explain_stubbed(
            root,
            state,
            &before,
            topic,
            exercises,
            &stubbed,
            run,
            &mut report,
        );
    }
    let crashed_missing = &checked.missing;
    if run.tests.is_empty() && run.crashed.is_none() {
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
        return Ok(report);
    }
    let brief = exercises.len() > 1;
    for ex in exercises {
        let prefix = models_first::tests_of(ex);
        let mut tests: Vec<&cargo::TestOutcome> = run
            .tests
            .iter()
            .filter(|t| t.name.starts_with(&prefix))
            .collect();
        let order = failure_order(root, topic, ex);
        tests.sort_by_key(|t| order(&t.name));
        let missing: Vec<&String> = crashed_missing
            .iter()
            .filter(|t| t.starts_with(&prefix))
            .collect();
        let passed = tests
            .iter()
            .filter(|t| t.verdict == Verdict::Passed)
            .count();
        let failed = tests
            .iter()
            .filter(|t| t.verdict == Verdict::Failed)
            .count()
            + missing.len();
        let ignored = tests
            .iter()
            .filter(|t| t.verdict == Verdict::Ignored)
            .count();
        let total = passed + failed;
        let solved = failed == 0 && passed > 0;
        state.record_check(ex, &before[ex.name.as_str()], passed, failed, solved);
        report.outcomes.push((
            ex.name.clone(),
            if solved {
                Outcome::Solved
            } else {
                Outcome::NotSolved
            },
        ));
        let text = &mut report.text;
        if total == 0 {
            text.push_str(&format!(
                "✗ {}: no test ran. Its tests are the ones named `{prefix}...` in \
                 crates/{}/tests/; if there are none yet, the course is unfinished here.\n",
                ex.name, topic.topic
            ));
            if let Some(reason) = &run.crashed {
                text.push_str(&format!("  The test process died: {reason}.\n"));
            }
            continue;
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
            text.push_str(&solution_note(root, topic, ex));
        } else if brief && untouched(ex) {
            text.push_str(&format!(
                "· {}: untouched, so its {total} tests fail on the stub, as they should.\n",
                ex.name
            ));
            continue;
        } else {
            text.push_str(&paint::fail(&format!(
                "✗ {}: {passed} of {total} tests pass.",
                ex.name
            )));
            text.push('\n');
            let rerun = format!("cargo test -p {} -- {prefix}", topic.topic);
            text.push_str(&explain_failures(
                root,
                &tests,
                &missing,
                run.crashed.as_deref(),
                &rerun,
                detail,
                &command(&format!("check {}", ex.name)),
            ));
            if checked.std_skipped.contains(&ex.name) {
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
        if ignored > 0 {
            text.push_str(&format!("  ({ignored} ignored test(s) do not count.)\n"));
        }
        if !brief {
            text.push_str(&warnings_about(root, topic, ex, &run.diagnostics, detail));
        }
    }
    state.save();
    Ok(report)
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
    let source =
        std::fs::read_to_string(super::state::tests_path(root, topic, ex)).unwrap_or_default();
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
fn only_others_broken<'t>(
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
fn explain_stubbed(
    root: &Path,
    state: &mut State,
    before: &HashMap<&str, Fingerprints>,
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
        state.record_check(ex, &before[ex.name.as_str()], 0, 0, false);
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
fn explain_build_failure(
    root: &Path,
    state: &mut State,
    before: &HashMap<&str, Fingerprints>,
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
        state.record_check(ex, &before[ex.name.as_str()], 0, 0, false);
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

/// The failing tests of one exercise, grouped by explanation (ten tests stopped by the same
/// `todo!()` read as one finding).
fn explain_failures(
    root: &Path,
    tests: &[&cargo::TestOutcome],
    missing: &[&String],
    crashed: Option<&str>,
    rerun: &str,
    detail: Detail,
    check_all: &str,
) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for t in tests.iter().filter(|t| t.verdict == Verdict::Failed) {
        let (why, loom) = explain(root, &t.output);
        let name = if loom {
            format!("{} (loom model)", t.name)
        } else {
            t.name.clone()
        };
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, names)) => names.push(name),
            None => groups.push((why, vec![name])),
        }
    }
    if !missing.is_empty() {
        let why = format!(
            "no verdict: the test process died while these ran ({}): an abort, a stack \
             overflow, or a panic while panicking. `{rerun}` shows everything it printed.",
            crashed.unwrap_or("killed")
        );
        groups.push((why, missing.iter().map(|s| s.to_string()).collect()));
    }
    let mut text = String::new();
    let hidden: usize = match detail {
        Detail::Full => 0,
        Detail::FirstFailure => groups.iter().skip(1).map(|(_, names)| names.len()).sum(),
    };
    if hidden > 0 {
        groups.truncate(1);
    }
    // Blank lines between findings, except where the screen is short (watch).
    let gap = if detail == Detail::Full { "\n" } else { "" };
    for (why, names) in groups {
        text.push_str(gap);
        for name in names {
            text.push_str(&format!("  {}\n", paint::fail(&format!("✗ {name}"))));
        }
        let why = match detail {
            Detail::Full => why,
            Detail::FirstFailure => fit_to_screen(&why, check_all),
        };
        text.push_str(&indent(&why, "      "));
        text.push('\n');
    }
    if hidden > 0 {
        text.push_str(&format!(
            "  ... and {hidden} more failing test(s): `{check_all}` shows them all.\n"
        ));
    }
    text.push_str(gap);
    text
}

/// What one failing test printed, cut to what matters: each panic's message and where it
/// happened, loom reports as the support crate wrote them, no libtest notes. The flag says
/// whether it was a loom model.
fn explain(root: &Path, output: &str) -> (String, bool) {
    let output = shorten(root, output);
    // A model's report, printed without a panic (see support::model), is the whole output.
    if let Some(body) = loom_report_body(output.trim()) {
        return (cut(&blocked_in_tests(&body)), true);
    }
    let panics = panics(&output);
    if panics.is_empty() {
        if let Some(why) = did_not_panic(root, &output) {
            return (why, false);
        }
        let kept: Vec<&str> = output
            .lines()
            .filter(|l| !l.starts_with("note: "))
            .take(MAX_LINES)
            .collect();
        return (kept.join("\n").trim().to_string(), false);
    }
    let mut loom = false;
    let mut parts = Vec::new();
    for (location, message) in panics.iter().take(3) {
        if let Some(body) = loom_report_body(message) {
            loom = true;
            parts.push(blocked_in_tests(&body));
        } else if message.starts_with("not yet implemented") {
            parts.push(todo_line(location));
        } else {
            parts.push(format!("{message}\n(panicked at {location})"));
        }
    }
    let mut text = parts.join("\nthen ");
    if let Some(expected) = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("expected substring: "))
    {
        text.push_str(&format!(
            "\nbut the test expects a panic whose message contains {expected}."
        ));
    }
    (cut(&text), loom)
}

/// At most [`MAX_LINES`] lines.
fn cut(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut text = lines[..lines.len().min(MAX_LINES)].join("\n");
    if lines.len() > MAX_LINES {
        text.push_str("\n...");
    }
    text
}

/// A `#[should_panic]` test whose code returned normally. libtest names only the test's
/// place (`note: test did not panic as expected at FILE:LINE:COL`); the expected text is in
/// the attribute above it, in the course's tests file.
fn did_not_panic(root: &Path, output: &str) -> Option<String> {
    let place = output
        .lines()
        .find_map(|l| l.strip_prefix("note: test did not panic as expected at "))?
        .trim();
    let mut parts = place.rsplitn(3, ':');
    let (_, line, file) = (parts.next(), parts.next(), parts.next());
    let line: usize = line.and_then(|l| l.parse().ok()).unwrap_or(0);
    let source = file
        .and_then(|f| std::fs::read_to_string(root.join(f)).ok())
        .unwrap_or_default();
    let lines: Vec<&str> = source.lines().collect();
    let attribute = lines
        [line.saturating_sub(12).min(lines.len())..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .find(|l| l.contains("should_panic"));
    let expected = attribute.and_then(|a| {
        let start = a.find("expected")?;
        let rest = &a[start..];
        let open = rest.find('"')?;
        let close = rest.rfind('"').filter(|&c| c > open)?;
        Some(rest[open..=close].to_string())
    });
    Some(match expected {
        Some(expected) => format!(
            "the test expects your code to panic with a message containing {expected}, but \
             it returned normally (test at {place})."
        ),
        None => format!(
            "the test expects your code to panic here, but it returned normally (test at \
             {place})."
        ),
    })
}

/// After each "is blocked at" line of a deadlock report that points into the course's
/// tests (not the learner's file), what that test line was waiting for from the learner's
/// code: the test itself only waits, the learner's code never delivered.
fn blocked_in_tests(report: &str) -> String {
    let mut text = String::new();
    for line in report.lines() {
        text.push_str(line);
        text.push('\n');
        let Some((_, at)) = line.split_once(" is blocked at ") else {
            continue;
        };
        let place = at.split_whitespace().next().unwrap_or_default();
        let file = place.split(':').next().unwrap_or_default();
        if !(file.starts_with("crates/") && file.contains("/tests/")) {
            continue;
        }
        let code = at[place.len()..].trim();
        let waits_for = if code.contains(".join(") {
            "a thread started by your code to finish"
        } else if code.contains("recv") {
            "a value your code should send (or every Sender dropped)"
        } else if code.contains(".wait") {
            "a notification your code should send"
        } else if code.contains(".lock(") || code.contains(".read(") || code.contains(".write(") {
            "a lock your code still holds to be released"
        } else {
            "your code to let it go on"
        };
        text.push_str(&format!(
            "    (that line is the test's code, not yours: it waits for {waits_for})\n"
        ));
    }
    text.trim_end().to_string()
}

fn todo_line(location: &str) -> String {
    format!("not implemented yet: the `todo!()` at {location} still runs.")
}

/// The body of a support-crate loom report (`exercise `x`, loom model `...`:` first), without
/// its first line; a stub's `todo!()` is cut to the one line that matters.
fn loom_report_body(message: &str) -> Option<String> {
    let (first, body) = message.split_once('\n')?;
    if !(first.starts_with("exercise `") && first.contains(", loom model `")) {
        return None;
    }
    let body = body.trim();
    if body.starts_with("not implemented yet:") {
        return Some(body.lines().next().unwrap_or(body).to_string());
    }
    Some(body.to_string())
}

/// `(location, message)` of every `thread '..' panicked at <location>:` in a test's output.
fn panics(output: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((_, location)) = line.split_once(" panicked at ") else {
            continue;
        };
        let mut message = Vec::new();
        while let Some(next) = lines.peek() {
            if next.contains(" panicked at ") || next.starts_with("note: ") {
                break;
            }
            message.push(*next);
            lines.next();
        }
        found.push((
            location.trim_end_matches(':').to_string(),
            message.join("\n").trim().to_string(),
        ));
    }
    found
}

/// Rows of a 80x24 terminal one explanation may take in watch's verdict screen: the rest
/// of the screen is its heading, the verdict line, the test's name, the hint and the keys.
const SCREEN_ROWS: usize = 12;
const SCREEN_COLUMNS: usize = 80;

/// `why` cut to [`SCREEN_ROWS`] rows of a 80-column terminal (long lines wrap, and count
/// for as many rows as they take), saying where the rest is.
fn fit_to_screen(why: &str, check_all: &str) -> String {
    let rows = |line: &str| (line.chars().count() + 6).div_ceil(SCREEN_COLUMNS).max(1);
    let mut used = 0;
    let mut kept = Vec::new();
    let lines: Vec<&str> = why.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if used + rows(line) > SCREEN_ROWS - 1 && i + 1 < lines.len() {
            kept.push(format!("... (`{check_all}` shows all of it)"));
            return kept.join("\n");
        }
        used += rows(line);
        kept.push(line.to_string());
    }
    kept.join("\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/w";

    #[test]
    fn a_todo_in_a_std_test_reads_as_not_implemented_in_the_learners_file() {
        let output = "thread 'counter::a' (4) panicked at /w/exercises/lock/01_counter.rs:22:9:\n\
                      not yet implemented\nnote: run with `RUST_BACKTRACE=1`";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert_eq!(
            why,
            "not implemented yet: the `todo!()` at exercises/lock/01_counter.rs:22:9 still runs."
        );
        assert!(!loom);
    }

    #[test]
    fn a_loom_report_is_kept_without_its_first_line_and_libtest_location() {
        let output = "thread 'bank::models::m' (9) panicked at crates/support/src/model.rs:50:28:\n\
                      exercise `bank`, loom model `bank::models::m`:\nDEADLOCK: loom found ...\n  \
                      the model's main thread is blocked at exercises/lock/03_bank.rs:51:48\n\
                      Re-run only this model: cargo test -p lock -- bank::models::m --exact";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert!(loom, "a loom report is flagged as a model");
        assert!(why.starts_with("DEADLOCK: loom found"), "{why}");
        assert!(
            why.contains("blocked at exercises/lock/03_bank.rs:51:48"),
            "{why}"
        );
        assert!(
            !why.contains("model.rs"),
            "the runner's own location is noise: {why}"
        );
    }

    #[test]
    fn a_loom_report_printed_without_a_panic_is_read_as_a_model_failure() {
        let output = "\nexercise `bank`, loom model `bank::models::m`:\nDEADLOCK: loom found ...\n  \
                      the model's main thread is blocked at crates/lock/tests/lock/bank.rs:40:12    \
                      `handle.join().unwrap();`\nRe-run only this model: cargo test -p lock";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert!(loom, "{why}");
        assert!(why.starts_with("DEADLOCK: loom found"), "{why}");
        assert!(
            why.contains(
                "(that line is the test's code, not yours: it waits for a thread started by \
                 your code to finish)"
            ),
            "a block in the tests says what they waited for: {why}"
        );
    }

    #[test]
    fn a_block_in_the_learners_file_gets_no_note() {
        let report =
            "  spawned thread 1 is blocked at exercises/lock/03_bank.rs:51:48    `a.lock()`";
        assert_eq!(blocked_in_tests(report), report);
    }

    #[test]
    fn a_should_panic_test_that_got_another_panic_shows_the_expected_text() {
        let output = "thread 'q::full' (3) panicked at exercises/pool/03_q.rs:9:5:\nsomething else\n\
                      note: panic did not contain expected string\n      panic message: \
                      \"something else\"\n expected substring: \"the queue is full\"";
        let (why, _) = explain(Path::new(ROOT), output);
        assert!(
            why.starts_with("something else\n(panicked at exercises/pool/03_q.rs:9:5)"),
            "{why}"
        );
        assert!(
            why.ends_with(
                "but the test expects a panic whose message contains \"the queue is full\"."
            ),
            "{why}"
        );
    }

    #[test]
    fn a_should_panic_test_that_did_not_panic_shows_the_expected_text_from_its_attribute() {
        let root = tempfile::tempdir().unwrap();
        let tests = root.path().join("crates/pool/tests/pool");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(
            tests.join("q.rs"),
            "use x;\n\n#[test]\n#[should_panic(expected = \"already started\")]\nfn twice() {\n}\n",
        )
        .unwrap();
        let output = "note: test did not panic as expected at crates/pool/tests/pool/q.rs:5:4";
        let (why, _) = explain(root.path(), output);
        assert_eq!(
            why,
            "the test expects your code to panic with a message containing \"already started\", \
             but it returned normally (test at crates/pool/tests/pool/q.rs:5:4)."
        );
    }

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

    #[test]
    fn an_assertion_keeps_its_message_and_place() {
        let output = "thread 'counter::p' (3) panicked at crates/lock/tests/lock/counter.rs:33:5:\n\
                      assertion `left == right` failed: increments were lost\n  left: 3\n right: 4";
        let (why, _) = explain(Path::new(ROOT), output);
        assert_eq!(
            why,
            "assertion `left == right` failed: increments were lost\n  left: 3\n right: 4\n\
             (panicked at crates/lock/tests/lock/counter.rs:33:5)"
        );
    }
}
