//! Turns a failed loom child's raw output into a report a learner can read: which exercise,
//! which test, what happened (deadlock, broken invariant, data race, unfinished stub,
//! endless loop), where in *their* file, and what usually fixes it.

use std::time::Duration;

/// The report for a model whose child process failed. `topic` is the package name.
pub fn explain(topic: &str, test_path: &str, output: &str, signal: Option<i32>) -> String {
    let trace = crate::trace::parse(output);
    let deadlocked = deadlocked_threads(output).map(|threads| {
        let steps = trace
            .as_ref()
            .map_or(&[][..], |(steps, _)| steps.as_slice());
        threads
            .into_iter()
            .map(|t| at_the_learners_call(t, steps))
            .collect::<Vec<_>>()
    });
    let no_names = std::collections::BTreeMap::new();
    let names = trace.as_ref().map_or(&no_names, |(_, names)| names);
    let mut body = if let Some(threads) = &deadlocked {
        explain_deadlock(threads, names)
    } else if let Some(panic) = first_panic(output) {
        explain_panic(&panic)
    } else if let Some(signal) = signal {
        format!(
            "the model's process was killed by signal {signal}{} before it could report.",
            signal_meaning(signal)
        )
    } else {
        format!("the model failed without a message. Its output was:\n{output}")
    };
    if let Some(timeline) = trace.and_then(|(steps, names)| {
        timeline(&steps, &names, deadlocked.as_deref().unwrap_or_default())
    }) {
        body = format!("{body}\n{timeline}");
    }
    frame(topic, test_path, &body)
}

/// The failing execution's steps, as the child recorded them (see `crate::trace`).
fn timeline(
    steps: &[crate::trace::Step],
    names: &std::collections::BTreeMap<usize, String>,
    deadlocked: &[BlockedThread],
) -> Option<String> {
    let blocked: Vec<crate::trace::Blocked> = deadlocked
        .iter()
        .map(|t| (t.id, t.file.clone(), t.line as u32))
        .collect();
    let mut text = crate::trace::render(steps, names, &blocked, &|file, line| {
        source_line(file, line as usize)
    });
    if !text.is_empty()
        && steps
            .iter()
            .any(|s| s.op == crate::trace::Op::WokeSpuriously)
    {
        text.push_str(SPURIOUS_NOTE);
    }
    (!text.is_empty()).then_some(text)
}

/// Said under a timeline that contains a spurious wake-up (see `facade::traced::Condvar`).
const SPURIOUS_NOTE: &str = "`wakes, no notify` is a spurious wake-up: a real Condvar may \
    return from `wait` with no notify (and a third thread may take what a notify announced), \
    so here each thread's first wait wakes once that way. Re-check the condition in a `while` \
    loop and sleep again; an `if` goes on as if the condition held.\n";

/// The report for a model that outlived its hang guard.
pub fn hang(topic: &str, test_path: &str, limit: Duration) -> String {
    let body = format!(
        "the model was still running after {} s and was stopped. loom normally ends a \
         spinning loop by itself, so look for a loop that waits without ever blocking.",
        limit.as_secs()
    );
    frame(topic, test_path, &body)
}

/// The report for a model whose process exited "successfully" before loom finished.
pub fn exited_early(topic: &str, test_path: &str) -> String {
    let body = "the model's process ended before loom finished exploring (did the code call \
                `std::process::exit`?). A model only passes when every interleaving ran.";
    frame(topic, test_path, body)
}

/// What a signal that ends a model's process usually means, for the learner.
fn signal_meaning(signal: i32) -> &'static str {
    match signal {
        6 => {
            " (SIGABRT: an abort, e.g. an allocation the memory limit refused, a panic while \
             panicking, or `std::process::abort`)"
        }
        7 | 11 => " (a memory access fault: most often a stack overflow from endless recursion)",
        9 => " (SIGKILL: stopped from outside, e.g. by a time or memory limit)",
        24 => " (SIGXCPU: the CPU-time limit, e.g. a loop that never ends)",
        25 => " (SIGXFSZ: the output-size limit, e.g. printing in an endless loop)",
        _ => "",
    }
}

