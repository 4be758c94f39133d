//! How a topic crate includes the learner's files, twice: once against std, once against loom.
//!
//! The module declarations are static files, written by `cargo tw dev wire` from the topic's
//! `info.toml` (the build script fails when they drift from it), so editors resolve every
//! exercise file where the learner has it open:
//!
//! - `crates/<topic>/src/lib.rs`: `#[path = "../../../exercises/<topic>/01_counter.rs"] pub
//!   mod counter;` for every exercise, compiled with `crate::sync` = std (the `solution`
//!   feature picks `solutions/<topic>/` instead);
//! - `crates/<topic>/tests/<topic>/under_loom.rs`: the *same files* for every `loom = true`
//!   exercise, compiled with `crate::sync` = loom;
//! - `exercises/<topic>/editor.rs` and `solutions/<topic>/editor.rs`: roots of two targets
//!   that are never part of the learner's loop. rust-analyzer resolves a relative `#[path]`
//!   only inside folders where the package has a target, so each folder gets one.
//!
//! Relative paths show as `crates/lock/src/../../../exercises/...` in rustc's messages;
//! `.cargo/config.toml` remaps those prefixes so messages name `exercises/lock/01_counter.rs`.
//!
//! The build script ([`wire_topic`]) checks every exercise file against the import rule (so
//! `cargo test -p lock` itself explains a `std::sync::Mutex`).
//! `THREADWORK_SWAP="counter=/abs/file.rs;bank=/abs/other.rs"` replaces single exercises, which
//! is how CI proves that known-buggy variants are caught: the build script then writes the
//! declarations again with absolute paths into `OUT_DIR` and sets `cfg(threadwork_swap)`, which
//! turns the static ones off.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::guard;
use crate::id::{ExerciseId, TopicId};
use crate::info::{self, ExerciseInfo, TopicInfo};

/// Environment variable naming per-exercise replacement files (see the module docs).
pub const SWAP_ENV: &str = "THREADWORK_SWAP";
/// The cfg the build script sets while files are swapped.
const SWAP_CFG: &str = "threadwork_swap";
/// The command that writes the static wiring.
pub const WIRE_COMMAND: &str = "cargo tw dev wire";

/// One generated file: its path relative to the workspace root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WiringFile {
    pub path: PathBuf,
    pub text: String,
}

/// The static wiring files of a topic, as `cargo tw dev wire` writes them.
pub fn static_files(topic: &TopicInfo) -> Vec<WiringFile> {
    let t = &topic.topic;
    let mut files = vec![
        WiringFile {
            path: PathBuf::from(format!("crates/{t}/src/lib.rs")),
            text: lib_rs(topic),
        },
        WiringFile {
            path: PathBuf::from(format!("crates/{t}/tests/{t}/under_loom.rs")),
            text: under_loom_rs(topic),
        },
        WiringFile {
            path: PathBuf::from(format!("{}/{t}/editor.rs", info::EXERCISES_DIR)),
            text: exercises_editor_rs(t),
        },
    ];
    files.push(WiringFile {
        path: PathBuf::from(format!("{}/{t}/editor.rs", info::SOLUTIONS_DIR)),
        text: solutions_editor_rs(topic),
    });
    files
}

/// The `[[bench]]`/`[[example]]` tables a topic's `Cargo.toml` must hold for editors.
pub fn manifest_targets(topic: &TopicId) -> String {
    format!(
        "# Editors: rust-analyzer resolves the exercise and solution files (relative #[path]s in\n\
         # src/lib.rs) only in folders where this package has a target, so each folder has one.\n\
         # Neither is part of the learner's loop: the first is never built, the second only with\n\
         # `--features solution` (cargo ignores it where solutions/ is missing, as in the students'\n\
         # copy). Written by `{WIRE_COMMAND}`.\n\
         [[bench]]\n\
         name = \"{topic}-exercises-editor\"\n\
         path = \"../../exercises/{topic}/editor.rs\"\n\
         harness = false\n\
         bench = false\n\
         test = false\n\
         \n\
         [[example]]\n\
         name = \"{topic}-solutions-editor\"\n\
         path = \"../../solutions/{topic}/editor.rs\"\n\
         required-features = [\"solution\"]\n"
    )
}

