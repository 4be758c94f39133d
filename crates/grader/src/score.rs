//! Scores from test outcomes and the exercise metadata.
//!
//! An exercise's `points` (exercises/<topic>/info.toml) are split evenly over its tests
//! (the tests named `<exercise>::...`). One exception keeps grades free of luck: when a loom
//! model of an exercise fails, the code has a race or a deadlock that loom proved, and any
//! std test of that exercise that passed did so by a lucky schedule; those passes are not
//! counted, nor those of the exercises that build on it (`builds_on` in info.toml: they
//! call its code). loom explores every interleaving, so the verdict is the same every run.
//! The grader does not even run those std tests ([`super::models_first`]): they score as
//! voided, marked as not run.
//!
//! Which tests are models comes from the course ([`TopicInfo::is_model_test`]), never from
//! what a test printed: the student's code can print anything.

use std::collections::BTreeMap;

use catalog::{ExerciseId, ExerciseInfo, TopicId, TopicInfo};

use super::explain;
use super::nextest::{Outcome, TEST_LIMIT_SECS};

/// Why an exercise was or was not run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Tested with the student's file.
    Graded,
    /// No file for it in the submission.
    NotSubmitted,
    /// The file is byte for byte the stub.
    Unchanged,
    /// The file breaks the submission policy; the stub was graded instead.
    Rejected(String),
    /// The file does not compile with the course; the stub was graded instead.
    CompileError(String),
    /// The topic could not be built or run at all (the grader's problem).
    NotRun(String),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TestScore {
    pub name: String,
    pub passed: bool,
    pub score: f64,
    pub max: f64,
    /// Trimmed output for the student: why it failed, or why a pass was not counted.
    pub output: String,
    /// Not run at all: a loom model already proved the exercise wrong (see
    /// [`proven_races`]), so this std test could only have failed or passed uncounted.
    #[serde(default)]
    pub not_run: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExerciseScore {
    pub topic: TopicId,
    pub name: ExerciseId,
    pub file: String,
    pub points: f64,
    pub status: Status,
    /// Where the file came from inside the submission.
    pub from: Option<String>,
    pub tests: Vec<TestScore>,
    pub score: f64,
    /// A loom model of this exercise failed: loom proved a race or a deadlock.
    pub model_failed: bool,
    /// An exercise this one builds on whose loom model failed.
    pub racy_dependency: Option<ExerciseId>,
    /// Exercises this one builds on that were graded as their stubs (not handed in, not
    /// compiling, refused): their `todo!()` fails this one's tests too.
    pub stub_dependencies: Vec<ExerciseId>,
}

impl ExerciseScore {
    /// Every test of the exercise passed and counted.
    pub fn full_marks(&self) -> bool {
        self.points > 0.0 && self.score >= self.points
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TopicScore {
    pub topic: TopicId,
    pub score: f64,
    pub max: f64,
    pub exercises: Vec<ExerciseScore>,
}

/// Scores one exercise. `tests` are its test names (from the pristine build's list);
/// `outcome` gives a test's result when the exercise was run; `racy_dependency` names an
/// exercise this one builds on (`builds_on`) whose loom model failed, if any.
pub fn exercise(
    topic: &TopicInfo,
    ex: &ExerciseInfo,
    tests: &[String],
    status: Status,
    from: Option<String>,
    outcome: &dyn Fn(&str) -> Option<Outcome>,
    racy_dependency: Option<&ExerciseId>,
) -> ExerciseScore {
    let points = f64::from(ex.points);
    let per_test = if tests.is_empty() {
        0.0
    } else {
        points / tests.len() as f64
    };
    let mut scored: Vec<TestScore> = Vec::new();
    let mut model_failed = false;
    if status != Status::Graded {
        let why = match &status {
            Status::NotSubmitted => "not submitted".to_string(),
            Status::Unchanged => "the file is still the untouched stub".to_string(),
            Status::Rejected(_) => "not run: the file breaks the submission policy".to_string(),
            Status::CompileError(_) => "not run: the file does not compile".to_string(),
            Status::NotRun(why) => format!("not run: {why}"),
            Status::Graded => unreachable!(),
        };
        for name in tests {
            scored.push(TestScore {
                name: name.clone(),
                passed: false,
                score: 0.0,
                max: per_test,
                output: why.clone(),
                not_run: false,
            });
        }
    } else {
        let outcomes: Vec<Option<Outcome>> = tests.iter().map(|t| outcome(t)).collect();
        model_failed = a_model_failed(topic, tests, outcome);
        let luck = if model_failed {
            Some(
                "a loom model of this exercise found a race or a deadlock in every run, so \
                 this test passed only because the threads happened to be scheduled kindly"
                    .to_string(),
            )
        } else {
            racy_dependency.map(|dep| {
                format!(
                    "this exercise builds on your `{dep}`, whose loom model found a race or a \
                     deadlock in every run, so whether this test passes may depend on how the \
                     threads are scheduled; fix `{dep}` and it counts"
                )
            })
        };
        let proven = model_failed || racy_dependency.is_some();
        for (name, result) in tests.iter().zip(outcomes) {
            let not_run = result.is_none() && proven && !topic.is_model_test(name);
            let (passed, score, output) = match result {
                None if not_run => (false, 0.0, not_run_because(racy_dependency, model_failed)),
                None => (false, 0.0, "no result: the test did not run".to_string()),
                Some(o) if !o.passed => (
                    false,
                    0.0,
                    explain::failure(&o.output, o.timed_out, TEST_LIMIT_SECS),
                ),
                Some(_) if luck.is_some() && !topic.is_model_test(name) => (
                    true,
                    0.0,
                    format!(
                        "passed, but not counted: {}.",
                        luck.as_deref().unwrap_or("")
                    ),
                ),
                Some(_) => (true, per_test, String::new()),
            };
            scored.push(TestScore {
                name: name.clone(),
                passed,
                score,
                max: per_test,
                output,
                not_run,
            });
        }
    }
    // From the count, not a sum of per-test fractions: 9 tests of 15/9 points add up to
    // 14.999..., which is not full marks.
    let counted = scored.iter().filter(|t| t.score > 0.0).count();
    let score = if scored.is_empty() {
        0.0
    } else {
        points * counted as f64 / scored.len() as f64
    };
    ExerciseScore {
        topic: topic.topic.clone(),
        name: ex.name.clone(),
        file: ex.file.clone(),
        points,
        status,
        from,
        tests: scored,
        score,
        model_failed,
        racy_dependency: racy_dependency.cloned(),
        stub_dependencies: Vec::new(),
    }
}

/// Whether loom proved `tests` (one exercise's) wrong: a model failed. A model stopped by
/// the time limit proved nothing; any other failure is loom's verdict over every
/// interleaving (or the model's process dying in one of them).
fn a_model_failed(
    topic: &TopicInfo,
    tests: &[String],
    outcome: &dyn Fn(&str) -> Option<Outcome>,
) -> bool {
    tests.iter().any(|name| {
        topic.is_model_test(name) && outcome(name).is_some_and(|o| !o.passed && !o.timed_out)
    })
}

/// Exercise -> the exercise whose failed loom model voids its std passes: itself, or one it
/// builds on (`builds_on`, transitively).
pub type Races = BTreeMap<ExerciseId, ExerciseId>;

/// The [`Races`] of `topic`. The grader does not run the std tests of those exercises, and
/// scores them as voided.
fn proven_races(topic: &TopicInfo, model_failed: &dyn Fn(&ExerciseInfo) -> bool) -> Races {
    let mut races = BTreeMap::new();
    // builds_on lists only earlier exercises, so one pass in order carries a proven race
    // to everything built on it, naming where it is.
    for ex in &topic.exercises {
        if model_failed(ex) {
            races.insert(ex.name.clone(), ex.name.clone());
        } else if let Some(root) = racy_dependency(ex, &races) {
            races.insert(ex.name.clone(), root.clone());
        }
    }
    races
}

/// [`proven_races`] as one run of a topic found them: the exercises graded with the
/// student's file (`graded`) one of whose models failed among `all_tests`' outcomes. The
/// grader's models-first step and the score both ask this, so the std tests it skips are
/// exactly those the score voids.
pub fn races_found(
    topic: &TopicInfo,
    all_tests: &[String],
    outcome: &dyn Fn(&str) -> Option<Outcome>,
    graded: &dyn Fn(&ExerciseInfo) -> bool,
) -> Races {
    proven_races(topic, &|ex| {
        graded(ex) && a_model_failed(topic, &tests_of(all_tests, ex), outcome)
    })
}

/// An exercise's tests (`<exercise>::...`) among a topic's.
pub fn tests_of(all_tests: &[String], ex: &ExerciseInfo) -> Vec<String> {
    all_tests
        .iter()
        .filter(|t| ex.owns_test(t))
        .cloned()
        .collect()
}

/// The exercise, among those `ex` builds on, whose loom model failed (per [`proven_races`]).
pub fn racy_dependency<'a>(ex: &ExerciseInfo, races: &'a Races) -> Option<&'a ExerciseId> {
    ex.builds_on.iter().find_map(|d| races.get(d))
}

fn not_run_because(racy_dependency: Option<&ExerciseId>, model_failed: bool) -> String {
    match racy_dependency {
        Some(dep) if !model_failed => format!(
            "not run: this exercise builds on your `{dep}`, whose loom model found a race or \
             a deadlock, so this std test could not count; fix `{dep}` and it runs"
        ),
        _ => "not run: a loom model of this exercise found a race or a deadlock, so this std \
              test could not count (a deadlock would only have hung it); fix what the model \
              reports and it runs"
            .to_string(),
    }
}

/// Rounds for display: two decimals, no `-0`.
pub fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// `12.5` / `10` style numbers for tables.
pub fn fmt(x: f64) -> String {
    let r = round2(x);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic() -> TopicInfo {
        toml::from_str(
            "topic='lock'\norder=5\ntitle='t'\n[[exercise]]\nname='counter'\n\
             file='01_counter.rs'\npoints=10\nloom=true\nsummary='s'\nhints=['h']\n",
        )
        .expect("valid")
    }

    fn outcome(passed: bool, output: &str) -> Outcome {
        Outcome {
            passed,
            timed_out: false,
            output: output.into(),
        }
    }

    /// Scores the test topic's one exercise as graded with these outcomes.
    fn graded(
        tests: &[String],
        outcome: &dyn Fn(&str) -> Option<Outcome>,
        racy_dependency: Option<&ExerciseId>,
    ) -> ExerciseScore {
        let t = topic();
        let ex = &t.exercises[0];
        exercise(
            &t,
            ex,
            tests,
            Status::Graded,
            None,
            outcome,
            racy_dependency,
        )
    }

    #[test]
    fn points_are_split_evenly_over_the_tests() {
        let tests = vec![
            "counter::a".to_string(),
            "counter::b".into(),
            "counter::c".into(),
            "counter::d".into(),
        ];
        let s = graded(
            &tests,
            &|name| Some(outcome(name != "counter::d", "ok")),
            None,
        );
        assert_eq!(s.score, 7.5);
    }

    #[test]
    fn every_test_passing_is_exactly_full_marks() {
        let t = topic();
        // 10 points over 11 tests: 10/11 eleven times adds up to 9.999...
        let tests: Vec<String> = (0..11).map(|i| format!("counter::t{i}")).collect();
        let s = exercise(
            &t,
            &t.exercises[0],
            &tests,
            Status::Graded,
            None,
            &|_| Some(outcome(true, "ok")),
            None,
        );
        assert_eq!(s.score, 10.0);
        assert!(
            s.full_marks(),
            "all 11 passed: full marks, reported as PASS"
        );
    }

    #[test]
    fn lucky_std_passes_do_not_count_when_a_model_fails() {
        let tests = vec![
            "counter::models::m".to_string(),
            "counter::models::n".into(),
            "counter::std".into(),
        ];
        let s = graded(
            &tests,
            &|name| match name {
                "counter::models::m" => Some(outcome(false, "x")),
                "counter::models::n" => Some(outcome(true, "")),
                _ => Some(outcome(true, "test result: ok. 1 passed")),
            },
            None,
        );
        assert_eq!(fmt(s.score), "3.33", "only the passing model counts");
        assert!(s.model_failed);
        assert!(s.tests[2].output.contains("not counted"));
    }

    #[test]
    fn printed_markers_change_nothing() {
        let tests = vec!["counter::models::m".to_string(), "counter::std".into()];
        // A std test that prints a model's success line is still a std test.
        let s = graded(
            &tests,
            &|name| match name {
                "counter::models::m" => Some(outcome(false, "")),
                _ => Some(outcome(true, "[threadwork] explored 4 interleavings")),
            },
            None,
        );
        assert_eq!(s.score, 0.0, "the lucky std pass is voided");
        // A failing std test that prints a model's failure report is not a model.
        let s = graded(
            &tests,
            &|name| match name {
                "counter::models::m" => Some(outcome(true, "")),
                _ => Some(outcome(
                    false,
                    "exercise `counter`, loom model `counter::m`: x",
                )),
            },
            None,
        );
        assert!(!s.model_failed);
        assert_eq!(s.score, 5.0);
    }

    #[test]
    fn a_model_stopped_by_the_time_limit_proves_no_race() {
        let tests = vec!["counter::models::m".to_string(), "counter::std".into()];
        let s = graded(
            &tests,
            &|name| match name {
                "counter::models::m" => Some(Outcome {
                    passed: false,
                    timed_out: true,
                    output: String::new(),
                }),
                _ => Some(outcome(true, "")),
            },
            None,
        );
        assert!(!s.model_failed);
        assert_eq!(s.score, 5.0, "the std pass counts");
    }

    #[test]
    fn std_passes_do_not_count_when_an_exercise_it_builds_on_has_a_race() {
        let tests = vec!["counter::models::m".to_string(), "counter::std".into()];
        let s = graded(
            &tests,
            &|_| Some(outcome(true, "test result: ok. 1 passed")),
            ExerciseId::parse("task_future").as_ref(),
        );
        assert_eq!(
            s.score, 5.0,
            "the exhaustive model still counts, the std pass does not"
        );
        assert!(!s.model_failed, "its own models passed");
        assert!(s.tests[1].output.contains("builds on your `task_future`"));
    }

    #[test]
    fn an_exercise_not_run_scores_zero_with_the_reason() {
        let t = topic();
        let tests = vec!["counter::a".to_string()];
        let s = exercise(
            &t,
            &t.exercises[0],
            &tests,
            Status::NotSubmitted,
            None,
            &|_| None,
            None,
        );
        assert_eq!(s.score, 0.0);
        assert_eq!(s.tests[0].output, "not submitted");
    }
}
