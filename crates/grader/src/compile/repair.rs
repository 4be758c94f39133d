//! The repair loop of a submission's build, apart from cargo: given a way to try a build, it
//! decides which of the student's files go back to their stubs, round by round, until every
//! topic builds. [`super::build`] plugs in the real build; the tests below plug in a fake.
//!
//! Per topic that fails a round:
//! - files rustc blames go back to their stubs ([`Repair::Blame`]);
//! - when rustc blames none of them, every file goes back and they are added again one at a
//!   time ([`Repair::OneByOne`]): the file whose addition breaks the build stays a stub;
//! - when a round runs out of time, a lone file is blamed for it, and several are tried one
//!   at a time like the above, so a correct file beside a hanging one keeps its grade. Each
//!   file that hangs costs a budget to find, so the search ends at the
//!   [`MAX_ROUNDS_OUT_OF_TIME`]th round out of time: the file being tried and those still
//!   waiting stay stubs. Once past that, a topic that does not build in time is broken (only
//!   what built before was left: not the student's doing).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use anyhow::Result;
use catalog::{ExerciseFile, TopicId};

use super::{Built, Files};

/// Rounds out of time one submission may cost: the first, and one for each of two hanging
/// files its search finds. This bounds how long one submission holds its build slot.
const MAX_ROUNDS_OUT_OF_TIME: u32 = 3;
/// Compile error text kept per exercise.
const MESSAGE_CAP: usize = 6000;

/// What one build of the test binaries of some topics came to.
#[derive(Debug, Default)]
pub(super) struct Attempt {
    pub built: BTreeSet<TopicId>,
    /// (topic, exercise-file) -> messages tied to it.
    pub tied: BTreeMap<ExerciseFile, Vec<String>>,
    /// topic -> messages tied to no exercise.
    pub loose: BTreeMap<TopicId, Vec<String>>,
    pub timed_out: bool,
}

/// How a topic that failed to build is being repaired.
enum Repair {
    /// Revert the files rustc blames.
    Blame,
    /// Everything back to stubs, then the student's files one at a time.
    OneByOne {
        waiting: VecDeque<String>,
        trying: Option<String>,
    },
}

/// Builds `topics` with `files` laid over the stubs, through `try_build(files, topics, wall)`,
/// reverting files as the module docs say. All rounds together get `budget` until one runs
/// out of it; the rounds after that get `budget` each, as a mere hang guard. At most
/// `max_rounds` rounds are tried.
pub(super) fn repair(
    files: Files,
    topics: &[TopicId],
    budget: Duration,
    max_rounds: usize,
    mut try_build: impl FnMut(&Files, &[TopicId], Duration) -> Result<Attempt>,
) -> Result<Built> {
    let deadline = Instant::now() + budget;
    let mut state = State {
        files,
        parked: Files::new(),
        built: Built::default(),
        repairs: BTreeMap::new(),
        timeouts: 0,
        budget,
    };
    let mut pending: Vec<TopicId> = topics.to_vec();
    for _ in 0..max_rounds {
        if pending.is_empty() {
            break;
        }
        let wall = if state.timeouts == 0 {
            // At least a second: a zero wall (or CPU limit) is no build at all.
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_secs(1))
        } else {
            budget
        };
        let result = try_build(&state.files, &pending, wall)?;
        let mut next = Vec::new();
        for topic in &pending {
            let again = if result.built.contains(topic) {
                state.on_built(topic)
            } else if result.timed_out {
                state.on_timeout(topic, &result)
            } else {
                state.on_failed(topic, &result)
            };
            if again {
                next.push(topic.clone());
            }
        }
        if result.timed_out {
            state.timeouts += 1;
            if state.timeouts == MAX_ROUNDS_OUT_OF_TIME {
                state.stop_searching(&next);
            }
        }
        pending = next;
    }
    let mut built = state.built;
    for topic in pending {
        built
            .broken
            .insert(topic, "the build kept failing after every repair".into());
    }
    built.topics.sort();
    built.topics.dedup();
    built.kept = state.files;
    Ok(built)
}

