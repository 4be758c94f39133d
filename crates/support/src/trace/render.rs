//! The log as text: dumped by the child, parsed and drawn as a timeline by the parent.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{BEGIN, END, Op, Step};

/// Steps kept in a long log: the last ones, plus every step on the objects the failure is
/// about (the locks blocked threads wait for).
const KEEP_LAST: usize = 30;
/// Width of one thread's column.
const COLUMN: usize = 30;
/// Rows are cut to this width (the source text is shortened) so a timeline stays readable.
const ROW: usize = 100;

/// `code` cut to `room` characters (at least a few), marked with `…` where it was cut.
fn shortened(code: &str, room: usize) -> String {
    let room = room.max(12);
    if code.chars().count() <= room {
        return code.to_string();
    }
    let kept: String = code.chars().take(room - 1).collect();
    format!("{kept}…")
}

pub(crate) fn dump(log: &[Step], names: &[(usize, String)]) -> String {
    let mut text = format!("{BEGIN}\n");
    for (thread, name) in names {
        let _ = writeln!(text, "name\t{thread}\t{name}");
    }
    for s in log {
        let (op, arg) = op_code(s.op);
        let _ = writeln!(
            text,
            "step\t{}\t{op}\t{arg}\t{}\t{}\t{}",
            s.thread, s.object, s.file, s.line
        );
    }
    text + END
}

fn op_code(op: Op) -> (&'static str, u64) {
    match op {
        Op::Lock => ("lock", 0),
        Op::Locked => ("locked", 0),
        Op::Unlock => ("unlock", 0),
        Op::ReadLock => ("read_lock", 0),
        Op::ReadLocked => ("read_locked", 0),
        Op::ReadUnlock => ("read_unlock", 0),
        Op::Wait => ("wait", 0),
        Op::Woke => ("woke", 0),
        Op::WokeSpuriously => ("woke_spuriously", 0),
        Op::NotifyOne => ("notify_one", 0),
        Op::NotifyAll => ("notify_all", 0),
        Op::Load(v) => ("load", v),
        Op::Store(v) => ("store", v),
        Op::Update(v) => ("update", v),
        Op::Send => ("send", 0),
        Op::Recv => ("recv", 0),
        Op::Received => ("received", 0),
        Op::Arrive(n) => ("arrive", n),
        Op::AtBarrier => ("at_barrier", 0),
        Op::PassedBarrier => ("passed_barrier", 0),
        Op::Spawn(t) => ("spawn", t as u64),
        Op::Joining(t) => ("joining", t as u64),
        Op::Join(t) => ("join", t as u64),
    }
}

fn op_from(code: &str, arg: u64) -> Option<Op> {
    Some(match code {
        "lock" => Op::Lock,
        "locked" => Op::Locked,
        "unlock" => Op::Unlock,
        "read_lock" => Op::ReadLock,
        "read_locked" => Op::ReadLocked,
        "read_unlock" => Op::ReadUnlock,
        "wait" => Op::Wait,
        "woke" => Op::Woke,
        "woke_spuriously" => Op::WokeSpuriously,
        "notify_one" => Op::NotifyOne,
        "notify_all" => Op::NotifyAll,
        "load" => Op::Load(arg),
        "store" => Op::Store(arg),
        "update" => Op::Update(arg),
        "send" => Op::Send,
        "recv" => Op::Recv,
        "received" => Op::Received,
        "arrive" => Op::Arrive(arg),
        "at_barrier" => Op::AtBarrier,
        "passed_barrier" => Op::PassedBarrier,
        "spawn" => Op::Spawn(arg as usize),
        "joining" => Op::Joining(arg as usize),
        "join" => Op::Join(arg as usize),
        _ => return None,
    })
}

/// The last log a child printed, if any: (steps, thread names).
pub fn parse(output: &str) -> Option<(Vec<Step>, BTreeMap<usize, String>)> {
    let start = output.rfind(BEGIN)?;
    let body = &output[start + BEGIN.len()..];
    let body = &body[..body.find(END)?];
    let (mut steps, mut names) = (Vec::new(), BTreeMap::new());
    for line in body.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["name", thread, name] => {
                names.insert(thread.parse().ok()?, name.to_string());
            }
            ["step", thread, op, arg, object, file, line] => steps.push(Step {
                thread: thread.parse().ok()?,
                op: op_from(op, arg.parse().ok()?)?,
                object: object.parse().ok()?,
                file: file.to_string(),
                line: line.parse().ok()?,
            }),
            _ => {}
        }
    }
    Some((steps, names))
}

/// Whether a step ran in the learner's file (an exercise, a solution or a mutant), not in
/// the test or the course's own code.
pub(crate) fn in_learners_file(file: &str) -> bool {
    ["exercises/", "solutions/", "threadwork-mutants/"]
        .iter()
        .any(|dir| file.contains(dir))
}

