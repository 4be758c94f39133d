//! The only module that runs cargo (and rustfmt).
//!
//! - [`test`]: a whole topic's tests, for the course's own checks (`dev`; the instructor's
//!   copy only, as [`rustfmt_check`] and [`rustfmt_text`]);
//! - [`check`]: the learner's check: some exercises' tests, with compiler errors and each
//!   failing test's output kept apart so they can be explained in learner terms;
//! - [`list_tests`]: the names of the tests a [`Selection`] chooses, without running them;
//! - [`run_built`], [`list_built`]: the same on the test binaries a [`check`] built, run
//!   directly (no second `cargo test`: no build check, no doc-tests);
//! - [`rustfmt_check`]: whether a file is formatted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use catalog::TopicId;
use serde::Deserialize;

use crate::build_progress::BuildProgress;

#[cfg(feature = "instructor")]
mod course_checks;
#[cfg(feature = "instructor")]
pub use course_checks::{TestRequest, rustfmt_check, rustfmt_text, test};

pub use catalog::text::tail;

/// One test's verdict in a learner's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    Ignored,
}

/// One test of a learner's check.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// The libtest name, e.g. `counter::models::no_increment_is_lost_in_any_interleaving`.
    pub name: String,
    pub verdict: Verdict,
    /// What the test printed (its `---- <name> stdout ----` section); empty when it passed.
    pub output: String,
}

/// A compiler or build-script message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub error: bool,
    /// As the compiler prints it (with the code excerpt), paths as they were given.
    pub rendered: String,
    /// The `.rs` files it points at (primary spans, or the path a build script names).
    pub files: Vec<PathBuf>,
}

/// One `cargo test -p <topic> -- <filters>` run, taken apart.
#[derive(Debug, Default)]
pub struct CheckRun {
    pub tests: Vec<TestOutcome>,
    /// Errors and warnings, deduplicated (the test binary compiles each exercise file twice).
    pub diagnostics: Vec<Diagnostic>,
    /// cargo could not build the tests (see the errors in `diagnostics`).
    pub build_failed: bool,
    /// The test process died before reporting every test (e.g. `signal: 6, SIGABRT`).
    pub crashed: Option<String>,
    /// Everything cargo and the tests printed, for the cases nothing above explains.
    pub output: String,
    /// The test binaries cargo built (from its JSON messages), to run again directly.
    pub binaries: Vec<TestBinary>,
}

/// A test binary cargo built, and the package folder cargo runs it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestBinary {
    pub path: PathBuf,
    pub package_dir: PathBuf,
}

/// Which tests of a topic a learner's check runs: names containing one of `filters` (all
/// when empty) and none of `skips` (libtest's own `--skip`), built with `env` (e.g.
/// `THREADWORK_SWAP`) on top of the learner's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub filters: Vec<String>,
    pub skips: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl Selection {
    /// libtest's arguments after `--`.
    fn args(&self) -> Vec<String> {
        let skips = self
            .skips
            .iter()
            .flat_map(|s| ["--skip".to_string(), s.clone()]);
        self.filters.iter().cloned().chain(skips).collect()
    }
}

/// Runs the tests of one topic that `selection` chooses, with backtraces off and colours
/// off so the output can be read back.
pub fn check(root: &Path, topic: &TopicId, selection: &Selection) -> Result<CheckRun> {
    let mut cmd = learner_cargo(root);
    cmd.args([
        "test",
        "-p",
        topic.as_str(),
        "--no-fail-fast",
        "--message-format",
        "json",
    ])
    .args(["--", "--color", "never"])
    .args(selection.args())
    .envs(selection.env.iter().cloned());
    let could_not_run = || {
        format!(
            "could not run `cargo test -p {topic}` in {}",
            root.display()
        )
    };
    let Some(mut progress) = BuildProgress::for_terminal(topic.as_str()) else {
        let out = cmd.output().with_context(could_not_run)?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Ok(parse_check(&stdout, &stderr));
    };
    let mut child = cmd
        .envs(BuildProgress::ENV)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(could_not_run)?;
    let mut stdout_pipe = child.stdout.take().context("cargo's stdout")?;
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout_pipe, &mut bytes);
        bytes
    });
    let mut stderr = String::new();
    let reader = std::io::BufReader::new(child.stderr.take().context("cargo's stderr")?);
    for piece in split_at_line_ends(reader) {
        if !progress.take(&piece) && !piece.trim().is_empty() {
            stderr.push_str(&piece);
            stderr.push('\n');
        }
    }
    progress.clear();
    child.wait().with_context(could_not_run)?;
    let stdout = stdout.join().unwrap_or_default();
    Ok(parse_check(&String::from_utf8_lossy(&stdout), &stderr))
}

