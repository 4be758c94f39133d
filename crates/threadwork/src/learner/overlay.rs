//! One exercise that does not compile must not hide the verdict of another: all exercises of
//! a topic are compiled into one test program, so the ones that do not compile are swapped
//! for their original stubs (which compile by design) while the asked-for ones are checked.
//! The learner's files are never touched: the build scripts read `THREADWORK_SWAP`
//! (`name=/abs/file.rs;...`), as in the course's mutant check.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use catalog::{Catalog, ExerciseId, ExerciseInfo, TopicInfo};

use super::state::{all_exercise_paths, relative_path};
use catalog::stubs::Stubs;

/// The stubs standing in for some exercises, by exercise name.
pub type Swaps = Vec<(ExerciseId, PathBuf)>;

/// Writes the original stub of each of `exercises` under the target folder and returns the
/// swaps. A stub already there with the same text is left alone, so cargo's fingerprint
/// stays fresh and the next check does not rebuild for it.
pub fn stubs_for(
    catalog: &Catalog,
    topic: &TopicInfo,
    exercises: &[&ExerciseInfo],
) -> Result<Swaps> {
    let root = &catalog.root;
    let stubs = Stubs::load(root, &all_exercise_paths(catalog));
    let dir = stub_dir(root, topic);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut swaps = Vec::new();
    for ex in exercises {
        let original = stubs.original(root, &relative_path(topic, ex))?;
        let path = dir.join(&ex.file);
        if std::fs::read(&path).ok().as_deref() != Some(original.as_slice()) {
            std::fs::write(&path, &original)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        swaps.push((ex.name.clone(), path));
    }
    Ok(swaps)
}

/// `THREADWORK_SWAP`'s value for `swaps`.
pub fn env_value(swaps: &Swaps) -> String {
    swaps
        .iter()
        .map(|(name, path)| format!("{name}={}", path.display()))
        .collect::<Vec<_>>()
        .join(";")
}

/// `<target>/threadwork-stubs/<course>/<topic>`: one folder per copy of the course, as
/// copies may share a target folder.
fn stub_dir(root: &Path, topic: &TopicInfo) -> PathBuf {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_absolute() {
        target
    } else {
        root.join(target)
    };
    let mut course = DefaultHasher::new();
    root.hash(&mut course);
    target
        .join("threadwork-stubs")
        .join(format!("{:016x}", course.finish()))
        .join(&topic.topic)
}
