//! The test step: cargo-nextest runs the archived test binaries in the test sandbox, one
//! process per test, each started through the grader's runner; its JUnit report is parsed.
//!
//! The nextest configuration is the grader's (written next to the archive, never taken
//! from the submission): no fail-fast, a slow-timeout whose `terminate-after` is the hang
//! guard, and a JUnit report with every test's output.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use catalog::TopicId;
use nextest_metadata::TestListSummary;
use quick_junit::{NonSuccessKind, Report, TestCaseStatus};

use super::compile::ARCHIVE;
use super::runner::UID_BASE_ENV;
use super::sandbox::{Binds, Layout, Sandbox, StepLimits, run_step};

/// The nextest profile the grader writes.
const PROFILE: &str = "threadwork-grade";
/// nextest's hang guard: a test still running after PERIOD x TERMINATE_AFTER is stopped.
/// Longer than the std tests' own hang guard (runner::HANG_GUARD_SECS), so their clearer
/// message wins; room for the largest loom models of a slow but correct solution.
const PERIOD_SECS: u64 = 45;
const TERMINATE_AFTER: u64 = 2;
/// Seconds after which nextest stops a test.
pub const TEST_LIMIT_SECS: u64 = PERIOD_SECS * TERMINATE_AFTER;
/// Hang guard for one submission's whole test step (all its nextest runs together).
pub const RUN_WALL: Duration = Duration::from_secs(40 * 60);

/// topic -> test name -> outcome.
pub type Outcomes = BTreeMap<TopicId, BTreeMap<String, Outcome>>;

/// topic -> its test names (`counter::models::x`), sorted.
pub type TestLists = BTreeMap<TopicId, Vec<String>>;

/// One test's outcome, from the JUnit report.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub passed: bool,
    pub timed_out: bool,
    /// What the test printed (failure description, stdout, stderr).
    pub output: String,
}

