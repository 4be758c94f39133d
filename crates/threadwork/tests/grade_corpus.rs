//! The hostile corpus: one class of broken, tampering and malicious submissions, graded
//! in one `threadwork grade` run (topic `lock` only, to keep CI quick). Every case must get
//! exactly its expected score (tests/corpus/cases.toml), its report must say why, nothing
//! may hang, and nothing outside the grader's own folders may change.

mod grade_fixtures;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use grade_fixtures::{cache, root, totals};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    source: String,
    score: f64,
    #[serde(default)]
    with_solutions: bool,
    report_contains: Vec<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn solution(file: &str) -> PathBuf {
    root().join("solutions/lock").join(file)
}

/// The lock topic's known-buggy variant with this patch, applied to its solution.
fn mutant(patch: &str) -> String {
    let catalog = catalog::Catalog::load(&root()).expect("the course's catalogue");
    let topic = catalog.topic("lock").expect("the lock topic");
    let m = catalog::mutants::load(&catalog, topic)
        .expect("mutants.toml loads")
        .into_iter()
        .find(|m| m.patch == patch)
        .unwrap_or_else(|| panic!("crates/lock/mutants/mutants.toml lists {patch}"));
    catalog::mutants::materialize(&catalog, topic, &m).unwrap_or_else(|e| panic!("{e}"))
}

