//! `threadwork export`: the students' repository has no solutions and no grader, and builds.

use std::path::Path;
use std::process::Command;

/// `threadwork export DIR`, run from the course's root; fails the test if it fails.
fn export_to(dir: &Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(root())
        .arg("export")
        .arg(dir)
        .output()
        .expect("run export");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_export_has_no_solutions_or_grader_and_its_topics_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("students");
    export_to(&dir);
    for gone in [
        "solutions",
        "crates/lock/mutants",
        "crates/grader/src/sandbox.rs",
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
    let manifest: toml::Table = manifest.parse().expect("the exported manifest is TOML");
    assert!(
        !manifest["dependencies"]
            .as_table()
            .is_some_and(|deps| deps.contains_key("grader")),
        "the CLI of the students' copy must not depend on the grader:\n{manifest}"
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

/// The per-student CI: the exported workflow has a step worth its points for every
/// exercise, and the script those steps call fails an exercise left as its stub and
/// passes it once the exercise is solved (run here as the workflow runs it).
#[test]
fn the_exported_classroom_workflow_grades_an_exercise_with_its_script() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("students");
    export_to(&dir);
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/classroom.yml"))
        .expect("the export has .github/workflows/classroom.yml");
    let info: toml::Value = toml::from_str(
        &std::fs::read_to_string(root().join("exercises/spawn/info.toml")).expect("info.toml"),
    )
    .expect("info.toml is TOML");
    let first = &info["exercise"][0];
    let (name, file) = (
        first["name"].as_str().expect("name"),
        first["file"].as_str().expect("file"),
    );
    let step = format!(
        "command: scripts/autograde spawn {name}\n          timeout: 10\n          max-score: {}\n",
        first["points"]
    );
    assert!(workflow.contains(&step), "no step for {name}:\n{workflow}");
    assert!(workflow.contains("autograding-grading-reporter@v1"));

    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-target");
    let autograde = |summary: &Path| {
        Command::new(dir.join("scripts/autograde"))
            .args(["spawn", name])
            .env("CARGO_TARGET_DIR", &target)
            .env("GITHUB_STEP_SUMMARY", summary)
            .output()
            .expect("run scripts/autograde")
    };
    let summary = tmp.path().join("summary.md");
    let stub = autograde(&summary);
    assert!(!stub.status.success(), "the stub must fail `{name}`");
    std::fs::copy(
        root().join("solutions/spawn").join(file),
        dir.join("exercises/spawn").join(file),
    )
    .expect("copy the solution in");
    let solved = autograde(&summary);
    assert!(
        solved.status.success(),
        "the solution must pass `{name}`:\n{}\n{}",
        String::from_utf8_lossy(&solved.stdout),
        String::from_utf8_lossy(&solved.stderr)
    );
    let rows = std::fs::read_to_string(&summary).expect("the job summary");
    assert!(
        rows.contains(&format!("| spawn | {name} |"))
            && rows.contains("| FAIL |")
            && rows.contains("| pass |"),
        "{rows}"
    );
}
