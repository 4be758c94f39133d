//! Shared by the learner CLI's integration tests (`tests/learner_*.rs`): a copy of the
//! course to run the built `threadwork` binary in, as a learner would.
//!
//! Two kinds of copies:
//! - [`Course::full`]: every topic, in a temporary folder, committed to a fresh git
//!   repository by "the course's author". For commands that run no cargo (list, hint, reset).
//! - [`Course::lock_only`]: the `lock` topic alone, for commands that run `cargo test`. It
//!   shares the workspace's target folder (the dependencies are built already), which is
//!   only safe with care: the topic's build script names the exercise files by *absolute*
//!   path, and cargo gives a copy's crates the same artifact names as the original's, so a
//!   copy would silently reuse the other's compiled exercises (tried: a copy's test passed
//!   against the original's code). Each copy therefore gets its own `codegen-units` value
//!   for its workspace crates (a profile setting is part of cargo's artifact hash, and it
//!   changes nothing else), and lives at a fixed place under the target folder, recreated
//!   at each run, so its artifacts are reused from one run to the next (see [`copy_tree`]
//!   for which files keep their modification times).
#![allow(dead_code)] // each test binary uses its own part of the fixtures

pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use catalog::Catalog;

/// A hang guard for one `threadwork` run: a cold build of the lock topic takes a minute on
/// a busy 2-core machine; nothing here should come close.
pub const GENEROUS: Duration = Duration::from_secs(600);

/// The course being tested (this crate is `crates/threadwork`).
pub fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The target folder the `threadwork` binary under test was built into.
pub fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_threadwork"));
    bin.parent()
        .and_then(Path::parent)
        .expect("the binary lives in <target>/<profile>/")
        .to_path_buf()
}

