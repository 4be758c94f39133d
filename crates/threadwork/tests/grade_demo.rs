//! The README's main job: `threadwork grade --demo` grades the bundled sample class
//! (samples/class/class.toml) and every student gets exactly the total listed there, in a
//! gradebook with a column for every topic.

mod grade_fixtures;

use std::process::Command;

use grade_fixtures::{cache, root, totals};
use serde::Deserialize;

/// The fields of samples/class/class.toml this test reads.
#[derive(Deserialize)]
struct SampleClass {
    student: Vec<Student>,
}

#[derive(Deserialize)]
struct Student {
    id: String,
    expect: f64,
}

#[test]
fn the_demo_grades_every_sample_student_as_class_toml_expects() {
    let text = std::fs::read_to_string(root().join("samples/class/class.toml"))
        .expect("samples/class/class.toml");
    let class: SampleClass = toml::from_str(&text).expect("class.toml is valid");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("g");
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(root())
        .args(["grade", "--demo", "--out"])
        .arg(&out)
        .arg("--cache-dir")
        .arg(cache())
        .output()
        .expect("run the grader");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "grade --demo failed:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");

    let header: Vec<String> = csv::Reader::from_path(out.join("gradebook.csv"))
        .expect("gradebook.csv")
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let topics: Vec<String> = std::fs::read_dir(root().join("exercises"))
        .expect("exercises/")
        .flatten()
        .filter(|e| e.path().join("info.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for topic in &topics {
        assert!(
            header.contains(topic),
            "gradebook.csv has no column for topic `{topic}`: {header:?}"
        );
    }
    let totals = totals(&out.join("gradebook.csv"));
    for s in &class.student {
        let got = totals.get(&s.id);
        assert!(
            got.is_some_and(|g| (g - s.expect).abs() < 0.01),
            "{}: expected {}, got {got:?}",
            s.id,
            s.expect
        );
        for file in ["results.json", "report.md"] {
            assert!(
                out.join("students").join(&s.id).join(file).is_file(),
                "{}: no {file}",
                s.id
            );
        }
    }
    assert_eq!(totals.len(), class.student.len(), "one row per student");
    for file in ["summary.md", "histogram.svg"] {
        assert!(out.join(file).is_file(), "no {file}");
    }
}
