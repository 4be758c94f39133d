//! The original stubs, as the course shipped them, read from the workspace's git history.
//!
//! An exercise is *untouched* while its file is byte-for-byte a version of the stub that the
//! course's authors committed; `reset` restores the newest such version. "The course's
//! authors" are whoever committed the file first: later commits by the same author (fixes
//! to a stub that came with `git pull`) still count as the original, commits of anyone else
//! (a learner committing their work) do not.
//!
//! Without git (a downloaded archive, git not installed, files never committed) nothing can
//! be called untouched and `reset` cannot restore; both say so and how to get a clone.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The committed versions of every exercise file, or why they are unknown.
pub struct Stubs {
    history: std::result::Result<HashMap<String, FileHistory>, String>,
    /// git's id of each exercise file's current content, by path relative to the root.
    current: HashMap<String, String>,
}

/// The versions of one file, newest first: (author email, blob id).
#[derive(Default)]
struct FileHistory {
    versions: Vec<(String, String)>,
}

impl FileHistory {
    /// The author of the commit that added the file (the oldest version).
    fn course_author(&self) -> Option<&str> {
        self.versions.last().map(|(author, _)| author.as_str())
    }

    /// The course's versions of the stub, newest first.
    fn originals(&self) -> impl Iterator<Item = &str> {
        let author = self.course_author();
        self.versions
            .iter()
            .filter(move |(a, _)| Some(a.as_str()) == author)
            .map(|(_, blob)| blob.as_str())
    }
}

impl Stubs {
    /// Reads the history of `exercises/` under `root` and git's ids of `files` (paths
    /// relative to `root`). Two git commands, whatever the number of exercises.
    pub fn load(root: &Path, files: &[String]) -> Stubs {
        let history = read_history(root);
        let current = match &history {
            Ok(_) => hash_objects(root, files).unwrap_or_default(),
            Err(_) => HashMap::new(),
        };
        Stubs { history, current }
    }

    /// Whether the file at `path` (relative to the root) is one of the course's versions of
    /// its stub; `None` when git cannot tell.
    pub fn is_original(&self, path: &str) -> Option<bool> {
        let history = self.history.as_ref().ok()?.get(path)?;
        let current = self.current.get(path)?;
        Some(history.originals().any(|blob| blob == current))
    }

    /// Why `is_original` cannot tell for `path`, in learner terms.
    pub fn unknown_because(&self, path: &str) -> String {
        match &self.history {
            Err(why) => why.clone(),
            Ok(history) if !history.contains_key(path) => format!(
                "{path} was never committed to this git repository, so its original stub is \
                 unknown"
            ),
            Ok(_) => format!("git could not read {path}"),
        }
    }

    /// The newest version of the stub committed by the course's authors.
    pub fn original(&self, root: &Path, path: &str) -> Result<Vec<u8>> {
        let Some(blob) = self
            .history
            .as_ref()
            .ok()
            .and_then(|h| h.get(path))
            .and_then(|h| h.originals().next())
        else {
            bail!(
                "cannot find the original stub of {path}: {}. Copy it from a fresh clone of \
                 the course (`git clone <course> && cp <clone>/{path} {path}`).",
                self.unknown_because(path)
            );
        };
        let out = git(root, &["cat-file", "blob", blob])?;
        Ok(out)
    }
}

/// `git log` over `exercises/`: for each file, every committed version and its author.
fn read_history(root: &Path) -> std::result::Result<HashMap<String, FileHistory>, String> {
    let log = git(
        root,
        &[
            "log",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "--relative",
            "--format=@@%ae",
            "--",
            crate::info::EXERCISES_DIR,
        ],
    )
    .map_err(|e| {
        format!(
            "this copy of the course is not a git checkout that threadwork can read ({e:#}), so \
             it cannot tell an untouched stub from your edits"
        )
    })?;
    let log = String::from_utf8_lossy(&log);
    let mut files: HashMap<String, FileHistory> = HashMap::new();
    let mut author = String::new();
    for line in log.lines() {
        if let Some(a) = line.strip_prefix("@@") {
            author = a.to_string();
        } else if let Some(raw) = line.strip_prefix(':') {
            // `:100644 100644 <old blob> <new blob> M\t<path>`
            let Some((meta, path)) = raw.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let (Some(blob), Some(status)) = (fields.get(3), fields.get(4)) else {
                continue;
            };
            if !status.starts_with('D') {
                let history = files.entry(path.to_string()).or_default();
                history.versions.push((author.clone(), blob.to_string()));
            }
        }
    }
    Ok(files)
}

/// git's blob ids of the current files (`git hash-object`, which applies the same filters
/// as `git add`); files that do not exist are left out.
fn hash_objects(root: &Path, files: &[String]) -> Result<HashMap<String, String>> {
    let existing: Vec<&String> = files.iter().filter(|f| root.join(f).is_file()).collect();
    if existing.is_empty() {
        return Ok(HashMap::new());
    }
    let mut args = vec!["hash-object", "--"];
    args.extend(existing.iter().map(|f| f.as_str()));
    let out = git(root, &args)?;
    let ids = String::from_utf8_lossy(&out);
    Ok(existing
        .into_iter()
        .cloned()
        .zip(ids.lines().map(str::to_string))
        .collect())
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("git is not installed")?;
    if !out.status.success() {
        bail!("{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(out.stdout)
}
