//! `threadwork export`: the students' repository has no solutions and no grader, and builds.

use std::path::Path;
use std::process::Command;

#[test]
fn the_export_has_no_solutions_or_grader_and_its_topics_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("students");
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(&root)
        .arg("export")
        .arg(&dir)
        .output()
        .expect("run export");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for gone in [
        "solutions",
        "crates/lock/mutants",
        "crates/threadwork/src/grade/sandbox.rs",
        "crates/threadwork/tests",
        "samples",
        "docs/src/grading.md",
    ] {
        assert!(!dir.join(gone).exists(), "{gone} must not be exported");
    }
    for kept in [
        "exercises/lock/01_counter.rs",
        "crates/lock/tests/lock/main.rs",
        "README.md",
    ] {
        assert!(dir.join(kept).exists(), "{kept} must be exported");
    }
    // The book's contents do not list the page left out (mdbook would fail on it).
    let summary = std::fs::read_to_string(dir.join("docs/src/SUMMARY.md")).expect("SUMMARY.md");
    assert!(
        !summary.contains("grading.md"),
        "the exported SUMMARY.md still lists grading.md:\n{summary}"
    );
    let manifest =
        std::fs::read_to_string(dir.join("crates/threadwork/Cargo.toml")).expect("manifest");
    assert!(
        !manifest.contains("quick-junit"),
        "the grader's dependencies stay out"
    );
    // It builds: the topic's tests and the CLI type-check in the exported tree on its own.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-target");
    let check = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .args([
            "check",
            "--offline",
            "-q",
            "-p",
            "lock",
            "-p",
            "threadwork",
            "--tests",
        ])
        .output()
        .expect("run cargo check");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