struct State {
    /// The student's files the next round builds with.
    files: Files,
    /// The student's files out of the build for now.
    parked: Files,
    built: Built,
    repairs: BTreeMap<TopicId, Repair>,
    /// Rounds that ran out of time so far.
    timeouts: u32,
    budget: Duration,
}

impl State {
    /// The student's files of `topic` in the build now.
    fn files_of(&self, topic: &TopicId) -> Vec<String> {
        self.files
            .keys()
            .filter(|ExerciseFile { topic: t, .. }| t == topic)
            .map(|ExerciseFile { file, .. }| file.clone())
            .collect()
    }

    /// Takes `topic`'s repair mode out (a topic starts with [`Repair::Blame`]); the caller
    /// puts the next one back with [`State::set`].
    fn take_mode(&mut self, topic: &TopicId) -> Repair {
        self.repairs.remove(topic).unwrap_or(Repair::Blame)
    }

    fn set(&mut self, topic: &TopicId, mode: Repair) {
        self.repairs.insert(topic.clone(), mode);
    }

    /// The next waiting file of `topic`, back in the build as the one being tried; `None`
    /// when no file waits.
    fn try_next(&mut self, topic: &TopicId, mut waiting: VecDeque<String>) -> Option<Repair> {
        let file = waiting.pop_front()?;
        self.unpark(ExerciseFile::new(topic.clone(), file.clone()));
        Some(Repair::OneByOne {
            waiting,
            trying: Some(file),
        })
    }

    /// `topic` built: done, or the next file to try. Whether it needs another round.
    fn on_built(&mut self, topic: &TopicId) -> bool {
        // The file just added builds: keep it, try the next.
        if let Repair::OneByOne { waiting, .. } = self.take_mode(topic)
            && let Some(next) = self.try_next(topic, waiting)
        {
            self.set(topic, next);
            return true;
        }
        self.built.topics.push(topic.clone());
        false
    }

    /// The round ran out of time before `topic` built.
    fn on_timeout(&mut self, topic: &TopicId, result: &Attempt) -> bool {
        if self.timeouts >= MAX_ROUNDS_OUT_OF_TIME {
            // Only what built before was left, and even that did not build in time.
            self.broken(topic, result);
            return false;
        }
        let first = self.timeouts == 0;
        let search_on = self.timeouts + 1 < MAX_ROUNDS_OUT_OF_TIME;
        let round = self.files_of(topic);
        let next = match self.take_mode(topic) {
            Repair::OneByOne { trying: None, .. } => {
                // What built before (the stubs and the files kept so far) did not build in
                // time.
                self.broken(topic, result);
                return false;
            }
            Repair::OneByOne {
                waiting,
                trying: Some(tried),
            } => {
                self.over_budget(topic, tried);
                if search_on {
                    // With no file left to try, the next round rebuilds what built before.
                    self.try_next(topic, waiting).unwrap_or(Repair::OneByOne {
                        waiting: VecDeque::new(),
                        trying: None,
                    })
                } else {
                    for file in waiting {
                        self.over_budget(topic, file);
                    }
                    Repair::Blame
                }
            }
            Repair::Blame if round.is_empty() => {
                self.broken(topic, result);
                return false;
            }
            Repair::Blame => {
                for file in &round {
                    self.over_budget(topic, file.clone());
                }
                if first && round.len() > 1 {
                    // Which file hangs is unknown: try them one at a time.
                    Repair::OneByOne {
                        waiting: round.into(),
                        trying: None,
                    }
                } else {
                    Repair::Blame
                }
            }
        };
        self.set(topic, next);
        true
    }