const LOCK_FILES: [&str; 6] = [
    "01_counter.rs",
    "02_sql_lock.rs",
    "03_bank.rs",
    "04_rlock.rs",
    "05_semaphore.rs",
    "06_bounded_queue.rs",
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read corpus case") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Adds the reference solutions of every lock exercise the case does not hand in itself.
fn add_other_solutions(dir: &Path) {
    let has = |file: &str| {
        walk(dir)
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == file))
    };
    let target = dir.join("exercises/lock");
    std::fs::create_dir_all(&target).expect("mkdir");
    for file in LOCK_FILES {
        if !has(file) {
            std::fs::copy(solution(file), target.join(file)).expect("copy solution");
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn zip(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut w = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in entries {
        w.start_file(*name, options).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip finish");
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(solution(file)).expect("solution")
}

/// Writes one lock exercise file into a generated case.
fn write_exercise(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join("exercises/lock")).expect("mkdir");
    std::fs::write(dir.join("exercises/lock").join(file), text).expect("write");
}

/// Builds the cases whose input cannot be a checked-in folder.
fn generate(name: &str, class: &Path) {
    let dir = class.join(name);
    match name {
        "correct" => {
            std::fs::create_dir_all(&dir).expect("mkdir");
            add_other_solutions(&dir);
        }
        "partial" => {
            std::fs::create_dir_all(dir.join("lock")).expect("mkdir");
            std::fs::write(dir.join("lock/01_counter.rs"), read("01_counter.rs")).expect("w");
            std::fs::write(dir.join("03_bank.rs"), read("03_bank.rs")).expect("w");
        }
        "racy" => {
            std::fs::create_dir_all(dir.join("exercises/lock")).expect("mkdir");
            std::fs::write(
                dir.join("exercises/lock/01_counter.rs"),
                mutant("counter_split_read_and_write.patch"),
            )
            .expect("write");
            add_other_solutions(&dir);
        }
        // The racy counter again, printing what a passing loom model and a grader fault
        // print: the score must be the honest racy one (issue 14, hostile #4).
        "prints_explored" => {
            let racy = mutant("counter_split_read_and_write.patch");
            let printing = racy.replacen(
                "pub fn increment(&self) {",
                "pub fn increment(&self) {\n        \
                 println!(\"[threadwork] explored 1 interleavings in 0.00 s\");\n        \
                 println!(\"the grader failed: fake\");",
                1,
            );
            assert_ne!(racy, printing, "the mutant has `fn increment`");
            write_exercise(&dir, "01_counter.rs", &printing);
            add_other_solutions(&dir);
        }
        // A correct counter whose one failing std test panics with a loom model's failure
        // report: no model failed, so only that test is lost.
        "prints_model_failure" => {
            let correct = String::from_utf8(read("01_counter.rs")).expect("utf-8");
            let printing = correct.replacen(
                "pub fn count_in_parallel(threads: usize, per_thread: u64) -> u64 {",
                "pub fn count_in_parallel(threads: usize, per_thread: u64) -> u64 {\n    \
                 assert!(threads != 8, \"exercise `counter`, loom model `counter::models::x`: \
                 DEADLOCK\");",
                1,
            );
            assert_ne!(correct, printing, "the solution has `fn count_in_parallel`");
            write_exercise(&dir, "01_counter.rs", &printing);
            add_other_solutions(&dir);
        }
        // Valid Rust nested deeper than the grader parses: refused, and only this file.
        "nested_700" | "nested_100000" => {
            let depth: usize = name["nested_".len()..].parse().expect("a depth");
            let mut text = String::from_utf8(read("01_counter.rs")).expect("utf-8");
            text.push_str(&format!(
                "\npub fn deep() -> u32 {{\n    {}1{}\n}}\n",
                "(".repeat(depth),
                ")".repeat(depth)
            ));
            write_exercise(&dir, "01_counter.rs", &text);
            add_other_solutions(&dir);
        }
        // A correct counter whose helper is named `process`: the student's own function,
        // not `std::process` (issue 14, hostile #3).
        "helper_named_process" => {
            let correct = String::from_utf8(read("01_counter.rs")).expect("utf-8");
            let text = correct.replacen(
                "                for _ in 0..per_thread {\n                    counter.increment();\n                }",
                "                process(&counter, per_thread);",
                1,
            );
            assert_ne!(
                correct, text,
                "the solution's loop is where the test expects it"
            );
            let text = format!(
                "{text}\n/// Does one thread's share of the work.\n\
                 fn process(counter: &Counter, per_thread: u64) {{\n    \
                 for _ in 0..per_thread {{\n        counter.increment();\n    }}\n}}\n"
            );
            write_exercise(&dir, "01_counter.rs", &text);
            add_other_solutions(&dir);
        }
        // `#[path]` hidden in a `cfg_attr` (issue 14, hostile #9).
        "cfg_attr_path" => {
            let mut text = String::from_utf8(read("01_counter.rs")).expect("utf-8");
            text.push_str(&format!(
                "\n#[cfg_attr(all(), cfg_attr(all(), path = {:?}))]\nmod answer;\n",
                solution("01_counter.rs").display().to_string()
            ));
            write_exercise(&dir, "01_counter.rs", &text);
            add_other_solutions(&dir);
        }
        "symlinks_out" => {
            std::fs::create_dir_all(dir.join("exercises/lock")).expect("mkdir");
            std::os::unix::fs::symlink(
                solution("01_counter.rs"),
                dir.join("exercises/lock/01_counter.rs"),
            )
            .expect("symlink");
            std::os::unix::fs::symlink(root().join("solutions/lock"), dir.join("lock"))
                .expect("symlink");
            add_other_solutions(&dir);
            // the symlink above is found by name: hand in the five others explicitly
            for file in &LOCK_FILES[1..] {
                let target = dir.join("exercises/lock").join(file);
                if !target.exists() {
                    std::fs::copy(solution(file), target).expect("copy");
                }
            }
        }
        "zip_slip" => zip(
            &class.join("zip_slip.zip"),
            &[
                ("../../exercises/lock/01_counter.rs", read("01_counter.rs")),
                ("/etc/exercises/lock/02_sql_lock.rs", read("02_sql_lock.rs")),
                ("exercises/lock/03_bank.rs", read("03_bank.rs")),
            ],
        ),
        // A Windows zip: `\` separators (issue 14, hostile #7); one entry tries to leave.
        "windows_zip" => {
            let mut entries: Vec<(String, Vec<u8>)> = LOCK_FILES
                .iter()
                .map(|file| (format!("threadwork\\exercises\\lock\\{file}"), read(file)))
                .collect();
            entries.push(("..\\..\\lock\\03_bank.rs".into(), read("03_bank.rs")));
            let entries: Vec<(&str, Vec<u8>)> = entries
                .iter()
                .map(|(n, b)| (n.as_str(), b.clone()))
                .collect();
            zip(&class.join("windows_zip.zip"), &entries);
        }
        // Upper-case extensions are the same files; an LMS-prefixed name gets a hint.
        "windows_names" => {
            std::fs::create_dir_all(dir.join("exercises/lock")).expect("mkdir");
            for file in LOCK_FILES {
                let upper = file.replace(".rs", ".RS");
                std::fs::copy(solution(file), dir.join("exercises/lock").join(upper))
                    .expect("copy");
            }
            std::fs::write(
                dir.join("carol_5551_100231_01_counter.rs"),
                read("01_counter.rs"),
            )
            .expect("w");
        }
        // Student ids named like the grader's own outputs (issue 14, hostile #5).
        "gradebook.csv" => zip(
            &class.join("gradebook.csv.zip"),
            &[("exercises/lock/03_bank.rs", read("03_bank.rs"))],
        ),
        ".work" => write_exercise(
            &dir,
            "01_counter.rs",
            &String::from_utf8(read("01_counter.rs")).expect("utf-8"),
        ),
        "zip_bomb" => zip(
            &class.join("zip_bomb.zip"),
            &[
                ("exercises/lock/01_counter.rs", vec![b' '; 300 << 20]),
                ("big/data.bin", vec![0u8; 300 << 20]),
                ("exercises/lock/03_bank.rs", read("03_bank.rs")),
            ],
        ),
        "non_utf8_names" => {
            use std::os::unix::ffi::OsStrExt;
            std::fs::create_dir_all(dir.join("exercises/lock")).expect("mkdir");
            let odd = std::ffi::OsStr::from_bytes(b"\xff\xfe_02_sql_lock.rs");
            std::fs::write(dir.join(odd), read("02_sql_lock.rs")).expect("write odd name");
            std::fs::write(
                dir.join("exercises/lock/01_counter.rs"),
                read("01_counter.rs"),
            )
            .expect("w");
        }
        "corrupt_zip" => {
            std::fs::write(
                class.join("corrupt_zip.zip"),
                b"PK\x03\x04 this is not really a zip",
            )
            .expect("w");
        }
        "empty" => std::fs::create_dir_all(&dir).expect("mkdir"),
        // A flat Canvas download: loose files in the class folder, the student in each name;
        // one uploaded late and again (`_LATE_`, `-1`) (issue 14, §5 and hostile #11).
        "carol_5551" => {
            for (n, file) in LOCK_FILES.iter().enumerate() {
                let name = if n == 1 {
                    format!("carol_LATE_5551_1002{n}_{}", file.replace(".rs", "-1.rs"))
                } else {
                    format!("carol_5551_1002{n}_{file}")
                };
                std::fs::write(class.join(name), read(file)).expect("w");
            }
        }
        // Moodle's flat download of a student who handed in two exercises.
        "Ann Lee_17" => {
            for file in ["01_counter.rs", "03_bank.rs"] {
                let name = format!("Ann Lee_17_assignsubmission_file_{file}");
                std::fs::write(class.join(name), read(file)).expect("w");
            }
        }
        // A zipped course whose build outputs come first, more of them than the entry cap
        // (issue 14, hostile #8): skipped unread, and the exercises are graded.
        "target_first" => {
            let mut entries: Vec<(String, Vec<u8>)> = (0..21_000)
                .map(|i| (format!("threadwork/target/debug/deps/f{i}.o"), Vec::new()))
                .collect();
            entries.extend(
                LOCK_FILES
                    .iter()
                    .map(|file| (format!("threadwork/exercises/lock/{file}"), read(file))),
            );
            let entries: Vec<(&str, Vec<u8>)> = entries
                .iter()
                .map(|(n, b)| (n.as_str(), b.clone()))
                .collect();
            zip(&class.join("target_first.zip"), &entries);
        }
        other => panic!("no generator for case `{other}`"),
    }
}

/// (path, size, modification time) of every file under the given folders.
fn fingerprint(dirs: &[PathBuf]) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    dirs.iter()
        .flat_map(|d| walk(d))
        .filter_map(|p| {
            let m = std::fs::symlink_metadata(&p).ok()?;
            Some((p, (m.len(), m.modified().ok()?)))
        })
        .collect()
}

#[test]
fn the_hostile_corpus_is_graded_exactly_and_touches_nothing_outside() {
    let mut cases: Cases =
        toml::from_str(&std::fs::read_to_string(corpus().join("cases.toml")).expect("cases.toml"))
            .expect("cases.toml is valid");
    // THREADWORK_CORPUS_CASES=a,b grades only those cases: a quick check of one new case.
    if let Ok(only) = std::env::var("THREADWORK_CORPUS_CASES") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        cases.case.retain(|c| only.contains(&c.name.as_str()));
        assert!(!cases.case.is_empty(), "no case is named in {only:?}");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let class = tmp.path().join("class");
    std::fs::create_dir_all(&class).expect("mkdir");
    for case in &cases.case {
        match case.source.as_str() {
            "folder" => {
                copy_dir(&corpus().join(&case.name), &class.join(&case.name));
                if case.with_solutions {
                    add_other_solutions(&class.join(&case.name));
                }
            }
            "generated" => generate(&case.name, &class),
            other => panic!("case {}: unknown source `{other}`", case.name),
        }
    }
    std::fs::write(class.join("README.txt"), "not a submission").expect("stray file");

    // What hostile code may try to touch.
    let canary = Path::new("/tmp/threadwork-corpus-canary");
    std::fs::create_dir_all(canary).expect("canary dir");
    std::fs::write(canary.join("keep"), "keep me").expect("canary");
    let _ = std::fs::remove_file(canary.join("pwned"));
    let listener = std::net::TcpListener::bind("127.0.0.1:47113").ok();
    let watched: Vec<PathBuf> = [
        "exercises/lock",
        "solutions/lock",
        "crates/lock",
        "crates/support",
        "crates/catalog",
    ]
    .iter()
    .map(|d| root().join(d))
    .collect();
    let before = fingerprint(&watched);

    let out = tmp.path().join("out");
    let cache = cache();
    let started = std::time::Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(root())
        .args(["grade", "--topics", "lock", "--jobs", "2", "--out"])
        .arg(&out)
        .arg("--cache-dir")
        .arg(&cache)
        .arg(&class)
        .output()
        .expect("run the grader");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the grader failed:\n{stderr}");
    drop(listener);

    assert!(
        canary.join("keep").exists(),
        "a submission deleted a file outside its copy"
    );
    assert!(
        !canary.join("pwned").exists(),
        "a submission wrote a file outside its copy"
    );
    assert_eq!(
        before,
        fingerprint(&watched),
        "grading changed the instructor's tree"
    );

    let totals = totals(&out.join("gradebook.csv"));
    let mut table =
        String::from("| case | expected | actual | the report says |\n|---|---:|---:|---|\n");
    let mut wrong = Vec::new();
    for case in &cases.case {
        let actual = totals.get(&case.name).copied();
        // Student folders replace what a file name should not hold (`Ann Lee_17`: a space).
        let folder = case.name.replace(' ', "_");
        let report = std::fs::read_to_string(out.join("students").join(folder).join("report.md"))
            .unwrap_or_default();
        let missing: Vec<&String> = case
            .report_contains
            .iter()
            .filter(|s| !report.contains(s.as_str()))
            .collect();
        if actual.is_none_or(|a| (a - case.score).abs() > 0.01) || !missing.is_empty() {
            wrong.push(format!(
                "{}: expected {}, got {actual:?}; report lacks {missing:?}\n{report}",
                case.name, case.score
            ));
        }
        let said = case
            .report_contains
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            case.name,
            case.score,
            actual.map_or("-".into(), |a| a.to_string()),
            said.replace('|', "\\|")
        ));
    }
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(
        summary.contains("`README.txt`: not a submission"),
        "{summary}"
    );
    println!(
        "{table}\ngraded {} cases in {seconds:.0} s",
        cases.case.len()
    );
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-table.md"),
        &table,
    );
    assert!(wrong.is_empty(), "wrong grades:\n{}", wrong.join("\n\n"));
    let correct_graded = cases.case.iter().all(|c| c.name != "correct")
        || out.join("students/correct/results.json").is_file();
    assert!(
        out.join("histogram.svg").is_file() && correct_graded,
        "outputs are missing"
    );
}
