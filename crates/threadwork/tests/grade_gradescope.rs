//! Gradescope's autograder mode: ROOT/submission in, ROOT/results/results.json out.

mod grade_fixtures;

use std::process::Command;

use grade_fixtures::{cache, root};

#[test]
fn gradescope_mode_reads_the_submission_folder_and_writes_results_json() {
    let root = root();
    let gs = tempfile::tempdir().expect("tempdir");
    let sub = gs.path().join("submission");
    std::fs::create_dir_all(&sub).expect("mkdir");
    // A student who uploads two files flat, one of them correct.
    std::fs::copy(
        root.join("solutions/lock/01_counter.rs"),
        sub.join("01_counter.rs"),
    )
    .expect("copy");
    std::fs::write(sub.join("02_sql_lock.rs"), "this is not rust {").expect("write");
    let cache = cache();
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(&root)
        .args(["grade", "--topics", "lock", "--gradescope"])
        .arg(gs.path())
        .arg("--cache-dir")
        .arg(&cache)
        .output()
        .expect("run the grader");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(gs.path().join("results/results.json"))
        .expect("results.json is written where Gradescope reads it");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["score"], 10.0, "{text}");
    assert_eq!(json["max_score"], 90.0, "{text}");
    let tests = json["tests"].as_array().expect("tests");
    assert!(
        tests
            .iter()
            .all(|t| t["name"].is_string() && t["status"].is_string())
    );
    assert!(
        json["output"]
            .as_str()
            .is_some_and(|o| o.contains("02_sql_lock.rs:1:")),
        "the report names where the broken file stops being Rust: {text}"
    );
}