    /// `topic` failed to compile.
    fn on_failed(&mut self, topic: &TopicId, result: &Attempt) -> bool {
        let round = self.files_of(topic);
        let next = match self.take_mode(topic) {
            Repair::Blame => {
                let blamed: Vec<ExerciseFile> = round
                    .iter()
                    .map(|file| ExerciseFile::new(topic.clone(), file.clone()))
                    .filter(|key| result.tied.contains_key(key))
                    .collect();
                if round.is_empty() {
                    self.broken(topic, result);
                    return false;
                }
                if blamed.is_empty() {
                    // Nothing to blame: park every file, add them back one by one.
                    let message = loose_message(result, topic);
                    for file in &round {
                        self.revert(
                            ExerciseFile::new(topic.clone(), file.clone()),
                            message.clone(),
                        );
                    }
                    Repair::OneByOne {
                        waiting: round.into(),
                        trying: None,
                    }
                } else {
                    for key in blamed {
                        let message = result.tied[&key].join("\n");
                        self.revert(key, message);
                    }
                    Repair::Blame
                }
            }
            Repair::OneByOne { trying: None, .. } => {
                // Even what built before (the stubs and the files kept so far) does not.
                self.broken(topic, result);
                return false;
            }
            Repair::OneByOne {
                waiting,
                trying: Some(tried),
            } => {
                // The file just added breaks the topic: it stays a stub.
                let key = ExerciseFile::new(topic.clone(), tried);
                let message = result
                    .tied
                    .get(&key)
                    .map(|m| m.join("\n"))
                    .unwrap_or_else(|| loose_message(result, topic));
                self.revert(key, message);
                // With no file left to try: back to the last state that built.
                self.try_next(topic, waiting).unwrap_or(Repair::Blame)
            }
        };
        self.set(topic, next);
        true
    }

    /// Out of time once too often: the files of `topics` still waiting to be tried stay stubs, so
    /// the rounds left only build what built before.
    fn stop_searching(&mut self, topics: &[TopicId]) {
        for topic in topics {
            match self.take_mode(topic) {
                Repair::OneByOne { waiting, trying } => {
                    for file in trying.into_iter().chain(waiting) {
                        self.over_budget(topic, file);
                    }
                }
                Repair::Blame => {}
            }
        }
    }

    fn over_budget(&mut self, topic: &TopicId, file: String) {
        let message = over_budget_message(self.budget, &file);
        self.revert(ExerciseFile::new(topic.clone(), file), message);
    }

    fn broken(&mut self, topic: &TopicId, result: &Attempt) {
        self.built
            .broken
            .insert(topic.clone(), loose_message(result, topic));
    }

    /// Reverts one file to its stub, keeping the student's bytes in `parked`.
    fn revert(&mut self, key: ExerciseFile, message: String) {
        if let Some(bytes) = self.files.remove(&key) {
            self.parked.insert(key.clone(), bytes);
        }
        self.built.reverted.insert(key, cap(message));
    }

    /// Brings a parked file back into the build.
    fn unpark(&mut self, key: ExerciseFile) {
        if let Some(bytes) = self.parked.remove(&key) {
            self.files.insert(key.clone(), bytes);
        }
        self.built.reverted.remove(&key);
    }
}

pub(super) fn over_budget_message(limit: Duration, file: &str) -> String {
    format!(
        "compilation took longer than {} s (the limit per submission): {file} was graded as \
         its stub",
        limit.as_secs()
    )
}

fn loose_message(result: &Attempt, topic: &TopicId) -> String {
    let text = result
        .loose
        .get(topic)
        .map(|m| m.join("\n"))
        .unwrap_or_default();
    let head = if result.timed_out {
        "The topic did not build in time with this file"
    } else {
        "The topic did not build with this file"
    };
    format!("{head}:\n{text}")
}

