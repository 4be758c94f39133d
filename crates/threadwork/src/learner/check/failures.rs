//! One exercise's failing tests, explained: each panic's message and place, loom reports as
//! the support crate wrote them, cut to fit (watch's screen is 80x24).

use std::path::Path;

use super::{Detail, indent, paint};
use crate::cargo::{self, Verdict};
use crate::learner::models_first::Crash;
use crate::learner::term::shorten;

/// How many lines of one failure's explanation to show.
const MAX_LINES: usize = 30;

/// The failing tests of one exercise, grouped by explanation (ten tests stopped by the same
/// `todo!()` read as one finding).
pub(super) fn explain_failures(
    root: &Path,
    tests: &[&cargo::TestOutcome],
    missing: &[&Crash],
    rerun: &str,
    detail: Detail,
    check_all: &str,
) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for t in tests.iter().filter(|t| t.verdict == Verdict::Failed) {
        let (why, loom) = explain(root, &t.output);
        let name = if loom {
            format!("{} (loom model)", t.name)
        } else {
            t.name.clone()
        };
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, names)) => names.push(name),
            None => groups.push((why, vec![name])),
        }
    }
    for crash in missing {
        let why = format!(
            "no verdict: the test process died while it ran ({}), which usually means {}. \
             The other tests were run again without it. `{rerun}` shows everything it printed.",
            crash.status,
            cargo::crash_meaning(&crash.status)
        );
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, names)) => names.push(crash.test.clone()),
            None => groups.push((why, vec![crash.test.clone()])),
        }
    }
    let mut text = String::new();
    let hidden: usize = match detail {
        Detail::Full => 0,
        Detail::FirstFailure => groups.iter().skip(1).map(|(_, names)| names.len()).sum(),
    };
    if hidden > 0 {
        groups.truncate(1);
    }
    // Blank lines between findings, except where the screen is short (watch).
    let gap = if detail == Detail::Full { "\n" } else { "" };
    for (why, names) in groups {
        text.push_str(gap);
        for name in names {
            text.push_str(&format!("  {}\n", paint::fail(&format!("✗ {name}"))));
        }
        let why = match detail {
            Detail::Full => why,
            Detail::FirstFailure => fit_to_screen(&why, check_all),
        };
        text.push_str(&indent(&why, "      "));
        text.push('\n');
    }
    if hidden > 0 {
        text.push_str(&format!(
            "  ... and {hidden} more failing test(s): `{check_all}` shows them all.\n"
        ));
    }
    text.push_str(gap);
    text
}

/// What one failing test printed, cut to what matters: each panic's message and where it
/// happened, loom reports as the support crate wrote them, no libtest notes. The flag says
/// whether it was a loom model.
fn explain(root: &Path, output: &str) -> (String, bool) {
    let output = shorten(root, output);
    // A model's report, printed without a panic (see support::model), is the whole output.
    if let Some(body) = loom_report_body(output.trim()) {
        return (
            catalog::text::head(&blocked_in_tests(&body), MAX_LINES),
            true,
        );
    }
    let panics = panics(&output);
    if panics.is_empty() {
        if let Some(why) = did_not_panic(root, &output) {
            return (why, false);
        }
        let kept: Vec<&str> = output
            .lines()
            .filter(|l| !l.starts_with("note: "))
            .take(MAX_LINES)
            .collect();
        return (kept.join("\n").trim().to_string(), false);
    }
    let mut loom = false;
    let mut parts = Vec::new();
    for (location, message) in panics.iter().take(3) {
        if let Some(body) = loom_report_body(message) {
            loom = true;
            parts.push(blocked_in_tests(&body));
        } else if message.starts_with("not yet implemented") {
            parts.push(todo_line(location));
        } else {
            parts.push(format!("{message}\n(panicked at {location})"));
        }
    }
    let mut text = parts.join("\nthen ");
    if let Some(expected) = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("expected substring: "))
    {
        text.push_str(&format!(
            "\nbut the test expects a panic whose message contains {expected}."
        ));
    }
    (catalog::text::head(&text, MAX_LINES), loom)
}

