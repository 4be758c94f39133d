//! Known-buggy variants ("mutants"): `crates/<topic>/mutants/mutants.toml` lists them, and each
//! is a unified diff (`<name>.patch`) that puts one bug into an exercise's solution.
//!
//! Only the bug is stored, so a mutant cannot drift from its solution: when the solution
//! changes around the bug, [`materialize`] fails with an error naming the patch, the solution
//! and the command that rebuilds the patch. `threadwork dev mutant-check` writes each
//! materialized mutant to [`materialized_path`] and proves that its `caught_by` test fails.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::id::TopicId;
use crate::info::{Catalog, ExerciseInfo, SOLUTIONS_DIR, TopicInfo};

/// The folder of a topic's mutants, relative to the workspace root: `crates/<topic>/mutants`.
pub fn dir(root: &Path, topic: &TopicId) -> PathBuf {
    root.join("crates").join(topic).join("mutants")
}

/// The list inside each topic's mutants folder.
pub const MUTANTS_FILE: &str = "mutants.toml";

/// Where materialized mutants are written, relative to the workspace root.
pub const MATERIALIZED_DIR: &str = "target/threadwork-mutants";

/// One topic's `mutants.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutantList {
    #[serde(rename = "mutant", default)]
    pub mutants: Vec<Mutant>,
}

/// The folder of the reports the book quotes (see [`Mutant::book_path`]).
pub const BOOK_TIMELINES: &str = "docs/src/timelines";

/// One known-buggy variant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    /// The exercise whose solution the patch changes (and whose file the result replaces).
    pub exercise: String,
    /// The patch, relative to the mutants folder: `diff -u` from `solutions/<topic>/<file>`
    /// to the buggy file, with headers `--- a/solutions/<topic>/<file>` and `+++ b/...`.
    pub patch: String,
    /// The test that must fail.
    pub caught_by: String,
    /// Text the failure report must contain (what the learner would read).
    pub report_contains: String,
    /// Why a model's report may show fewer steps of the interleaving than the mutant check
    /// asks for (the bug happens in something the trace does not record, such as a
    /// thread-local's value).
    #[serde(default)]
    pub short_timeline_because: Option<String>,
    /// A chapter shows this variant's report: `dev mutant-check` keeps it in
    /// [`Mutant::book_path`] (which the chapter includes) and fails when the report no
    /// longer matches that file, so no chapter quotes stale steps or lines.
    #[serde(default)]
    pub in_book: bool,
}

/// Everything that can go wrong reading or applying mutants; each variant names the files.
#[derive(Debug, thiserror::Error)]
pub enum MutantError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid mutant list: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "crates/{topic}/mutants/{MUTANTS_FILE}: mutant {patch} names exercise `{exercise}`, \
         which topic `{topic}` does not have"
    )]
    UnknownExercise {
        topic: TopicId,
        patch: String,
        exercise: String,
    },
    #[error(
        "{patch} is not a usable patch of {solution}: {message}. Make it with `{rebuild}` \
         (buggy.rs: the solution with the bug)"
    )]
    Malformed {
        patch: PathBuf,
        solution: PathBuf,
        message: String,
        rebuild: String,
    },
    #[error(
        "{patch} no longer applies to {solution} ({message}): the solution changed. Rebuild \
         the patch: put the bug into the current solution (a copy named buggy.rs), then run \
         `{rebuild}`"
    )]
    DoesNotApply {
        patch: PathBuf,
        solution: PathBuf,
        message: String,
        rebuild: String,
    },
}

/// Reads `crates/<topic>/mutants/mutants.toml` (no file: no mutants) and checks that every
/// mutant names an exercise of the topic.
pub fn load(catalog: &Catalog, topic: &TopicInfo) -> Result<Vec<Mutant>, MutantError> {
    let path = dir(&catalog.root, &topic.topic).join(MUTANTS_FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let list: MutantList = toml::from_str(&read(&path)?).map_err(|e| MutantError::Parse {
        path,
        message: e.to_string(),
    })?;
    for m in &list.mutants {
        m.exercise_in(topic)?;
    }
    Ok(list.mutants)
}

impl Mutant {
    /// Where the book keeps this variant's report (when [`Mutant::in_book`]), relative to the
    /// course root: `docs/src/timelines/<topic>/<patch without .patch>.txt`.
    pub fn book_path(&self, topic: &TopicId) -> PathBuf {
        let stem = self.patch.strip_suffix(".patch").unwrap_or(&self.patch);
        Path::new(BOOK_TIMELINES)
            .join(topic)
            .join(format!("{stem}.txt"))
    }

    /// The exercise this mutant replaces (an error if the topic has no such exercise).
    pub fn exercise_in<'t>(&self, topic: &'t TopicInfo) -> Result<&'t ExerciseInfo, MutantError> {
        topic
            .exercises
            .iter()
            .find(|ex| ex.name == self.exercise.as_str())
            .ok_or_else(|| MutantError::UnknownExercise {
                topic: topic.topic.clone(),
                patch: self.patch.clone(),
                exercise: self.exercise.clone(),
            })
    }
}

