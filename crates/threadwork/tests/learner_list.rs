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
            status_in_list(&list, &ex.name),
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
