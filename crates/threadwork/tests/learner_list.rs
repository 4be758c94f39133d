//! `threadwork list` and `progress` on copies of the course: what a fresh clone shows, what
//! an edit changes, and what happens without git. No test here runs cargo.

mod learner_fixtures;

use learner_fixtures::{Course, status_in_list};

#[test]
fn a_fresh_clone_lists_every_exercise_of_every_topic_as_untouched() {
    let course = Course::full();
    let (ok, list, stderr) = course.run(&["list"]);
    assert!(ok, "list failed: {stderr}");
    let catalog = course.catalog();
    let exercises: Vec<_> = catalog.topics.iter().flat_map(|t| &t.exercises).collect();
    for topic in &catalog.topics {
        assert!(
            list.contains(&format!("{}. {}: ", topic.order, topic.topic)),
            "topic {} is missing from the list:\n{list}",
            topic.topic
        );
    }
    for ex in &exercises {
        assert_eq!(
            status_in_list(&list, ex.name.as_str()),
            "· untouched",
            "on a fresh clone `{}` must be untouched:\n{list}",
            ex.name
        );
    }
    assert!(
        list.contains(&format!("0 of {} exercises solved", exercises.len())),
        "the course bar must count every exercise:\n{list}"
    );
    let first = &catalog.topics[0].exercises[0];
    assert!(
        list.contains(&format!(
            "Next: {} ({})",
            first.name, catalog.topics[0].topic
        )),
        "the next exercise is the first of the course:\n{list}"
    );
}

#[test]
fn an_edited_exercise_shows_as_edited_and_the_others_stay_untouched() {
    let course = Course::full();
    let file = "exercises/lock/01_counter.rs";
    let edited = course
        .read(file)
        .replacen("todo!()", "todo!(\"started\")", 1);
    course.write(file, &edited);
    let (ok, list, stderr) = course.run(&["list"]);
    assert!(ok, "list failed: {stderr}");
    assert_eq!(status_in_list(&list, "counter"), "~ edited", "{list}");
    assert_eq!(status_in_list(&list, "sql_lock"), "· untouched", "{list}");
    assert!(
        list.contains("~ edited: changed since its last check"),
        "{list}"
    );
}

#[test]
fn a_learner_commit_does_not_make_an_edit_untouched_but_a_course_update_does() {
    let course = Course::full();
    let file = "exercises/lock/01_counter.rs";
    let original = course.read(file);
    course.write(file, &original.replacen("todo!()", "todo!(\"mine\")", 1));
    course.commit_as("A Learner", "learner@example.com", "my attempt");
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "~ edited",
        "a learner's own commit is not the original stub:\n{list}"
    );

    let updated = original.replacen("//!", "//! (updated by the course)\n//!", 1);
    course.write(file, &updated);
    course.commit_as("Course Author", "course@example.com", "stub fix");
    let (_, list, _) = course.run(&["list"]);
    assert_eq!(
        status_in_list(&list, "counter"),
        "· untouched",
        "a later stub fix by the course's author is still the original:\n{list}"
    );
}

#[test]
fn without_git_exercises_are_unknown_and_the_list_says_why() {
    let course = Course::full_without_git();
    let (ok, list, stderr) = course.run(&["list"]);
    assert!(ok, "list must not fail without git: {stderr}");
    assert_eq!(status_in_list(&list, "counter"), "? unknown", "{list}");
    assert!(
        list.contains("not a git checkout"),
        "the list must explain why nothing is known:\n{list}"
    );
}

#[test]
fn progress_shows_one_bar_per_topic_and_one_for_the_course() {
    let course = Course::full();
    let (ok, progress, stderr) = course.run(&["progress"]);
    assert!(ok, "progress failed: {stderr}");
    for topic in &course.catalog().topics {
        let line = progress
            .lines()
            .find(|l| l.starts_with(&format!("{} ", topic.topic)))
            .unwrap_or_else(|| panic!("no bar for {}:\n{progress}", topic.topic));
        assert!(
            line.contains("[--------------------]   0%")
                && line.contains(&format!("0/{} exercises", topic.exercises.len())),
            "a fresh topic's bar is empty: {line}"
        );
    }
    assert!(progress.contains("Course ["), "{progress}");
}

