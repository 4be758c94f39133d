//! The exercise metadata: one `exercises/<topic>/info.toml` per topic.
//!
//! Tests belong to an exercise by name: the tests of exercise `counter` are the tests named
//! `counter::...` in the topic's test binary, so no table maps tests to exercises.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::id::{ExerciseId, TopicId};

/// Where the learner's stubs live, relative to the workspace root.
pub const EXERCISES_DIR: &str = "exercises";
/// Where the reference solutions live, relative to the workspace root.
pub const SOLUTIONS_DIR: &str = "solutions";
/// The facade modules a topic may add with `extra_facade`.
pub const EXTRA_FACADE: &[&str] = &["futures", "process"];
/// The metadata file inside each `exercises/<topic>/` folder.
pub const INFO_FILE: &str = "info.toml";

/// The submodule of each exercise's test module that holds its loom models
/// (crates/<topic>/tests/<topic>/<exercise>.rs, `mod models`).
pub const MODELS_MODULE: &str = "models";

/// Everything that can go wrong reading the catalogue; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid exercise metadata: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// One topic's `info.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicInfo {
    /// The package name, which is also the folder name (`lock`, `thread-local`, ...).
    pub topic: TopicId,
    /// Position in the course: spawn 1, daemon 2, join 3, thread-local 4, lock 5, pool 6,
    /// as_completed 7.
    pub order: u32,
    /// A one-line title for listings.
    pub title: String,
    /// Facade modules beyond `sync`, `thread`, `cell` and `hint` that this topic's exercises
    /// use (as_completed: the shared `futures`, so it does not depend on the learner's pool).
    #[serde(default)]
    pub extra_facade: Vec<String>,
    /// The exercises, in the order a learner should do them.
    #[serde(rename = "exercise")]
    pub exercises: Vec<ExerciseInfo>,
}

/// One exercise: a stub in `exercises/<topic>/<file>` and its solution of the same name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseInfo {
    /// A Rust identifier, unique in the course: the module name and the test prefix.
    pub name: ExerciseId,
    /// The file name, `NN_name.rs`, the same under `exercises/` and `solutions/`.
    pub file: String,
    /// Points for the grader, split over the exercise's tests.
    pub points: u32,
    /// Whether the file is also compiled against loom and model-checked. `false` only for
    /// exercises that need what loom lacks (scoped threads, sleep, timeouts, signals, I/O).
    #[serde(default)]
    pub loom: bool,
    /// Why an exercise is std-only; required when `loom = false`.
    #[serde(default)]
    pub std_only_because: Option<String>,
    /// One line: what the learner builds.
    pub summary: String,
    /// Progressive hints, from a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// Earlier exercises of the topic whose code (the learner's own) this one calls. When
    /// loom proves a race in one of them, this exercise's std tests may pass or fail by how
    /// the threads are scheduled, so the grader does not count their passes either.
    #[serde(default)]
    pub builds_on: Vec<ExerciseId>,
}

/// An exercise's file in a topic (`lock`, `01_counter.rs`): the key of everything the grader
/// keeps per submitted file. Ordered by topic, then file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExerciseFile {
    pub topic: TopicId,
    pub file: String,
}

impl ExerciseFile {
    pub fn new(topic: TopicId, file: impl Into<String>) -> Self {
        ExerciseFile {
            topic,
            file: file.into(),
        }
    }

    /// The key of `ex`'s file in `topic`.
    pub fn of(topic: &TopicInfo, ex: &ExerciseInfo) -> Self {
        Self::new(topic.topic.clone(), &ex.file)
    }
}

/// `lock/01_counter.rs`, as under `exercises/`.
impl std::fmt::Display for ExerciseFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.topic, self.file)
    }
}

/// The one rule for which tests are an exercise's: its test module is named after it
/// (`counter::...`), and its loom models are in that module's [`MODELS_MODULE`].
impl ExerciseInfo {
    /// libtest's filter of the exercise's tests: `counter::`.
    pub fn test_filter(&self) -> String {
        format!("{}::", self.name)
    }