/// The buggy file: the exercise's solution with the mutant's patch applied.
pub fn materialize(
    catalog: &Catalog,
    topic: &TopicInfo,
    mutant: &Mutant,
) -> Result<String, MutantError> {
    let ex = mutant.exercise_in(topic)?;
    let patch_path = dir(&catalog.root, &topic.topic).join(&mutant.patch);
    let solution_path = catalog.source_path(topic, ex, true);
    let names = Names::new(&catalog.root, &patch_path, &topic.topic, &ex.file);
    apply(&read(&solution_path)?, &read(&patch_path)?, &names)
}

fn read(path: &Path) -> Result<String, MutantError> {
    std::fs::read_to_string(path).map_err(|source| MutantError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Where `threadwork dev mutant-check` writes a materialized mutant of `ex`:
/// `target/threadwork-mutants/<topic>/<file>`, one stable path per exercise, so cargo's
/// fingerprints see an edit and the failure report names a file that still exists.
pub fn materialized_path(root: &Path, topic: &TopicInfo, ex: &ExerciseInfo) -> PathBuf {
    root.join(MATERIALIZED_DIR)
        .join(&topic.topic)
        .join(&ex.file)
}

/// The names an error message shows, relative to the workspace root.
struct Names {
    patch: PathBuf,
    /// `solutions/<topic>/<file>`, also the name inside the patch's headers.
    solution: String,
}

impl Names {
    fn new(root: &Path, patch: &Path, topic: &TopicId, file: &str) -> Self {
        Names {
            patch: patch.strip_prefix(root).unwrap_or(patch).to_path_buf(),
            solution: format!("{SOLUTIONS_DIR}/{topic}/{file}"),
        }
    }

    fn rebuild(&self) -> String {
        format!(
            "diff -u --label a/{sol} --label b/{sol} {sol} buggy.rs > {patch}",
            sol = self.solution,
            patch = self.patch.display()
        )
    }
}

/// Applies `patch_text` to `solution_text`; exact context only (hunks may move, not change).
fn apply(solution_text: &str, patch_text: &str, names: &Names) -> Result<String, MutantError> {
    let malformed = |message: String| MutantError::Malformed {
        patch: names.patch.clone(),
        solution: PathBuf::from(&names.solution),
        message,
        rebuild: names.rebuild(),
    };
    let patch = diffy::Patch::from_str(patch_text).map_err(|e| malformed(e.to_string()))?;
    let expected = (
        format!("a/{}", names.solution),
        format!("b/{}", names.solution),
    );
    if (patch.original(), patch.modified())
        != (Some(expected.0.as_str()), Some(expected.1.as_str()))
    {
        return Err(malformed(format!(
            "its headers must be `--- {}` and `+++ {}`, found `{}` and `{}`",
            expected.0,
            expected.1,
            patch.original().unwrap_or("(none)"),
            patch.modified().unwrap_or("(none)")
        )));
    }
    if patch.hunks().is_empty() {
        return Err(malformed("it changes nothing".into()));
    }
    diffy::apply(solution_text, &patch).map_err(|e| MutantError::DoesNotApply {
        patch: names.patch.clone(),
        solution: PathBuf::from(&names.solution),
        message: e.to_string(),
        rebuild: names.rebuild(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const SOLUTION: &str = "fn increment(&self) {\n    let mut value = self.value.lock().unwrap();\n    *value += 1;\n}\n";

    const PATCH: &str = "\
--- a/solutions/lock/01_counter.rs
+++ b/solutions/lock/01_counter.rs
@@ -1,4 +1,5 @@
 fn increment(&self) {
-    let mut value = self.value.lock().unwrap();
-    *value += 1;
+    // BUG: two critical sections
+    let read = *self.value.lock().unwrap();
+    *self.value.lock().unwrap() = read + 1;
 }
";

    fn names() -> Names {
        Names::new(
            Path::new("/w"),
            Path::new("/w/crates/lock/mutants/split.patch"),
            &TopicId::from_package("lock"),
            "01_counter.rs",
        )
    }

    #[test]
    fn a_patch_puts_its_bug_into_the_solution() {
        let buggy = apply(SOLUTION, PATCH, &names()).expect("applies");
        assert_eq!(
            buggy,
            "fn increment(&self) {\n    // BUG: two critical sections\n    let read = \
             *self.value.lock().unwrap();\n    *self.value.lock().unwrap() = read + 1;\n}\n"
        );
    }

    #[test]
    fn a_hunk_still_applies_when_lines_above_it_moved() {
        let moved = format!("//! a new doc line\n\n{SOLUTION}");
        let buggy = apply(&moved, PATCH, &names()).expect("applies at an offset");
        assert!(
            buggy.starts_with("//! a new doc line\n\nfn increment"),
            "{buggy}"
        );
        assert!(buggy.contains("// BUG: two critical sections"), "{buggy}");
    }

    #[test]
    fn a_patch_whose_context_changed_names_the_files_and_the_fix() {
        let changed = SOLUTION.replace("*value += 1;", "*value = value.wrapping_add(1);");
        let err = apply(&changed, PATCH, &names()).expect_err("the context changed");
        let text = err.to_string();
        assert!(matches!(err, MutantError::DoesNotApply { .. }), "{text}");
        for part in [
            "crates/lock/mutants/split.patch no longer applies to solutions/lock/01_counter.rs",
            "the solution changed",
            "diff -u --label a/solutions/lock/01_counter.rs --label b/solutions/lock/01_counter.rs \
             solutions/lock/01_counter.rs buggy.rs > crates/lock/mutants/split.patch",
        ] {
            assert!(text.contains(part), "`{part}` missing from: {text}");
        }
    }

    #[rstest]
    #[case::other_file(
        &PATCH.replace("01_counter.rs", "02_sql_lock.rs"),
        "headers must be `--- a/solutions/lock/01_counter.rs`"
    )]
    #[case::no_hunks(
        "--- a/solutions/lock/01_counter.rs\n+++ b/solutions/lock/01_counter.rs\n",
        "changes nothing"
    )]
    #[case::not_a_diff("fn main() {}\n", "not a usable patch")]
    fn unusable_patches_are_refused(#[case] patch: &str, #[case] expected: &str) {
        let err = apply(SOLUTION, patch, &names()).expect_err("refused");
        assert!(matches!(err, MutantError::Malformed { .. }), "{err}");
        assert!(err.to_string().contains(expected), "{err}");
    }

    #[test]
    fn unknown_keys_in_the_list_are_rejected_with_their_name() {
        let err = toml::from_str::<MutantList>(
            "[[mutant]]\nexercise='counter'\nfile='x.rs'\ncaught_by='t'\nreport_contains='r'\n",
        )
        .expect_err("`file` is no longer a key");
        assert!(err.to_string().contains("file"), "{err}");
    }

    fn course() -> Catalog {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Catalog::load(&root).expect("the course's catalogue loads")
    }

    #[test]
    fn a_mutant_of_an_unknown_exercise_is_named_with_its_list() {
        let catalog = course();
        let topic = catalog.topic("lock").expect("the lock topic");
        let m = Mutant {
            exercise: "countr".into(),
            patch: "typo.patch".into(),
            caught_by: "countr::x".into(),
            report_contains: String::new(),
            short_timeline_because: None,
            in_book: false,
        };
        let err = materialize(&catalog, topic, &m).expect_err("no such exercise");
        assert_eq!(
            err.to_string(),
            "crates/lock/mutants/mutants.toml: mutant typo.patch names exercise `countr`, \
             which topic `lock` does not have"
        );
    }

    /// The course's own mutants: every one names an exercise and applies to its solution.
    #[test]
    fn every_mutant_of_the_course_applies_to_its_solution() {
        let catalog = course();
        let mut count = 0;
        for topic in &catalog.topics {
            for m in load(&catalog, topic).expect("mutants.toml loads") {
                let buggy = materialize(&catalog, topic, &m).unwrap_or_else(|e| panic!("{e}"));
                let ex = m.exercise_in(topic).expect("checked by load");
                let solution = std::fs::read_to_string(catalog.source_path(topic, ex, true))
                    .expect("solution");
                assert_ne!(buggy, solution, "{} changes nothing", m.patch);
                count += 1;
            }
        }
        assert!(count > 0, "the course has mutants");
    }
}
