//! `threadwork watch`: driven in a real terminal (tmux: send-keys to type, capture-pane to
//! read the screen) and through a pipe.

mod learner_fixtures;

use std::path::Path;
use std::time::Duration;

use learner_fixtures::tmux::{QUICK, Tmux};
use learner_fixtures::{Course, status_in_list};

/// How long to wait for a check that builds the lock topic in the copy (seconds when warm;
/// a cold build of the workspace crates on a busy 2-core machine stays well below this).
const BUILD: Duration = Duration::from_secs(300);

#[test]
fn watch_in_a_terminal_follows_hints_lists_and_moves_on_when_a_solution_is_saved() {
    let course = Course::lock_only("watch-tmux", 76);
    let catalog = course.catalog();
    let lock = catalog.topic("lock").expect("the lock topic");
    let [first, second, third, ..] = lock.exercises.as_slice() else {
        panic!("the lock topic has at least three exercises");
    };
    let tmux = Tmux::start(&course, "watch", "watch");
    tmux.wait_for(
        &format!("Untouched: open exercises/lock/{}", first.file),
        QUICK,
    );

    tmux.keys("h");
    tmux.wait_for(&format!("Hint 1 of {}", first.hints.len()), QUICK);

    tmux.keys("l");
    let screen = tmux.wait_for("Course [", QUICK);
    assert_eq!(
        status_in_list(&screen, first.name.as_str()),
        "· untouched",
        "{screen}"
    );

    course.copy_solution_of("lock", &first.file);
    tmux.wait_for(&format!("✓ {} is solved", first.name), BUILD);
    tmux.wait_for(&format!("Moving on to `{}`", second.name), QUICK);
    tmux.wait_for(&format!("== {} (lock 2/", second.name), QUICK);

    tmux.keys("n");
    tmux.wait_for(&format!("== {} (lock 3/", third.name), QUICK);

    tmux.keys("q");
    let screen = tmux.wait_for("Bye!", QUICK);
    tmux.wait_for("[exited with status 0]", QUICK);
    assert!(
        !screen.contains("error:"),
        "watch ended with an error:\n{screen}"
    );

    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, first.name.as_str()),
        "✓ solved",
        "recorded:\n{list}"
    );
    let state = course.read(".threadwork-state.toml");
    assert!(
        state.contains(&format!("[exercise.{}]\nhints_shown = 1", first.name)),
        "the hint shown in watch is remembered:\n{state}"
    );
}

#[test]
fn watch_reads_keys_from_a_pipe_when_there_is_no_terminal() {
    let course = Course::full();
    let catalog = course.catalog();
    let first = &catalog.topics[0].exercises[0];
    let out = course
        .threadwork(&["watch"])
        .write_stdin("h\nl\nq\n")
        .output()
        .expect("run watch");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = [
        format!("== {} ({} 1/", first.name, catalog.topics[0].topic),
        format!("Hint 1 of {}", first.hints.len()),
        "Course [".to_string(),
        "Bye!".to_string(),
    ];
    let mut rest: &str = &stdout;
    for text in &expected {
        let at = rest
            .find(text.as_str())
            .unwrap_or_else(|| panic!("`{text}` missing or out of order:\n{stdout}"));
        rest = &rest[at..];
    }
    assert!(!stdout.contains('\r'), "no raw-mode line endings in a pipe");
    assert!(
        Path::new(&course.root)
            .join(".threadwork-state.toml")
            .is_file()
    );
}

#[test]
fn watch_starts_where_it_is_told_and_steps_and_jumps_between_exercises() {
    let course = Course::full();
    let catalog = course.catalog();
    let lock = catalog.topic("lock").expect("the lock topic");
    let all: Vec<_> = catalog.topics.iter().flat_map(|t| &t.exercises).collect();
    let at = |name: &str| all.iter().position(|e| e.name == name).expect("listed");
    let bank = &lock.exercises[2];
    let before_bank = all[at(bank.name.as_str()) - 1];
    // p: previous; n: next; l: the numbered list; "1" + Enter: the course's first exercise
    let out = course
        .threadwork(&["watch", &format!("lock::{}", bank.name)])
        .write_stdin("p\nn\nl\n1\nq\n")
        .output()
        .expect("run watch");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let expected = [
        format!("== {} (lock 3/", bank.name),
        format!("== {} (", before_bank.name),
        format!("== {} (lock 3/", bank.name),
        format!(
            "▶ {:>2}  · untouched  {}",
            at(bank.name.as_str()) + 1,
            bank.name
        ),
        "Type an exercise's number and Enter".to_string(),
        format!("== {} ({} 1/", all[0].name, catalog.topics[0].topic),
        "Bye!".to_string(),
    ];
    let mut rest: &str = &stdout;
    for text in &expected {
        let found = rest
            .find(text.as_str())
            .unwrap_or_else(|| panic!("`{text}` missing or out of order:\n{stdout}"));
        rest = &rest[found..];
    }

    let out = course
        .threadwork(&["watch", "lock"])
        .write_stdin("q\n")
        .output()
        .expect("run watch");
    let topic_start = String::from_utf8_lossy(&out.stdout);
    assert!(
        topic_start.contains(&format!("== {} (lock 1/", lock.exercises[0].name)),
        "a topic starts at its first unsolved exercise:\n{topic_start}"
    );
}

#[test]
fn a_second_watch_in_the_same_course_is_refused_and_the_first_one_goes_on() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command as Process, Stdio};

    let course = Course::full();
    let mut first = Process::new(env!("CARGO_BIN_EXE_threadwork"))
        .current_dir(&course.root)
        .arg("watch")
        .env("GIT_CEILING_DIRECTORIES", course.root.parent().unwrap())
        .env_remove("CARGO_PKG_NAME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the first watch");
    // The first stub is untouched: watch shows it and waits, holding its lock.
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    lines
        .by_ref()
        .map(|l| l.expect("read the first watch"))
        .find(|l| l.contains("Untouched: open"))
        .expect("the first watch shows its exercise");

    let (ok, _, stderr) = course.run(&["watch"]);
    assert!(!ok, "a second watch must not start");
    assert!(
        stderr.contains("another `threadwork watch` is already running")
            && stderr.contains(".threadwork-watch.lock")
            && stderr.contains("quit it with q"),
        "say what runs and what to do: {stderr}"
    );

    let mut stdin = first.stdin.take().unwrap();
    writeln!(stdin, "h").unwrap();
    let hint = lines
        .by_ref()
        .map(|l| l.expect("read the first watch"))
        .find(|l| l.contains("Hint 1 of"));
    assert!(hint.is_some(), "the first watch still answers its keys");
    drop(stdin);
    assert!(first.wait().unwrap().success(), "and ends cleanly");

    let (ok, out, stderr) = course.run(&["watch"]);
    assert!(
        ok && out.contains("Bye!"),
        "once it quit, a new watch starts: {stderr}"
    );
}