/// Writes the grader's nextest configuration into the submission's output folder.
pub fn write_config(out: &Path, layout: &Layout) -> Result<PathBuf> {
    let text = format!(
        "# Written by `threadwork grade`; never taken from a submission.\n\
         [store]\ndir = {store:?}\n\n\
         [profile.{PROFILE}]\n\
         fail-fast = false\n\
         retries = 0\n\
         slow-timeout = {{ period = \"{PERIOD_SECS}s\", terminate-after = {TERMINATE_AFTER}, grace-period = \"2s\" }}\n\
         leak-timeout = \"500ms\"\n\
         status-level = \"none\"\n\
         final-status-level = \"none\"\n\
         failure-output = \"never\"\n\
         success-output = \"never\"\n\n\
         [profile.{PROFILE}.junit]\n\
         path = \"junit.xml\"\n\
         store-success-output = true\n\
         store-failure-output = true\n",
        store = layout.work.join("store").display().to_string(),
    );
    let path = out.join("nextest.toml");
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The JUnit report's path on the host, given the submission's work folder.
pub fn junit_path(work: &Path) -> PathBuf {
    work.join("store").join(PROFILE).join("junit.xml")
}

fn env(sandbox: &Sandbox, layout: &Layout, uid_base: Option<u32>) -> Vec<(String, String)> {
    let runner_var = format!(
        "CARGO_TARGET_{}_RUNNER",
        sandbox.tools.host.to_uppercase().replace(['-', '.'], "_")
    );
    let mut env: Vec<(String, String)> = [
        ("PATH", layout.path_var.clone()),
        ("HOME", "/tmp".to_string()),
        ("RUST_BACKTRACE", "0".into()),
        ("NEXTEST_HIDE_PROGRESS_BAR", "1".into()),
        ("CARGO_TERM_COLOR", "never".into()),
        (
            runner_var.as_str(),
            format!("{} grade-test-runner", layout.runner.display()),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(base) = uid_base {
        env.push((UID_BASE_ENV.into(), base.to_string()));
    }
    env
}

/// nextest extracts into an existing folder only.
fn prepare_work(binds: &Binds) -> Result<()> {
    let work = binds.work().context("the test step needs a work folder")?;
    let extract = work.join("extract");
    std::fs::create_dir_all(&extract)
        .with_context(|| format!("cannot create {}", extract.display()))
}

fn common_args(layout: &Layout, config: &str) -> Vec<String> {
    vec![
        "--archive-file".into(),
        layout.out.join(ARCHIVE).display().to_string(),
        "--workspace-remap".into(),
        layout.course.display().to_string(),
        "--extract-to".into(),
        layout.work.join("extract").display().to_string(),
        "--extract-overwrite".into(),
        "--config-file".into(),
        config.into(),
        "--user-config-file".into(),
        "none".into(),
        "--color".into(),
        "never".into(),
    ]
}

/// Lists the tests in the archive: topic -> test names.
pub fn list(sandbox: &Sandbox, binds: &Binds) -> Result<TestLists> {
    prepare_work(binds)?;
    let layout = sandbox.layout(binds);
    let config = write_config(&binds.out, &layout)?;
    let config_inside = layout.out.join(config.file_name().unwrap_or_default());
    let mut args = vec!["nextest".to_string(), "list".into()];
    args.extend(common_args(&layout, &config_inside.display().to_string()));
    args.extend(["--message-format".into(), "json".into()]);
    let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
    let cmd = sandbox.command(binds, &env(sandbox, &layout, None), &layout.nextest, &args);
    let out = run_step(cmd, limits(Duration::from_secs(600)))?;
    if !out.success {
        bail!(
            "cargo nextest list failed:\n{}",
            catalog::text::tail(&out.stderr, 30)
        );
    }
    tests_by_topic(&out.stdout)
}

/// topic -> sorted test names, from `cargo nextest list --message-format json` (its last
/// JSON line: nextest may print warnings before it), read with nextest's own types.
fn tests_by_topic(stdout: &str) -> Result<TestLists> {
    let list = stdout
        .lines()
        .rev()
        .find_map(|l| TestListSummary::parse_json(l).ok())
        .context("cargo nextest list printed no test list")?;
    let mut tests = TestLists::new();
    for suite in list.rust_suites.values() {
        let names = suite.test_cases.keys().map(|n| n.as_str().to_string());
        tests
            .entry(TopicId::from_package(&suite.package_name))
            .or_default()
            .extend(names);
    }
    for names in tests.values_mut() {
        names.sort();
    }
    Ok(tests)
}

fn limits(wall: Duration) -> StepLimits {
    StepLimits {
        wall,
        address_space: u64::MAX,
        file_size: 1 << 30,
        cpu_seconds: u64::MAX,
        output: 1 << 20,
    }
}

/// Runs the tests named by `filter` (a nextest filterset) and returns test name -> outcome,
/// per topic. `uid_base` is this submission's uid range for the runner; the run is stopped
/// at `deadline`, the end of the submission's test step.
pub fn run(
    sandbox: &Sandbox,
    binds: &Binds,
    filter: &str,
    test_threads: usize,
    uid_base: Option<u32>,
    deadline: Instant,
) -> Result<(Outcomes, Option<String>)> {
    prepare_work(binds)?;
    let work = binds.work().context("the test step needs a work folder")?;
    let junit = junit_path(work);
    // An earlier run's report (the models run's) must not stand in for a run that wrote none.
    if junit.exists() {
        std::fs::remove_file(&junit)
            .with_context(|| format!("cannot remove {}", junit.display()))?;
    }
    let layout = sandbox.layout(binds);
    let config = write_config(&binds.out, &layout)?;
    let config_inside = layout.out.join(config.file_name().unwrap_or_default());
    let mut args = vec!["nextest".to_string(), "run".into()];
    args.extend(common_args(&layout, &config_inside.display().to_string()));
    args.extend([
        "--profile".into(),
        PROFILE.into(),
        "--no-fail-fast".into(),
        "--test-threads".into(),
        test_threads.to_string(),
        "-E".into(),
        filter.into(),
    ]);
    let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
    let cmd = sandbox.command(
        binds,
        &env(sandbox, &layout, uid_base),
        &layout.nextest,
        &args,
    );
    let out = run_step(
        cmd,
        limits(deadline.saturating_duration_since(Instant::now())),
    )?;
    let problem = if out.timed_out {
        Some(format!(
            "the tests were still running after {} minutes and were stopped; tests without \
             a result count as failed",
            RUN_WALL.as_secs() / 60
        ))
    } else if !junit.is_file() {
        Some(format!(
            "nextest wrote no report:\n{}",
            catalog::text::tail(&out.stderr, 20)
        ))
    } else {
        None
    };
    if !junit.is_file() {
        return Ok((BTreeMap::new(), problem));
    }
    let text = std::fs::read_to_string(&junit)
        .with_context(|| format!("cannot read {}", junit.display()))?;
    Ok((parse_junit(&text)?, problem))
}

/// topic -> test name -> outcome. Suites are named `<package>::<binary>`.
pub fn parse_junit(text: &str) -> Result<Outcomes> {
    let report =
        Report::deserialize_from_str(text).context("nextest's JUnit report is malformed")?;
    let mut results = Outcomes::new();
    for suite in &report.test_suites {
        let topic = TopicId::from_package(suite.name.split("::").next().unwrap_or_default());
        for case in &suite.test_cases {
            let mut output = String::new();
            let (passed, timed_out) = match &case.status {
                TestCaseStatus::Success { .. } => (true, false),
                TestCaseStatus::NonSuccess {
                    kind,
                    message,
                    ty,
                    description,
                    ..
                } => {
                    let ty = ty.as_deref().unwrap_or_default();
                    let timed_out = ty.contains("timeout") || ty.contains("timed out");
                    if let Some(d) = description.as_deref().or(message.as_deref()) {
                        output.push_str(d);
                        output.push('\n');
                    }
                    let _ = matches!(kind, NonSuccessKind::Error);
                    (false, timed_out)
                }
                TestCaseStatus::Skipped { .. } => (false, false),
            };
            for stream in [&case.system_out, &case.system_err].into_iter().flatten() {
                if !output.contains(stream.as_str()) {
                    if !output.is_empty() && !output.ends_with('\n') {
                        output.push('\n');
                    }
                    output.push_str(stream);
                }
            }
            results.entry(topic.clone()).or_default().insert(
                case.name.to_string(),
                Outcome {
                    passed,
                    timed_out,
                    output,
                },
            );
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::{TopicId, parse_junit, tests_by_topic};

    #[test]
    fn the_test_list_is_read_per_package_from_nextests_own_format() {
        // Recorded from cargo-nextest 0.9.143 (trimmed): two binaries of `lock`, one of
        // `pool`, after a warning line.
        let json = include_str!("../testdata/nextest-list.json").replace('\n', " ");
        let tests = tests_by_topic(&format!("warning: a profile is unused\n{json}\n")).unwrap();
        assert_eq!(
            tests[&TopicId::from_package("lock")],
            [
                "bank::transfers",
                "counter::counts",
                "counter::models::no_lost_update"
            ]
        );
        assert_eq!(tests[&TopicId::from_package("pool")], ["executor::runs"]);
        assert!(tests_by_topic("error: no JSON here\n").is_err());
    }

    #[test]
    fn nextest_junit_is_read_per_topic_and_test() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="2" failures="1" errors="0">
  <testsuite name="lock::lock" tests="2" disabled="0" errors="0" failures="1">
    <testcase name="counter::a" classname="lock::lock" time="0.1">
      <system-out>test result: ok. 1 passed</system-out>
    </testcase>
    <testcase name="counter::b" classname="lock::lock" time="90">
      <failure type="test timeout">stopped</failure>
      <system-out>ran</system-out>
    </testcase>
  </testsuite>
</testsuites>"#;
        let r = parse_junit(xml).expect("parses");
        let lock = &r[&TopicId::from_package("lock")];
        assert!(lock["counter::a"].passed);
        assert!(!lock["counter::b"].passed);
        assert!(lock["counter::b"].output.contains("stopped"));
    }
}
