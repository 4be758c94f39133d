//! The build step: compile a submission's topics in the build sandbox, tie each compile
//! error to the exercise that caused it, put that file back to its stub and rebuild, until
//! every topic builds. Then archive the test binaries for the test step.
//!
//! An error is tied to an exercise by where rustc points: `exercises/<topic>/<file>` is that
//! exercise; `crates/<topic>/tests/<topic>/<x>.rs` is exercise `x` (its tests no longer
//! compile against the student's changed signatures). When rustc points nowhere useful, the
//! topic is rebuilt adding the student's files one at a time, so the file that breaks it is
//! found anyway.
//!
//! A submission's build has a time budget of its own (all rounds together; see [`budget`]),
//! three times at most while the files that hang are searched for (see [`repair`]). It holds
//! only its own copy of the build cache meanwhile (`build_targets`): the other submissions'
//! builds go on.

mod repair;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::time::Duration;

use anyhow::{Result, bail};
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel, DiagnosticSpan};
use cargo_metadata::{Message, TargetKind};
use catalog::{ExerciseFile, TopicId};

use super::course::Template;
use super::sandbox::{Binds, Layout, Sandbox, StepLimits, StepOutput, run_step};

/// Hang guard for one build of the course's own code (the warm build that measures the
/// budget, the archive step).
pub const BUILD_WALL: Duration = Duration::from_secs(300);
/// Hang guard for the first build, which compiles every dependency.
pub const FIRST_BUILD_WALL: Duration = Duration::from_secs(3600);
/// The compile budget of a submission is this many times the stubs' warm build (on a slow
/// host, where that is more than the floor below).
const BUDGET_FACTOR: u32 = 6;
/// ... but never below this. The budget is a hang guard, never a verdict on honest code: a
/// correct submission of the sample class, built in several repair rounds on a 2-core
/// machine saturated by other builds, took over 60 s (the first floor tried, which then
/// graded its files as stubs). Wall time stretches with load, so the floor is the old
/// per-round guard, now for all rounds together.
const BUDGET_FLOOR: Duration = Duration::from_secs(300);
/// ... and never above this.
const BUDGET_CEILING: Duration = Duration::from_secs(900);

/// (topic, file) -> the student's bytes.
pub type Files = BTreeMap<ExerciseFile, Vec<u8>>;

/// What building a submission came to.
#[derive(Debug, Default)]
pub struct Built {
    /// Topics whose test binary is in the archive.
    pub topics: Vec<TopicId>,
    /// (topic, file) -> the compiler's message, for files put back to their stubs.
    pub reverted: BTreeMap<ExerciseFile, String>,
    /// Topics that did not build even with every file back to its stub (the grader's
    /// problem, not the student's), with the reason.
    pub broken: BTreeMap<TopicId, String>,
    /// The student's files the topics were built with: those not put back to their stubs.
    pub kept: Files,
}