/// A `#[should_panic]` test whose code returned normally. libtest names only the test's
/// place (`note: test did not panic as expected at FILE:LINE:COL`); the expected text is in
/// the attribute above it, in the course's tests file.
fn did_not_panic(root: &Path, output: &str) -> Option<String> {
    let place = output
        .lines()
        .find_map(|l| l.strip_prefix("note: test did not panic as expected at "))?
        .trim();
    let mut parts = place.rsplitn(3, ':');
    let (_, line, file) = (parts.next(), parts.next(), parts.next());
    let line: usize = line.and_then(|l| l.parse().ok()).unwrap_or(0);
    let source = file
        .and_then(|f| std::fs::read_to_string(root.join(f)).ok())
        .unwrap_or_default();
    let lines: Vec<&str> = source.lines().collect();
    let attribute = lines
        [line.saturating_sub(12).min(lines.len())..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .find(|l| l.contains("should_panic"));
    let expected = attribute.and_then(|a| {
        let start = a.find("expected")?;
        let rest = &a[start..];
        let open = rest.find('"')?;
        let close = rest.rfind('"').filter(|&c| c > open)?;
        Some(rest[open..=close].to_string())
    });
    Some(match expected {
        Some(expected) => format!(
            "the test expects your code to panic with a message containing {expected}, but \
             it returned normally (test at {place})."
        ),
        None => format!(
            "the test expects your code to panic here, but it returned normally (test at \
             {place})."
        ),
    })
}

/// After each "is blocked at" line of a deadlock report that points into the course's
/// tests (not the learner's file), what that test line was waiting for from the learner's
/// code: the test itself only waits, the learner's code never delivered.
fn blocked_in_tests(report: &str) -> String {
    let mut text = String::new();
    for line in report.lines() {
        text.push_str(line);
        text.push('\n');
        let Some((_, at)) = line.split_once(" is blocked at ") else {
            continue;
        };
        let place = at.split_whitespace().next().unwrap_or_default();
        let file = place.split(':').next().unwrap_or_default();
        if !(file.starts_with("crates/") && file.contains("/tests/")) {
            continue;
        }
        let code = at[place.len()..].trim();
        let waits_for = if code.contains(".join(") {
            "a thread started by your code to finish"
        } else if code.contains("recv") {
            "a value your code should send (or every Sender dropped)"
        } else if code.contains(".wait") {
            "a notification your code should send"
        } else if code.contains(".lock(") || code.contains(".read(") || code.contains(".write(") {
            "a lock your code still holds to be released"
        } else {
            "your code to let it go on"
        };
        text.push_str(&format!(
            "    (that line is the test's code, not yours: it waits for {waits_for})\n"
        ));
    }
    text.trim_end().to_string()
}

fn todo_line(location: &str) -> String {
    format!("not implemented yet: the `todo!()` at {location} still runs.")
}

/// The body of a support-crate loom report (`exercise `x`, loom model `...`:` first), without
/// its first line; a stub's `todo!()` is cut to the one line that matters.
fn loom_report_body(message: &str) -> Option<String> {
    let (first, body) = message.split_once('\n')?;
    if !(first.starts_with("exercise `") && first.contains(", loom model `")) {
        return None;
    }
    let body = body.trim();
    if body.starts_with("not implemented yet:") {
        return Some(body.lines().next().unwrap_or(body).to_string());
    }
    Some(body.to_string())
}

/// `(location, message)` of every panic in a test's output.
fn panics(output: &str) -> Vec<(String, String)> {
    catalog::text::panics(output)
        .into_iter()
        .map(|p| (p.location, p.message))
        .collect()
}

/// Rows of a 80x24 terminal one explanation may take in watch's verdict screen: the rest
/// of the screen is its heading, the verdict line, the test's name, the hint and the keys.
const SCREEN_ROWS: usize = 12;

const SCREEN_COLUMNS: usize = 80;

/// `why` cut to [`SCREEN_ROWS`] rows of a 80-column terminal (long lines wrap, and count
/// for as many rows as they take), saying where the rest is.
fn fit_to_screen(why: &str, check_all: &str) -> String {
    let rows = |line: &str| (line.chars().count() + 6).div_ceil(SCREEN_COLUMNS).max(1);
    let mut used = 0;
    let mut kept = Vec::new();
    let lines: Vec<&str> = why.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if used + rows(line) > SCREEN_ROWS - 1 && i + 1 < lines.len() {
            kept.push(format!("... (`{check_all}` shows all of it)"));
            return kept.join("\n");
        }
        used += rows(line);
        kept.push(line.to_string());
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/w";

    #[test]
    fn a_todo_in_a_std_test_reads_as_not_implemented_in_the_learners_file() {
        let output = "thread 'counter::a' (4) panicked at /w/exercises/lock/01_counter.rs:22:9:\n\
                      not yet implemented\nnote: run with `RUST_BACKTRACE=1`";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert_eq!(
            why,
            "not implemented yet: the `todo!()` at exercises/lock/01_counter.rs:22:9 still runs."
        );
        assert!(!loom);
    }

    #[test]
    fn a_loom_report_is_kept_without_its_first_line_and_libtest_location() {
        let output = "thread 'bank::models::m' (9) panicked at crates/support/src/model.rs:50:28:\n\
                      exercise `bank`, loom model `bank::models::m`:\nDEADLOCK: loom found ...\n  \
                      the model's main thread is blocked at exercises/lock/03_bank.rs:51:48\n\
                      Re-run only this model: cargo test -p lock -- bank::models::m --exact";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert!(loom, "a loom report is flagged as a model");
        assert!(why.starts_with("DEADLOCK: loom found"), "{why}");
        assert!(
            why.contains("blocked at exercises/lock/03_bank.rs:51:48"),
            "{why}"
        );
        assert!(
            !why.contains("model.rs"),
            "the runner's own location is noise: {why}"
        );
    }

    #[test]
    fn a_loom_report_printed_without_a_panic_is_read_as_a_model_failure() {
        let output = "\nexercise `bank`, loom model `bank::models::m`:\nDEADLOCK: loom found ...\n  \
                      the model's main thread is blocked at crates/lock/tests/lock/bank.rs:40:12    \
                      `handle.join().unwrap();`\nRe-run only this model: cargo test -p lock";
        let (why, loom) = explain(Path::new(ROOT), output);
        assert!(loom, "{why}");
        assert!(why.starts_with("DEADLOCK: loom found"), "{why}");
        assert!(
            why.contains(
                "(that line is the test's code, not yours: it waits for a thread started by \
                 your code to finish)"
            ),
            "a block in the tests says what they waited for: {why}"
        );
    }

    #[test]
    fn a_block_in_the_learners_file_gets_no_note() {
        let report =
            "  spawned thread 1 is blocked at exercises/lock/03_bank.rs:51:48    `a.lock()`";
        assert_eq!(blocked_in_tests(report), report);
    }

    #[test]
    fn a_should_panic_test_that_got_another_panic_shows_the_expected_text() {
        let output = "thread 'q::full' (3) panicked at exercises/pool/03_q.rs:9:5:\nsomething else\n\
                      note: panic did not contain expected string\n      panic message: \
                      \"something else\"\n expected substring: \"the queue is full\"";
        let (why, _) = explain(Path::new(ROOT), output);
        assert!(
            why.starts_with("something else\n(panicked at exercises/pool/03_q.rs:9:5)"),
            "{why}"
        );
        assert!(
            why.ends_with(
                "but the test expects a panic whose message contains \"the queue is full\"."
            ),
            "{why}"
        );
    }

    #[test]
    fn a_should_panic_test_that_did_not_panic_shows_the_expected_text_from_its_attribute() {
        let root = tempfile::tempdir().unwrap();
        let tests = root.path().join("crates/pool/tests/pool");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(
            tests.join("q.rs"),
            "use x;\n\n#[test]\n#[should_panic(expected = \"already started\")]\nfn twice() {\n}\n",
        )
        .unwrap();
        let output = "note: test did not panic as expected at crates/pool/tests/pool/q.rs:5:4";
        let (why, _) = explain(root.path(), output);
        assert_eq!(
            why,
            "the test expects your code to panic with a message containing \"already started\", \
             but it returned normally (test at crates/pool/tests/pool/q.rs:5:4)."
        );
    }

    #[test]
    fn an_assertion_keeps_its_message_and_place() {
        let output = "thread 'counter::p' (3) panicked at crates/lock/tests/lock/counter.rs:33:5:\n\
                      assertion `left == right` failed: increments were lost\n  left: 3\n right: 4";
        let (why, _) = explain(Path::new(ROOT), output);
        assert_eq!(
            why,
            "assertion `left == right` failed: increments were lost\n  left: 3\n right: 4\n\
             (panicked at crates/lock/tests/lock/counter.rs:33:5)"
        );
    }
}