    /// libtest's filter of the exercise's loom models: `counter::models::`.
    pub fn models_filter(&self) -> String {
        format!("{}::{MODELS_MODULE}::", self.name)
    }

    /// Whether the test at `test_path` (`counter::loom::x`) is one of the exercise's.
    pub fn owns_test(&self, test_path: &str) -> bool {
        test_path
            .strip_prefix(self.name.as_str())
            .is_some_and(|rest| rest.starts_with("::"))
    }
}

impl TopicInfo {
    /// Reads and validates `exercises/<topic>/info.toml` under `root`.
    pub fn load(root: &Path, topic: &str) -> Result<Self, CatalogError> {
        let path = root.join(EXERCISES_DIR).join(topic).join(INFO_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| CatalogError::Io {
            path: path.clone(),
            source,
        })?;
        let info: TopicInfo = toml::from_str(&text).map_err(|e| CatalogError::Parse {
            path: path.clone(),
            message: e.to_string(),
        })?;
        info.validate(&path)?;
        Ok(info)
    }

    fn validate(&self, path: &Path) -> Result<(), CatalogError> {
        let invalid = |message: String| CatalogError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if self.topic != folder {
            return Err(invalid(format!(
                "`topic = \"{}\"` must match its folder name `{folder}`",
                self.topic
            )));
        }
        if let Some(extra) = self
            .extra_facade
            .iter()
            .find(|m| !EXTRA_FACADE.contains(&m.as_str()))
        {
            return Err(invalid(format!(
                "`extra_facade` names `{extra}`; the facade's extra modules are {EXTRA_FACADE:?}"
            )));
        }
        if self.exercises.is_empty() {
            return Err(invalid("add at least one [[exercise]] table".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for ex in &self.exercises {
            if !ex.name.is_well_formed() {
                return Err(invalid(format!(
                    "exercise name `{}` must be a snake_case Rust identifier",
                    ex.name
                )));
            }
            if !ex.file.ends_with(&format!("_{}.rs", ex.name)) || ex.file.contains('/') {
                return Err(invalid(format!(
                    "exercise `{}` has file `{}`; name it `NN_{}.rs` (no folders)",
                    ex.name, ex.file, ex.name
                )));
            }
            if ex.hints.is_empty() {
                return Err(invalid(format!(
                    "exercise `{}` needs at least one hint",
                    ex.name
                )));
            }
            if let Some(dep) = ex.builds_on.iter().find(|d| !seen.contains(d)) {
                return Err(invalid(format!(
                    "exercise `{}` builds on `{dep}`, which is not an earlier exercise of \
                     this topic; list only exercises above it",
                    ex.name
                )));
            }
            if !seen.insert(&ex.name) {
                return Err(invalid(format!("exercise `{}` is listed twice", ex.name)));
            }
            if !ex.loom && ex.std_only_because.is_none() {
                return Err(invalid(format!(
                    "exercise `{}` has `loom = false`: say why in `std_only_because`",
                    ex.name
                )));
            }
        }
        Ok(())
    }

    /// The exercise a test belongs to, from the test's path (`counter::loom::x` -> `counter`).
    pub fn exercise_of_test(&self, test_path: &str) -> Option<&ExerciseInfo> {
        self.exercises.iter().find(|e| e.owns_test(test_path))
    }

    /// Whether a test is a loom model, from course metadata alone: the exercise is
    /// loom-checked (`loom = true`) and the test lives in its test module's
    /// [`MODELS_MODULE`] (`counter::models::x`), where `support::loom_test!` models are kept.
    /// Never decided from what a test printed: student code controls that.
    pub fn is_model_test(&self, test_path: &str) -> bool {
        self.exercise_of_test(test_path)
            .is_some_and(|e| e.loom && test_path.starts_with(&e.models_filter()))
    }
}

/// Every topic of the course found under a workspace root, in course order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub root: PathBuf,
    pub topics: Vec<TopicInfo>,
}

impl Catalog {
    /// Loads every `exercises/*/info.toml`; a broken one is an error naming its file.
    pub fn load(root: &Path) -> Result<Self, CatalogError> {
        let dir = root.join(EXERCISES_DIR);
        let entries = std::fs::read_dir(&dir).map_err(|source| CatalogError::Io {
            path: dir.clone(),
            source,
        })?;
        let mut topics = Vec::new();
        for entry in entries.flatten() {
            let has_info = entry.path().join(INFO_FILE).is_file();
            if let (true, Some(name)) = (has_info, entry.file_name().to_str()) {
                topics.push(TopicInfo::load(root, name)?);
            }
        }
        topics.sort_by_key(|t| t.order);
        let mut names = std::collections::HashMap::new();
        for t in &topics {
            for e in &t.exercises {
                if let Some(other) = names.insert(e.name.clone(), t.topic.clone()) {
                    return Err(CatalogError::Invalid {
                        path: dir.join(&t.topic).join(INFO_FILE),
                        message: format!(
                            "exercise `{}` also exists in topic `{other}`; names are unique \
                             so `threadwork hint {}` is unambiguous",
                            e.name, e.name
                        ),
                    });
                }
            }
        }
        Ok(Catalog {
            root: root.to_path_buf(),
            topics,
        })
    }

    pub fn topic(&self, name: &str) -> Option<&TopicInfo> {
        self.topics.iter().find(|t| t.topic == name)
    }

    /// Finds an exercise by name anywhere in the course.
    pub fn exercise(&self, name: &str) -> Option<(&TopicInfo, &ExerciseInfo)> {
        self.topics
            .iter()
            .flat_map(|t| t.exercises.iter().map(move |e| (t, e)))
            .find(|(_, e)| e.name == name)
    }

    /// `exercises/<topic>/<file>` or `solutions/<topic>/<file>` under the root.
    pub fn source_path(&self, topic: &TopicInfo, ex: &ExerciseInfo, solution: bool) -> PathBuf {
        source_path(&self.root, &topic.topic, &ex.file, solution)
    }
}

/// The path of one exercise file, stub or solution.
pub fn source_path(root: &Path, topic: &TopicId, file: &str, solution: bool) -> PathBuf {
    let dir = if solution {
        SOLUTIONS_DIR
    } else {
        EXERCISES_DIR
    };
    root.join(dir).join(topic).join(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("counter::models::no_lost_update", true)]
    #[case("counter::counts_to_n", true)]
    #[case("counter_twice::counts", false)]
    #[case("bank::counter::x", false)]
    #[case("counter", false)]
    fn an_exercise_owns_the_tests_of_its_module(#[case] test: &str, #[case] owned: bool) {
        let ex: ExerciseInfo = toml::from_str(
            "name = 'counter'\nfile = '01_counter.rs'\npoints = 1\nsummary = 's'\nhints = []",
        )
        .unwrap();
        assert_eq!(ex.owns_test(test), owned, "{test}");
        assert_eq!(ex.models_filter(), "counter::models::");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let err = toml::from_str::<TopicInfo>(
            "topic='lock'\norder=5\ntitle='t'\ncolour='red'\n[[exercise]]\nname='a'\n\
             file='01_a.rs'\npoints=1\nsummary='s'\nhints=['h']\n",
        )
        .expect_err("unknown key must be rejected");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    /// The exercises a file imports (`use super::<exercise>::...`).
    fn imported_exercises(path: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(path).expect("exercise file");
        let file = syn::parse_file(&text).expect("exercise file parses");
        file.items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Use(syn::ItemUse {
                    tree: syn::UseTree::Path(p),
                    ..
                }) if p.ident == "super" => match &*p.tree {
                    syn::UseTree::Path(inner) => Some(inner.ident.to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    #[test]
    fn builds_on_lists_every_exercise_a_stub_or_solution_imports() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let catalog = Catalog::load(&root).expect("the course's catalogue");
        for topic in &catalog.topics {
            for ex in &topic.exercises {
                for solution in [false, true] {
                    let path = catalog.source_path(topic, ex, solution);
                    for dep in imported_exercises(&path) {
                        assert!(
                            ex.builds_on.iter().any(|d| *d == *dep),
                            "{} imports super::{dep}: add \"{dep}\" to `builds_on` of `{}` in \
                             exercises/{}/info.toml, so the grader knows a race there can \
                             decide this exercise's tests",
                            path.display(),
                            ex.name,
                            topic.topic
                        );
                    }
                }
            }
        }
    }

    /// Every `loom_test!` in `items`, with the inline modules it sits in.
    fn loom_tests_in(items: &[syn::Item], modules: &mut Vec<String>, found: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Macro(m)
                    if m.mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "loom_test") =>
                {
                    found.push(modules.join("::"));
                }
                syn::Item::Mod(syn::ItemMod {
                    ident,
                    content: Some((_, inner)),
                    ..
                }) => {
                    modules.push(ident.to_string());
                    loom_tests_in(inner, modules, found);
                    modules.pop();
                }
                _ => {}
            }
        }
    }

    /// The grader tells models from std tests by [`TopicInfo::is_model_test`]; this keeps
    /// the course's test files to that rule.
    #[test]
    fn every_loom_model_lives_in_the_models_module_of_a_loom_exercise() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let catalog = Catalog::load(&root).expect("the course's catalogue");
        let mut checked = 0;
        for topic in &catalog.topics {
            for ex in &topic.exercises {
                let path = root.join(format!(
                    "crates/{t}/tests/{t}/{e}.rs",
                    t = topic.topic,
                    e = ex.name
                ));
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let file = syn::parse_file(&text).expect("test file parses");
                let mut found = Vec::new();
                loom_tests_in(&file.items, &mut Vec::new(), &mut found);
                for modules in &found {
                    assert_eq!(
                        modules,
                        MODELS_MODULE,
                        "{}: a loom_test! outside `mod {MODELS_MODULE}` is scored as a std test",
                        path.display()
                    );
                    let test = format!("{}::{MODELS_MODULE}::x", ex.name);
                    assert!(
                        topic.is_model_test(&test),
                        "{}: models of `{}`, which has `loom = false`",
                        path.display(),
                        ex.name
                    );
                }
                checked += found.len();
            }
        }
        assert!(checked > 30, "found only {checked} loom models");
    }

    #[rstest::rstest]
    #[case::an_earlier_exercise("a", true)]
    #[case::itself("b", false)]
    #[case::a_later_exercise("c", false)]
    #[case::no_such_exercise("zz", false)]
    fn an_exercise_builds_only_on_earlier_ones(#[case] dep: &str, #[case] ok: bool) {
        let exercise = |name: &str, n: u32, extra: &str| {
            format!(
                "[[exercise]]\nname='{name}'\nfile='0{n}_{name}.rs'\npoints=1\nloom=true\n\
                 summary='s'\nhints=['h']\n{extra}\n"
            )
        };
        let text = format!(
            "topic='pool'\norder=6\ntitle='t'\n{}{}{}",
            exercise("a", 1, ""),
            exercise("b", 2, &format!("builds_on=['{dep}']")),
            exercise("c", 3, "")
        );
        let info: TopicInfo = toml::from_str(&text).expect("parses");
        let checked = info.validate(Path::new("exercises/pool/info.toml"));
        assert_eq!(checked.is_ok(), ok, "{checked:?}");
        if let Err(e) = checked {
            assert!(e.to_string().contains("exercises/pool/info.toml"), "{e}");
        }
    }
}
