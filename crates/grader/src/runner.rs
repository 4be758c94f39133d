//! The per-test runner: nextest starts every test binary through it (a cargo "target
//! runner"), inside the test sandbox.
//!
//! For each test process it:
//! - drops to an unprivileged uid of its own (when the sandbox runs as root), so the test
//!   cannot write nextest's report, signal nextest, or read its memory, and so
//!   `RLIMIT_NPROC` bounds a fork or thread bomb;
//! - sets rlimits: address space (memory bomb), processes, file size, CPU time, open files,
//!   no core dumps;
//! - passes at most [`OUTPUT_CAP`] bytes of output on and stops a test that prints more
//!   (endless output);
//! - passes the exit status on: a test process that the code under test ended early with
//!   status 0 already exits with `support::early_exit::EARLY_EXIT_STATUS` (the test binaries
//!   define `exit`/`_exit`), so what it printed never matters;
//! - kills whatever the test left running under its uid.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::sandbox::{Resource, set_limit};

/// Environment variable: the first uid of this submission's range (unset: no uid change).
pub const UID_BASE_ENV: &str = "THREADWORK_GRADER_UID_BASE";
/// How many uids one submission's range spans: one per possible pid (the kernel's largest
/// `pid_max`), so a test's uid is its runner's pid inside the sandbox's pid namespace plus the
/// base. Pids of live processes are unique, so two running tests never share a uid and one
/// test's clean-up (`kill -1` as its uid) can never hit another. (Taking the pid modulo a
/// smaller span did: threads use pids too, and a class's tests pass 4096 of them.)
pub const UID_SPAN: u32 = 1 << 22;
/// Bytes of output (stdout and stderr together) a test may print.
pub const OUTPUT_CAP: usize = 1 << 20;
/// Per-test-process limits. Generous for any correct solution; they only stop bombs.
const ADDRESS_SPACE: u64 = 4 << 30;
const PROCESSES: u64 = 256;
const FILE_SIZE: u64 = 64 << 20;
const CPU_SECONDS: u64 = 150;
const OPEN_FILES: u64 = 1024;
/// The std tests' hang guard while grading (`support::hang_guard::LIMIT_ENV`): a class has
/// many deadlocked submissions and each stuck test would otherwise idle its default 60 s.
/// Still generous: the course's std tests finish in well under a second on a loaded machine.
const HANG_GUARD_ENV: &str = "THREADWORK_HANG_GUARD_SECS";
pub const HANG_GUARD_SECS: u64 = 20;
/// Marks the grader's own lines in a test's output.
pub const MARK: &str = "[grader]";

/// The environment a test gets: nothing of the grader's, only what libtest, nextest and
/// the course's own helpers read.
fn allowed_env(name: &str) -> bool {
    name.starts_with("NEXTEST")
        || name.starts_with("__NEXTEST")
        || name.starts_with("CARGO")
        || name.starts_with("RUST_")
        || name.starts_with("LOOM_")
        || matches!(
            name,
            "LD_LIBRARY_PATH" | "PATH" | "HOME" | "TMPDIR" | "LANG"
        )
}

/// Runs `command` (a test binary and its arguments) as described in the module docs and
/// returns the exit code nextest should see.
pub fn run(command: Vec<OsString>) -> i32 {
    let code = match run_inner(command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{MARK} could not run the test: {message}");
            101
        }
    };
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    code
}

