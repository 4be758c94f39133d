//! `threadwork check` on copies of the `lock` topic: what a learner reads for a stub, a
//! solution, a race found by loom, an import-rule violation and a compile error, and
//! what it records for `list`. Each test runs real `cargo test` in its own copy (see
//! learner_fixtures for why each has its own `salt`).

mod learner_fixtures;

use learner_fixtures::{Course, status_in_list};

#[test]
fn checking_a_stub_explains_each_failing_test_in_learner_terms() {
    let course = Course::lock_only("check-stub", 71);
    let (ok, out, stderr) = course.run(&["check", "lock::counter"]);
    assert!(!ok, "an unsolved exercise fails the command");
    assert!(stderr.contains("`counter` is not solved yet"), "{stderr}");
    assert!(out.contains("✗ counter: 0 of "), "{out}");
    assert!(
        out.contains("not implemented yet: the `todo!()` at exercises/lock/01_counter.rs:"),
        "the stub's todo!() is named, in the learner's file:\n{out}"
    );
    assert!(
        out.contains("(loom model)"),
        "models are marked as such:\n{out}"
    );
    assert!(out.contains("Stuck? `threadwork hint counter`"), "{out}");
    for noise in [
        "stack backtrace",
        "RUST_BACKTRACE",
        "---- ",
        "test result:",
        "Compiling",
    ] {
        assert!(
            !out.contains(noise),
            "libtest/cargo noise `{noise}` is dropped:\n{out}"
        );
    }
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "· untouched",
        "still the stub:\n{list}"
    );
}

#[test]
fn a_solution_copied_in_is_detected_as_solved_and_stays_solved_until_edited() {
    let course = Course::lock_only("check-solved", 72);
    course.copy_solution_of("lock", "01_counter.rs");
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "~ edited",
        "not checked yet:\n{list}"
    );

    let (ok, out, stderr) = course.run(&["check", "counter"]);
    assert!(ok, "a solved exercise passes the command:\n{out}\n{stderr}");
    assert!(out.contains("✓ counter is solved: all "), "{out}");
    assert!(out.contains("loom models included"), "{out}");

    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "✓ solved",
        "recorded:\n{list}"
    );
    assert!(list.contains("1 of 6 exercises solved"), "{list}");
    assert!(
        list.contains("Next: sql_lock (lock)"),
        "the next one is current:\n{list}"
    );

    let (ok, out, _) = course.run(&["check", "lock"]);
    assert!(!ok, "the other lock exercises are not solved");
    assert!(out.contains("✓ counter is solved"), "{out}");
    assert!(
        out.contains("· sql_lock: untouched, so its "),
        "a topic check sums up untouched stubs in one line:\n{out}"
    );

    let file = "exercises/lock/01_counter.rs";
    let text = course.read(file);
    course.write(file, &format!("{text}\n// one more comment\n"));
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "~ edited",
        "a result is only fresh for the file it checked:\n{list}"
    );
}

/// A race in `counter`, as the course's own known-buggy variant writes it (its patch applied
/// to the solution). (The lock topic's deadlocking variants would do as well, but a deadlock
/// also stalls the std stress tests until their 60 s hang guard, so the run time would
/// depend on luck.)
#[test]
fn a_race_found_by_loom_reads_as_the_support_crates_report() {
    let course = Course::lock_only("check-race", 73);
    let catalog = course.catalog();
    let topic = catalog.topic("lock").expect("the lock topic");
    let mutant = catalog::mutants::load(&catalog, topic)
        .expect("mutants.toml loads")
        .into_iter()
        .find(|m| m.exercise == "counter")
        .expect("the lock topic has a racy counter");
    let (_, ex) = catalog
        .exercise(&mutant.exercise)
        .expect("its exercise exists");
    let buggy = catalog::mutants::materialize(&catalog, topic, &mutant)
        .unwrap_or_else(|e| panic!("the mutant applies: {e}"));
    course.write(&format!("exercises/lock/{}", ex.file), &buggy);

    let (ok, out, _) = course.run(&["check", &mutant.exercise]);
    assert!(!ok, "a race is not solved");
    assert!(
        out.contains(&format!("✗ {} (loom model)", mutant.caught_by)),
        "the model that caught it is named:\n{out}"
    );
    assert!(
        out.contains("loom found an interleaving that breaks this check"),
        "{out}"
    );
    assert!(
        out.contains(&mutant.report_contains),
        "the report CI expects for this variant reaches the learner:\n{out}"
    );
    assert!(
        out.contains("Re-run only this model: cargo test -p lock -- "),
        "{out}"
    );
    assert!(
        !out.contains("model.rs"),
        "the runner's own panic location is noise:\n{out}"
    );
    let first_failure = out
        .lines()
        .find(|l| l.trim_start().starts_with("✗ counter::"))
        .unwrap_or_default();
    assert!(
        first_failure.contains(&mutant.caught_by),
        "the first failure shown names the race, not a symptom of it:\n{out}"
    );

    // The learner's shell may have RUST_BACKTRACE=1: plain cargo test stays readable.
    let plain = std::process::Command::new(env!("CARGO"))
        .current_dir(&course.root)
        .args(["test", "-p", "lock", "--", &mutant.caught_by])
        .env("CARGO_TARGET_DIR", learner_fixtures::target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run cargo test");
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(plain.contains(&mutant.report_contains), "{plain}");
    assert!(
        !plain.contains("stack backtrace") && !plain.contains("support::model"),
        "the report is not buried under the runner's frames:\n{plain}"
    );
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, &mutant.exercise),
        "✗ failing",
        "{list}"
    );
}

