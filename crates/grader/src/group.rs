//! A step's processes as one group: started in a process group of their own, stopped
//! together.
//!
//! Killing only the step's first process (cargo, nextest, bubblewrap) leaves rustc, the
//! linker, test processes or a daemonised grandchild running. The whole group gets SIGTERM
//! when the step runs out of time, a short grace, then SIGKILL; and SIGKILL again once the
//! step has ended, for whatever it left behind. Processes that leave the group (nextest gives
//! every test a group of its own, `setsid`) are the sandbox's pid namespace's to end.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions, kill_process_group, waitid};

/// How long a group may take to stop after SIGTERM before it gets SIGKILL.
const GRACE: Duration = Duration::from_secs(2);
/// How often the step's first process is checked for having ended.
const POLL: Duration = Duration::from_millis(20);

/// Starts `cmd`'s process in a new process group whose id is its pid.
pub fn in_own_group(cmd: &mut Command) -> &mut Command {
    cmd.process_group(0)
}

/// How a step ended.
#[derive(Debug)]
pub struct Ended {
    pub status: ExitStatus,
    /// Still running after the wall-clock limit, so stopped.
    pub timed_out: bool,
}

/// Waits up to `wall` for `child` (started [`in_own_group`]) to end, stops its group if it
/// does not, and kills what is left of the group either way.
pub fn wait_then_clear(child: &mut Child, wall: Duration) -> io::Result<Ended> {
    let group = Pid::from_child(child);
    let timed_out = !ends_within(group, wall)?;
    if timed_out {
        let _ = kill_process_group(group, Signal::TERM);
        ends_within(group, GRACE)?;
    }
    // The leader is not reaped yet (running, or a zombie), so its pid, which is the group's
    // id, cannot have been given to another process.
    let _ = kill_process_group(group, Signal::KILL);
    Ok(Ended {
        status: child.wait()?,
        timed_out,
    })
}

/// Whether the child `pid` ends within `limit`, leaving it unreaped.
fn ends_within(pid: Pid, limit: Duration) -> io::Result<bool> {
    let start = Instant::now();
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
    loop {
        match waitid(WaitId::Pid(pid), options) {
            Ok(Some(_)) => return Ok(true),
            Ok(None) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Ok(false);
        }
        std::thread::sleep(POLL.min(left));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    /// Runs `script` under `sh` in its own group with `wall`; returns how it ended, the pids
    /// it printed (one a line) and how long the wait took. The scripts' sleeps (30 s) outlast
    /// every check, and a failing run leaves nothing behind for long.
    fn run_script(script: &str, wall: Duration) -> (Ended, Vec<Pid>, Duration) {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]).stdout(Stdio::piped());
        let mut child = in_own_group(&mut cmd).spawn().expect("sh starts");
        let mut lines = BufReader::new(child.stdout.take().expect("piped"));
        let mut pids = Vec::new();
        let mut line = String::new();
        // The script prints its pids, then a line `ready`, before it blocks.
        while lines.read_line(&mut line).expect("readable") > 0 && line.trim() != "ready" {
            let raw: i32 = line.trim().parse().expect("a pid a line");
            pids.push(Pid::from_raw(raw).expect("a positive pid"));
            line.clear();
        }
        let start = Instant::now();
        let ended = wait_then_clear(&mut child, wall).expect("waitable");
        (ended, pids, start.elapsed())
    }

    /// Whether `pid` still runs a second after the step ended: SIGKILL is delivered
    /// asynchronously, and a zombie runs nothing.
    fn still_running(pid: Pid) -> bool {
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_nonzero()));
            // The state follows the command's closing parenthesis.
            let gone = stat.map_or(true, |stat| {
                stat.rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
            });
            if gone {
                return false;
            }
            std::thread::sleep(POLL);
        }
        true
    }

    #[test]
    fn a_timed_out_step_takes_its_grandchild_with_it() {
        let (ended, pids, took) = run_script(
            "sleep 30 & echo $!; echo ready; sleep 30",
            Duration::from_secs(1),
        );
        assert!(ended.timed_out);
        assert_eq!(pids.len(), 1);
        assert!(
            !still_running(pids[0]),
            "the background sleep outlived the step"
        );
        assert!(took < Duration::from_secs(2), "SIGTERM sufficed: {took:?}");
    }

    #[test]
    fn children_that_ignore_sigterm_are_killed_after_the_grace() {
        let (ended, pids, took) = run_script(
            "trap '' TERM; sleep 30 & echo $!; echo $$; echo ready; sleep 30",
            Duration::from_millis(500),
        );
        assert!(ended.timed_out);
        assert_eq!(pids.len(), 2);
        for pid in pids {
            assert!(!still_running(pid), "{pid:?} survived SIGTERM and SIGKILL");
        }
        assert!(
            took >= GRACE,
            "SIGKILL came before the grace ended: {took:?}"
        );
    }

    #[test]
    fn what_a_finished_step_left_running_is_killed() {
        let (ended, pids, _) = run_script("sleep 30 & echo $!; echo ready", Duration::from_secs(5));
        assert!(!ended.timed_out);
        assert!(ended.status.success());
        assert!(!still_running(pids[0]), "the step's daemon outlived it");
    }
}
