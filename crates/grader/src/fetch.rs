//! Before any sandboxed build: download what the course needs, with the network.
//!
//! Sandboxed builds run `--offline` against the instructor's cargo registry, bound read-only.
//! On a fresh machine `cargo run -p threadwork` has fetched only the CLI's own dependencies,
//! so the topics' (loom, rstest, proptest, ...) must be fetched first, from the course's own
//! `Cargo.lock` (trusted: it is the instructor's tree, not a submission's).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// `cargo fetch --locked` in the course root. Tried offline first, quietly, so a machine
/// whose registry is complete (a grading container, a second run) never needs the network.
pub fn course_dependencies(root: &Path) -> Result<()> {
    if fetch(root, true)?.success() {
        return Ok(());
    }
    eprintln!(
        "preparing: downloading the course's dependencies into the cargo registry (once; the \
         sandboxed builds are offline)"
    );
    let status = fetch(root, false)?;
    if !status.success() {
        bail!(
            "`cargo fetch --locked` failed in {} ({status}): the sandboxed builds are offline and \
             need every dependency of the course in the cargo registry. Check the network (or a \
             registry mirror) and run the command again.",
            root.display()
        );
    }
    Ok(())
}

fn fetch(root: &Path, offline: bool) -> Result<std::process::ExitStatus> {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["fetch", "--locked"]).current_dir(root);
    if offline {
        cmd.arg("--offline")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
    }
    cmd.status().context("could not run `cargo fetch`")
}
