//! The runs of cargo and rustfmt that only the course's own checks (`dev`) make.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{Verdict, parse_libtest};

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
    pub topic: &'a catalog::TopicId,
    pub solution: bool,
    /// Only the test with exactly this name.
    pub exact: Option<&'a str>,
    pub env: Vec<(&'a str, String)>,
}

pub fn test(root: &Path, request: &TestRequest<'_>) -> Result<TestRun> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        .args(["test", "-p", request.topic.as_str(), "--no-fail-fast"]);
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
    for test in parse_libtest(&output) {
        let bucket = match test.verdict {
            Verdict::Passed => &mut run.passed,
            Verdict::Failed => &mut run.failed,
            Verdict::Ignored => &mut run.ignored,
        };
        bucket.push(test.name);
    }
    run.output = output;
    Ok(run)
}

/// `rustfmt --check` of one file (edition 2024, the workspace's): `None` when it is
/// formatted, else what rustfmt would change. Files included with `#[path]` from generated
/// code are not reached by `cargo fmt`.
pub fn rustfmt_check(file: &Path) -> Result<Option<String>> {
    let out = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .arg(file)
        .output()
        .context("could not run rustfmt (install it with `rustup component add rustfmt`)")?;
    if out.status.success() {
        return Ok(None);
    }
    Ok(Some(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )))
}

/// `text` as rustfmt formats it. Through stdin, so rustfmt does not follow the `mod`
/// declarations into other files.
pub fn rustfmt_text(text: &str) -> Result<String> {
    use std::io::Write as _;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("could not run rustfmt (install it with `rustup component add rustfmt`)")?;
    child
        .stdin
        .take()
        .context("rustfmt's stdin")?
        .write_all(text.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("rustfmt failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
}
