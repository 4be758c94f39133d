//! `crate::process` in an exercise file: the one program a learner's code may start.
//!
//! The grader refuses every student file that names `std::process` (`exit(0)` would end
//! the test process before its checks ran, `CommandExt::exec` would replace it). The
//! `worker_processes` exercise still starts processes: the *test* builds a [`Worker`] from
//! the path of the course's own worker program and hands it to the learner's code, which
//! can only [`start`](Worker::start) that program and use the [`Child`] it gets back
//! (`stdin.take()`, `write_all`, `wait_with_output`). A started program is a process of its
//! own: however it ends, the test process's exit status is still the test's.
//!
//! The module is named `process` in both facade flavours because it is std's `process`
//! seen through the course: the same `Child`, `Output` and `ExitStatus`, minus `exit`,
//! `abort` and `Command`. It is not a loom primitive (loom does not model processes); the
//! loom flavour has it only so the names of both flavours stay the same.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, ExitStatus, Output};

/// A program to start as a worker process, with its arguments (built by a test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    program: PathBuf,
    args: Vec<OsString>,
}

/// How a test makes a [`Worker`]. Kept out of the facade's `process` module (and out of
/// `Worker`'s own methods, which a learner's file could call): an exercise can only start
/// the program the test chose, never one of its own.
pub mod for_tests {
    use super::*;

    /// The program at `program`, started without arguments.
    pub fn worker(program: impl Into<PathBuf>) -> Worker {
        Worker {
            program: program.into(),
            args: Vec::new(),
        }
    }

    /// The same program with one more argument (`--meet`, then an address).
    pub fn with_arg(mut worker: Worker, arg: impl Into<OsString>) -> Worker {
        worker.args.push(arg.into());
        worker
    }
}

impl Worker {
    /// The program's path.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Starts one process of the program: `multiprocessing.Process(...).start()`. Its stdin,
    /// stdout and stderr are pipes to the caller (`child.stdin`, `child.stdout`,
    /// `child.stderr` are `Some`); it runs until it exits, whether or not anyone waits.
    pub fn start(&self) -> io::Result<Child> {
        Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn start_pipes_all_three_streams() {
        let worker = for_tests::worker("/bin/sh");
        let worker = for_tests::with_arg(
            for_tests::with_arg(worker, "-c"),
            "read x; echo \"got $x\" >&2; echo out",
        );
        let mut child = worker.start().expect("/bin/sh starts");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(b"42\n").unwrap();
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"got 42\n");
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let worker = for_tests::worker("/nonexistent/threadwork-worker");
        assert_eq!(
            worker.program(),
            Path::new("/nonexistent/threadwork-worker")
        );
        assert!(worker.start().is_err());
    }
}