fn file_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

fn who(thread: usize, names: &BTreeMap<usize, String>) -> String {
    let base = if thread == super::EXITING {
        "an exiting thread's thread-locals".to_string()
    } else if thread == 0 {
        "main thread".to_string()
    } else {
        format!("spawned thread {thread}")
    };
    match names.get(&thread) {
        Some(name) => format!("{base} `{name}`"),
        None => base,
    }
}

fn describe(op: Op) -> String {
    match op {
        Op::Lock => "asks for lock".into(),
        Op::Locked => "locks".into(),
        Op::Unlock => "unlocks".into(),
        Op::ReadLock => "asks to read".into(),
        Op::ReadLocked => "read-locks".into(),
        Op::ReadUnlock => "read-unlocks".into(),
        Op::Wait => "waits (unlocks)".into(),
        Op::Woke => "wakes (locks)".into(),
        Op::WokeSpuriously => "wakes, no notify".into(),
        Op::NotifyOne => "notify_one".into(),
        Op::NotifyAll => "notify_all".into(),
        Op::Load(v) => format!("load -> {v}"),
        Op::Store(v) => format!("store {v}"),
        Op::Update(v) => format!("update (read {v})"),
        Op::Send => "sends".into(),
        Op::Recv => "waits to receive".into(),
        Op::Received => "receives".into(),
        Op::Arrive(n) => format!("at barrier (#{n})"),
        Op::AtBarrier => "waits at barrier".into(),
        Op::PassedBarrier => "passes barrier".into(),
        Op::Spawn(t) => format!("spawns thread {t}"),
        Op::Joining(t) => format!("waits for thread {t} to end"),
        Op::Join(t) => format!("joins thread {t}"),
    }
}

/// A blocked thread, from loom's deadlock report: (thread, file, line).
pub type Blocked = (usize, String, u32);