/// The prefixes rustc is told to drop (`--remap-path-prefix=<prefix>=`) so its messages and
/// `file!()` name `exercises/<topic>/x.rs`, not the relative path through the crate.
pub fn remapped_prefixes(topic: &TopicId) -> [String; 2] {
    [
        format!("crates/{topic}/src/../../../"),
        format!("crates/{topic}/tests/{topic}/../../../../"),
    ]
}

fn facade_uses(topic: &TopicInfo, flavour: &str) -> String {
    let mut text = String::new();
    for extra in &topic.extra_facade {
        let _ = writeln!(text, "pub use support::facade::{flavour}::{extra};");
    }
    text + &format!("pub use support::facade::{flavour}::{{cell, hint, sync, thread, time}};\n")
}

/// The attributes that include one exercise file from `up` (the way from the declaring file's
/// folder to the workspace root).
fn declaration(topic: &TopicId, ex: &ExerciseInfo, up: &str) -> String {
    format!(
        "#[doc = {summary:?}]\n\
         #[cfg(not({SWAP_CFG}))]\n\
         #[cfg_attr(not(feature = \"solution\"), path = \"{up}{ex_dir}/{topic}/{file}\")]\n\
         #[cfg_attr(feature = \"solution\", path = \"{up}{sol_dir}/{topic}/{file}\")]\n\
         #[cfg_attr(not(feature = \"solution\"), allow(unused_variables, unused_imports, dead_code))]\n\
         pub mod {name};\n",
        summary = ex.summary,
        ex_dir = info::EXERCISES_DIR,
        sol_dir = info::SOLUTIONS_DIR,
        file = ex.file,
        name = ex.name,
    )
}

fn swapped_include(file: &str) -> String {
    format!(
        "\n// While `{SWAP_ENV}` replaces files (the mutant check), the build script writes these\n\
         // declarations again with the replacements' absolute paths.\n\
         #[cfg({SWAP_CFG})]\n\
         include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n"
    )
}

fn lib_rs(topic: &TopicInfo) -> String {
    let t = &topic.topic;
    let mut text = format!(
        "//! Topic `{t}`: {title}.\n\
         //!\n\
         //! The learner's files in `exercises/{t}/` (with the `solution` feature, `solutions/{t}/`),\n\
         //! compiled against std. Written by `{WIRE_COMMAND}` from `exercises/{t}/info.toml`: edit\n\
         //! that file, then run the command; the build fails while this one is out of date.\n\n",
        title = topic.title,
    );
    text.push_str(&facade_uses(topic, "std_flavour"));
    for ex in &topic.exercises {
        text.push('\n');
        text.push_str(&declaration(t, ex, "../../../"));
    }
    text.push_str(&swapped_include(STD_SWAP_FILE));
    text
}

fn under_loom_rs(topic: &TopicInfo) -> String {
    let t = &topic.topic;
    let mut text = format!(
        "//! The learner's exercise files again, compiled against loom (this test binary's\n\
         //! `crate::sync` is loom) for the models. Written by `{WIRE_COMMAND}` from\n\
         //! `exercises/{t}/info.toml`.\n\n\
         // The models use only part of each exercise's API.\n\
         #![allow(dead_code)]\n"
    );
    for ex in topic.exercises.iter().filter(|e| e.loom) {
        text.push('\n');
        text.push_str(&declaration(t, ex, "../../../../"));
    }
    text.push_str(&swapped_include(LOOM_SWAP_FILE));
    text
}

fn exercises_editor_rs(topic: &TopicId) -> String {
    format!(
        "//! Not an exercise: leave this file as it is.\n\
         //!\n\
         //! Editors (rust-analyzer) understand the exercise files in this folder (types on hover,\n\
         //! go to definition, errors as you type) only because the `{topic}` package has a target\n\
         //! here, and this file is its root. It is never built. Written by `{WIRE_COMMAND}`.\n\n\
         fn main() {{}}\n"
    )
}