pub struct Course {
    pub root: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Course {
    /// Every topic, committed to git by the course's author.
    pub fn full() -> Course {
        let course = Course::full_without_git();
        course.git(&["init", "-q"]);
        course.commit_as("Course Author", "course@example.com", "the course");
        course
    }

    /// Every topic, not a git checkout (like a downloaded archive).
    pub fn full_without_git() -> Course {
        let tmp = tempfile::Builder::new()
            .prefix("threadwork-learner-")
            .tempdir()
            .expect("cannot create a temporary folder");
        copy_tree(&source_root(), tmp.path(), &|_| true);
        Course {
            root: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
        }
    }

    /// The lock topic alone, at `<target>/learner-tests/<name>`, committed to git, with
    /// `salt` (unique per test) keeping its build apart from every other copy's.
    pub fn lock_only(name: &str, salt: u32) -> Course {
        let root = target_dir().join("learner-tests").join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root).expect("cannot remove the previous run's copy");
        }
        std::fs::create_dir_all(&root).expect("cannot create the copy's folder");
        let source = source_root();
        // What the lock topic needs, and the folders on the way to it.
        let keep = |rel: &Path| {
            [
                "Cargo.toml",
                "Cargo.lock",
                ".cargo",
                "crates/support",
                "crates/catalog",
                "crates/lock",
                "exercises/lock",
                "solutions/lock",
            ]
            .iter()
            .any(|k| rel.starts_with(k) || Path::new(k).starts_with(rel))
        };
        copy_tree(&source, &root, &keep);
        let config = root.join(".cargo/config.toml");
        let mut text = std::fs::read_to_string(&config).unwrap_or_default();
        text.push_str(&format!(
            "\n# learner tests: keep this copy's build apart (see learner_fixtures)\n\
             [profile.dev.package.lock]\ncodegen-units = {salt}\n\
             [profile.dev.package.support]\ncodegen-units = 61\n\
             [profile.dev.package.catalog]\ncodegen-units = 61\n"
        ));
        std::fs::write(&config, text).expect("cannot write the copy's cargo config");
        let course = Course { root, _tmp: None };
        course.git(&["init", "-q"]);
        course.commit_as("Course Author", "course@example.com", "the lock topic");
        course
    }

    /// `threadwork` in this copy, with no terminal, no network and a hang guard.
    pub fn threadwork(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_threadwork"));
        cmd.current_dir(&self.root)
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("CARGO_NET_OFFLINE", "true")
            .env("RUST_BACKTRACE", "0")
            // `cargo test` exports its package's name to us; the CLI would read that as
            // "run by cargo" and spell its suggestions `cargo tw ...`.
            .env_remove("CARGO_PKG_NAME")
            // Colour is for terminals; a test reads a pipe, whatever its own environment.
            .env_remove("CLICOLOR_FORCE")
            // A copy without its own .git must not find a repository above it.
            .env(
                "GIT_CEILING_DIRECTORIES",
                self.root.parent().unwrap_or(&self.root),
            )
            .write_stdin("")
            .timeout(GENEROUS);
        cmd
    }

    /// Runs `threadwork` and returns (success, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = self
            .threadwork(args)
            .output()
            .expect("cannot run threadwork");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn catalog(&self) -> Catalog {
        Catalog::load(&self.root).expect("the copy's catalogue loads")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }

    /// Copies `solutions/<topic>/<file>` over `exercises/<topic>/<file>`.
    pub fn copy_solution_of(&self, topic: &str, file: &str) {
        let text = self.read(&format!("solutions/{topic}/{file}"));
        self.write(&format!("exercises/{topic}/{file}"), &text);
    }

    pub fn commit_as(&self, name: &str, email: &str, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&[
            "-c",
            &format!("user.name={name}"),
            "-c",
            &format!("user.email={email}"),
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            message,
        ]);
    }

    pub fn git(&self, args: &[&str]) {
        let out = Process::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .output()
            .expect("git must be installed to run the learner tests");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The state label `threadwork list` shows for `exercise` (e.g. "✓ solved").
pub fn status_in_list(list: &str, exercise: &str) -> String {
    list.lines()
        .find(|line| line.split_whitespace().any(|w| w == exercise) && line.contains(" pts "))
        .map(|line| {
            let line = line.trim_start().trim_start_matches('▶').trim_start();
            // `12  ✓ solved  counter ...`: the number, then the label
            let label: Vec<&str> = line.split_whitespace().skip(1).take(2).collect();
            label.join(" ")
        })
        .unwrap_or_else(|| panic!("`{exercise}` is not in the list:\n{list}"))
}

/// Copies `from` into `to`, skipping build output, git data and learner state. Files under
/// `crates/` keep their modification times, so cargo reuses the previous run's build of the
/// (never modified) support crates; exercise and solution files get new ones, so a build of
/// a file a previous run modified is never taken for the fresh copy's.
/// An exercise file as committed (`git show HEAD:./exercises/...`), when `root` is a git
/// checkout that tracks it.
fn committed_exercise(root: &Path, rel: &Path) -> Option<Vec<u8>> {
    if !rel.starts_with("exercises") {
        return None;
    }
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("show")
        .arg(format!("HEAD:./{}", rel.display()))
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) {
    copy_dir(from, to, Path::new(""), keep);
}

fn copy_dir(from: &Path, to: &Path, rel: &Path, keep: &dyn Fn(&Path) -> bool) {
    let entries = std::fs::read_dir(from.join(rel))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", from.join(rel).display()));
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str == "target"
            || name_str == ".git"
            || name_str == "book"
            || name_str.starts_with(".threadwork-state")
            || name_str.ends_with(".orig")
        {
            continue;
        }
        let child = rel.join(&name);
        if !keep(&child) {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            std::fs::create_dir_all(to.join(&child)).expect("cannot create a folder in the copy");
            copy_dir(from, to, &child, keep);
        } else if kind.is_file() {
            let target = to.join(&child);
            match committed_exercise(from, &child) {
                // The committed stub, not the developer's working copy: the suite stays
                // green after someone solved exercises in this tree.
                Some(bytes) => std::fs::write(&target, bytes).expect("cannot copy a stub"),
                None => {
                    std::fs::copy(entry.path(), &target).expect("cannot copy a course file");
                }
            }
            let keep_time = child.starts_with("crates");
            if let (true, Ok(modified)) = (keep_time, entry.metadata().and_then(|m| m.modified())) {
                let _ = std::fs::File::options()
                    .write(true)
                    .open(&target)
                    .and_then(|f| f.set_modified(modified));
            }
        }
    }
}
