//! Turns a failed test's raw output into the few lines a student should read.
//!
//! The loom models already print a readable report (crates/support/src/report.rs: "exercise
//! `x`, loom model `...`: DEADLOCK ..."); std tests print a panic with the assertion's own
//! message; the per-test runner adds `[grader]` lines (killed by a limit, endless output);
//! nextest's time limit adds nothing, so it is said here.

use super::runner::MARK;

/// Characters of one test's output kept in reports and results.json.
pub const OUTPUT_CAP: usize = 3000;

/// What to show for a failed test. `timed_out` is nextest's verdict; `limit` its seconds.
pub fn failure(raw: &str, timed_out: bool, limit: u64) -> String {
    let mut parts: Vec<String> = Vec::new();
    if timed_out {
        parts.push(format!(
            "The test did not finish within {limit} s and was stopped. Most likely the threads \
             are deadlocked (each waits for a lock or a wake-up that never comes) or a loop \
             never ends."
        ));
    }
    if let Some(report) = loom_report(raw) {
        parts.push(report);
    } else if let Some(panic) = first_panic(raw) {
        parts.push(panic);
    }
    // Fatal runtime messages that are not panics (the process aborts right after).
    let fatal = |l: &str| {
        [
            "memory allocation of",
            "has overflowed its stack",
            "fatal runtime error",
            // support::early_exit: the code under test ended the process with status 0
            "ended the test process with status 0",
        ]
        .iter()
        .any(|m| l.contains(m))
    };
    for line in raw.lines().filter(|l| l.starts_with(MARK) || fatal(l)) {
        if !parts.iter().any(|p| p == line) {
            parts.push(line.to_string());
        }
    }
    if parts.is_empty() {
        parts.push(catalog::text::tail(raw, 25));
    }
    catalog::text::at_most_bytes(&parts.join("\n"), OUTPUT_CAP, "[... trimmed ...]")
}

/// The support crate's readable loom report, from "exercise `" to the re-run line.
fn loom_report(raw: &str) -> Option<String> {
    let start = raw
        .find("exercise `")
        .filter(|&i| raw[i..].contains("loom model"))?;
    let rest = &raw[start..];
    let end = rest
        .find("Re-run only this model")
        .map(|i| i + rest[i..].find('\n').unwrap_or(rest.len() - i))
        .unwrap_or(rest.len().min(2000));
    Some(rest[..end].trim().to_string())
}

/// The first panic of a test's output, where it happened and (at most 30 lines of) why.
fn first_panic(raw: &str) -> Option<String> {
    let panic = catalog::text::panics(raw).into_iter().next()?;
    let message: Vec<&str> = panic.message.lines().take(30).collect();
    Some(format!(
        "panicked at {}\n{}",
        short_path(&panic.location),
        message.join("\n")
    ))
}

/// `/course/exercises/lock/01_counter.rs:3:9` -> `exercises/lock/01_counter.rs:3:9`.
pub fn short_path(path: &str) -> String {
    ["/exercises/", "/crates/"]
        .iter()
        .find_map(|dir| path.find(dir).map(|i| path[i + 1..].to_string()))
        .unwrap_or_else(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loom_report_is_kept_whole_and_nothing_else() {
        let raw = "running 1 test\nthread 'x' panicked at crates/support/src/model.rs:50:\n\
                   exercise `bank`, loom model `bank::models::m`:\nDEADLOCK: ...\n\
                   Re-run only this model: cargo test -p lock -- bank::models::m --exact\n\
                   note: run with RUST_BACKTRACE=1\n";
        let shown = failure(raw, false, 80);
        assert!(shown.starts_with("exercise `bank`, loom model"), "{shown}");
        assert!(shown.ends_with("--exact"), "{shown}");
    }

    #[test]
    fn a_std_panic_shows_where_and_the_message() {
        let raw = "thread 'c::t' (9) panicked at /course/exercises/lock/01_counter.rs:22:9:\n\
                   not yet implemented\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            failure(raw, false, 80),
            "panicked at exercises/lock/01_counter.rs:22:9\nnot yet implemented"
        );
    }

    #[test]
    fn a_timeout_says_what_it_usually_means() {
        assert!(failure("", true, 80).contains("deadlocked"));
    }
}
