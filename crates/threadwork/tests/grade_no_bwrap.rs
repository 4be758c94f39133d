//! Without bubblewrap (issue 14 §1): the bundled sample class, the course's own trusted code,
//! is still graded, saying that it ran unsandboxed and how to install the sandbox; a real
//! class is refused before any student code runs.

mod grade_fixtures;

use std::process::{Command, Output};

use grade_fixtures::{cache, root};

/// `threadwork grade ARGS` where the sandbox program does not exist.
fn grade_without_bwrap(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(root())
        .env("THREADWORK_BWRAP", "/nonexistent/bwrap")
        .arg("grade")
        .args(args)
        .arg("--cache-dir")
        .arg(cache())
        .output()
        .expect("run the grader")
}

#[test]
fn a_real_class_is_refused_without_the_sandbox() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let class = tmp.path().join("class");
    std::fs::create_dir_all(class.join("ada/exercises/spawn")).expect("mkdir");
    let out = tmp.path().join("out");
    let run = grade_without_bwrap(&[class.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success(),
        "graded without the sandbox:\n{stderr}"
    );
    assert!(stderr.contains("apt-get install bubblewrap"), "{stderr}");
    assert!(
        !out.join("gradebook.csv").exists(),
        "a gradebook was written"
    );
}

#[test]
fn the_sample_class_is_graded_without_the_sandbox_and_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("g");
    let run = grade_without_bwrap(&[
        "--demo".as_ref(),
        "--topics".as_ref(),
        "spawn".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "grade --demo failed:\n{stderr}");
    assert!(stderr.contains("WITHOUT the sandbox"), "{stderr}");
    assert!(stderr.contains("apt-get install bubblewrap"), "{stderr}");
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).expect("gradebook.csv");
    assert!(
        gradebook.lines().any(|l| l.starts_with("ada,")),
        "{gradebook}"
    );
}
