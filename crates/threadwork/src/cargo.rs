//! The only module that runs cargo.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// One `cargo test -p <topic>` run, read from libtest's `test <name> ... <verdict>` lines.
#[derive(Debug, Default)]
pub struct TestRun {
    pub passed: Vec<String>,
    pub failed: Vec<String>,
    pub ignored: Vec<String>,
    /// Everything cargo and the tests printed, stdout then stderr.
    pub output: String,
}

/// What to run.
pub struct TestRequest<'a> {
    pub topic: &'a str,
    pub solution: bool,
    /// Only the test with exactly this name.
    pub exact: Option<&'a str>,
    pub env: Vec<(&'a str, String)>,
}

pub fn test(root: &Path, request: &TestRequest<'_>) -> Result<TestRun> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        .args(["test", "-p", request.topic, "--no-fail-fast"]);
    if request.solution {
        cmd.args(["--features", "solution"]);
    }
    cmd.args(["--", "--color", "never"]);
    if let Some(name) = request.exact {
        cmd.args([name, "--exact"]);
    }
    cmd.envs(request.env.iter().map(|(k, v)| (*k, v.as_str())));
    let out = cmd
        .output()
        .with_context(|| format!("could not run cargo in {}", root.display()))?;
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut run = TestRun::default();
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            run.passed.push(name.to_string());
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            run.failed.push(name.to_string());
        } else if let Some((name, _)) = rest.split_once(" ... ignored") {
            run.ignored.push(name.to_string());
        }
    }
    run.output = output;
    Ok(run)
}

/// The last `n` lines of a text, for error messages.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
