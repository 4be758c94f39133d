//! A submission's tests run models first, as the learner's check does
//! (`learner::models_first`): loom proves a deadlock in milliseconds, while the std tests of
//! the same bug only hang until their hang guard gives up. So one nextest run takes the
//! loom models of the graded exercises, and a second the std tests of the exercises no
//! failed model voids ([`score::races_found`], the rule the score applies): the skipped
//! tests could only have failed or passed uncounted, so the grade is the same.
//!
//! Which model failed comes from nextest's JUnit report, never from what a test printed.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use catalog::{Catalog, ExerciseFile, ExerciseId, ExerciseInfo, TopicId, TopicInfo};

use super::nextest::{self, Outcomes, TestLists};
use super::sandbox::{Binds, Sandbox};
use super::score;

/// Which tests of an exercise a run selects.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Models,
    Std,
    All,
}

/// One submission's test step.
pub struct Step<'a> {
    pub catalog: &'a Catalog,
    /// Every topic's tests, from the pristine build.
    pub tests: &'a TestLists,
    pub sandbox: &'a Sandbox,
    pub binds: &'a Binds,
    pub test_threads: usize,
    pub uid_base: Option<u32>,
}

impl Step<'_> {
    /// Runs the tests of the exercises `graded` with the student's files in `built` topics:
    /// the models, then the std tests no failed model voids (one run when there are no
    /// models). Both runs share one wall-time budget. Returns the outcomes and any problem.
    pub fn run(
        &self,
        built: &[TopicId],
        graded: &dyn Fn(&TopicInfo, &ExerciseInfo) -> bool,
    ) -> Result<(Outcomes, Vec<String>)> {
        let deadline = Instant::now() + nextest::RUN_WALL;
        let mut outcomes = Outcomes::new();
        let mut problems = Vec::new();
        let models = filterset(self.catalog, built, Part::Models, graded);
        let rest = match models {
            None => filterset(self.catalog, built, Part::All, graded),
            Some(models) => {
                self.one_run(&models, deadline, &mut outcomes, &mut problems)?;
                let races = voided(self.catalog, self.tests, built, graded, &outcomes);
                filterset(self.catalog, built, Part::Std, &|topic, ex| {
                    graded(topic, ex) && !races.contains_key(&ExerciseFile::of(topic, ex))
                })
            }
        };
        // A models run stopped by the wall time leaves no time for the std run; its note
        // already says the tests were stopped.
        if let Some(rest) = rest
            && Instant::now() < deadline
        {
            self.one_run(&rest, deadline, &mut outcomes, &mut problems)?;
        }
        Ok((outcomes, problems))
    }

    fn one_run(
        &self,
        filter: &str,
        deadline: Instant,
        outcomes: &mut Outcomes,
        problems: &mut Vec<String>,
    ) -> Result<()> {
        let (found, problem) = nextest::run(
            self.sandbox,
            self.binds,
            filter,
            self.test_threads,
            self.uid_base,
            deadline,
        )?;
        for (topic, tests) in found {
            outcomes.entry(topic).or_default().extend(tests);
        }
        problems.extend(problem);
        Ok(())
    }
}

/// An exercise's file -> the exercise whose failed model voids its std tests.
fn voided(
    catalog: &Catalog,
    tests: &TestLists,
    built: &[TopicId],
    graded: &dyn Fn(&TopicInfo, &ExerciseInfo) -> bool,
    outcomes: &Outcomes,
) -> BTreeMap<ExerciseFile, ExerciseId> {
    let mut all = BTreeMap::new();
    for topic in built.iter().filter_map(|t| catalog.topic(t.as_str())) {
        let names = tests
            .get(&topic.topic)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let found = outcomes.get(&topic.topic);
        let outcome = |name: &str| found.and_then(|o| o.get(name)).cloned();
        let races = score::races_found(topic, names, &outcome, &|ex| graded(topic, ex));
        for ex in &topic.exercises {
            if let Some(root) = races.get(&ex.name) {
                all.insert(ExerciseFile::of(topic, ex), root.clone());
            }
        }
    }
    all
}

