//! Long output (cargo's, a test's) read and cut for error messages and reports: the one
//! place for the cuts and for reading libtest's panics, shared by the CLI and the grader.

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The first `n` lines of a text, with `...` where more were cut.
pub fn head(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        kept.push_str("\n...");
    }
    kept
}

/// At most `cap` bytes of a text, cut at a character boundary, with `note` (on a line of
/// its own) where it was cut.
pub fn at_most_bytes(text: &str, cap: usize, note: &str) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n{note}", &text[..end])
}

/// A signal that ended a test process: its name and what it usually means in this course
/// (under the grader's limits or the learner's check). `None` for a signal with no usual
/// meaning here.
pub fn signal_meaning(signal: i32) -> Option<(&'static str, &'static str)> {
    Some(match signal {
        6 => (
            "SIGABRT",
            "an abort: a panic while panicking (e.g. in a Drop during a panic), a panic in a \
             thread-local's destructor, `std::process::abort`, or an allocation that failed \
             (a memory limit)",
        ),
        7 => (
            "SIGBUS",
            "a memory access fault: most often a stack overflow",
        ),
        9 => (
            "SIGKILL",
            "stopped from outside: a time, memory or output limit",
        ),
        11 => (
            "SIGSEGV",
            "a memory access fault: most often a stack overflow from endless recursion",
        ),
        15 => ("SIGTERM", "stopped from outside: a time limit"),
        24 => ("SIGXCPU", "the CPU-time limit: a loop that never ends?"),
        25 => (
            "SIGXFSZ",
            "the output-size limit: printing in an endless loop?",
        ),
        _ => return None,
    })
}

/// A panic as libtest prints it: `thread '..' panicked at LOCATION:` and the message under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// `FILE:LINE:COL`, as the panic names it.
    pub location: String,
    pub message: String,
}

/// Every panic in a test's output, in order. A message ends where the next panic, a `note:`
/// line or a backtrace (RUST_BACKTRACE=1) starts, so frames never bury it.
pub fn panics(output: &str) -> Vec<Panic> {
    let mut found = Vec::new();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((_, location)) = line.split_once(" panicked at ") else {
            continue;
        };
        let mut message = Vec::new();
        while let Some(next) = lines.next_if(|l| !ends_a_message(l)) {
            message.push(next);
        }
        found.push(Panic {
            location: location.trim_end_matches(':').to_string(),
            message: message.join("\n").trim().to_string(),
        });
    }
    found
}

fn ends_a_message(line: &str) -> bool {
    line.contains(" panicked at ")
        || line.starts_with("note: ")
        || line.starts_with("stack backtrace:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_are_read_with_their_messages_and_no_backtrace() {
        let output = "running 2 tests\n\
            thread 'a' (4) panicked at exercises/lock/01_counter.rs:22:9:\nnot yet implemented\n\
            note: run with `RUST_BACKTRACE=1`\n\
            thread 'b' (5) panicked at crates/lock/tests/lock/counter.rs:3:5:\nassertion failed\n  left: 1\n\
            stack backtrace:\n   0: std::panicking\n";
        assert_eq!(
            panics(output),
            [
                Panic {
                    location: "exercises/lock/01_counter.rs:22:9".into(),
                    message: "not yet implemented".into(),
                },
                Panic {
                    location: "crates/lock/tests/lock/counter.rs:3:5".into(),
                    message: "assertion failed\n  left: 1".into(),
                },
            ]
        );
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(signal_meaning(6).map(|s| s.0), Some("SIGABRT"));
        assert_eq!(signal_meaning(2), None);
        assert_eq!(head("a\nb\nc", 2), "a\nb\n...");
        assert_eq!(head("a\nb", 2), "a\nb");
        assert_eq!(at_most_bytes("héllo", 2, "[cut]"), "h\n[cut]");
        assert_eq!(at_most_bytes("hé", 9, "[cut]"), "hé");
    }
}