fn frame(topic: &str, test_path: &str, body: &str) -> String {
    let exercise = test_path.split("::").next().unwrap_or(test_path);
    format!(
        "exercise `{exercise}`, loom model `{test_path}`:\n{body}\n\
         loom explores every interleaving, so this is not bad luck: the same interleaving \
         fails every run.\nRe-run only this model: cargo test -p {topic} -- {test_path} --exact"
    )
}

/// A blocked thread from loom's `deadlock; threads = [...]` line.
#[derive(Debug, PartialEq, Eq)]
struct BlockedThread {
    id: usize,
    file: String,
    line: usize,
    column: usize,
}

fn deadlocked_threads(output: &str) -> Option<Vec<BlockedThread>> {
    let line = output
        .lines()
        .find(|l| l.starts_with("deadlock; threads = "))?;
    let threads = line
        .split("(Id(")
        .skip(1)
        .filter_map(|entry| {
            let id = entry.split(')').next()?.parse().ok()?;
            let file = between(entry, "file: \"", "\"")?.to_string();
            let line = between(entry, "line: ", ",")?.trim().parse().ok()?;
            let column = between(entry, "column: ", " ")?.trim().parse().ok()?;
            Some(BlockedThread {
                id,
                file,
                line,
                column,
            })
        })
        .collect();
    Some(threads)
}

/// loom names where a thread blocked by its own caller location, which for a Condvar wait
/// is inside the facade (the wait runs in a closure there). The thread's last recorded step
/// is the learner's call: name that instead. Columns are not recorded, so 0 (not shown).
fn at_the_learners_call(thread: BlockedThread, steps: &[crate::trace::Step]) -> BlockedThread {
    if !thread.file.contains("support/src/facade") {
        return thread;
    }
    match steps.iter().rev().find(|s| s.thread == thread.id) {
        Some(last) => BlockedThread {
            id: thread.id,
            file: last.file.clone(),
            line: last.line as usize,
            column: 0,
        },
        None => thread,
    }
}

/// `names`: the names the exercise gave its threads (`Builder::name`), by loom thread id.
fn explain_deadlock(
    threads: &[BlockedThread],
    names: &std::collections::BTreeMap<usize, String>,
) -> String {
    let mut text = String::from(
        "DEADLOCK: loom found an interleaving in which every thread still running waits for \
         another one, forever.\n",
    );
    for t in threads {
        let mut who = if t.id == 0 {
            "the model's main thread".to_string()
        } else {
            format!("spawned thread {}", t.id)
        };
        if let Some(name) = names.get(&t.id) {
            who.push_str(&format!(" `{name}`"));
        }
        let column = if t.column == 0 {
            String::new()
        } else {
            format!(":{}", t.column)
        };
        text.push_str(&format!(
            "  {who} is blocked at {}:{}{column}{}\n",
            short_path(&t.file),
            t.line,
            source_line(&t.file, t.line).map_or_else(String::new, |s| format!("    `{s}`"))
        ));
    }
    if threads.is_empty() {
        text.push_str("  (loom did not record where; run with LOOM_LOCATION=1)\n");
    }
    text.push_str(
        "Usual causes: two locks taken in different orders by different threads (take them \
         in one global order), a lock taken twice by the same thread, a Condvar wait whose \
         notify never comes (notify after every change a waiter waits for), or a receiver \
         waiting for a channel to close while a Sender is still alive (drop every Sender).",
    );
    text
}

/// A panic as libtest prints it: `thread '..' panicked at LOCATION:\nMESSAGE`.
#[derive(Debug, PartialEq, Eq)]
struct Panic {
    location: String,
    message: String,
}

fn first_panic(output: &str) -> Option<Panic> {
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        if let Some((_, location)) = line.split_once(" panicked at ") {
            let message: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("note: ") && !l.starts_with("stack backtrace:"))
                .collect();
            return Some(Panic {
                location: location.trim_end_matches(':').to_string(),
                message: message.join("\n").trim().to_string(),
            });
        }
    }
    None
}

