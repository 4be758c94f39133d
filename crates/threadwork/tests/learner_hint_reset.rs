//! `threadwork hint` (the next hint each time, remembered) and `threadwork reset` (asks,
//! keeps a backup, refuses without a terminal) on copies of the course. No cargo runs.

mod learner_fixtures;

use learner_fixtures::tmux::{QUICK, Tmux};
use learner_fixtures::{Course, status_in_list};

#[test]
fn hint_shows_the_next_hint_each_time_and_remembers_how_many() {
    let course = Course::full();
    let catalog = course.catalog();
    let (_, counter) = catalog
        .exercise("counter")
        .expect("the lock topic has `counter`");
    let total = counter.hints.len();
    for (i, hint) in counter.hints.iter().enumerate() {
        let (ok, out, stderr) = course.run(&["hint", "counter"]);
        assert!(ok, "hint failed: {stderr}");
        assert!(
            out.contains(&format!("Hint {} of {total}: {hint}", i + 1)),
            "call {} must show hint {} and only it:\n{out}",
            i + 1,
            i + 1
        );
        if i > 0 {
            assert!(
                !out.contains(&counter.hints[i - 1]),
                "an earlier hint is not repeated:\n{out}"
            );
        }
    }
    let state = course.read(".threadwork-state.toml");
    assert!(
        state.contains(&format!("[exercise.counter]\nhints_shown = {total}")),
        "the count is in the state file:\n{state}"
    );
    let (ok, out, _) = course.run(&["hint", "lock::counter"]);
    assert!(ok);
    assert!(
        out.contains("No more hints") && out.contains(&counter.hints[0]),
        "after the last hint, all of them are shown again:\n{out}"
    );
}

#[test]
fn suggested_commands_are_spelled_as_the_cli_was_invoked() {
    let course = Course::full();
    let (_, as_binary, _) = course.run(&["hint", "counter"]);
    assert!(
        as_binary.contains("(`threadwork hint counter`)"),
        "run as the binary:\n{as_binary}"
    );
    // What `cargo tw` (`cargo run -p threadwork`) leaves in the environment of the CLI.
    let out = course
        .threadwork(&["hint", "counter"])
        .env("CARGO", "cargo")
        .env("CARGO_PKG_NAME", "threadwork")
        .output()
        .expect("run threadwork");
    let via_cargo = String::from_utf8_lossy(&out.stdout);
    assert!(
        via_cargo.contains("(`cargo tw hint counter`)"),
        "run through the cargo alias:\n{via_cargo}"
    );
    assert!(!via_cargo.contains("`threadwork "), "{via_cargo}");
}

#[test]
fn hint_for_an_unknown_exercise_fails_and_points_to_the_list() {
    let course = Course::full();
    let (ok, _, stderr) = course.run(&["hint", "no_such_exercise"]);
    assert!(!ok, "an unknown exercise is an error");
    assert!(
        stderr.contains("there is no exercise `no_such_exercise`") && stderr.contains("list"),
        "{stderr}"
    );
}

#[test]
fn hint_survives_a_corrupt_state_file() {
    let course = Course::full();
    course.write(".threadwork-state.toml", "version = \"one\"\n[[[");
    let (ok, out, stderr) = course.run(&["hint", "counter"]);
    assert!(ok, "never fatal: {stderr}");
    assert!(out.contains("Hint 1 of"), "counting starts again:\n{out}");
    let (ok, out, _) = course.run(&["hint", "counter"]);
    assert!(
        ok && out.contains("Hint 2 of"),
        "and is remembered again:\n{out}"
    );
}

#[test]
fn reset_without_a_terminal_or_yes_refuses_and_changes_nothing() {
    let course = Course::full();
    let file = "exercises/lock/01_counter.rs";
    let mine = course.read(file).replacen("todo!()", "todo!(\"mine\")", 1);
    course.write(file, &mine);
    let (ok, _, stderr) = course.run(&["reset", "counter"]);
    assert!(!ok, "no terminal to ask: refuse");
    assert!(stderr.contains("--yes"), "say how to proceed: {stderr}");
    assert_eq!(course.read(file), mine, "the learner's file is untouched");
    assert!(!course.path(&format!("{file}.orig")).exists());
}

#[test]
fn reset_yes_restores_the_stub_and_keeps_each_version_as_a_backup() {
    let course = Course::full();
    let file = "exercises/lock/01_counter.rs";
    let stub = course.read(file);
    let first = stub.replacen("todo!()", "todo!(\"first try\")", 1);
    course.write(file, &first);
    let (ok, out, stderr) = course.run(&["reset", "counter", "--yes"]);
    assert!(ok, "reset failed: {stderr}");
    assert!(out.contains("01_counter.rs.orig"), "name the backup: {out}");
    assert_eq!(course.read(file), stub, "the original stub is back");
    assert_eq!(
        course.read(&format!("{file}.orig")),
        first,
        "the backup is the learner's"
    );

    let second = stub.replacen("todo!()", "todo!(\"second try\")", 1);
    course.write(file, &second);
    let (ok, _, _) = course.run(&["reset", "counter", "-y"]);
    assert!(ok);
    assert_eq!(
        course.read(&format!("{file}.orig")),
        first,
        "an older backup is kept"
    );
    assert_eq!(
        course.read(&format!("{file}.2.orig")),
        second,
        "the new one is numbered"
    );

    let (_, list, _) = course.run(&["list"]);
    assert_eq!(status_in_list(&list, "counter"), "· untouched", "{list}");
    let (ok, out, _) = course.run(&["reset", "counter", "--yes"]);
    assert!(ok && out.contains("already the original stub"), "{out}");
}

#[test]
fn reset_restores_a_deleted_exercise_file() {
    let course = Course::full();
    let file = "exercises/lock/03_bank.rs";
    let stub = course.read(file);
    std::fs::remove_file(course.path(file)).expect("remove the file");
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(status_in_list(&list, "bank"), "! missing", "{list}");
    let (ok, _, stderr) = course.run(&["reset", "bank"]);
    assert!(ok, "nothing to lose, nothing to ask: {stderr}");
    assert_eq!(course.read(file), stub);
}

#[test]
fn reset_without_git_explains_where_to_get_the_stub() {
    let course = Course::full_without_git();
    let (ok, _, stderr) = course.run(&["reset", "counter", "--yes"]);
    assert!(!ok, "no original to restore");
    assert!(
        stderr.contains("cannot find the original stub") && stderr.contains("git clone"),
        "{stderr}"
    );
}

#[test]
fn reset_in_a_terminal_asks_first_and_only_yes_replaces_the_file() {
    let course = Course::full();
    let file = "exercises/lock/01_counter.rs";
    let stub = course.read(file);
    let mine = stub.replacen("todo!()", "todo!(\"mine\")", 1);
    course.write(file, &mine);

    let no = Tmux::start(&course, "reset-no", "reset counter");
    no.wait_for(
        "with the original stub? Your version will be kept as",
        QUICK,
    );
    no.keys("n");
    no.enter();
    no.wait_for("Nothing changed.", QUICK);
    no.wait_for("[exited with status 0]", QUICK);
    assert_eq!(
        course.read(file),
        mine,
        "answering no keeps the learner's file"
    );

    let yes = Tmux::start(&course, "reset-yes", "reset counter");
    yes.wait_for("[y/N]", QUICK);
    yes.keys("y");
    yes.enter();
    yes.wait_for("is the original stub again", QUICK);
    assert_eq!(course.read(file), stub, "answering yes restores the stub");
    assert_eq!(
        course.read(&format!("{file}.orig")),
        mine,
        "and keeps a backup"
    );
}
