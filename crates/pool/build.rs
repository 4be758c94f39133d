//! Includes `exercises/pool/*.rs` (or `solutions/pool/*.rs`) and checks the import rule.
//!
//! It also writes `bench_world.rs` for `cargo bench -p pool`: the benchmarks measure the
//! reference pool in `solutions/pool/` whenever the workspace has it (with or without the
//! `solution` feature), and the learner's own files in a copy of the course without
//! solutions, so a learner can race their pool against `threadpool` and `rayon`.

use std::fmt::Write as _;
use std::path::PathBuf;

use catalog::info::{self, TopicInfo};

fn main() {
    catalog::wiring::wire_topic();
    write_bench_world();
}

fn write_bench_world() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("run by cargo"));
    let root = manifest_dir.join("../..");
    let solutions = root.join(info::SOLUTIONS_DIR).join("pool");
    let reference = solutions.is_dir();
    if reference {
        // (A path that does not exist would make cargo rerun this script on every build.)
        println!("cargo::rerun-if-changed={}", solutions.display());
    }
    // wire_topic has already reported a broken info.toml; nothing to add then.
    let Ok(topic) = TopicInfo::load(&root, "pool") else {
        return;
    };
    let mut text = String::new();
    for ex in &topic.exercises {
        let path = info::source_path(&root, &topic.topic, &ex.file, reference);
        println!("cargo::rerun-if-changed={}", path.display());
        let _ = writeln!(
            text,
            "#[allow(dead_code, unused_variables, unused_imports)]\n#[path = {:?}]\npub mod {};",
            path.display().to_string(),
            ex.name
        );
    }
    std::fs::write(out_dir.join("bench_world.rs"), text).expect("write bench_world.rs");
}
