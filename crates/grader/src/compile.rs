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
//! A submission's build has a time budget of its own (all rounds together; see [`budget`]):
//! builds take turns on the shared target dir, so a slow one stalls the others for about
//! that long (plus one warm rebuild of the stubs). A build that runs out of it is not
//! bisected: the files of the round that ran out go back to their stubs.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ffi::OsString;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel, DiagnosticSpan};
use cargo_metadata::{Message, TargetKind};
use catalog::ExerciseFile;

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
/// Compile error text kept per exercise.
const MESSAGE_CAP: usize = 6000;

/// (topic, file) -> the student's bytes.
pub type Files = BTreeMap<ExerciseFile, Vec<u8>>;

/// What building a submission came to.
#[derive(Debug, Default)]
pub struct Built {
    /// Topics whose test binary is in the archive.
    pub topics: Vec<String>,
    /// (topic, file) -> the compiler's message, for files put back to their stubs.
    pub reverted: BTreeMap<ExerciseFile, String>,
    /// Topics that did not build even with every file back to its stub (the grader's
    /// problem, not the student's), with the reason.
    pub broken: BTreeMap<String, String>,
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
struct Attempt {
    built: BTreeSet<String>,
    /// (topic, exercise-file) -> messages tied to it.
    tied: BTreeMap<ExerciseFile, Vec<String>>,
    /// topic -> messages tied to no exercise.
    loose: BTreeMap<String, Vec<String>>,
    timed_out: bool,
}

fn attempt(
    sandbox: &Sandbox,
    binds: &Binds,
    template: &Template,
    topics: &[String],
    wall: Duration,
) -> Result<Attempt> {
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
        args.push(t.clone());
    }
    let out = cargo(sandbox, binds, args, wall)?;
    let mut result = Attempt {
        built: BTreeSet::new(),
        tied: BTreeMap::new(),
        loose: BTreeMap::new(),
        timed_out: out.timed_out,
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
fn topic_of_source(src: &std::path::Path) -> Option<String> {
    let package = src
        .ancestors()
        .find(|dir| dir.parent().and_then(|p| p.file_name()) == Some("crates".as_ref()))?;
    package.file_name()?.to_str().map(String::from)
}

/// The exercise files of `topic` an error message points at.
fn tied_files(message: &Diagnostic, topic: &str, template: &Template) -> BTreeSet<String> {
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

fn exercise_file_of(path: &str, topic: &str, template: &Template) -> Option<String> {
    let path = path.replace('\\', "/");
    let stubs = || {
        template
            .stubs
            .keys()
            .filter(|ExerciseFile { topic: t, .. }| t == topic)
    };
    if let Some(i) = path.find(&format!("exercises/{topic}/")) {
        let file = &path[i + "exercises/".len() + topic.len() + 1..];
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

/// The files to put back to their stubs when a round of `topic` ran out of budget: the one
/// being tried alone if the round added one file to a state that built, else every student
/// file of the round. Bisecting a hang would cost a budget per step, so a round of several
/// files is blamed as a whole.
fn over_budget(round_files: &[String], trying: Option<&str>) -> Vec<String> {
    match trying {
        Some(file) => vec![file.to_string()],
        None => round_files.to_vec(),
    }
}

fn over_budget_message(limit: Duration, file: &str) -> String {
    format!(
        "compilation took longer than {} s (the limit per submission): {file} was graded as \
         its stub",
        limit.as_secs()
    )
}

/// How a topic that failed to build is being repaired.
enum Repair {
    /// Revert the files rustc blames.
    Blame,
    /// Nothing to blame: back to stubs, then the student's files one at a time.
    OneByOne {
        waiting: VecDeque<String>,
        trying: Option<String>,
    },
}

/// Builds `topics` of a submission whose copy is at `binds.course`, reverting files that
/// break the build (see the module docs), then writes the archive of the test binaries to
/// `<out>/archive.tar.zst`. All rounds together get `budget`; a round that runs out of it
/// puts the files it tried back to their stubs (see [`over_budget`]), and the rounds after
/// that, which build only what built before, get `budget` again as a mere hang guard.
pub fn build(
    sandbox: &Sandbox,
    binds: &Binds,
    template: &Template,
    files: &mut Files,
    topics: &[String],
    budget: Duration,
) -> Result<Built> {
    let deadline = Instant::now() + budget;
    let mut exhausted = false;
    let mut built = Built::default();
    let mut pending: Vec<String> = topics.to_vec();
    let mut repairs: BTreeMap<String, Repair> = BTreeMap::new();
    let mut parked = Files::new();
    // Each round reverts a file or adds one back, so this bound is never the limit.
    let max_rounds = 2 * template.stubs.len() + 4;
    for _ in 0..max_rounds {
        if pending.is_empty() {
            break;
        }
        template.overlay(&binds.course, files, &pending)?;
        let wall = if exhausted {
            budget
        } else {
            // At least a second: a zero wall (or CPU limit) is no build at all.
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_secs(1))
        };
        let result = attempt(sandbox, binds, template, &pending, wall)?;
        let out_of_budget = result.timed_out && !exhausted;
        let mut next = Vec::new();
        for topic in &pending {
            let repair = repairs.entry(topic.clone()).or_insert(Repair::Blame);
            if result.timed_out && exhausted && !result.built.contains(topic) {
                // What built before no longer builds in time: not the student's doing.
                built
                    .broken
                    .insert(topic.clone(), loose_message(&result, topic));
                continue;
            }
            if out_of_budget && !result.built.contains(topic) {
                let round_files: Vec<String> = files
                    .keys()
                    .filter(|ExerciseFile { topic: t, .. }| t == topic)
                    .map(|ExerciseFile { file: f, .. }| f.clone())
                    .collect();
                let trying = match repair {
                    Repair::OneByOne { trying, .. } => trying.take(),
                    Repair::Blame => None,
                };
                let blamed = over_budget(&round_files, trying.as_deref());
                if blamed.is_empty() {
                    built
                        .broken
                        .insert(topic.clone(), loose_message(&result, topic));
                    continue;
                }
                for file in blamed {
                    let message = over_budget_message(budget, &file);
                    revert(
                        files,
                        &mut parked,
                        &mut built,
                        ExerciseFile::new(topic.clone(), file),
                        message,
                    );
                }
                // The files still waiting to be tried stay stubs (below).
                next.push(topic.clone());
                continue;
            }
            if result.built.contains(topic) {
                match repair {
                    Repair::OneByOne { waiting, trying } => {
                        // The file just added builds: keep it, try the next.
                        *trying = waiting.pop_front();
                        if let Some(file) = trying.clone() {
                            unpark(
                                files,
                                &mut parked,
                                &mut built,
                                ExerciseFile::new(topic.clone(), file),
                            );
                            next.push(topic.clone());
                        } else {
                            built.topics.push(topic.clone());
                        }
                    }
                    Repair::Blame => built.topics.push(topic.clone()),
                }
                continue;
            }
            let student_files: Vec<String> = files
                .keys()
                .filter(|ExerciseFile { topic: t, .. }| t == topic)
                .map(|ExerciseFile { file: f, .. }| f.clone())
                .collect();
            match repair {
                Repair::Blame => {
                    let blamed: Vec<String> = student_files
                        .iter()
                        .filter(|f| {
                            result
                                .tied
                                .contains_key(&ExerciseFile::new(topic.clone(), (*f).clone()))
                        })
                        .cloned()
                        .collect();
                    if !blamed.is_empty() {
                        for file in blamed {
                            let key = ExerciseFile::new(topic.clone(), file);
                            let message = result.tied[&key].join("\n");
                            revert(files, &mut parked, &mut built, key, message);
                        }
                        next.push(topic.clone());
                    } else if student_files.is_empty() {
                        built
                            .broken
                            .insert(topic.clone(), loose_message(&result, topic));
                    } else {
                        // Nothing to blame: park every file, add them back one by one.
                        let message = loose_message(&result, topic);
                        for file in &student_files {
                            let key = ExerciseFile::new(topic.clone(), file.clone());
                            revert(files, &mut parked, &mut built, key, message.clone());
                        }
                        *repair = Repair::OneByOne {
                            waiting: student_files.into(),
                            trying: None,
                        };
                        next.push(topic.clone());
                    }
                }
                Repair::OneByOne { waiting, trying } => match trying.take() {
                    Some(file) => {
                        // The file just added breaks the topic: it stays a stub.
                        let key = ExerciseFile::new(topic.clone(), file.clone());
                        let message = result
                            .tied
                            .get(&key)
                            .map(|m| m.join("\n"))
                            .unwrap_or_else(|| loose_message(&result, topic));
                        revert(files, &mut parked, &mut built, key, message);
                        *trying = waiting.pop_front();
                        if let Some(next_file) = trying.clone() {
                            unpark(
                                files,
                                &mut parked,
                                &mut built,
                                ExerciseFile::new(topic.clone(), next_file),
                            );
                            next.push(topic.clone());
                        } else {
                            // Back to the last state that built.
                            next.push(topic.clone());
                            *repair = Repair::Blame;
                        }
                    }
                    None => {
                        built
                            .broken
                            .insert(topic.clone(), loose_message(&result, topic));
                    }
                },
            }
        }
        if out_of_budget {
            // No budget left to try files one by one: the files still to try stay stubs, so
            // the rounds left only build what built before (or rustc rejects quickly).
            for topic in &next {
                let Some(repair) = repairs.get_mut(topic) else {
                    continue;
                };
                if let Repair::OneByOne { waiting, trying } = repair {
                    for file in trying.take().into_iter().chain(waiting.drain(..)) {
                        let message = over_budget_message(budget, &file);
                        let key = ExerciseFile::new(topic.clone(), file);
                        revert(files, &mut parked, &mut built, key, message);
                    }
                    *repair = Repair::Blame;
                }
            }
        }
        exhausted |= result.timed_out;
        pending = next;
    }
    for topic in pending {
        built
            .broken
            .insert(topic, "the build kept failing after every repair".into());
    }
    built.topics.sort();
    built.topics.dedup();
    Ok(built)
}

/// Reverts one file to its stub, keeping the student's bytes in `parked`.
fn revert(
    files: &mut Files,
    parked: &mut Files,
    built: &mut Built,
    key: ExerciseFile,
    message: String,
) {
    if let Some(bytes) = files.remove(&key) {
        parked.insert(key.clone(), bytes);
    }
    built.reverted.insert(key, cap(message));
}

/// Brings a parked file back into the build.
fn unpark(files: &mut Files, parked: &mut Files, built: &mut Built, key: ExerciseFile) {
    if let Some(bytes) = parked.remove(&key) {
        files.insert(key.clone(), bytes);
    }
    built.reverted.remove(&key);
}

fn loose_message(result: &Attempt, topic: &str) -> String {
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

/// Archives the test binaries of `topics` (already built) for the test step.
pub fn archive(sandbox: &Sandbox, binds: &Binds, topics: &[String]) -> Result<()> {
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
        args.push(t.clone());
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

    use super::{budget, over_budget, over_budget_message, topic_of_source};

    #[test]
    fn the_budget_is_a_multiple_of_the_warm_build_within_floor_and_wall() {
        assert_eq!(budget(Duration::from_secs(2)), Duration::from_secs(300));
        assert_eq!(budget(Duration::from_secs(100)), Duration::from_secs(600));
        assert_eq!(budget(Duration::from_secs(200)), Duration::from_secs(900));
    }

    #[test]
    fn a_round_out_of_budget_blames_the_file_tried_alone_else_all_it_built() {
        let round = vec!["01_counter.rs".to_string(), "03_bank.rs".to_string()];
        assert_eq!(over_budget(&round, Some("03_bank.rs")), vec!["03_bank.rs"]);
        assert_eq!(over_budget(&round, None), round);
        assert!(over_budget(&[], None).is_empty());
    }

    #[test]
    fn the_message_names_the_limit_and_the_file() {
        assert_eq!(
            over_budget_message(Duration::from_secs(90), "01_counter.rs"),
            "compilation took longer than 90 s (the limit per submission): 01_counter.rs was \
             graded as its stub"
        );
    }

    #[test]
    fn a_target_under_crates_names_its_topic() {
        let topic = |p: &str| topic_of_source(Path::new(p));
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