/// The timeline of the failing execution, one line per step and one column per thread.
/// `source` gives the trimmed text of `file:line`. For a deadlock, `blocked` names where
/// each thread waits; the last lines say what it waits for and who holds it.
pub fn render(
    steps: &[Step],
    names: &BTreeMap<usize, String>,
    blocked: &[Blocked],
    source: &dyn Fn(&str, u32) -> Option<String>,
) -> String {
    // "Asked for a lock" (or a message) matters only where a thread stays blocked: drop it
    // once the thread got it.
    let steps: Vec<&Step> = steps
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            let got = |n: &Step| match s.op {
                Op::Lock => n.op == Op::Locked && n.object == s.object,
                Op::ReadLock => n.op == Op::ReadLocked && n.object == s.object,
                Op::Recv => n.op == Op::Received && n.object == s.object,
                Op::AtBarrier => n.op == Op::PassedBarrier && n.object == s.object,
                Op::Joining(t) => n.op == Op::Join(t),
                _ => false,
            };
            if !matches!(
                s.op,
                Op::Lock | Op::ReadLock | Op::Recv | Op::AtBarrier | Op::Joining(_)
            ) {
                return true;
            }
            !steps[i + 1..]
                .iter()
                .find(|n| n.thread == s.thread)
                .is_some_and(got)
        })
        .map(|(_, s)| s)
        .collect();
    if steps.is_empty() {
        return String::new();
    }
    let mut threads: Vec<usize> = Vec::new();
    for s in &steps {
        if !threads.contains(&s.thread) {
            threads.push(s.thread);
        }
    }
    let waited_for: Vec<usize> = blocked
        .iter()
        .filter_map(|(t, _, _)| last_lock_request(&steps, *t))
        .collect();
    let keep: Vec<bool> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| i + KEEP_LAST >= steps.len() || waited_for.contains(&s.object))
        .collect();
    let left_out = keep.iter().filter(|k| !**k).count();

    let mut text = String::from("the interleaving that breaks it (loom's failing execution):\n");
    let mut header = String::from(" step ");
    for t in &threads {
        let _ = write!(header, " {:<COLUMN$}", who(*t, names));
    }
    text.push_str(header.trim_end());
    text.push('\n');
    if left_out > 0 {
        let _ = writeln!(text, "  ... {left_out} earlier steps left out");
    }
    for (i, s) in steps.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let column = threads.iter().position(|t| *t == s.thread).unwrap_or(0);
        let cell = if in_learners_file(&s.file) {
            format!("{:<16} {}:{}", describe(s.op), file_name(&s.file), s.line)
        } else if s.file.contains("/tests/") {
            format!("(the test) {}", describe(s.op))
        } else {
            format!("(course code) {}", describe(s.op))
        };
        let mut row = format!("{:>5} {}", i + 1, " ".repeat(column * (COLUMN + 1)));
        let _ = write!(row, " {cell}");
        if in_learners_file(&s.file)
            && let Some(code) = source(&s.file, s.line)
        {
            let _ = write!(
                row,
                "   `{}`",
                shortened(&code, ROW.saturating_sub(row.len() + 5))
            );
        }
        text.push_str(&row);
        text.push('\n');
    }
    for (thread, file, line) in blocked {
        // loom names where it blocked, which can be inside loom or the facade; the thread's
        // last recorded step in the learner's file is the line they can act on.
        let (file, line) = if in_learners_file(file) {
            (file.as_str(), *line)
        } else {
            steps
                .iter()
                .rev()
                .find(|s| s.thread == *thread)
                .filter(|s| in_learners_file(&s.file))
                .map_or((file.as_str(), *line), |s| (s.file.as_str(), s.line))
        };
        let _ = write!(
            text,
            "  then {} waits at {}:{line}",
            who(*thread, names),
            file_name(file)
        );
        let last = steps
            .iter()
            .rev()
            .find(|s| s.thread == *thread)
            .map(|s| s.op);
        if let Some(Op::Joining(t)) = last {
            let _ = write!(text, " for {} to end", who(t, names));
        } else if last_is(&steps, *thread, Op::Recv) {
            text.push_str(" for a message on a channel no one sends to (or closes)");
        } else if last_is(&steps, *thread, Op::AtBarrier) {
            text.push_str(
                " at a barrier for threads that never arrive (a Barrier::new(n) needs n \
                 threads to call wait in every round)",
            );
        } else if let Some(object) = last_lock_request(&steps, *thread) {
            let holders = holders(&steps, object);
            let others: Vec<String> = holders
                .iter()
                .filter(|(by, _)| by != thread)
                .map(|(by, since)| format!("{} since step {since}", who(*by, names)))
                .collect();
            let is_rwlock = steps
                .iter()
                .any(|s| s.object == object && matches!(s.op, Op::ReadLock | Op::ReadLocked));
            if let Some((_, since)) = holders.iter().find(|(by, _)| by == thread) {
                let why = if is_rwlock {
                    "an RwLock is not reentrant, and its reader cannot become its writer: \
                     asking again while holding it waits forever"
                } else {
                    "a Mutex is not reentrant: locking it again waits forever"
                };
                let _ = write!(
                    text,
                    " for a lock it holds itself since step {since} ({why})"
                );
            } else if others.is_empty() {
                text.push_str(" for a lock");
            } else {
                let _ = write!(text, " for a lock held by {}", others.join(" and "));
            }
        } else {
            text.push_str(" for a wake-up (notify) or a thread that never comes");
        }
        text.push('\n');
    }
    text
}

fn last_is(steps: &[&Step], thread: usize, op: Op) -> bool {
    steps
        .iter()
        .rev()
        .find(|s| s.thread == thread)
        .is_some_and(|s| s.op == op)
}

/// The object a thread last asked to lock (or read-lock) without getting it.
fn last_lock_request(steps: &[&Step], thread: usize) -> Option<usize> {
    let last = steps.iter().rev().find(|s| s.thread == thread)?;
    matches!(last.op, Op::Lock | Op::ReadLock).then_some(last.object)
}