/// Environment of every build: always the same, so cargo's fingerprints match across
/// submissions.
pub fn build_env(layout: &Layout) -> Vec<(String, String)> {
    [
        ("PATH", layout.path_var.clone()),
        ("HOME", "/tmp".into()),
        ("CARGO_HOME", layout.cargo_home.display().to_string()),
        ("CARGO_TARGET_DIR", layout.target.display().to_string()),
        ("CARGO_TERM_COLOR", "never".into()),
        // Smaller binaries, quicker links and archives; panics still name file and line.
        ("CARGO_PROFILE_DEV_DEBUG", "0".into()),
        ("CARGO_PROFILE_TEST_DEBUG", "0".into()),
        (
            "RUSTC",
            layout.cargo.with_file_name("rustc").display().to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn cargo(
    sandbox: &Sandbox,
    binds: &Binds,
    args: Vec<String>,
    wall: Duration,
) -> Result<StepOutput> {
    let layout = sandbox.layout(binds);
    let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
    let cmd = sandbox.command(binds, &build_env(&layout), &layout.cargo, &args);
    run_step(
        cmd,
        StepLimits {
            wall,
            address_space: 16 << 30,
            file_size: 4 << 30,
            cpu_seconds: wall.as_secs() * 2,
            output: 32 << 20,
        },
    )
}

/// One build of the test binaries of `topics`.
fn attempt(
    sandbox: &Sandbox,
    binds: &Binds,
    template: &Template,
    topics: &[TopicId],
    wall: Duration,
) -> Result<repair::Attempt> {
    // `build --tests` makes exactly what `test --no-run` (and so `nextest archive`) makes,
    // and `--keep-going` reports every topic's errors in one attempt instead of stopping at
    // the first topic that fails: one repair round for a class's typical compile errors.
    let mut args: Vec<String> = [
        "build",
        "--tests",
        "--keep-going",
        "--offline",
        "--locked",
        "--message-format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    for t in topics {
        args.push("-p".into());
        args.push(t.to_string());
    }
    let out = cargo(sandbox, binds, args, wall)?;
    let mut result = repair::Attempt {
        timed_out: out.timed_out,
        ..repair::Attempt::default()
    };
    // Lines that are not cargo's messages (a build script's output) are skipped.
    for msg in Message::parse_stream(out.stdout.as_bytes()).flatten() {
        match msg {
            Message::CompilerArtifact(artifact) => {
                let Some(topic) = topic_of_source(artifact.target.src_path.as_std_path())
                    .filter(|t| topics.contains(t))
                else {
                    continue;
                };
                if artifact.target.kind.contains(&TargetKind::Test) && artifact.executable.is_some()
                {
                    result.built.insert(topic);
                }
            }
            Message::CompilerMessage(msg) if msg.message.level == DiagnosticLevel::Error => {
                let Some(topic) = topic_of_source(msg.target.src_path.as_std_path())
                    .filter(|t| topics.contains(t))
                else {
                    continue;
                };
                let rendered = msg.message.rendered.clone().unwrap_or_default();
                let files = tied_files(&msg.message, &topic, template);
                if files.is_empty() {
                    result.loose.entry(topic).or_default().push(rendered);
                } else {
                    for file in files {
                        result
                            .tied
                            .entry(ExerciseFile::new(topic.clone(), file))
                            .or_default()
                            .push(rendered.clone());
                    }
                }
            }
            _ => {}
        }
    }
    for t in topics {
        if !result.built.contains(t)
            && !result
                .tied
                .keys()
                .any(|ExerciseFile { topic, .. }| topic == t)
        {
            let loose = result.loose.entry(t.clone()).or_default();
            if out.timed_out {
                loose.push(format!(
                    "the build did not finish within {} s and was stopped",
                    wall.as_secs()
                ));
            } else if loose.is_empty() {
                loose.push(catalog::text::tail(&out.stderr, 30));
            }
        }
    }
    Ok(result)
}

/// `/course/crates/lock/tests/lock/main.rs` -> `lock`: a topic's package is its folder under
/// `crates/`, and every target's root file lies inside it.
fn topic_of_source(src: &std::path::Path) -> Option<TopicId> {
    let package = src
        .ancestors()
        .find(|dir| dir.parent().and_then(|p| p.file_name()) == Some("crates".as_ref()))?;
    package.file_name()?.to_str().map(TopicId::from_package)
}

/// The exercise files of `topic` an error message points at.
fn tied_files(message: &Diagnostic, topic: &TopicId, template: &Template) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut spans: Vec<&DiagnosticSpan> = message.spans.iter().collect();
    for child in &message.children {
        spans.extend(&child.spans);
    }
    for span in spans {
        let mut span = Some(span);
        // Follow macro expansions back to where the macro was called.
        while let Some(s) = span {
            if let Some(file) = exercise_file_of(&s.file_name, topic, template) {
                files.insert(file);
            }
            span = s.expansion.as_deref().map(|e| &e.span);
        }
    }
    files
}

fn exercise_file_of(path: &str, topic: &TopicId, template: &Template) -> Option<String> {
    let path = path.replace('\\', "/");
    let stubs = || {
        template
            .stubs
            .keys()
            .filter(|ExerciseFile { topic: t, .. }| t == topic)
    };
    if let Some(i) = path.find(&format!("exercises/{topic}/")) {
        let file = &path[i + "exercises/".len() + topic.as_str().len() + 1..];
        return stubs()
            .find(|ExerciseFile { file: f, .. }| f == file)
            .map(|ExerciseFile { file: f, .. }| f.clone());
    }
    let tests = format!("crates/{topic}/tests/{topic}/");
    if let Some(i) = path.find(&tests) {
        let module = path[i + tests.len()..].trim_end_matches(".rs");
        return stubs()
            .find(|ExerciseFile { file: f, .. }| {
                f.strip_suffix(".rs")
                    .is_some_and(|s| s.ends_with(&format!("_{module}")))
            })
            .map(|ExerciseFile { file: f, .. }| f.clone());
    }
    None
}

/// The compile budget of one submission (every round of its repair loop together), from
/// the time the stubs' warm build took.
pub fn budget(warm: Duration) -> Duration {
    (warm * BUDGET_FACTOR).clamp(BUDGET_FLOOR, BUDGET_CEILING)
}

/// Builds `topics` of a submission whose copy is at `binds.course`, `files` laid over the
/// stubs, putting files that break the build back to their stubs ([`repair`]); all rounds
/// together get `budget`. The test binaries stay in the target dir for [`archive`].
pub fn build(
    sandbox: &Sandbox,
    binds: &Binds,
    template: &Template,
    files: Files,
    topics: &[TopicId],
    budget: Duration,
) -> Result<Built> {
    // Each round reverts a file or adds one back, so this bound is never the limit.
    let max_rounds = 2 * template.stubs.len() + 4;
    repair::repair(files, topics, budget, max_rounds, |files, pending, wall| {
        template.overlay(&binds.course, files, pending)?;
        attempt(sandbox, binds, template, pending, wall)
    })
}

/// Archives the test binaries of `topics` (already built) for the test step.
pub fn archive(sandbox: &Sandbox, binds: &Binds, topics: &[TopicId]) -> Result<()> {
    let layout = sandbox.layout(binds);
    let mut args: Vec<String> = vec![
        "nextest".into(),
        "archive".into(),
        "--offline".into(),
        "--locked".into(),
        "--archive-file".into(),
        layout.out.join(ARCHIVE).display().to_string(),
        "--zstd-level".into(),
        "1".into(),
    ];
    for t in topics {
        args.push("-p".into());
        args.push(t.to_string());
    }
    let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
    let cmd = sandbox.command(binds, &build_env(&layout), &layout.nextest, &args);
    let out = run_step(
        cmd,
        StepLimits {
            wall: BUILD_WALL,
            address_space: 16 << 30,
            file_size: 4 << 30,
            cpu_seconds: BUILD_WALL.as_secs() * 2,
            output: 1 << 20,
        },
    )?;
    if !out.success {
        bail!(
            "cargo nextest archive failed:\n{}",
            catalog::text::tail(&out.stderr, 30)
        );
    }
    Ok(())
}

/// The archive's file name in the submission's output folder.
pub const ARCHIVE: &str = "archive.tar.zst";

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use std::path::Path;

    use super::{budget, topic_of_source};

    #[test]
    fn the_budget_is_a_multiple_of_the_warm_build_within_floor_and_wall() {
        assert_eq!(budget(Duration::from_secs(2)), Duration::from_secs(300));
        assert_eq!(budget(Duration::from_secs(100)), Duration::from_secs(600));
        assert_eq!(budget(Duration::from_secs(200)), Duration::from_secs(900));
    }

    #[test]
    fn a_target_under_crates_names_its_topic() {
        let topic = |p: &str| topic_of_source(Path::new(p)).map(|t| t.to_string());
        assert_eq!(
            topic("/course/crates/thread-local/tests/thread-local/main.rs").as_deref(),
            Some("thread-local")
        );
        assert_eq!(
            topic("/course/crates/lock/src/lib.rs").as_deref(),
            Some("lock")
        );
        assert_eq!(
            topic("/cargo-home/registry/src/x/loom-0.7.3/src/lib.rs"),
            None
        );
    }
}