fn solutions_editor_rs(topic: &TopicInfo) -> String {
    let t = &topic.topic;
    let mut text = format!(
        "//! Not a solution: the reference solutions of `{t}` as one program, so editors resolve\n\
         //! them like the exercises. Built only with `--features solution` (CI). Written by\n\
         //! `{WIRE_COMMAND}`.\n\n\
         // Nothing calls the solutions here.\n\
         #![allow(dead_code, unused_imports)]\n\n"
    );
    text.push_str(&facade_uses(topic, "std_flavour"));
    for ex in &topic.exercises {
        let _ = write!(
            text,
            "\n#[path = \"{file}\"]\npub mod {name};\n",
            file = ex.file,
            name = ex.name
        );
    }
    text.push_str("\nfn main() {}\n");
    text
}

/// The file names (in `OUT_DIR`) of the declarations written while files are swapped.
const STD_SWAP_FILE: &str = "swapped_exercises.rs";
const LOOM_SWAP_FILE: &str = "swapped_under_loom.rs";

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
    println!("cargo::rustc-check-cfg=cfg({SWAP_CFG})");
    let info_path = root
        .join(info::EXERCISES_DIR)
        .join(&topic_name)
        .join(info::INFO_FILE);
    println!("cargo::rerun-if-changed={}", info_path.display());
    let topic = TopicInfo::load(&root, &topic_name).map_err(|e| vec![e.to_string()])?;
    check_static_files(&root, &topic, solution)?;
    let swaps = parse_swaps(std::env::var(SWAP_ENV).unwrap_or_default())?;

    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for ex in &topic.exercises {
        let path = match swaps.iter().find(|(name, _)| ex.name == name.as_str()) {
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
    if swaps.is_empty() {
        return Ok(());
    }
    println!("cargo::rustc-cfg={SWAP_CFG}");
    let (mut std_world, mut loom_world) = (String::new(), String::new());
    for (ex, path) in &sources {
        let include = format!(
            "#[allow(unused_variables, unused_imports, dead_code)]\n#[path = {path:?}]\npub mod {name};\n",
            path = path.display().to_string(),
            name = ex.name,
        );
        std_world.push_str(&include);
        if ex.loom {
            loom_world.push_str(&include);
        }
    }
    write(&out_dir.join(STD_SWAP_FILE), &std_world)?;
    write(&out_dir.join(LOOM_SWAP_FILE), &loom_world)
}

/// Fails the build when the committed wiring no longer matches `info.toml`.
fn check_static_files(root: &Path, topic: &TopicInfo, solution: bool) -> Result<(), Vec<String>> {
    let stale: Vec<String> = static_files(topic)
        .into_iter()
        .filter(|f| solution || !f.path.starts_with(info::SOLUTIONS_DIR))
        .filter(|f| {
            let path = root.join(&f.path);
            println!("cargo::rerun-if-changed={}", path.display());
            std::fs::read_to_string(&path).map_or(true, |text| !same_code(&text, &f.text))
        })
        .map(|f| f.path.display().to_string())
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    Err(vec![format!(
        "{} {} not match exercises/{}/info.toml: run `{WIRE_COMMAND}` (and do not edit {})",
        stale.join(", "),
        if stale.len() == 1 { "does" } else { "do" },
        topic.topic,
        if stale.len() == 1 { "it" } else { "them" },
    )])
}

/// Whether two texts differ at most in whitespace: `dev wire` formats what it writes with
/// rustfmt, which breaks long attributes over lines.
pub fn same_code(a: &str, b: &str) -> bool {
    let code = |s: &str| s.split_whitespace().collect::<String>();
    code(a) == code(b)
}

fn write(path: &Path, text: &str) -> Result<(), Vec<String>> {
    std::fs::write(path, text).map_err(|e| vec![format!("cannot write {}: {e}", path.display())])
}

fn missing_file_message(root: &Path, path: &Path, name: &ExerciseId, e: std::io::Error) -> String {
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