fn run_inner(command: Vec<OsString>) -> Result<i32, String> {
    let (program, args) = command.split_first().ok_or("no test binary given")?;
    let uid = std::env::var(UID_BASE_ENV)
        .ok()
        .and_then(|b| b.parse::<u32>().ok())
        .map(|base| base + std::process::id() % UID_SPAN); // the modulo never applies

    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_clear()
        .envs(std::env::vars_os().filter(|(k, _)| k.to_str().is_some_and(allowed_env)))
        .env("RUST_BACKTRACE", "0")
        .env("MALLOC_ARENA_MAX", "2")
        .env(HANG_GUARD_ENV, HANG_GUARD_SECS.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(uid) = uid {
        cmd.uid(uid).gid(uid);
    }
    // SAFETY: the closure only calls setrlimit (a raw syscall), which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            set_limit(Resource::As, ADDRESS_SPACE)?;
            set_limit(Resource::Nproc, PROCESSES)?;
            set_limit(Resource::Fsize, FILE_SIZE)?;
            set_limit(Resource::Cpu, CPU_SECONDS)?;
            set_limit(Resource::Nofile, OPEN_FILES)?;
            set_limit(Resource::Core, 0)?;
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.to_string_lossy()))?;
    let pid = child.id() as libc::pid_t;
    let printed = Arc::new(AtomicUsize::new(0));
    let flooded = Arc::new(AtomicBool::new(false));
    let mut pumps = Vec::new();
    if let Some(out) = child.stdout.take() {
        pumps.push(pump(out, true, pid, &printed, &flooded));
    }
    if let Some(err) = child.stderr.take() {
        pumps.push(pump(err, false, pid, &printed, &flooded));
    }
    let status = child
        .wait()
        .map_err(|e| format!("lost the test process: {e}"))?;
    // A process the test left behind may hold the pipes open: do not wait for it.
    for p in pumps {
        let _ = p.recv_timeout(Duration::from_secs(2));
    }
    if let Some(uid) = uid {
        kill_everything_of(uid);
    }

    if flooded.load(Ordering::SeqCst) {
        eprintln!(
            "\n{MARK} the test printed more than {} KiB and was stopped (endless output?).",
            OUTPUT_CAP >> 10
        );
        return Ok(101);
    }
    if let Some(signal) = status.signal() {
        eprintln!(
            "\n{MARK} the test process was killed by {}",
            describe_signal(signal)
        );
        return Ok(101);
    }
    match status.code() {
        Some(code) => Ok(code),
        None => Ok(101),
    }
}

/// Copies one pipe to our own stdout/stderr within the shared budget; kills the test when
/// the budget is spent.
fn pump(
    mut pipe: impl std::io::Read + Send + 'static,
    is_stdout: bool,
    pid: libc::pid_t,
    printed: &Arc<AtomicUsize>,
    flooded: &Arc<AtomicBool>,
) -> std::sync::mpsc::Receiver<()> {
    let (printed, flooded) = (printed.clone(), flooded.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let before = printed.fetch_add(n, Ordering::SeqCst);
            let room = OUTPUT_CAP.saturating_sub(before);
            let chunk = &buf[..n.min(room)];
            let _ = if is_stdout {
                std::io::stdout().write_all(chunk)
            } else {
                std::io::stderr().write_all(chunk)
            };
            if n > room && !flooded.swap(true, Ordering::SeqCst) {
                // SAFETY: kill has no memory-safety preconditions.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        let _ = tx.send(());
    });
    rx
}

/// Kills every process left under `uid`: a child that becomes `uid` signals everything it
/// may signal, which is exactly that uid's processes (it has no capabilities). A fork, not a
/// shell: this runs after each of a class's tens of thousands of tests.
fn kill_everything_of(uid: u32) {
    // SAFETY: between fork and _exit the child calls only async-signal-safe functions
    // (setgroups, setgid, setuid, kill, _exit), as a multi-threaded parent requires.
    unsafe {
        match libc::fork() {
            0 => {
                // Never signal -1 with the parent's privileges: stop if any drop fails.
                let dropped = libc::setgroups(0, std::ptr::null()) == 0
                    && libc::setgid(uid) == 0
                    && libc::setuid(uid) == 0;
                if dropped {
                    libc::kill(-1, libc::SIGKILL);
                }
                libc::_exit(0);
            }
            pid if pid > 0 => {
                let mut status = 0;
                libc::waitpid(pid, &mut status, 0);
            }
            _ => {}
        }
    }
}

fn describe_signal(signal: i32) -> String {
    match catalog::text::signal_meaning(signal) {
        Some((name, meaning)) => format!("{name} ({meaning})"),
        None => format!("signal {signal}"),
    }
}
