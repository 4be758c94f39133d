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

/// `gradescope-bundle`: the zip has setup.sh, run_autograder and the course with its stubs
/// and no solutions; unpacked into a fake `/autograder` (as Gradescope unpacks it into
/// /autograder/source), its run_autograder grades a submission into results/results.json.
#[test]
fn the_gradescope_bundle_unpacks_into_an_autograder_root_and_grades() {
    let root = root();
    let tmp = tempfile::tempdir().expect("tempdir");
    let zip_path = tmp.path().join("autograder.zip");
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(&root)
        .args(["gradescope-bundle", "--out"])
        .arg(&zip_path)
        .output()
        .expect("run gradescope-bundle");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let ag = tmp.path().join("autograder");
    let source = ag.join("source");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("open zip")).expect("a zip");
    archive.extract(&source).expect("unpack");
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    for wanted in [
        "setup.sh",
        "run_autograder",
        "Cargo.lock",
        "exercises/thread-local/info.toml",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "no {wanted} in {names:?}"
        );
    }
    for n in &names {
        assert!(
            !n.starts_with("solutions/") && !n.contains("/mutants/") && !n.contains("target/"),
            "{n} must not be in the bundle"
        );
    }
    let info: toml::Value = toml::from_str(
        &std::fs::read_to_string(root.join("exercises/thread-local/info.toml")).expect("info"),
    )
    .expect("TOML");
    let exercises = info["exercise"].as_array().expect("exercises");
    let file = exercises[0]["file"].as_str().expect("file");
    let solution = std::fs::read(root.join("solutions/thread-local").join(file)).expect("solution");
    assert_ne!(
        std::fs::read(source.join("exercises/thread-local").join(file)).expect("the stub"),
        solution,
        "the bundle's exercise files are the stubs"
    );

    let sub = ag.join("submission");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(sub.join(file), &solution).expect("write");
    let run = Command::new("bash")
        .arg(source.join("run_autograder"))
        .env("THREADWORK_AUTOGRADER_ROOT", &ag)
        .env("THREADWORK_BIN", env!("CARGO_BIN_EXE_threadwork"))
        .env(
            "THREADWORK_GRADE_ARGS",
            format!("--topics thread-local --cache-dir {}", cache().display()),
        )
        .output()
        .expect("run run_autograder");
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(ag.join("results/results.json")).expect("results.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let points = |e: &toml::Value| e["points"].as_integer().expect("points") as f64;
    assert_eq!(json["score"], points(&exercises[0]), "{text}");
    assert_eq!(
        json["max_score"],
        exercises.iter().map(points).sum::<f64>(),
        "{text}"
    );
}
