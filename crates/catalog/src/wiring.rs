//! What a topic crate's `build.rs` does: one call, [`wire_topic`].
//!
//! It reads the topic's `info.toml`, checks every exercise file against the import rule
//! (so `cargo test -p lock` itself explains a `std::sync::Mutex`), and writes two files into
//! `OUT_DIR`:
//!
//! - `exercises.rs`, included by the topic's `lib.rs`: `#[path = ".../01_counter.rs"] pub mod
//!   counter;` for every exercise, compiled with `crate::sync` = std;
//! - `under_loom.rs`, included at the root of the topic's test binary: `pub mod under_loom {
//!   ... }` with the *same files* for every `loom = true` exercise, compiled with
//!   `crate::sync` = loom.
//!
//! The files come from `exercises/<topic>/`, or `solutions/<topic>/` with the `solution`
//! feature. `THREADWORK_SWAP="counter=/abs/file.rs;bank=/abs/other.rs"` replaces single
//! exercises, which is how CI proves that known-buggy variants are caught.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::guard;
use crate::info::{self, TopicInfo};

/// Environment variable naming per-exercise replacement files (see the module docs).
pub const SWAP_ENV: &str = "THREADWORK_SWAP";

/// Wires the topic whose build script is running. On error the build fails with messages
/// (`cargo::error`) that name the file and the fix.
pub fn wire_topic() {
    match generate() {
        Ok(()) => {}
        Err(lines) => {
            for line in lines {
                println!("cargo::error={line}");
            }
            // `cargo::error` already fails the build; exiting 0 spares the learner cargo's
            // dump of the build script's raw stdout under the message.
        }
    }
}

fn env(name: &str) -> Result<String, Vec<String>> {
    std::env::var(name).map_err(|_| vec![format!("{name} is not set: run this through cargo")])
}

fn generate() -> Result<(), Vec<String>> {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let root = manifest_dir
        .join("../..")
        .canonicalize()
        .map_err(|e| vec![format!("cannot find the workspace root: {e}")])?;
    let topic_name = env("CARGO_PKG_NAME")?;
    let out_dir = PathBuf::from(env("OUT_DIR")?);
    let solution = std::env::var_os("CARGO_FEATURE_SOLUTION").is_some();

    println!("cargo::rerun-if-env-changed={SWAP_ENV}");
    let info_path = root
        .join(info::EXERCISES_DIR)
        .join(&topic_name)
        .join(info::INFO_FILE);
    println!("cargo::rerun-if-changed={}", info_path.display());
    let topic = TopicInfo::load(&root, &topic_name).map_err(|e| vec![e.to_string()])?;
    let swaps = parse_swaps(std::env::var(SWAP_ENV).unwrap_or_default())?;

    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for ex in &topic.exercises {
        let path = match swaps.iter().find(|(name, _)| *name == ex.name) {
            Some((_, swapped)) => swapped.clone(),
            None => info::source_path(&root, &topic.topic, &ex.file, solution),
        };
        println!("cargo::rerun-if-changed={}", path.display());
        match guard::check_file(&path) {
            Ok(violations) => problems.extend(violations.iter().map(ToString::to_string)),
            Err(e) => problems.push(missing_file_message(&root, &path, &ex.name, e)),
        }
        sources.push((ex, path));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut std_world = String::new();
    let mut loom_world = String::from(
        "/// The learner's exercise files again, compiled against loom for the models.\n\
         pub mod under_loom {\n",
    );
    // Untouched stubs have unused parameters and imports by design; say so only for them.
    let stub_allowances = if solution {
        ""
    } else {
        "#[allow(unused_variables, unused_imports, dead_code)]\n"
    };
    for (ex, path) in &sources {
        let include = format!(
            "#[doc = {summary:?}]\n{stub_allowances}#[path = {path:?}]\npub mod {name};\n",
            summary = ex.summary,
            path = path.display().to_string(),
            name = ex.name,
        );
        std_world.push_str(&include);
        if ex.loom {
            let _ = write!(loom_world, "{include}");
        }
    }
    loom_world.push_str("}\n");
    write(&out_dir.join("exercises.rs"), &std_world)?;
    write(&out_dir.join("under_loom.rs"), &loom_world)
}

fn write(path: &Path, text: &str) -> Result<(), Vec<String>> {
    std::fs::write(path, text).map_err(|e| vec![format!("cannot write {}: {e}", path.display())])
}

fn missing_file_message(root: &Path, path: &Path, name: &str, e: std::io::Error) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path).display();
    format!(
        "cannot read {shown} (exercise `{name}`): {e}. Restore the stub with \
         `cargo tw reset {name}` or `git checkout -- {shown}`."
    )
}

fn parse_swaps(spec: String) -> Result<Vec<(String, PathBuf)>, Vec<String>> {
    spec.split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, file)) => Ok((name.trim().to_string(), PathBuf::from(file.trim()))),
            None => Err(vec![format!(
                "{SWAP_ENV} entry `{pair}` must look like `exercise=/absolute/file.rs`"
            )]),
        })
        .collect()
}