/// The pieces of a stream between `\r`s and `\n`s (cargo redraws its progress bar after a
/// `\r`), as they arrive.
fn split_at_line_ends(mut reader: impl std::io::BufRead) -> impl Iterator<Item = String> {
    std::iter::from_fn(move || {
        let mut piece = Vec::new();
        loop {
            let buf = match reader.fill_buf() {
                Ok([]) | Err(_) => break,
                Ok(buf) => buf,
            };
            match buf.iter().position(|&b| b == b'\r' || b == b'\n') {
                Some(at) => {
                    piece.extend_from_slice(&buf[..at]);
                    reader.consume(at + 1);
                    return Some(String::from_utf8_lossy(&piece).into_owned());
                }
                None => {
                    piece.extend_from_slice(buf);
                    let n = buf.len();
                    reader.consume(n);
                }
            }
        }
        (!piece.is_empty()).then(|| String::from_utf8_lossy(&piece).into_owned())
    })
}

impl CheckRun {
    /// One run made of two (e.g. the models first, then the std tests).
    pub fn merge(mut self, later: CheckRun) -> CheckRun {
        self.tests.extend(later.tests);
        for d in later.diagnostics {
            if !self.diagnostics.contains(&d) {
                self.diagnostics.push(d);
            }
        }
        self.build_failed |= later.build_failed;
        self.crashed = self.crashed.or(later.crashed);
        self.output.push_str(&later.output);
        for b in later.binaries {
            if !self.binaries.contains(&b) {
                self.binaries.push(b);
            }
        }
        self
    }
}

/// The names of the tests of `topic` that `selection` chooses (`cargo test -- --list`).
pub fn list_tests(root: &Path, topic: &TopicId, selection: &Selection) -> Result<Vec<String>> {
    let out = learner_cargo(root)
        .args([
            "test",
            "-p",
            topic.as_str(),
            "--",
            "--list",
            "--format",
            "terse",
        ])
        .args(selection.args())
        .envs(selection.env.iter().cloned())
        .output()
        .with_context(|| {
            format!(
                "could not run `cargo test -p {topic}` in {}",
                root.display()
            )
        })?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs the test binaries of a [`check`] again, as `cargo test` would (in the package's
/// folder, `CARGO_MANIFEST_DIR` set), with `selection` and `extra` libtest arguments (e.g.
/// `--exact`). The build is not checked: the binaries are the ones the learner's files
/// were built into moments ago.
pub fn run_built(
    binaries: &[TestBinary],
    selection: &Selection,
    extra: &[&str],
) -> Result<CheckRun> {
    let mut run = CheckRun::default();
    for binary in binaries {
        let out = built_test(binary, selection)
            .args(["--color", "never"])
            .args(selection.args())
            .args(extra)
            .output()
            .with_context(|| format!("could not run {}", binary.path.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        run.tests.extend(parse_libtest(&stdout));
        // libtest exits with 101 when tests fail; anything else means it died.
        if !matches!(out.status.code(), Some(0 | 101)) && run.crashed.is_none() {
            run.crashed = Some(status_text(out.status));
        }
        run.output.push_str(&stdout);
        run.output.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    run.binaries = binaries.to_vec();
    Ok(run)
}

/// The names of the tests `selection` (and `extra`, e.g. `--exact`) chooses in `binaries`,
/// in the order libtest runs them one at a time.
pub fn list_built(
    binaries: &[TestBinary],
    selection: &Selection,
    extra: &[&str],
) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for binary in binaries {
        let out = built_test(binary, selection)
            .args(["--list", "--format", "terse"])
            .args(selection.args())
            .args(extra)
            .output()
            .with_context(|| format!("could not run {}", binary.path.display()))?;
        names.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|line| line.strip_suffix(": test"))
                .map(str::to_string),
        );
    }
    Ok(names)
}

fn built_test(binary: &TestBinary, selection: &Selection) -> Command {
    let mut cmd = Command::new(&binary.path);
    cmd.current_dir(&binary.package_dir)
        .env("CARGO_MANIFEST_DIR", &binary.package_dir)
        .env("RUST_BACKTRACE", "0")
        .envs(selection.env.iter().cloned())
        .stdin(Stdio::null());
    cmd
}

/// In cargo's words (`signal: 6, SIGABRT`, `exit status: 3`), so both read back alike.
fn status_text(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (_, Some(signal)) => format!("signal: {signal}{}", signal_name(signal)),
        (Some(code), _) => format!("exit status: {code}"),
        _ => status.to_string(),
    }
}

fn signal_name(signal: i32) -> String {
    catalog::text::signal_meaning(signal)
        .map(|(name, _)| format!(", {name}"))
        .unwrap_or_default()
}

/// What a test process's death usually means, for the learner, from cargo's or
/// [`status_text`]'s words (`signal: 6, SIGABRT...`).
pub fn crash_meaning(status: &str) -> &'static str {
    status
        .strip_prefix("signal: ")
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<i32>().ok())
        .and_then(catalog::text::signal_meaning)
        .map_or(
            "the process ended without reporting every test",
            |(_, meaning)| meaning,
        )
}

