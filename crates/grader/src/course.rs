//! The pristine course a submission is graded in: the instructor's workspace without
//! `solutions/` (and without anything else a build does not need), copied once into a
//! template, then once per submission with the student's exercise files laid over it.
//!
//! File times: the template keeps the instructor's modification times, so cargo sees the
//! course's own crates (support, catalog) as unchanged and never rebuilds them; every
//! exercise file of a topic being built gets a fresh time, so cargo always rebuilds that
//! topic from *this* submission's files, never from the previous submission's.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use catalog::{Catalog, ExerciseFile, ExerciseInfo, TopicId, TopicInfo, info};

use catalog::stubs::Stubs;

/// Top-level entries of the instructor's tree that a graded copy contains.
const KEEP_TOP: &[&str] = &["Cargo.toml", "Cargo.lock", ".cargo", "crates", "exercises"];

/// Whether a path (relative to the root, `/`-separated) is left out of a graded copy.
fn left_out(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let top = parts[0];
    if !KEEP_TOP.contains(&top) {
        return true;
    }
    // crates/<x>/target, crates/<topic>/mutants (solutions with one bug each),
    // crates/threadwork/tests (the grader's corpus).
    matches!(
        parts.as_slice(),
        ["crates", _, "target", ..] | ["crates", _, "mutants", ..]
    ) || matches!(parts.as_slice(), ["crates", "threadwork", "tests", ..])
        || parts.iter().any(|p| *p == ".git" || *p == "target")
}

/// An exercise's stub as the course's authors committed it (the learner CLI's rule, see
/// `learner::stub`): the instructor (or a developer) may have solved exercises in the tree,
/// and a student who hands an exercise in untouched or not at all is graded on the stub,
/// never on that work. Outside a git checkout (a downloaded archive) the working file is
/// all there is.
pub fn stub_bytes(
    catalog: &Catalog,
    stubs: &Stubs,
    topic: &TopicInfo,
    ex: &ExerciseInfo,
) -> Result<Vec<u8>> {
    let rel = format!("{}/{}/{}", info::EXERCISES_DIR, topic.topic, ex.file);
    if let Ok(bytes) = stubs.original(&catalog.root, &rel) {
        return Ok(bytes);
    }
    let path = catalog.source_path(topic, ex, false);
    fs::read(&path).with_context(|| format!("cannot read the stub {}", path.display()))
}

/// The template and what every exercise's stub looks like.
pub struct Template {
    pub dir: PathBuf,
    /// (topic, file) -> stub bytes.
    pub stubs: BTreeMap<ExerciseFile, Vec<u8>>,
}

impl Template {
    /// Copies the instructor's tree at `root` into `dir` (emptied first).
    pub fn create(catalog: &Catalog, dir: &Path) -> Result<Template> {
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("cannot empty {}", dir.display()))?;
        }
        copy_tree(&catalog.root, dir, "", &|rel| left_out(rel))?;
        let committed = Stubs::load(&catalog.root, &[]);
        let mut stubs = BTreeMap::new();
        for topic in &catalog.topics {
            for ex in &topic.exercises {
                let bytes = stub_bytes(catalog, &committed, topic, ex)?;
                let copied = dir
                    .join(info::EXERCISES_DIR)
                    .join(&topic.topic)
                    .join(&ex.file);
                fs::write(&copied, &bytes)
                    .with_context(|| format!("cannot write {}", copied.display()))?;
                stubs.insert(ExerciseFile::of(topic, ex), bytes);
            }
        }
        Ok(Template {
            dir: dir.to_path_buf(),
            stubs,
        })
    }

    /// A fresh copy at `dest` with `files` ((topic, file) -> bytes) laid over the stubs.
    /// Every exercise file of `fresh_topics` gets the current time (see the module docs).
    pub fn instantiate(
        &self,
        dest: &Path,
        files: &BTreeMap<ExerciseFile, Vec<u8>>,
        fresh_topics: &[TopicId],
    ) -> Result<()> {
        if dest.exists() {
            fs::remove_dir_all(dest).with_context(|| format!("cannot empty {}", dest.display()))?;
        }
        copy_tree(&self.dir, dest, "", &|_| false)?;
        self.overlay(dest, files, fresh_topics)
    }

    /// Rewrites the exercise files of `fresh_topics` in an existing copy: the given files,
    /// or the stubs.
    pub fn overlay(
        &self,
        dest: &Path,
        files: &BTreeMap<ExerciseFile, Vec<u8>>,
        fresh_topics: &[TopicId],
    ) -> Result<()> {
        let now = SystemTime::now();
        for (ExerciseFile { topic, file }, stub) in &self.stubs {
            if !fresh_topics.contains(topic) {
                continue;
            }
            let key = ExerciseFile::new(topic.clone(), file.clone());
            let bytes = files.get(&key).unwrap_or(stub);
            let path = dest
                .join(catalog::info::EXERCISES_DIR)
                .join(topic)
                .join(file);
            fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(now))
                .with_context(|| format!("cannot set the time of {}", path.display()))?;
        }
        Ok(())
    }
}

/// The regular files under `dir` (never symbolic links), as `/`-separated paths relative to
/// it, sorted: what a tree holds, for hashing it or packing it.
pub fn files_under(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, rel: &str, files: &mut Vec<String>) -> Result<()> {
        let here = dir.join(rel);
        let entries =
            fs::read_dir(&here).with_context(|| format!("cannot read {}", here.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", here.display()))?;
            let Some(name) = entry.file_name().to_str().map(String::from) else {
                continue;
            };
            let child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(dir, &child, files)?;
            } else if kind.is_file() {
                files.push(child);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

/// Copies regular files and folders (never symbolic links), keeping modification times.
pub fn copy_tree(from: &Path, to: &Path, rel: &str, skip: &dyn Fn(&str) -> bool) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries = fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let name = entry.file_name();
        let Some(name_str) = name.to_str() else {
            continue;
        };
        let child_rel = if rel.is_empty() {
            name_str.to_string()
        } else {
            format!("{rel}/{name_str}")
        };
        if skip(&child_rel) {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target, &child_rel, skip)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).with_context(|| {
                format!(
                    "cannot copy {} to {}",
                    entry.path().display(),
                    target.display()
                )
            })?;
            let modified = entry.metadata()?.modified()?;
            File::options()
                .write(true)
                .open(&target)
                .and_then(|f| f.set_modified(modified))
                .with_context(|| format!("cannot set the time of {}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::left_out;

    #[test]
    fn only_what_a_build_needs_is_copied() {
        for (rel, out) in [
            ("solutions/lock/01_counter.rs", true),
            ("crates/lock/mutants/x.rs", true),
            ("crates/threadwork/tests/corpus/a/x.rs", true),
            ("target/debug/x", true),
            ("docs/src/lock.md", true),
            (".git/HEAD", true),
            ("crates/lock/tests/lock/main.rs", false),
            ("exercises/lock/01_counter.rs", false),
            ("Cargo.lock", false),
        ] {
            assert_eq!(left_out(rel), out, "{rel}");
        }
    }
}
