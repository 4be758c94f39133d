//! The learner's state: the only module that knows progress.
//!
//! One small TOML file at the workspace root, `.threadwork-state.toml` (git-ignored):
//! how many hints of each exercise were shown, and each exercise's last check. A recorded
//! check counts only while it is *fresh*: the fingerprints (SHA-256, first 16 hex digits)
//! of the exercise file and of its tests (`crates/<topic>/tests/<topic>/<name>.rs`) still
//! match the ones recorded. Edit the file, or pull new tests, and the exercise shows as
//! edited until it is checked again. A missing file starts empty; an unreadable one is set
//! aside (as `.threadwork-state.toml.orig`, never over an earlier one) and rebuilt: never
//! fatal. One that cannot be set aside is left as it is, and nothing is recorded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use catalog::{Catalog, ExerciseId, ExerciseInfo, TopicInfo};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use catalog::stubs::Stubs;

/// The state file's name, at the workspace root.
pub const STATE_FILE: &str = ".threadwork-state.toml";
/// Where an unreadable state file is moved before a fresh one is written (`*.orig` is
/// git-ignored); a second one goes to `.threadwork-state.2.toml.orig`, and so on, so an
/// earlier one is never overwritten.
const SET_ASIDE: (&str, &str) = (".threadwork-state", ".toml.orig");
const VERSION: u32 = 1;
const HEADER: &str = "\
# threadwork's record of your progress: hints shown and each exercise's last check.
# A check counts while the fingerprints of the exercise file and its tests still match.
# Safe to delete: threadwork starts a new one (hint counts restart, checks are re-run).
";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u32,
    #[serde(default, rename = "exercise")]
    exercises: BTreeMap<ExerciseId, ExerciseRecord>,
}

/// What is remembered about one exercise.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseRecord {
    /// How many of the exercise's hints `hint` has shown.
    #[serde(default)]
    pub hints_shown: usize,
    /// The last check of this exercise, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<LastCheck>,
}

/// One recorded check.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastCheck {
    pub solved: bool,
    pub passed: usize,
    pub failed: usize,
    /// Seconds since 1970 (UTC).
    pub checked_at: u64,
    /// Fingerprint of the exercise file that was checked.
    pub file: String,
    /// Fingerprint of the exercise's tests when it was checked.
    pub tests: String,
}

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every test passed on the file as it is now (loom models included).
    Solved,
    /// Checked as it is now, and some test failed (or it did not compile).
    Failing,
    /// The original stub, as the course shipped it.
    Untouched,
    /// Changed since its last check, or never checked since it was edited.
    Edited,
    /// No original to compare with (no git) and never checked.
    Unknown,
    /// The exercise file is gone (`threadwork reset` restores it).
    Missing,
}

impl Status {
    /// A fixed-width label for listings.
    pub fn label(self) -> &'static str {
        match self {
            Status::Solved => "✓ solved   ",
            Status::Failing => "✗ failing  ",
            Status::Untouched => "· untouched",
            Status::Edited => "~ edited   ",
            Status::Unknown => "? unknown  ",
            Status::Missing => "! missing  ",
        }
    }
}

/// The state file, loaded.
pub struct State {
    path: PathBuf,
    file: StateFile,
    /// The file on disk could not be read nor set aside: it is never written over.
    keep_as_is: bool,
}

