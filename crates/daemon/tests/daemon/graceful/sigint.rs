//! The real program (`src/bin/graceful.rs`): Ctrl-C ends it cleanly.
//!
//! Ordering comes from the program itself: the test sends SIGINT only after reading the
//! `ready` line, which the program prints once its handler is installed and its first job
//! has started. Every wait is
//! bounded by the hang guard, and a program still running when a test ends is killed.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;

use nix::sys::signal::{SigHandler, Signal, kill, signal};
use nix::unistd::Pid;
use serial_test::serial;
use support::hang_guard::GENEROUS;
use wait_timeout::ChildExt;

/// The `graceful` binary, started for one test; killed on drop if still running.
struct Program {
    child: Child,
    stdout_lines: mpsc::Receiver<String>,
    stderr: Option<JoinHandle<String>>,
}

impl Program {
    fn start() -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_graceful"));
        // A panic's message is what the learner needs, not its backtrace.
        command
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Start as from a terminal: SIGINT with its default action (it kills). A test run
        // started in the background inherits SIGINT *ignored*, and then a program without a
        // handler would survive Ctrl-C and the verdict would depend on how CI was started.
        // SAFETY: the closure only calls signal(2), which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                signal(Signal::SIGINT, SigHandler::SigDfl)
                    .map(drop)
                    .map_err(std::io::Error::from)
            });
        }
        let mut child = command.spawn().expect("cannot start the graceful binary");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (line_tx, stdout_lines) = mpsc::channel();
        // Reads while the program runs, so a full pipe never blocks it; ends at its exit.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = child
            .stderr
            .take()
            .map(|err| std::thread::spawn(move || read_all(err)));
        Self {
            child,
            stdout_lines,
            stderr,
        }
    }

    /// The next line of stdout, or `None` once the program closed it (it exited).
    fn next_line(&self) -> Option<String> {
        match self.stdout_lines.recv_timeout(GENEROUS) {
            Ok(line) => Some(line),
            Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => panic!(
                "graceful printed nothing for {} s: it hangs (is a worker waiting for \
                 something that never comes?)",
                GENEROUS.as_secs()
            ),
        }
    }

    /// Every remaining line of stdout, until the program closes it.
    fn rest_of_stdout(&self) -> Vec<String> {
        std::iter::from_fn(|| self.next_line()).collect()
    }

    fn send_sigint(&self) {
        let pid = Pid::from_raw(i32::try_from(self.child.id()).expect("a pid fits in i32"));
        kill(pid, Signal::SIGINT).expect("cannot send SIGINT to graceful");
    }

    /// Waits for the exit (bounded) and returns its status and everything it printed on
    /// stderr.
    fn wait(&mut self) -> (ExitStatus, String) {
        let status = match self.child.wait_timeout(GENEROUS) {
            Ok(Some(status)) => status,
            Ok(None) => panic!(
                "graceful was still running {} s after SIGINT: the stop event was not set, or a \
                 worker never checks it between jobs",
                GENEROUS.as_secs()
            ),
            Err(e) => panic!("lost track of the graceful process: {e}"),
        };
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
        (status, stderr.unwrap_or_default())
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_all(mut stderr: ChildStderr) -> String {
    let mut text = String::new();
    let _ = stderr.read_to_string(&mut text);
    text
}

/// How a status reads in a message: `exited with code 0`, `was killed by signal 9`.
fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(2)) => "was killed by SIGINT (signal 2): no handler caught it".to_string(),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => "ended with an unknown status".to_string(),
    }
}

#[test]
#[serial]
fn sigint_finishes_the_jobs_flushes_the_journal_and_exits_zero() {
    let mut program = Program::start();
    let first = program.next_line();
    if first.as_deref() != Some("ready") {
        let (status, stderr) = program.wait();
        panic!(
            "graceful must print `ready` when its first job starts; its first line \
             was {first:?}, then it {}; stderr:\n{stderr}",
            describe(status)
        );
    }
    program.send_sigint();
    let lines = program.rest_of_stdout();
    let (status, stderr) = program.wait();
    assert_eq!(
        status.code(),
        Some(0),
        "after SIGINT graceful must stop its workers and exit 0, but it {}; \
         stderr:\n{stderr}",
        describe(status)
    );
    let Some((summary, journal)) = lines.split_last() else {
        panic!("graceful exited 0 but printed nothing after `ready`: the journal was not flushed")
    };
    assert!(
        !journal.is_empty(),
        "job 0 was in progress when SIGINT came (it printed `ready`), so the journal must hold \
         it: a job that was started is finished and written"
    );
    for (expected_job, line) in journal.iter().enumerate() {
        assert!(
            line.starts_with(&format!("job {expected_job}: ")),
            "journal line {expected_job} is {line:?}: every job taken must be finished and \
             written, in job order, with no gaps"
        );
    }
    assert_eq!(
        summary,
        &format!(
            "graceful: stopped after {} jobs, journal flushed",
            journal.len()
        ),
        "the last line is the summary, and its count must match the journal lines above it"
    );
}