fn explain_panic(panic: &Panic) -> String {
    let at = short_path(&panic.location);
    if panic.message.starts_with("not yet implemented") {
        return format!("not implemented yet: the `todo!()` at {at} still runs.");
    }
    if panic.message.contains("maximum number of branches") {
        return format!(
            "ENDLESS LOOP: a thread kept looping without making progress (loom stopped it \
             at {at}). Spinning until another thread acts is not waiting: block on a Condvar \
             or a lock instead."
        );
    }
    if panic.message.contains("Causality violation") {
        return format!(
            "DATA RACE: two threads touched the same UnsafeCell without ordering (detected \
             at {at}).\n{}",
            panic.message
        );
    }
    if panic.location.contains("/loom-") {
        return format!("loom stopped the model:\n  {}\n(at {at})", panic.message);
    }
    format!(
        "loom found an interleaving that breaks this check:\n  {}\n(at {at})",
        panic.message.replace('\n', "\n  ")
    )
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// A path from the workspace root, for the files a learner or the course's checks see:
/// exercises, solutions, the tests in crates, and mutants materialized under target.
/// `/work/x/exercises/lock/01_counter.rs:3:9` -> `exercises/lock/01_counter.rs:3:9`. A
/// dependency's file is named from its package (`loom-0.7.3/src/...`), not from wherever
/// this machine keeps cargo's registry.
fn short_path(path: &str) -> String {
    const REGISTRY: &str = "/registry/src/";
    if let Some(at) = path.find(REGISTRY) {
        let in_index = &path[at + REGISTRY.len()..];
        if let Some((_index, in_package)) = in_index.split_once('/') {
            return in_package.to_string();
        }
    }
    [
        "/exercises/",
        "/solutions/",
        "/crates/",
        "/target/threadwork-mutants/",
    ]
    .iter()
    .find_map(|dir| path.rfind(dir).map(|i| path[i + 1..].to_string()))
    .unwrap_or_else(|| path.to_string())
}

/// The trimmed text of one line. Paths of the test's own files are relative to the workspace
/// root, while tests run in the topic's crate folder: try the path as it is, then from the
/// root (two levels above the crate).
fn source_line(file: &str, line: usize) -> Option<String> {
    let from_root = std::env::var("CARGO_MANIFEST_DIR")
        .ok()
        .map(|dir| std::path::Path::new(&dir).join("../..").join(file));
    let text = std::fs::read_to_string(file)
        .ok()
        .or_else(|| std::fs::read_to_string(from_root?).ok())?;
    Some(text.lines().nth(line.checked_sub(1)?)?.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::exercise("/w/exercises/lock/01_counter.rs", "exercises/lock/01_counter.rs")]
    #[case::test_file("/w/crates/lock/tests/lock/bank.rs", "crates/lock/tests/lock/bank.rs")]
    #[case::mutant(
        "/w/target/threadwork-mutants/lock/01_counter.rs",
        "target/threadwork-mutants/lock/01_counter.rs"
    )]
    #[case::dependency(
        "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/sync/condvar.rs",
        "loom-0.7.3/src/sync/condvar.rs"
    )]
    #[case::elsewhere("/r/loom-0.7.3/src/rt/mod.rs", "/r/loom-0.7.3/src/rt/mod.rs")]
    fn paths_are_shown_from_the_workspace_root(#[case] path: &str, #[case] shown: &str) {
        assert_eq!(short_path(path), shown);
    }

    const DEADLOCK: &str = "running 1 test\n\nthread 'bank::m' (1) panicked at /r/loom-0.7.3/src/rt/execution.rs:215:13:\ndeadlock; threads = [(Id(0), Blocked(Location(Some(Location { file: \"/w/exercises/lock/03_bank.rs\", line: 51, column: 48 })))), (Id(1), Blocked(Location(Some(Location { file: \"/w/exercises/lock/03_bank.rs\", line: 50, column: 9 }))))]\nnote: run with `RUST_BACKTRACE=1`\n";

    #[test]
    fn a_blocked_thread_is_named_as_the_exercise_named_it() {
        let step = crate::trace::Step {
            thread: 1,
            op: crate::trace::Op::Lock,
            object: 7,
            file: "/w/exercises/lock/03_bank.rs".into(),
            line: 50,
        };
        let log = crate::trace::dump(&[step], &[(1, "teller".to_string())]);
        let report = explain(
            "lock",
            "bank::models::x",
            &format!("{DEADLOCK}{log}"),
            Some(6),
        );
        assert!(
            report
                .contains("spawned thread 1 `teller` is blocked at exercises/lock/03_bank.rs:50:9"),
            "{report}"
        );
    }

    #[test]
    fn deadlock_names_every_blocked_thread_in_the_learners_file() {
        let report = explain("lock", "bank::models::x", DEADLOCK, Some(6));
        assert!(
            report.starts_with("exercise `bank`, loom model `bank::models::x`"),
            "{report}"
        );
        assert!(report.contains("DEADLOCK"), "{report}");
        assert!(
            report.contains("main thread is blocked at exercises/lock/03_bank.rs:51:48"),
            "{report}"
        );
        assert!(
            report.contains("spawned thread 1 is blocked at exercises/lock/03_bank.rs:50:9"),
            "{report}"
        );
        assert!(
            report.contains("cargo test -p lock -- bank::models::x --exact"),
            "{report}"
        );
    }

    #[test]
    fn a_process_killed_by_a_signal_says_what_the_signal_usually_means() {
        let report = explain("pool", "executor::models::x", "running 1 test\n", Some(6));
        assert!(
            report.contains("killed by signal 6 (SIGABRT: an abort"),
            "{report}"
        );
        let report = explain("pool", "executor::models::x", "", Some(31));
        assert!(
            report.contains("killed by signal 31 before it could report"),
            "{report}"
        );
    }

    #[test]
    fn a_thread_blocked_inside_the_facade_is_named_at_its_last_step_in_the_learners_file() {
        let facade = |id| BlockedThread {
            id,
            file: "/w/crates/support/src/facade/traced.rs".into(),
            line: 199,
            column: 20,
        };
        let wait = crate::trace::Step {
            thread: 1,
            op: crate::trace::Op::Wait,
            object: 7,
            file: "/w/exercises/lock/04_rlock.rs".into(),
            line: 45,
        };
        let moved = at_the_learners_call(facade(1), std::slice::from_ref(&wait));
        assert_eq!((moved.file.as_str(), moved.line), (wait.file.as_str(), 45));
        assert!(
            explain_deadlock(&[moved], &Default::default())
                .contains("blocked at exercises/lock/04_rlock.rs:45\n")
        );
        // No step of that thread recorded: loom's location stays.
        assert_eq!(at_the_learners_call(facade(2), &[wait]).line, 199);
    }

    #[rstest::rstest]
    #[case::stub(
        "not yet implemented",
        "/w/exercises/lock/01_counter.rs:22:9",
        "not implemented yet: the `todo!()` at exercises/lock/01_counter.rs:22:9"
    )]
    #[case::assertion(
        "two threads incremented once each",
        "crates/lock/tests/lock/counter.rs:60:13",
        "breaks this check:\n  two threads incremented once each"
    )]
    #[case::spin(
        "Model exceeded maximum number of branches.",
        "/r/loom-0.7.3/src/rt/path.rs:118:13",
        "ENDLESS LOOP"
    )]
    #[case::race(
        "Causality violation: Concurrent write accesses to `UnsafeCell`.",
        "/r/loom-0.7.3/src/rt/cell.rs:1:1",
        "DATA RACE"
    )]
    fn panics_are_explained(#[case] message: &str, #[case] location: &str, #[case] expected: &str) {
        let output = format!("thread 'x' (7) panicked at {location}:\n{message}\nnote: run with\n");
        let report = explain("lock", "counter::models::x", &output, None);
        assert!(report.contains(expected), "{report}");
    }
}