impl State {
    /// Loads the state file under `root`; never fails (see the module docs). An unreadable
    /// file is set aside, said once on stderr, and replaced by a fresh one.
    pub fn load(root: &Path) -> State {
        let path = root.join(STATE_FILE);
        let unreadable = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(e.to_string()),
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Err(e) => Some(format!("not UTF-8 text: {e}")),
                Ok(text) => {
                    match toml::from_str::<StateFile>(text.trim_start_matches('\u{feff}')) {
                        Ok(file) if file.version == VERSION => {
                            return State {
                                path,
                                file,
                                keep_as_is: false,
                            };
                        }
                        Ok(file) => Some(format!("unknown version {}", file.version)),
                        Err(e) => Some(e.message().to_string()),
                    }
                }
            },
        };
        let mut state = State {
            path,
            file: new_file(),
            keep_as_is: false,
        };
        if let Some(why) = unreadable {
            let (notice, moved) = set_aside(root, &state.path, &why);
            eprintln!("{notice}");
            state.keep_as_is = !moved;
            state.save();
        }
        state
    }

    pub fn record(&self, exercise: &ExerciseId) -> ExerciseRecord {
        self.file
            .exercises
            .get(exercise)
            .cloned()
            .unwrap_or_default()
    }

    pub fn hints_shown(&self, exercise: &ExerciseId) -> usize {
        self.record(exercise).hints_shown
    }

    pub fn set_hints_shown(&mut self, exercise: &ExerciseId, shown: usize) {
        self.entry(exercise).hints_shown = shown;
    }

    /// Records a check of `ex` whose files had `fingerprints` *before* the tests were built:
    /// a save during the run then makes the record stale, never wrongly fresh.
    pub fn record_check(
        &mut self,
        ex: &ExerciseInfo,
        fingerprints: &Fingerprints,
        passed: usize,
        failed: usize,
        solved: bool,
    ) {
        let checked_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.entry(&ex.name).last_check = Some(LastCheck {
            solved,
            passed,
            failed,
            checked_at,
            file: fingerprints.file.clone().unwrap_or_default(),
            tests: fingerprints.tests.clone(),
        });
    }

    /// Forgets the last check of `exercise` (after `reset`).
    pub fn forget_check(&mut self, exercise: &ExerciseId) {
        self.entry(exercise).last_check = None;
    }

    fn entry(&mut self, exercise: &ExerciseId) -> &mut ExerciseRecord {
        self.file.exercises.entry(exercise.clone()).or_default()
    }

    /// Writes the state file (through a temporary file and a rename, so a crash never
    /// leaves half a file). A failure is reported, not fatal: only the record is lost.
    pub fn save(&self) {
        if self.keep_as_is {
            return;
        }
        let text = match toml::to_string(&self.file) {
            Ok(body) => format!("{HEADER}{body}"),
            Err(e) => return eprintln!("threadwork: cannot encode the state file: {e}"),
        };
        let tmp = self.path.with_extension("toml.tmp");
        let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            eprintln!(
                "threadwork: cannot write {} ({e}); hints shown and check results are not \
                 remembered",
                self.path.display()
            );
        }
    }

    /// Where `ex` stands now: the original stub, else a fresh recorded check, else edited.
    fn status(&self, root: &Path, stubs: &Stubs, topic: &TopicInfo, ex: &ExerciseInfo) -> Status {
        let now = Fingerprints::now(root, topic, ex);
        let Some(file) = now.file else {
            return Status::Missing;
        };
        let original = stubs.is_original(&relative_path(topic, ex));
        if original == Some(true) {
            return Status::Untouched;
        }
        match self.record(&ex.name).last_check {
            Some(check) if check.file == file && check.tests == now.tests => {
                if check.solved {
                    Status::Solved
                } else {
                    Status::Failing
                }
            }
            Some(_) => Status::Edited,
            None if original.is_none() => Status::Unknown,
            None => Status::Edited,
        }
    }

    /// Where every exercise of the course stands, in course order.
    pub fn progress<'a>(&self, catalog: &'a Catalog) -> Progress<'a> {
        let stubs = Stubs::load(&catalog.root, &all_exercise_paths(catalog));
        let entries = catalog
            .topics
            .iter()
            .flat_map(|t| t.exercises.iter().map(move |e| (t, e)))
            .map(|(topic, ex)| Entry {
                topic,
                ex,
                status: self.status(&catalog.root, &stubs, topic, ex),
            })
            .collect();
        Progress { entries, stubs }
    }
}

/// One exercise and where it stands.
pub struct Entry<'a> {
    pub topic: &'a TopicInfo,
    pub ex: &'a ExerciseInfo,
    pub status: Status,
}

/// Where the whole course stands.
pub struct Progress<'a> {
    pub entries: Vec<Entry<'a>>,
    pub stubs: Stubs,
}

impl<'a> Progress<'a> {
    /// The current exercise: the first one, in course order, that is not solved.
    pub fn current(&self) -> Option<&Entry<'a>> {
        self.entries.iter().find(|e| e.status != Status::Solved)
    }

    /// What a screen calls the next exercise, the one rule for `list` and `watch`: the one
    /// `followed` (watch's) while it is unsolved, else the first unsolved one after it;
    /// with nothing followed, the current exercise.
    pub fn next_for(&self, followed: Option<&ExerciseId>) -> Option<&Entry<'a>> {
        match followed.and_then(|name| self.get(name)) {
            Some(e) if e.status != Status::Solved => Some(e),
            Some(e) => self.next_after(&e.ex.name),
            None => self.current(),
        }
    }

    /// The first unsolved exercise after `name` in course order, wrapping around; `None`
    /// when every other exercise is solved.
    pub fn next_after(&self, name: &ExerciseId) -> Option<&Entry<'a>> {
        let at = self.entries.iter().position(|e| e.ex.name == *name)?;
        let n = self.entries.len();
        (1..n)
            .map(|i| &self.entries[(at + i) % n])
            .find(|e| e.status != Status::Solved)
    }

    pub fn get(&self, name: &ExerciseId) -> Option<&Entry<'a>> {
        self.entries.iter().find(|e| e.ex.name == *name)
    }

    /// (solved, total) over `entries` that `keep` selects.
    pub fn count(&self, keep: impl Fn(&Entry<'a>) -> bool) -> Tally {
        let mut tally = Tally::default();
        for e in self.entries.iter().filter(|e| keep(e)) {
            tally.exercises += 1;
            tally.points += e.ex.points;
            if e.status == Status::Solved {
                tally.solved += 1;
                tally.solved_points += e.ex.points;
            }
        }
        tally
    }

    /// Why some exercises show as unknown, once, if any do.
    pub fn unknown_note(&self) -> Option<String> {
        let unknown: Vec<&Entry<'a>> = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Unknown)
            .collect();
        let first = unknown.first()?;
        Some(format!(
            "? {} exercise(s) cannot be told apart from their original stub: {}. They show as \
             unknown until `{}` records their state.",
            unknown.len(),
            self.stubs
                .unknown_because(&relative_path(first.topic, first.ex)),
            super::command("check <topic>")
        ))
    }
}