#[test]
fn std_sync_in_an_exercise_is_explained_by_the_import_rule() {
    let course = Course::lock_only("check-guard", 74);
    let solution = course.read("solutions/lock/01_counter.rs");
    assert!(
        solution.contains("crate::sync::"),
        "the solution imports through the facade"
    );
    course.write(
        "exercises/lock/01_counter.rs",
        &solution.replace("crate::sync::", "std::sync::"),
    );
    let (ok, out, _) = course.run(&["check", "counter"]);
    assert!(!ok);
    assert!(out.contains("✗ lock does not compile"), "{out}");
    assert!(
        out.contains("In exercise `counter` (exercises/lock/01_counter.rs)"),
        "{out}"
    );
    assert!(
        out.contains("exercises/lock/01_counter.rs:")
            && out.contains("bypasses the model checker; write `crate::sync::"),
        "the guard's message, with the learner's file and line:\n{out}"
    );
}

#[test]
fn a_compile_error_in_another_exercise_is_shown_and_its_stub_stands_in_for_it() {
    let course = Course::lock_only("check-compile-error", 75);
    let file = "exercises/lock/03_bank.rs";
    let broken =
        course
            .read(file)
            .replacen("todo!()", "let oops: u32 = \"not a number\"; todo!()", 1);
    course.write(file, &broken);
    let (ok, out, _) = course.run(&["check", "counter"]);
    assert!(!ok);
    assert!(
        out.contains("✗ bank does not compile (exercises/lock/03_bank.rs)"),
        "{out}"
    );
    assert!(
        out.contains("error[E0308]: mismatched types"),
        "the compiler's own words:\n{out}"
    );
    assert!(
        out.contains("--> exercises/lock/03_bank.rs:"),
        "paths relative to the course:\n{out}"
    );
    assert!(
        out.contains("So counter was checked with the original stub of bank in its place"),
        "bank's stub stands in for it:\n{out}"
    );
    assert!(
        out.contains("✗ counter: 0 of "),
        "counter's own verdict (a stub):\n{out}"
    );
    assert_eq!(
        course.read(file),
        broken,
        "the learner's broken file is not touched"
    );
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(status_in_list(&list, "bank"), "✗ failing", "{list}");
    assert_eq!(status_in_list(&list, "counter"), "· untouched", "{list}");
}