fn learner_cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        // Backtraces would bury the one line that matters; colours would break the parsing.
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_TERM_COLOR", "never")
        // `watch` puts the terminal in raw mode: nothing below may read it.
        .stdin(Stdio::null());
    cmd
}

/// cargo's JSON messages that matter here (`--message-format json`), by their `reason`.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum Reason {
    CompilerMessage {
        message: CompilerMessage,
    },
    BuildFinished {
        success: bool,
    },
    CompilerArtifact {
        profile: ArtifactProfile,
        executable: Option<PathBuf>,
        manifest_path: PathBuf,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct ArtifactProfile {
    test: bool,
}

#[derive(Deserialize)]
struct CompilerMessage {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    is_primary: bool,
}

fn parse_check(stdout: &str, stderr: &str) -> CheckRun {
    let mut run = CheckRun::default();
    let mut libtest = String::new();
    for line in stdout.lines() {
        if !line.starts_with("{\"reason\":") {
            libtest.push_str(line);
            libtest.push('\n');
            continue;
        }
        match serde_json::from_str::<Reason>(line) {
            Ok(Reason::CompilerMessage { message }) => {
                if let Some(diagnostic) = diagnostic(message) {
                    if !run.diagnostics.contains(&diagnostic) {
                        run.diagnostics.push(diagnostic);
                    }
                }
            }
            Ok(Reason::BuildFinished { success }) => run.build_failed |= !success,
            Ok(Reason::CompilerArtifact {
                profile,
                executable: Some(path),
                manifest_path,
            }) if profile.test => run.binaries.push(TestBinary {
                path,
                package_dir: manifest_path
                    .parent()
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
            }),
            Ok(Reason::CompilerArtifact { .. }) => {}
            Ok(Reason::Other) | Err(_) => {}
        }
    }
    for line in stderr.lines() {
        if let Some(diagnostic) = build_script_error(line) {
            run.build_failed = true;
            if !run.diagnostics.contains(&diagnostic) {
                run.diagnostics.push(diagnostic);
            }
        }
        if let Some(status) = line.split("process didn't exit successfully: ").nth(1) {
            // libtest exits with 101 when tests fail; anything else means it died.
            let status = status.rsplit_once(" (").map_or(status, |(_, s)| s);
            let status = status.trim_end_matches(')');
            if !status.contains("exit status: 101") {
                run.crashed = Some(status.to_string());
            }
        }
    }
    run.tests = parse_libtest(&libtest);
    run.output = format!("{stdout}{stderr}");
    run
}

fn diagnostic(message: CompilerMessage) -> Option<Diagnostic> {
    let error = match message.level.as_str() {
        "error" => true,
        "warning" => false,
        _ => return None, // notes like "For more information about this error, try ..."
    };
    Some(Diagnostic {
        error,
        rendered: message.rendered?.trim_end().to_string(),
        files: message
            .spans
            .into_iter()
            .filter(|s| s.is_primary)
            .map(|s| PathBuf::from(s.file_name))
            .collect(),
    })
}

/// A build script's `cargo::error`, printed by cargo as `error: <pkg>@<version>: <message>`
/// (the import guard's messages start with the offending file's path).
fn build_script_error(line: &str) -> Option<Diagnostic> {
    let rest = line.strip_prefix("error: ")?;
    let (package, message) = rest.split_once(": ")?;
    if !package.contains('@') || package.contains(' ') {
        return None;
    }
    let files = message
        .split_whitespace()
        .map(|word| word.split(':').next().unwrap_or(word))
        .filter(|word| word.ends_with(".rs"))
        .map(PathBuf::from)
        .collect();
    Some(Diagnostic {
        error: true,
        rendered: message.to_string(),
        files,
    })
}

/// libtest's text output: `test <name> ... ok|FAILED|ignored` lines and, for failures,
/// `---- <name> stdout ----` sections.
fn parse_libtest(text: &str) -> Vec<TestOutcome> {
    let mut tests: Vec<TestOutcome> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, verdict)) = rest.split_once(" ... ") else {
            continue;
        };
        let verdict = match verdict.trim() {
            "ok" => Verdict::Passed,
            "FAILED" => Verdict::Failed,
            v if v.starts_with("ignored") => Verdict::Ignored,
            _ => continue,
        };
        let name = name.trim_end_matches(" - should panic").to_string();
        tests.push(TestOutcome {
            name,
            verdict,
            output: String::new(),
        });
    }
    let mut current: Option<usize> = None;
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = tests.iter().position(|t| t.name == name);
        } else if line == "failures:" || line.starts_with("test result: ") {
            current = None;
        } else if let Some(i) = current {
            tests[i].output.push_str(line);
            tests[i].output.push('\n');
        }
    }
    for t in &mut tests {
        t.output = t.output.trim().to_string();
    }
    tests
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBTEST: &str = "\nrunning 3 tests\ntest counter::a ... ok\ntest counter::b ... FAILED\n\
        test counter::c ... ignored, slow\n\nfailures:\n\n---- counter::b stdout ----\n\n\
        thread 'counter::b' (4) panicked at tests/x.rs:1:2:\nboom\n\n\nfailures:\n    \
        counter::b\n\ntest result: FAILED. 1 passed; 1 failed; 1 ignored\n";

    #[test]
    fn libtest_verdicts_and_failure_sections_are_read_back() {
        let tests = parse_libtest(LIBTEST);
        let verdicts: Vec<_> = tests.iter().map(|t| (t.name.as_str(), t.verdict)).collect();
        assert_eq!(
            verdicts,
            [
                ("counter::a", Verdict::Passed),
                ("counter::b", Verdict::Failed),
                ("counter::c", Verdict::Ignored)
            ]
        );
        assert_eq!(
            tests[1].output,
            "thread 'counter::b' (4) panicked at tests/x.rs:1:2:\nboom"
        );
    }

    #[test]
    fn an_import_guard_error_names_the_learners_file() {
        let stderr = "error: lock@0.1.0: /w/exercises/lock/01_counter.rs:11:5: `std::sync::Mutex` \
                      bypasses the model checker; write `crate::sync::Mutex` instead.\n\
                      error: build script logged errors\n";
        let run = parse_check("", stderr);
        assert!(run.build_failed, "a build script error fails the build");
        assert_eq!(run.diagnostics.len(), 1, "{:?}", run.diagnostics);
        assert_eq!(
            run.diagnostics[0].files,
            [PathBuf::from("/w/exercises/lock/01_counter.rs")]
        );
    }

    #[test]
    fn a_killed_test_process_is_a_crash_but_failing_tests_are_not() {
        let failing = "error: test failed\n\nCaused by:\n  process didn't exit successfully: \
                       `/t/lock-1` (exit status: 101)\n";
        assert_eq!(parse_check("", failing).crashed, None);
        let killed = "  process didn't exit successfully: `/t/lock-1 x (y)` (signal: 6, SIGABRT: \
                      process abort signal)\n";
        assert_eq!(
            parse_check("", killed).crashed.as_deref(),
            Some("signal: 6, SIGABRT: process abort signal")
        );
    }

    #[test]
    fn a_crash_says_what_its_signal_usually_means() {
        use std::os::unix::process::ExitStatusExt as _;
        let status = status_text(std::process::ExitStatus::from_raw(6));
        assert_eq!(
            status, "signal: 6, SIGABRT",
            "read back as cargo's words are"
        );
        let aborted = crash_meaning(&status);
        assert!(aborted.contains("a panic while panicking"), "{aborted}");
        assert!(
            crash_meaning("signal: 11, SIGSEGV: invalid memory reference")
                .contains("stack overflow")
        );
        assert_eq!(
            crash_meaning("exit status: 3"),
            "the process ended without reporting every test"
        );
    }

    #[test]
    fn the_test_binaries_cargo_built_are_kept_to_run_again() {
        let test = r#"{"reason":"compiler-artifact","manifest_path":"/w/crates/lock/Cargo.toml","profile":{"test":true},"executable":"/t/debug/deps/lock-1f"}"#;
        let lib = r#"{"reason":"compiler-artifact","manifest_path":"/w/crates/lock/Cargo.toml","profile":{"test":false},"executable":null}"#;
        let run = parse_check(&format!("{lib}\n{test}\n"), "");
        assert_eq!(
            run.binaries,
            [TestBinary {
                path: PathBuf::from("/t/debug/deps/lock-1f"),
                package_dir: PathBuf::from("/w/crates/lock"),
            }]
        );
    }

    #[test]
    fn a_stream_is_split_at_carriage_returns_and_newlines() {
        let text = "   Compiling lock v0.1.0\n    Building [=> ] 1/3: lock\r    Building [==>] 2/3: \
                    lock(test)\r\nerror: x\nlast";
        let pieces: Vec<String> = split_at_line_ends(text.as_bytes()).collect();
        assert_eq!(
            pieces,
            [
                "   Compiling lock v0.1.0",
                "    Building [=> ] 1/3: lock",
                "    Building [==>] 2/3: lock(test)",
                "",
                "error: x",
                "last"
            ]
        );
    }

    #[test]
    fn a_selection_passes_its_skips_to_libtest() {
        let selection = Selection {
            filters: vec!["bank::".into()],
            skips: vec!["bank::models::".into()],
            env: Vec::new(),
        };
        assert_eq!(selection.args(), ["bank::", "--skip", "bank::models::"]);
    }

    #[test]
    fn compiler_errors_are_deduplicated_and_keep_their_files() {
        let line = r#"{"reason":"compiler-message","message":{"level":"error","rendered":"error[E0308]: mismatched types\n  --> /w/exercises/lock/03_bank.rs:33:22\n","spans":[{"file_name":"/w/exercises/lock/03_bank.rs","is_primary":true}]}}"#;
        let finished = r#"{"reason":"build-finished","success":false}"#;
        let run = parse_check(&format!("{line}\n{line}\n{finished}\n"), "");
        assert!(run.build_failed);
        assert_eq!(
            run.diagnostics.len(),
            1,
            "the same error twice is shown once"
        );
        assert_eq!(
            run.diagnostics[0].files,
            [PathBuf::from("/w/exercises/lock/03_bank.rs")]
        );
    }
}