/// Counts for a progress bar.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub solved: usize,
    pub exercises: usize,
    pub solved_points: u32,
    pub points: u32,
}

fn new_file() -> StateFile {
    StateFile {
        version: VERSION,
        exercises: BTreeMap::new(),
    }
}

/// Moves an unreadable state file out of the way, to a name no earlier one has: the notice
/// to show, and whether it was moved (if not, it must not be written over).
fn set_aside(root: &Path, path: &Path, why: &str) -> (String, bool) {
    let (stem, extension) = SET_ASIDE;
    let free = (1..1000)
        .map(|n| match n {
            1 => format!("{stem}{extension}"),
            n => format!("{stem}.{n}{extension}"),
        })
        .find(|name| !root.join(name).exists());
    let moved = free
        .as_ref()
        .map(|name| std::fs::rename(path, root.join(name)).map(|()| name.clone()));
    let why = why.trim();
    match moved {
        Some(Ok(name)) => (
            format!(
                "threadwork: {STATE_FILE} could not be read ({why}); it was kept as {name} and \
                 a new one is started: hint counts restart and exercises show as edited until \
                 checked again. To go back to it, fix {name} and rename it to {STATE_FILE}."
            ),
            true,
        ),
        Some(Err(e)) => (cannot_set_aside(why, &e.to_string()), false),
        None => (cannot_set_aside(why, "too many earlier copies"), false),
    }
}

fn cannot_set_aside(why: &str, error: &str) -> String {
    format!(
        "threadwork: {STATE_FILE} could not be read ({why}) nor moved aside ({error}); it is \
         left as it is, and this run records nothing (no hints counted, no checks). Fix it or \
         delete it to start a new one."
    )
}

/// `exercises/<topic>/<file>`, relative to the root, with `/` separators (git's form).
pub fn relative_path(topic: &TopicInfo, ex: &ExerciseInfo) -> String {
    format!(
        "{}/{}/{}",
        catalog::info::EXERCISES_DIR,
        topic.topic,
        ex.file
    )
}

/// Every exercise file of the course, relative to the root.
pub fn all_exercise_paths(catalog: &Catalog) -> Vec<String> {
    catalog
        .topics
        .iter()
        .flat_map(|t| t.exercises.iter().map(move |e| relative_path(t, e)))
        .collect()
}

/// The file holding the tests of `ex` (by the course's convention).
pub fn tests_path(root: &Path, topic: &TopicInfo, ex: &ExerciseInfo) -> PathBuf {
    root.join("crates")
        .join(&topic.topic)
        .join("tests")
        .join(&topic.topic)
        .join(format!("{}.rs", ex.name))
}

/// What a recorded check is valid for: the exercise file and its tests, as they were.
pub struct Fingerprints {
    /// `None` when the exercise file does not exist.
    file: Option<String>,
    tests: String,
}

impl Fingerprints {
    pub fn now(root: &Path, topic: &TopicInfo, ex: &ExerciseInfo) -> Fingerprints {
        let file = std::fs::read(root.join(relative_path(topic, ex)))
            .ok()
            .map(|bytes| fingerprint(&bytes));
        let tests = std::fs::read(tests_path(root, topic, ex)).unwrap_or_default();
        Fingerprints {
            file,
            tests: fingerprint(&tests),
        }
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes`: stable across Rust releases, short
/// enough for a small file, long enough that two versions never collide in practice.
fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_short() {
        // SHA-256("abc") starts with ba7816bf8f01cfea.
        assert_eq!(fingerprint(b"abc"), "ba7816bf8f01cfea");
    }
}
