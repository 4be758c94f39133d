//! `support::an_early_exit_fails!`: a test process whose code ends it with status 0 (the
//! hostile class's fake pass, issue 14 #2) exits with `EARLY_EXIT_STATUS`; other statuses and
//! the normal end of a test run are untouched. Each case runs this binary again with one
//! `#[ignore]`d child test.

use std::process::Command;

use support::early_exit::EARLY_EXIT_STATUS;

support::an_early_exit_fails!();

/// The exit status of this test binary running only the child test `name`.
fn status_of_child(name: &str) -> Option<i32> {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--ignored",
            "--exact",
            name,
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the child")
        .status
        .code()
}

#[test]
#[ignore = "a child of an_early_exit_fails_and_other_ends_are_untouched"]
fn child_underscore_exit_zero() {
    println!("test result: ok. 1 passed; 0 failed");
    // SAFETY: _exit has no preconditions (what signal_hook::low_level::exit calls).
    unsafe { libc::_exit(0) }
}

#[test]
#[ignore = "a child of an_early_exit_fails_and_other_ends_are_untouched"]
fn child_process_exit_zero() {
    std::process::exit(0);
}

#[test]
#[ignore = "a child of an_early_exit_fails_and_other_ends_are_untouched"]
fn child_process_exit_three() {
    std::process::exit(3);
}

#[test]
#[ignore = "a child of an_early_exit_fails_and_other_ends_are_untouched"]
fn child_passes() {}

#[test]
#[ignore = "a child of an_early_exit_fails_and_other_ends_are_untouched"]
fn child_fails() {
    panic!("an ordinary failing test");
}

#[test]
fn an_early_exit_fails_and_other_ends_are_untouched() {
    let cases = [
        ("child_underscore_exit_zero", EARLY_EXIT_STATUS),
        ("child_process_exit_zero", EARLY_EXIT_STATUS),
        ("child_process_exit_three", 3),
        ("child_passes", 0),
        ("child_fails", 101),
    ];
    for (child, expected) in cases {
        assert_eq!(status_of_child(child), Some(expected), "{child}");
    }
}