/// A nextest filterset selecting `part` of the tests of the exercises `chosen` in `built`
/// topics; `None` when it selects nothing.
fn filterset(
    catalog: &Catalog,
    built: &[TopicId],
    part: Part,
    chosen: &dyn Fn(&TopicInfo, &ExerciseInfo) -> bool,
) -> Option<String> {
    let mut parts = Vec::new();
    for topic in built.iter().filter_map(|t| catalog.topic(t.as_str())) {
        let names: Vec<&str> = topic
            .exercises
            .iter()
            .filter(|ex| chosen(topic, ex) && (part != Part::Models || ex.loom))
            .map(|ex| ex.name.as_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let names = names.join("|");
        let t = &topic.topic;
        parts.push(match part {
            Part::Models => format!("(package(={t}) & test(/^({names})::models::/))"),
            Part::Std => {
                format!("(package(={t}) & test(/^({names})::/) & !test(/^({names})::models::/))")
            }
            Part::All => format!("(package(={t}) & test(/^({names})::/))"),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nextest::Outcome;

    fn catalog() -> Catalog {
        let topic: TopicInfo = toml::from_str(
            "topic='lock'\norder=5\ntitle='t'\n\
             [[exercise]]\nname='counter'\nfile='01_counter.rs'\npoints=10\nloom=true\n\
             summary='s'\nhints=['h']\n\
             [[exercise]]\nname='bank'\nfile='02_bank.rs'\npoints=10\nloom=true\n\
             summary='s'\nhints=['h']\nbuilds_on=['counter']\n\
             [[exercise]]\nname='ledger'\nfile='03_ledger.rs'\npoints=10\nloom=false\n\
             std_only_because='x'\nsummary='s'\nhints=['h']\nbuilds_on=['bank']\n\
             [[exercise]]\nname='queue'\nfile='04_queue.rs'\npoints=10\nloom=true\n\
             summary='s'\nhints=['h']\n",
        )
        .expect("valid");
        Catalog {
            root: "/nonexistent".into(),
            topics: vec![topic],
        }
    }

    fn lock() -> TopicId {
        TopicId::from_package("lock")
    }

    fn tests() -> TestLists {
        let names = [
            "counter::models::m",
            "counter::std",
            "bank::models::m",
            "bank::std",
            "ledger::std",
            "queue::models::m",
            "queue::std",
        ];
        BTreeMap::from([(lock(), names.map(String::from).to_vec())])
    }

    fn outcomes(failed: &[&str]) -> Outcomes {
        let found = ["counter::models::m", "bank::models::m", "queue::models::m"]
            .into_iter()
            .map(|name| {
                let passed = !failed.contains(&name);
                let outcome = Outcome {
                    passed,
                    timed_out: false,
                    output: String::new(),
                };
                (name.to_string(), outcome)
            })
            .collect();
        BTreeMap::from([(lock(), found)])
    }

    /// The std run after the models run: which exercises it takes.
    fn std_run(failed: &[&str]) -> Option<String> {
        let catalog = catalog();
        let built = [lock()];
        let all = |_: &TopicInfo, _: &ExerciseInfo| true;
        let races = voided(&catalog, &tests(), &built, &all, &outcomes(failed));
        filterset(&catalog, &built, Part::Std, &|topic, ex| {
            !races.contains_key(&ExerciseFile::of(topic, ex))
        })
    }

    #[test]
    fn the_models_run_takes_only_the_models_of_loom_exercises() {
        let catalog = catalog();
        let all = |_: &TopicInfo, _: &ExerciseInfo| true;
        assert_eq!(
            filterset(&catalog, &[lock()], Part::Models, &all).as_deref(),
            Some("(package(=lock) & test(/^(counter|bank|queue)::models::/))")
        );
    }

    #[test]
    fn a_failed_model_skips_the_std_tests_of_its_exercise_and_those_built_on_it() {
        assert_eq!(
            std_run(&[]).as_deref(),
            Some(
                "(package(=lock) & test(/^(counter|bank|ledger|queue)::/) \
                 & !test(/^(counter|bank|ledger|queue)::models::/))"
            ),
            "every model passed: every std test runs"
        );
        assert_eq!(
            std_run(&["counter::models::m"]).as_deref(),
            Some("(package(=lock) & test(/^(queue)::/) & !test(/^(queue)::models::/))"),
            "bank builds on counter, ledger (no models) on bank"
        );
        assert_eq!(
            std_run(&["queue::models::m"]).as_deref(),
            Some(
                "(package(=lock) & test(/^(counter|bank|ledger)::/) \
                 & !test(/^(counter|bank|ledger)::models::/))"
            )
        );
        assert_eq!(
            std_run(&["counter::models::m", "queue::models::m"]),
            None,
            "nothing left: no second run"
        );
    }

    #[test]
    fn a_model_stopped_by_the_time_limit_skips_nothing() {
        let catalog = catalog();
        let built = [lock()];
        let mut found = outcomes(&[]);
        let stopped = Outcome {
            passed: false,
            timed_out: true,
            output: String::new(),
        };
        found
            .get_mut(&lock())
            .expect("lock")
            .insert("counter::models::m".into(), stopped);
        let all = |_: &TopicInfo, _: &ExerciseInfo| true;
        assert!(voided(&catalog, &tests(), &built, &all, &found).is_empty());
    }
}
