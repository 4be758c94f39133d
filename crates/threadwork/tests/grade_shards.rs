//! `grade --shard K/N` and `merge`: the sample class graded as two shards and merged gives
//! the gradebook, histogram and summary (but for its time) grading it whole gives, byte for
//! byte, and the same scores per test in every student folder (copied from the shards as
//! they are); shards that do not fit together are refused with the folder at fault named. One topic (thread-local: ada hands it in correct, hal with a
//! known bug, in different shards) keeps the three gradings cheap.

mod grade_fixtures;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grade_fixtures::{cache, root};

fn threadwork(args: &[std::ffi::OsString]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run threadwork")
}

fn grade_demo(out: &Path, shard: Option<&str>) {
    let mut args: Vec<std::ffi::OsString> = ["grade", "--demo", "--topics", "thread-local"]
        .iter()
        .map(Into::into)
        .collect();
    args.extend([
        "--out".into(),
        out.into(),
        "--cache-dir".into(),
        cache().into(),
    ]);
    if let Some(shard) = shard {
        args.extend(["--shard".into(), shard.into()]);
    }
    let run = threadwork(&args);
    assert!(
        run.status.success(),
        "grade --demo {shard:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

fn merge(shards: &[&Path], out: &Path) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    args.extend(shards.iter().map(|s| s.as_os_str().to_owned()));
    args.extend(["--out".into(), out.into()]);
    threadwork(&args)
}

fn merge_fails(shards: &[&Path], out: &Path, wanted: &[&str]) {
    let run = merge(shards, out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "merge of {shards:?} should fail");
    for text in wanted {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    assert!(
        !out.join("gradebook.csv").exists(),
        "a refused merge writes nothing"
    );
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            if e.file_type().expect("type").is_dir() {
                stack.push(e.path());
            } else {
                found.push(e.path().strip_prefix(dir).expect("prefix").to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// summary.md with its wall-clock time (which differs between any two runs) blanked.
fn without_times(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    text.lines()
        .map(|l| {
            if let Some(i) = l.find("Graded in ") {
                format!("{}Graded in (time)", &l[..i])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// (total, and per test: name, score, status) of a results.json.
fn scores(path: &Path) -> (serde_json::Value, Vec<serde_json::Value>) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    let tests = json["tests"].as_array().expect("tests").iter();
    let tests = tests
        .map(|t| serde_json::json!([t["name"], t["score"], t["status"]]))
        .collect();
    (json["score"].clone(), tests)
}

#[test]
fn two_shards_merged_are_the_class_graded_whole_and_misfits_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (whole, s1, s2, merged) = (
        tmp.path().join("whole"),
        tmp.path().join("s1"),
        tmp.path().join("s2"),
        tmp.path().join("merged"),
    );
    grade_demo(&whole, None);
    grade_demo(&s1, Some("1/2"));
    grade_demo(&s2, Some("2/2"));

    let run = merge(&[&s2, &s1], &merged);
    assert!(
        run.status.success(),
        "merge failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let listed = files(&whole);
    assert_eq!(files(&merged), listed, "the same files");
    assert!(
        listed.len() > 20,
        "every sample student's folder: {listed:?}"
    );
    for rel in &listed {
        let (a, b) = (whole.join(rel), merged.join(rel));
        if rel.starts_with("students") {
            // A student's files are the shard's, byte for byte. Against the whole grading
            // only the scores are compared: a failing std test's message (e.g. the values a
            // racy submission produced) may differ between any two runs.
            let from_shard = [&s1, &s2].iter().map(|s| s.join(rel)).find(|p| p.exists());
            let from_shard = from_shard.expect("each student file comes from a shard");
            assert_eq!(
                std::fs::read(&b).expect("read"),
                std::fs::read(&from_shard).expect("read"),
                "{} is not the shard's copy",
                rel.display()
            );
            if rel.ends_with("results.json") {
                assert_eq!(scores(&b), scores(&a), "{}: the scores", rel.display());
            }
        } else if rel.ends_with("summary.md") {
            assert_eq!(without_times(&b), without_times(&a), "{}", rel.display());
        } else {
            assert_eq!(
                std::fs::read_to_string(&b).expect("read"),
                std::fs::read_to_string(&a).expect("read"),
                "{} differs byte for byte",
                rel.display()
            );
        }
    }
    for (shard, student) in [(&s1, "hal"), (&s2, "ada")] {
        assert!(
            shard.join("students").join(student).is_dir(),
            "{student} is in {}",
            shard.display()
        );
    }

    let out = tmp.path().join("refused");
    merge_fails(&[&s1], &out, &["shard 2/2 is missing"]);
    merge_fails(&[&s1, &s1], &out, &["are both shard 1/2", "s1"]);
    merge_fails(
        &[&s1, &whole],
        &out,
        &["whole", "is not the output of a shard"],
    );

    let record = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("shard.json")).expect("read"))
            .expect("json")
    };
    let forged = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| -> PathBuf {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut value = record(&s2);
        edit(&mut value);
        std::fs::write(dir.join("shard.json"), value.to_string()).expect("write");
        dir
    };
    let other_course = forged("other-course", &|v| v["course"] = "0123456789abcdef".into());
    merge_fails(
        &[&s1, &other_course],
        &out,
        &["different course versions", "other-course", "same commit"],
    );
    let hal = record(&s1)["students"]
        .as_array()
        .expect("students")
        .iter()
        .find(|p| p["result"]["id"] == "hal")
        .expect("hal is in shard 1")
        .clone();
    let twice = forged("twice", &|v| {
        v["students"]
            .as_array_mut()
            .expect("students")
            .push(hal.clone())
    });
    merge_fails(
        &[&s1, &twice],
        &out,
        &["student `hal` is in two shards", "twice"],
    );
}