/// Who holds `object` at the end of the log, and since which step: one writer (or Mutex
/// owner), or every reader of an `RwLock`.
fn holders(steps: &[&Step], object: usize) -> Vec<(usize, usize)> {
    let mut held: Vec<(usize, usize)> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if s.object != object {
            continue;
        }
        match s.op {
            Op::Locked | Op::Woke | Op::WokeSpuriously => held = vec![(s.thread, i + 1)],
            Op::ReadLocked => held.push((s.thread, i + 1)),
            Op::ReadUnlock => {
                if let Some(at) = held.iter().position(|(t, _)| *t == s.thread) {
                    held.remove(at);
                }
            }
            Op::Unlock | Op::Wait => held.clear(),
            _ => {}
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(thread: usize, op: Op, object: usize, line: u32) -> Step {
        Step {
            thread,
            op,
            object,
            file: "exercises/lock/03_bank.rs".into(),
            line,
        }
    }

    #[test]
    fn a_dumped_log_parses_back() {
        let log = vec![step(0, Op::Locked, 7, 50), step(1, Op::Load(3), 9, 12)];
        let names = vec![(1, "worker".to_string())];
        let text = format!("noise\n{}\nmore noise", dump(&log, &names));
        let (steps, parsed_names) = parse(&text).expect("a log");
        assert_eq!(steps, log);
        assert_eq!(parsed_names.get(&1).map(String::as_str), Some("worker"));
    }

    #[test]
    fn a_deadlock_says_who_holds_what_each_thread_waits_for() {
        let steps = vec![
            step(0, Op::Lock, 1, 50),
            step(0, Op::Locked, 1, 50),
            step(1, Op::Lock, 2, 50),
            step(1, Op::Locked, 2, 50),
            step(0, Op::Lock, 2, 51),
            step(1, Op::Lock, 1, 51),
        ];
        let blocked = vec![
            (0, "exercises/lock/03_bank.rs".to_string(), 51),
            (1, "exercises/lock/03_bank.rs".to_string(), 51),
        ];
        let text = render(&steps, &BTreeMap::new(), &blocked, &|_, _| None);
        assert!(text.contains("interleaving"), "{text}");
        assert!(
            text.contains("main thread waits at 03_bank.rs:51 for a lock held by spawned thread 1 since step 2"),
            "{text}"
        );
        assert!(
            text.contains("spawned thread 1 waits at 03_bank.rs:51 for a lock held by main thread since step 1"),
            "{text}"
        );
    }

    #[test]
    fn a_wait_blocked_inside_loom_is_named_at_the_learners_line() {
        let steps = vec![
            step(0, Op::Locked, 1, 80),
            step(0, Op::Wait, 1, 81),
            step(1, Op::Arrive(1), 2, 40),
            step(1, Op::AtBarrier, 2, 40),
        ];
        let blocked = vec![
            (0, "loom-0.7.3/src/sync/condvar.rs".to_string(), 50),
            (
                1,
                "crates/support/src/facade/loom_barrier.rs".to_string(),
                96,
            ),
        ];
        let text = render(&steps, &BTreeMap::new(), &blocked, &|_, _| None);
        assert!(
            text.contains("main thread waits at 03_bank.rs:81 for a wake-up"),
            "{text}"
        );
        assert!(
            text.contains("spawned thread 1 waits at 03_bank.rs:40 at a barrier for threads"),
            "{text}"
        );
        assert!(text.contains("waits at barrier"), "{text}");
    }

    #[test]
    fn a_thread_that_locks_a_mutex_it_holds_is_told_it_waits_for_itself() {
        let steps = vec![
            step(0, Op::Lock, 1, 50),
            step(0, Op::Locked, 1, 50),
            step(0, Op::Lock, 1, 33),
        ];
        let blocked = vec![(0, "exercises/share/03_guard_scope.rs".to_string(), 33)];
        let text = render(&steps, &BTreeMap::new(), &blocked, &|_, _| None);
        assert!(
            text.contains(
                "main thread waits at 03_guard_scope.rs:33 for a lock it holds itself since step"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_writer_waiting_for_readers_names_every_reader_still_inside() {
        let steps = vec![
            step(1, Op::ReadLock, 4, 38),
            step(1, Op::ReadLocked, 4, 38),
            step(2, Op::ReadLock, 4, 38),
            step(2, Op::ReadLocked, 4, 38),
            step(2, Op::ReadUnlock, 4, 38),
            step(3, Op::ReadLock, 4, 38),
            step(3, Op::ReadLocked, 4, 38),
            step(0, Op::Lock, 4, 43),
        ];
        let blocked = vec![(0, "exercises/share/09_settings.rs".to_string(), 43)];
        let text = render(&steps, &BTreeMap::new(), &blocked, &|_, _| None);
        assert!(text.contains("read-locks"), "{text}");
        assert!(
            text.contains(
                "main thread waits at 09_settings.rs:43 for a lock held by spawned thread 1 \
                 since step 1 and spawned thread 3 since step 4"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_reader_that_asks_to_write_is_told_it_waits_for_itself() {
        let steps = vec![
            step(0, Op::ReadLock, 4, 38),
            step(0, Op::ReadLocked, 4, 38),
            step(0, Op::Lock, 4, 43),
        ];
        let blocked = vec![(0, "exercises/share/09_settings.rs".to_string(), 43)];
        let text = render(&steps, &BTreeMap::new(), &blocked, &|_, _| None);
        assert!(
            text.contains("for a lock it holds itself since step 1 (an RwLock is not reentrant"),
            "{text}"
        );
    }

    #[test]
    fn long_logs_keep_the_last_steps_and_say_how_many_were_left_out() {
        let steps: Vec<Step> = (0..100).map(|i| step(0, Op::Load(i), 3, 10)).collect();
        let text = render(&steps, &BTreeMap::new(), &[], &|_, _| None);
        assert!(text.contains("70 earlier steps left out"), "{text}");
        assert_eq!(
            text.lines().filter(|l| l.contains("load ->")).count(),
            KEEP_LAST
        );
    }
}