#[test]
fn a_corrupt_state_file_is_set_aside_and_list_still_works() {
    let course = Course::full();
    course.write(".threadwork-state.toml", "this is [not toml");
    let (ok, list, stderr) = course.run(&["list"]);
    assert!(ok, "a corrupt state file must never be fatal: {stderr}");
    assert!(
        stderr.contains("could not be read"),
        "say what happened: {stderr}"
    );
    assert!(
        course.path(".threadwork-state.toml.orig").is_file(),
        "the unreadable file is kept for inspection"
    );
    assert!(
        course
            .read(".threadwork-state.toml")
            .contains("version = 1"),
        "a fresh state file replaces it"
    );
    assert_eq!(status_in_list(&list, "counter"), "· untouched", "{list}");

    // A second corrupt file (not UTF-8 this time) must not overwrite the first one kept.
    std::fs::write(
        course.path(".threadwork-state.toml"),
        b"version = \xff\xfe\n",
    )
    .unwrap();
    let (ok, _, stderr) = course.run(&["list"]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("not UTF-8") && stderr.contains(".threadwork-state.2.toml.orig"),
        "name why and where it was kept: {stderr}"
    );
    assert_eq!(
        course.read(".threadwork-state.toml.orig"),
        "this is [not toml",
        "the first one kept is untouched"
    );
    assert_eq!(
        std::fs::read(course.path(".threadwork-state.2.toml.orig")).unwrap(),
        b"version = \xff\xfe\n"
    );
}

#[test]
fn a_state_file_with_a_bom_and_crlf_line_endings_is_read_as_it_is() {
    let course = Course::full();
    course.run(&["hint", "counter"]);
    let saved = course.read(".threadwork-state.toml");
    assert!(saved.contains("hints_shown = 1"), "{saved}");
    let edited = format!("\u{feff}{}", saved.replace('\n', "\r\n"));
    course.write(".threadwork-state.toml", &edited);
    let (ok, out, stderr) = course.run(&["hint", "counter"]);
    assert!(ok, "{stderr}");
    assert!(
        !stderr.contains("could not be read"),
        "an editor's BOM and CRLF are not corruption: {stderr}"
    );
    assert!(out.contains("Hint 2 of"), "the count carried on:\n{out}");
}

#[test]
fn colour_only_where_it_is_wanted() {
    let course = Course::full();
    let (_, piped, _) = course.run(&["list"]);
    assert!(!piped.contains('\u{1b}'), "no colour in a pipe:\n{piped}");
    let forced = |env: &[(&str, &str)]| {
        let mut cmd = course.threadwork(&["list"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8_lossy(&cmd.output().expect("run list").stdout).into_owned()
    };
    let coloured = forced(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        coloured.contains("\u{1b}[1m1. "),
        "CLICOLOR_FORCE: bold topic headings:\n{coloured}"
    );
    let refused = forced(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!refused.contains('\u{1b}'), "NO_COLOR wins:\n{refused}");
}

#[test]
fn outside_the_course_every_command_says_where_it_is_and_what_to_do() {
    let elsewhere = tempfile::tempdir().unwrap();
    for args in [&["list"][..], &["check", "counter"], &["watch"]] {
        let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_threadwork"))
            .current_dir(elsewhere.path())
            .args(args)
            .env("GIT_CEILING_DIRECTORIES", elsewhere.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr.contains("is not inside a threadwork course")
                && stderr.contains(&elsewhere.path().display().to_string())
                && stderr.contains("cd into your copy of the course"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn the_list_fits_a_80x24_terminal_and_list_all_shows_everything() {
    use learner_fixtures::tmux::{QUICK, Tmux};
    let course = Course::full();
    let catalog = course.catalog();
    let tmux = Tmux::start_sized(&course, "list-80x24", "list", (80, 24));
    tmux.wait_for("[exited with status 0]", QUICK);
    let screen = tmux.visible();
    let first = &catalog.topics[0];
    let last = catalog.topics.last().unwrap();
    for text in [
        format!("{}. {}: ", first.order, first.topic),
        format!("{}. {}: ", last.order, last.topic),
        format!("{} ", first.exercises[0].name),
        "Course [".to_string(),
        "Next: ".to_string(),
        "`threadwork list --all` shows all.".to_string(),
    ] {
        assert!(
            screen.contains(&text),
            "`{text}` must be on the 80x24 screen:\n{screen}"
        );
    }
    let total: usize = catalog.topics.iter().map(|t| t.exercises.len()).sum();
    assert!(
        screen.contains(&format!(
            "(exercises {}-{total})",
            total - last.exercises.len() + 1
        )),
        "a collapsed topic still gives its exercises' numbers:\n{screen}"
    );

    let (_, piped, _) = course.run(&["list"]);
    let (_, all, _) = course.run(&["list", "--all"]);
    assert_eq!(piped, all, "in a pipe, nothing is collapsed");
    assert!(all.contains(&format!(" {total}  ")), "{all}");
}
