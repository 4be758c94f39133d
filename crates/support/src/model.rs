//! Runs one loom model, exhaustively, in a child process.
//!
//! Why a child process: when loom finds a deadlock it panics, and if loom objects are then
//! dropped during unwinding the process aborts (loom issue 291), which would lose every
//! other result of the test binary. In a child, an abort fails this one test, and the parent
//! turns the child's raw output into a report a learner can read ([`crate::report`]).
//!
//! Why exhaustive: `max_duration` and `max_permutations` end a model *silently as a pass*,
//! and a preemption bound skips interleavings. All three are cleared here, whatever the
//! environment says, so a green model means every interleaving was explored. Exceeding
//! `max_branches` (a spinning loop) panics, which is reported as a failure.

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::report;

pub use crate::facade::traced::without_spurious_wakeups;

/// A hang guard only: correct models finish in seconds; loom itself stops a spinning model
/// at `max_branches`, so reaching this means something unforeseen.
const HANG_GUARD: Duration = Duration::from_secs(300);

/// Marks the line the child prints on success, read back by the parent.
pub const EXPLORED_MARK: &str = "[threadwork] explored";

/// Explores every interleaving of `model` in a child process and fails the calling test
/// with a readable report if any interleaving panics, deadlocks, leaks or aborts.
///
/// `topic` is the package name, for the re-run command in reports. `module_test_path` is `module_path!()::name`; its first segment (the test crate) is
/// dropped to get the libtest name (`counter::no_increment_is_lost`).
pub fn explore<F>(topic: &str, module_test_path: &str, model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let test_path = module_test_path
        .split_once("::")
        .map_or(module_test_path, |(_, rest)| rest);
    let outcome = rusty_fork::fork(
        test_path,
        test_path,
        |cmd| {
            cmd.env("RUST_BACKTRACE", "0");
        },
        |child, output| watch_child(topic, test_path, child, output),
        || {
            run_exhaustively(model);
            // rusty-fork ends this child with exit(0) next: the one exit(0) that is no
            // early end (see early_exit).
            crate::early_exit::harness_finished();
        },
    );
    match outcome {
        Ok(Ok(summary)) => println!("{test_path}: {summary}"),
        Ok(Err(report)) => fail_quietly(report),
        Err(e) => panic!("could not start the loom model for `{test_path}` in a child: {e}"),
    }
}

/// Fails the calling test with `report` and nothing else. A `panic!` would run the panic
/// hook, which under the learner's `RUST_BACKTRACE=1` buries the report under the runner's
/// own frames; unwinding without the hook fails the test the same way (libtest shows what
/// the test printed, and the payload is the report, for callers that catch it).
fn fail_quietly(report: String) -> ! {
    eprintln!("{report}");
    std::panic::resume_unwind(Box::new(report))
}

fn run_exhaustively<F>(model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.location = true;
    builder.max_duration = None;
    builder.max_permutations = None;
    builder.preemption_bound = None;
    builder.checkpoint_file = None;
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&runs);
    let start = Instant::now();
    crate::trace::print_on_panic();
    crate::facade::traced::read_spurious_setting();
    builder.check(move || {
        counted.fetch_add(1, Ordering::Relaxed);
        crate::trace::begin_execution();
        model();
    });
    println!(
        "{EXPLORED_MARK} {} interleavings in {:.2} s",
        runs.load(Ordering::Relaxed),
        start.elapsed().as_secs_f64()
    );
}

/// Waits for the child (bounded) and returns its success line or a readable report.
fn watch_child(
    topic: &str,
    test_path: &str,
    child: &mut rusty_fork::ChildWrapper,
    output: &mut std::fs::File,
) -> Result<String, String> {
    let status = child.wait_timeout(HANG_GUARD);
    let text = take_output(output);
    match status {
        // Success means loom said it finished: a child that exits 0 early (the code under
        // test called `process::exit`) must not pass as "every interleaving explored".
        Ok(Some(status)) if status.success() => text
            .lines()
            .find(|l| l.starts_with(EXPLORED_MARK))
            .map(str::to_owned)
            .ok_or_else(|| report::exited_early(topic, test_path)),
        Ok(Some(status)) => Err(report::explain(
            topic,
            test_path,
            &text,
            status.unix_signal(),
        )),
        Ok(None) => {
            let _ = child.kill();
            Err(report::hang(topic, test_path, HANG_GUARD))
        }
        Err(e) => Err(format!(
            "lost track of the loom model for `{test_path}`: {e}"
        )),
    }
}

/// Reads what the child printed and empties the file, so rusty-fork does not echo the raw
/// loom output after our readable report.
fn take_output(output: &mut std::fs::File) -> String {
    let mut bytes = Vec::new();
    let _ = output.seek(SeekFrom::Start(0));
    let _ = output.read_to_end(&mut bytes);
    let _ = output.set_len(0);
    String::from_utf8_lossy(&bytes).into_owned()
}