/// Files an editor or a learner can leave behind: CRLF and a BOM are checked normally; a
/// deleted file and a non-UTF-8 one are named with their fix, do not block the other
/// exercises, and are never changed. An exported students' copy (no solutions/, no git)
/// checks the same, without pointing at solutions it does not have.
#[test]
fn bad_files_are_checked_or_named_with_their_fix_and_nothing_is_lost() {
    let course = Course::lock_only("check-bad-files", 81);
    let solution = course.read("solutions/lock/01_counter.rs");
    let windows = format!("\u{feff}{}", solution.replace('\n', "\r\n"));
    course.write("exercises/lock/01_counter.rs", &windows);
    let (ok, out, stderr) = course.run(&["check", "counter"]);
    assert!(ok, "a BOM and CRLF line endings are fine:\n{out}\n{stderr}");
    assert!(out.contains("✓ counter is solved"), "{out}");
    assert!(
        out.contains("Compare with the course's solution: solutions/lock/01_counter.rs"),
        "once solved, where to compare:\n{out}"
    );

    let sql_lock = course.read("exercises/lock/02_sql_lock.rs");
    std::fs::remove_file(course.path("exercises/lock/02_sql_lock.rs")).unwrap();
    let latin1: Vec<u8> = course
        .read("exercises/lock/03_bank.rs")
        .replacen("//!", "//! caf\u{e9}", 1)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    std::fs::write(course.path("exercises/lock/03_bank.rs"), &latin1).unwrap();
    let (ok, out, stderr) = course.run(&["check", "counter"]);
    assert!(ok, "counter is still checked, and solved:\n{out}\n{stderr}");
    assert!(out.contains("✓ counter is solved"), "{out}");
    assert!(
        out.contains("✗ sql_lock: exercises/lock/02_sql_lock.rs is missing")
            && out.contains("`threadwork reset sql_lock`"),
        "the deleted file, with its fix:\n{out}"
    );
    assert!(
        out.contains(
            "✗ bank: exercises/lock/03_bank.rs is not UTF-8 text (the first bad byte is on line 1)"
        ) && out.contains("Save it again as UTF-8"),
        "the non-UTF-8 file, with its fix:\n{out}"
    );
    assert!(out.contains("Its original stub stood in for it"), "{out}");

    let (ok, out, _) = course.run(&["check", "bank"]);
    assert!(!ok);
    assert!(
        out.contains("✗ bank: exercises/lock/03_bank.rs is not UTF-8"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(course.path("exercises/lock/03_bank.rs")).unwrap(),
        latin1,
        "the learner's file is never rewritten"
    );
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(status_in_list(&list, "sql_lock"), "! missing", "{list}");

    // The students' copy an instructor exports: no solutions, not (yet) a git repository.
    course.write("exercises/lock/02_sql_lock.rs", &sql_lock);
    course.copy_solution_of("lock", "03_bank.rs");
    std::fs::remove_dir_all(course.path("solutions")).unwrap();
    std::fs::remove_dir_all(course.path(".git")).unwrap();
    let (ok, out, stderr) = course.run(&["check", "counter"]);
    assert!(ok, "{out}\n{stderr}");
    assert!(out.contains("✓ counter is solved"), "{out}");
    assert!(
        !out.contains("solutions/"),
        "no pointer to solutions the copy does not have:\n{out}"
    );
}

/// Issue 16: a std test that kills the whole test binary (here `std::process::abort` from a
/// thread the learner's code spawns, in one rstest case of `counter`) leaves every test that
/// was still running without a verdict. The others run again without it: every other
/// exercise keeps its real verdict, and counter's names the test that crashed and what
/// SIGABRT usually means.
#[test]
fn a_test_that_aborts_the_test_process_costs_the_other_exercises_nothing() {
    a_crash_costs_the_other_exercises_nothing(
        "check-abort",
        82,
        "thread::spawn(|| std::process::abort()).join().unwrap();",
    );
}

/// Issue 16: a panic in a `Drop` that runs while the thread is already unwinding aborts
/// the process (Rust's "panic in a destructor during cleanup"), with no panic report for
/// the test that caused it: the same path as an abort, and the same verdicts.
#[test]
fn a_panic_in_drop_while_panicking_costs_the_other_exercises_nothing() {
    a_crash_costs_the_other_exercises_nothing(
        "check-drop-panic",
        83,
        "struct PanicsInDrop;\n        \
         impl Drop for PanicsInDrop {\n            \
         fn drop(&mut self) {\n                panic!(\"in drop\");\n            }\n        }\n        \
         thread::spawn(|| {\n            let _bomb = PanicsInDrop;\n            \
         panic!(\"first\");\n        })\n        .join()\n        .unwrap();",
    );
}

/// Plants `crash` in the std build's eight-thread case of the solved counter (loom's models
/// stay green), hands in sql_lock's solution beside it, and checks every verdict.
fn a_crash_costs_the_other_exercises_nothing(name: &str, salt: u32, crash: &str) {
    let course = Course::lock_only(name, salt);
    let solution = course.read("solutions/lock/01_counter.rs");
    let planted = solution.replacen(
        "    let counter = Arc::new(Counter::new());\n    let handles",
        &format!(
            "    // Only the std build's eight-thread case; loom's models stay green.\n    \
             if threads == 8 && std::any::type_name::<Mutex<u64>>().starts_with(\"std::\") {{\n        \
             {crash}\n    }}\n    \
             let counter = Arc::new(Counter::new());\n    let handles"
        ),
        1,
    );
    assert_ne!(planted, solution, "the crash is planted");
    course.write("exercises/lock/01_counter.rs", &planted);
    course.copy_solution_of("lock", "02_sql_lock.rs");
    let crashed = "counter::parallel_counts_add_up::case_3_eight_threads";

    let (ok, out, _) = course.run(&["check", "lock"]);
    assert!(!ok, "counter is not solved:\n{out}");
    assert!(
        out.contains("✓ sql_lock is solved"),
        "another exercise keeps its real verdict:\n{out}"
    );
    for stub in ["bank", "rlock", "semaphore", "bounded_queue"] {
        assert!(
            out.contains(&format!("· {stub}: untouched, so its ")),
            "{stub}'s stub gets its own verdict:\n{out}"
        );
    }
    assert_crash_explained(&out, crashed);

    let (ok, out, _) = course.run(&["check", "counter"]);
    assert!(!ok);
    assert_crash_explained(&out, crashed);
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(status_in_list(&list, "counter"), "✗ failing", "{list}");
    assert_eq!(status_in_list(&list, "sql_lock"), "✓ solved", "{list}");
}

/// counter's verdict: every other test passed, and the one that crashed is named with
/// what the signal usually means.
fn assert_crash_explained(out: &str, crashed: &str) {
    let verdict = out
        .lines()
        .find(|l| l.starts_with("✗ counter: "))
        .unwrap_or_else(|| panic!("counter has a verdict:\n{out}"));
    let counts: Vec<usize> = verdict
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        matches!(counts[..], [passed, total] if passed + 1 == total && total > 5),
        "all but the crashing test pass: {verdict}\n{out}"
    );
    assert!(out.contains(&format!("✗ {crashed}\n")), "{out}");
    assert!(
        out.contains("the test process died while it ran (signal: 6, SIGABRT")
            && out.contains("a panic while panicking"),
        "the signal and what it usually means:\n{out}"
    );
}