fn cap(message: String) -> String {
    catalog::text::at_most_bytes(&message, MESSAGE_CAP, "[... more compiler output cut ...]")
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// A build that reads what each file says: `hang` makes its topic run out of time,
    /// `error` is a compile error rustc ties to the file, `loose` one it ties to nothing.
    /// Every round is recorded: the files it built with and the wall it was given.
    struct FakeCargo {
        rounds: RefCell<Vec<(Vec<String>, Duration)>>,
    }

    impl FakeCargo {
        fn new() -> Self {
            FakeCargo {
                rounds: RefCell::new(Vec::new()),
            }
        }

        fn attempt(&self, files: &Files, topics: &[TopicId], wall: Duration) -> Result<Attempt> {
            let mut result = Attempt::default();
            self.rounds
                .borrow_mut()
                .push((files.keys().map(ToString::to_string).collect(), wall));
            for topic in topics {
                let says = |what: &[u8]| {
                    files
                        .iter()
                        .filter(|(k, bytes)| &k.topic == topic && bytes.as_slice() == what)
                        .map(|(k, _)| k.clone())
                        .collect::<Vec<_>>()
                };
                if !says(b"hang").is_empty() {
                    result.timed_out = true;
                } else if !says(b"error").is_empty() {
                    for key in says(b"error") {
                        result.tied.insert(key, vec!["mismatched types".into()]);
                    }
                } else if !says(b"loose").is_empty() {
                    result
                        .loose
                        .insert(topic.clone(), vec!["linking failed".into()]);
                } else {
                    result.built.insert(topic.clone());
                }
            }
            Ok(result)
        }
    }

    const BUDGET: Duration = Duration::from_secs(300);

    fn submission(files: &[(&str, &str, &str)]) -> Files {
        files
            .iter()
            .map(|(topic, file, says)| {
                (
                    ExerciseFile::new(TopicId::from_package(topic), *file),
                    says.as_bytes().to_vec(),
                )
            })
            .collect()
    }

    fn run(files: Files, topics: &[&str]) -> (Built, FakeCargo) {
        let cargo = FakeCargo::new();
        let topics: Vec<TopicId> = topics.iter().map(|t| TopicId::from_package(t)).collect();
        let built = repair(files, &topics, BUDGET, 20, |f, t, w| cargo.attempt(f, t, w))
            .expect("the fake never fails");
        (built, cargo)
    }

    fn kept(built: &Built) -> Vec<String> {
        built.kept.keys().map(ToString::to_string).collect()
    }

    fn reverted(built: &Built) -> Vec<String> {
        built.reverted.keys().map(ToString::to_string).collect()
    }

    #[test]
    fn a_correct_submission_builds_in_one_round_with_every_file() {
        let files = submission(&[
            ("lock", "01_counter.rs", "ok"),
            ("pool", "01_pool.rs", "ok"),
        ]);
        let (built, cargo) = run(files, &["lock", "pool"]);
        assert_eq!(built.topics, ["lock", "pool"]);
        assert_eq!(kept(&built), ["lock/01_counter.rs", "pool/01_pool.rs"]);
        assert!(built.reverted.is_empty() && built.broken.is_empty());
        assert_eq!(cargo.rounds.borrow().len(), 1);
    }

    #[test]
    fn a_file_rustc_blames_goes_back_to_its_stub_and_the_others_stay() {
        let files = submission(&[
            ("lock", "01_counter.rs", "ok"),
            ("lock", "03_bank.rs", "error"),
        ]);
        let (built, cargo) = run(files, &["lock"]);
        assert_eq!(built.topics, ["lock"]);
        assert_eq!(kept(&built), ["lock/01_counter.rs"]);
        assert_eq!(reverted(&built), ["lock/03_bank.rs"]);
        assert_eq!(built.reverted.values().next().unwrap(), "mismatched types");
        assert_eq!(cargo.rounds.borrow().len(), 2);
    }

    #[test]
    fn an_error_tied_to_no_file_is_found_by_adding_the_files_one_at_a_time() {
        let files = submission(&[
            ("lock", "01_counter.rs", "ok"),
            ("lock", "02_sql_lock.rs", "loose"),
            ("lock", "03_bank.rs", "ok"),
        ]);
        let (built, cargo) = run(files, &["lock"]);
        assert_eq!(built.topics, ["lock"]);
        assert_eq!(kept(&built), ["lock/01_counter.rs", "lock/03_bank.rs"]);
        assert_eq!(reverted(&built), ["lock/02_sql_lock.rs"]);
        let message =
            &built.reverted[&ExerciseFile::new(TopicId::from_package("lock"), "02_sql_lock.rs")];
        assert!(message.contains("linking failed"), "{message}");
        // all, stubs, +01, +02 (fails), +03
        assert_eq!(cargo.rounds.borrow().len(), 5);
    }

    #[test]
    fn a_lone_file_that_hangs_is_blamed_for_the_time_it_took() {
        let files = submission(&[
            ("lock", "01_counter.rs", "hang"),
            ("pool", "01_pool.rs", "ok"),
        ]);
        let (built, cargo) = run(files, &["lock", "pool"]);
        assert_eq!(built.topics, ["lock", "pool"]);
        assert_eq!(kept(&built), ["pool/01_pool.rs"]);
        assert_eq!(
            built.reverted[&ExerciseFile::new(TopicId::from_package("lock"), "01_counter.rs")],
            over_budget_message(BUDGET, "01_counter.rs")
        );
        let rounds = cargo.rounds.borrow();
        assert_eq!(rounds.len(), 2);
        assert!(
            rounds[0].1 <= BUDGET,
            "the first round has what is left of the budget"
        );
        assert_eq!(
            rounds[1].1, BUDGET,
            "later rounds get it again as a hang guard"
        );
    }

    #[test]
    fn correct_files_beside_one_that_hangs_keep_their_grade() {
        let files = submission(&[
            ("lock", "01_counter.rs", "ok"),
            ("lock", "02_sql_lock.rs", "hang"),
            ("lock", "03_bank.rs", "ok"),
        ]);
        let (built, cargo) = run(files, &["lock"]);
        assert_eq!(built.topics, ["lock"]);
        assert_eq!(kept(&built), ["lock/01_counter.rs", "lock/03_bank.rs"]);
        assert_eq!(reverted(&built), ["lock/02_sql_lock.rs"]);
        let rounds = cargo.rounds.borrow();
        let timed_out = rounds
            .iter()
            .filter(|(files, _)| files.contains(&"lock/02_sql_lock.rs".to_string()))
            .count();
        assert_eq!(timed_out, 2, "the search costs one more budget, no more");
    }

    #[test]
    fn a_third_round_out_of_time_ends_the_search_and_the_files_still_waiting_stay_stubs() {
        let files = submission(&[
            ("lock", "01_counter.rs", "hang"),
            ("lock", "02_sql_lock.rs", "hang"),
            ("lock", "03_bank.rs", "ok"),
        ]);
        let (built, cargo) = run(files, &["lock"]);
        assert_eq!(built.topics, ["lock"]);
        assert!(built.kept.is_empty());
        assert_eq!(
            reverted(&built),
            [
                "lock/01_counter.rs",
                "lock/02_sql_lock.rs",
                "lock/03_bank.rs"
            ]
        );
        for message in built.reverted.values() {
            assert!(
                message.starts_with("compilation took longer than 300 s"),
                "{message}"
            );
        }
        let rounds = cargo.rounds.borrow();
        let hung = rounds
            .iter()
            .filter(|(files, _)| files.iter().any(|f| f != "lock/03_bank.rs"))
            .count();
        assert_eq!(
            hung, 3,
            "the first round, then one round per file that hangs"
        );
    }

    #[test]
    fn a_topic_that_fails_with_only_its_stubs_is_broken_not_the_students_fault() {
        // `loose` in a file the student did not hand in: the fake's stubs themselves fail.
        let cargo = FakeCargo::new();
        let topics = vec![TopicId::from_package("lock")];
        let built = repair(Files::new(), &topics, BUDGET, 20, |f, t, w| {
            let mut result = cargo.attempt(f, t, w)?;
            result.built.clear();
            result.loose.insert(
                TopicId::from_package("lock"),
                vec!["linker not found".into()],
            );
            Ok(result)
        })
        .unwrap();
        assert!(built.topics.is_empty());
        assert!(built.broken[&TopicId::from_package("lock")].contains("linker not found"));
    }
}
