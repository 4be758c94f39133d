//! The sandbox every build and test of student code runs in: bubblewrap plus rlimits.
//!
//! Two kinds of sandbox, one per step:
//!
//! - **build**: cargo and rustc compile the submission's copy (bound read-only at `/course`,
//!   the same path for every submission so cargo's fingerprints of the course's own crates
//!   match) into the shared target directory (bound read-write at `/target`). Compiling runs
//!   no student code: only the course's build script, rustc and the linker.
//! - **test**: nextest runs the archived test binaries; the shared target directory is not
//!   there at all. nextest itself runs as root *inside* the sandbox and starts every test
//!   through [`runner`](super::runner), which drops to an unprivileged uid of its own, sets
//!   rlimits and bounds the output. So student code can neither write nextest's JUnit report
//!   nor signal or trace nextest.
//!
//! Both: no network (`--unshare-net`), their own pid namespace, a fresh size-limited `/tmp`,
//! read-only binds of `/usr` and the toolchain only (no view of the instructor's tree, its
//! `solutions/` or anyone else's submission), killed with their parent, and a wall-clock
//! limit. If bubblewrap cannot start, grading refuses with a message instead of running
//! unsandboxed, unless `--no-sandbox` was given.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
pub use rustix::process::Resource;
use rustix::process::Rlimit;

use super::group;

/// Where things are inside a sandbox.
pub mod inside {
    pub const COURSE: &str = "/course";
    pub const TARGET: &str = "/target";
    pub const OUT: &str = "/out";
    pub const WORK: &str = "/work";
    pub const CARGO_HOME: &str = "/cargo-home";
    pub const RUST: &str = "/opt/rust";
    pub const BIN: &str = "/opt/threadwork/bin";
}

/// Size of the fresh `/tmp` of a sandbox.
const TMP_BYTES: u64 = 512 << 20;

/// The programs a sandbox needs, found once on the host.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// `rustc --print sysroot`: cargo, rustc and the standard library.
    pub sysroot: PathBuf,
    /// The `cargo-nextest` binary.
    pub nextest: PathBuf,
    /// `$CARGO_HOME/registry`: the dependencies' sources, already downloaded.
    pub registry: PathBuf,
    /// This program, which is also the per-test runner.
    pub grader: PathBuf,
    /// The host's target triple (`x86_64-unknown-linux-gnu`), for the runner's variable.
    pub host: String,
}

impl Toolchain {
    pub fn discover() -> Result<Self> {
        let nextest = find_in_path("cargo-nextest").context(
            "cargo-nextest is not installed; the grader runs every test in a process of its \
             own with it. Install it: cargo install --locked cargo-nextest",
        )?;
        let out = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .context("cannot run `rustc --print sysroot`: is Rust installed (rustup)?")?;
        if !out.status.success() {
            bail!(
                "`rustc --print sysroot` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let version = Command::new("rustc")
            .arg("-vV")
            .output()
            .context("cannot run `rustc -vV`")?;
        let host = String::from_utf8_lossy(&version.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .context("`rustc -vV` names no host triple")?
            .to_string();
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .context("neither CARGO_HOME nor HOME is set: cannot find cargo's registry")?;
        let grader = std::env::current_exe().context("cannot find the threadwork binary")?;
        Ok(Toolchain {
            sysroot,
            nextest,
            registry: cargo_home.join("registry"),
            grader,
            host,
        })
    }
}

/// `bwrap` from PATH, or the program `THREADWORK_BWRAP` names (bubblewrap installed
/// elsewhere; the tests also name a missing one).
fn bwrap_program() -> std::ffi::OsString {
    std::env::var_os("THREADWORK_BWRAP").unwrap_or_else(|| "bwrap".into())
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Whether the grader runs as root: then tests run under uids of their own.
pub fn privileged() -> bool {
    rustix::process::geteuid().is_root()
}

/// The host directories one submission's step binds into its sandbox.
#[derive(Debug, Clone)]
pub struct Binds {
    /// The submission's copy of the course (always read-only).
    pub course: PathBuf,
    /// The per-submission output folder: read-write when building (the archive is written
    /// there), read-only when testing.
    pub out: PathBuf,
    /// What the step is, and so what else it may write.
    pub stage: Stage,
}

/// A sandboxed step, by what it is allowed to write besides nothing.
#[derive(Debug, Clone)]
pub enum Stage {
    /// The build: the shared target directory (read-write) and the output folder, where the
    /// archive is written.
    Build { target: PathBuf },
    /// The tests: `work`, where nextest extracts the archive and writes its JUnit report
    /// (read-write for nextest, not writable by the tests' uids). The shared target is out
    /// of reach.
    Test { work: PathBuf },
    /// The sandbox's own start-up check: writes nothing.
    Check,
}

impl Binds {
    /// The build step's shared target directory.
    pub fn target(&self) -> Option<&Path> {
        match &self.stage {
            Stage::Build { target } => Some(target.as_path()),
            _ => None,
        }
    }

    /// The test step's work folder.
    pub fn work(&self) -> Option<&Path> {
        match &self.stage {
            Stage::Test { work } => Some(work.as_path()),
            _ => None,
        }
    }
}

/// Paths as the command inside the sandbox sees them.
#[derive(Debug, Clone)]
pub struct Layout {
    pub course: PathBuf,
    pub out: PathBuf,
    pub target: PathBuf,
    pub work: PathBuf,
    pub cargo: PathBuf,
    pub nextest: PathBuf,
    pub runner: PathBuf,
    pub cargo_home: PathBuf,
    pub path_var: String,
}

/// How one step is isolated.
#[derive(Debug, Clone)]
pub struct Sandbox {
    pub enabled: bool,
    pub privileged: bool,
    pub tools: Toolchain,
}

/// Limits for a whole sandboxed step (the per-test limits are in the runner).
#[derive(Debug, Clone, Copy)]
pub struct StepLimits {
    pub wall: Duration,
    pub address_space: u64,
    pub file_size: u64,
    pub cpu_seconds: u64,
    /// Bytes of stdout (and, separately, stderr) kept; the rest is dropped.
    pub output: usize,
}

/// What a step printed and how it ended.
#[derive(Debug)]
pub struct StepOutput {
    pub success: bool,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    /// Paths inside the sandbox (or on the host when the sandbox is off).
    pub fn layout(&self, binds: &Binds) -> Layout {
        if self.enabled {
            let bin = Path::new(inside::BIN);
            Layout {
                course: inside::COURSE.into(),
                out: inside::OUT.into(),
                target: inside::TARGET.into(),
                work: inside::WORK.into(),
                cargo: Path::new(inside::RUST).join("bin/cargo"),
                nextest: bin.join("cargo-nextest"),
                runner: bin.join("threadwork"),
                cargo_home: inside::CARGO_HOME.into(),
                path_var: format!("{}:{}/bin:/usr/bin:/bin", inside::BIN, inside::RUST),
            }
        } else {
            let host_path = std::env::var("PATH").unwrap_or_default();
            Layout {
                course: binds.course.clone(),
                out: binds.out.clone(),
                target: binds.target().map(Path::to_path_buf).unwrap_or_default(),
                work: binds.work().map(Path::to_path_buf).unwrap_or_default(),
                cargo: self.tools.sysroot.join("bin/cargo"),
                nextest: self.tools.nextest.clone(),
                runner: self.tools.grader.clone(),
                cargo_home: self
                    .tools
                    .registry
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                path_var: format!("{}/bin:{host_path}", self.tools.sysroot.display()),
            }
        }
    }

    /// Proves that bubblewrap starts here, or says how to fix it.
    pub fn check(&self) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let dir = tempfile::tempdir().context("cannot create a temporary folder")?;
        let binds = Binds {
            course: dir.path().to_path_buf(),
            out: dir.path().to_path_buf(),
            stage: Stage::Check,
        };
        let mut cmd = self.command(&binds, &[], Path::new("/usr/bin/true"), &[]);
        let out = cmd.output();
        match out {
            Ok(out) if out.status.success() => Ok(()),
            Ok(out) => bail!(
                "the sandbox (bubblewrap) cannot start here: {}\nStudent code is never run \
                 unsandboxed by default. Fix bubblewrap (it needs user namespaces, or root), \
                 or pass --no-sandbox to grade without isolation (only for trusted code).",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(e) => bail!(
                "the sandbox program `bwrap` cannot be run ({e}). Install bubblewrap \
                 (Debian/Ubuntu: apt-get install bubblewrap), or pass --no-sandbox to grade \
                 without isolation (only for trusted code)."
            ),
        }
    }

    /// `bwrap <binds> -- program args` (or the bare program when the sandbox is off), with
    /// a cleared environment plus `env`, started in the course's folder.
    pub fn command(
        &self,
        binds: &Binds,
        env: &[(String, String)],
        program: &Path,
        args: &[OsString],
    ) -> Command {
        let layout = self.layout(binds);
        let mut cmd;
        if self.enabled {
            cmd = Command::new(bwrap_program());
            cmd.args(self.bwrap_args(binds, &layout));
            cmd.arg("--clearenv");
            for (k, v) in env {
                cmd.args(["--setenv", k, v]);
            }
            cmd.arg("--chdir")
                .arg(&layout.course)
                .arg("--")
                .arg(program);
            cmd.env_clear();
        } else {
            cmd = Command::new(program);
            cmd.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
            cmd.current_dir(&layout.course);
        }
        cmd.args(args);
        cmd
    }

    fn bwrap_args(&self, binds: &Binds, layout: &Layout) -> Vec<OsString> {
        let mut a: Vec<OsString> = Vec::new();
        let mut push = |items: &[&dyn AsRef<std::ffi::OsStr>]| {
            a.extend(items.iter().map(|s| s.as_ref().to_os_string()));
        };
        push(&[
            &"--unshare-pid",
            &"--unshare-net",
            &"--unshare-ipc",
            &"--unshare-uts",
            &"--unshare-cgroup-try",
            &"--die-with-parent",
            &"--new-session",
            &"--hostname",
            &"threadwork-sandbox",
        ]);
        if !self.privileged {
            push(&[&"--unshare-user"]);
        }
        push(&[&"--ro-bind", &"/usr", &"/usr"]);
        for dir in ["/bin", "/lib", "/lib64", "/sbin"] {
            match std::fs::read_link(dir) {
                Ok(target) => push(&[&"--symlink", &target, &dir]),
                Err(_) if Path::new(dir).is_dir() => push(&[&"--ro-bind", &dir, &dir]),
                Err(_) => {}
            }
        }
        // Only what the dynamic loader and `cc` (a Debian alternative) need from /etc.
        for file in [
            "/etc/alternatives",
            "/etc/ld.so.cache",
            "/etc/ld.so.conf",
            "/etc/ld.so.conf.d",
        ] {
            if Path::new(file).exists() {
                push(&[&"--ro-bind", &file, &file]);
            }
        }
        push(&[&"--proc", &"/proc", &"--dev", &"/dev"]);
        push(&[
            &"--perms",
            &"1777",
            &"--size",
            &TMP_BYTES.to_string(),
            &"--tmpfs",
            &"/tmp",
        ]);
        push(&[&"--ro-bind", &self.tools.sysroot, &inside::RUST]);
        push(&[&"--ro-bind", &self.tools.nextest, &layout.nextest]);
        push(&[&"--ro-bind", &self.tools.grader, &layout.runner]);
        // cargo wants a writable CARGO_HOME (its package-cache lock); the registry in it is
        // read-only and complete (the build runs --offline).
        push(&[&"--tmpfs", &inside::CARGO_HOME]);
        if self.tools.registry.is_dir() {
            push(&[
                &"--ro-bind",
                &self.tools.registry,
                &Path::new(inside::CARGO_HOME).join("registry"),
            ]);
        }
        push(&[&"--ro-bind", &binds.course, &inside::COURSE]);
        match &binds.stage {
            Stage::Build { target } => {
                push(&[&"--bind", &binds.out, &inside::OUT]);
                push(&[&"--bind", target, &inside::TARGET]);
            }
            Stage::Test { work } => {
                push(&[&"--ro-bind", &binds.out, &inside::OUT]);
                push(&[&"--bind", work, &inside::WORK]);
                // Tests that start a binary of their crate use its build-time path
                // (`env!("CARGO_BIN_EXE_x")` = /target/debug/x): point /target at the copy
                // nextest extracted from the archive. The shared target stays out of reach.
                let extracted = Path::new(inside::WORK).join("extract/target");
                push(&[&"--symlink", &extracted, &inside::TARGET]);
            }
            Stage::Check => push(&[&"--ro-bind", &binds.out, &inside::OUT]),
        }
        if self.privileged {
            // nextest and the runner keep only what the runner needs to start each test
            // under a uid of its own and to clean up after it.
            push(&[&"--cap-drop", &"ALL"]);
            for cap in ["CAP_SETUID", "CAP_SETGID", "CAP_KILL"] {
                push(&[&"--cap-add", &cap]);
            }
        }
        a
    }
}

/// Runs a prepared command with rlimits, a wall-clock limit and bounded output, in a
/// process group of its own that does not outlive it.
pub fn run_step(mut cmd: Command, limits: StepLimits) -> Result<StepOutput> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let rl = limits;
    // SAFETY: the closure only calls setrlimit (a raw syscall), which is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            set_limit(Resource::As, rl.address_space)?;
            set_limit(Resource::Fsize, rl.file_size)?;
            set_limit(Resource::Cpu, rl.cpu_seconds)?;
            set_limit(Resource::Core, 0)?;
            Ok(())
        });
    }
    let mut child = group::in_own_group(&mut cmd)
        .spawn()
        .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    let stdout = child.stdout.take().map(|s| read_bounded(s, limits.output));
    let stderr = child.stderr.take().map(|s| read_bounded(s, limits.output));
    let ended = group::wait_then_clear(&mut child, limits.wall)
        .with_context(|| format!("lost {:?}", cmd.get_program()))?;
    let collect = |rx: Option<mpsc::Receiver<Vec<u8>>>| {
        rx.and_then(|rx| rx.recv_timeout(Duration::from_secs(5)).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    Ok(StepOutput {
        success: ended.status.success() && !ended.timed_out,
        timed_out: ended.timed_out,
        stdout: collect(stdout),
        stderr: collect(stderr),
    })
}

/// Reads a pipe to its end on a thread, keeping at most `cap` bytes.
pub fn read_bounded(mut pipe: impl Read + Send + 'static, cap: usize) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        let _ = tx.send(kept);
    });
    rx
}

/// setrlimit with the same soft and hard value.
pub fn set_limit(resource: Resource, value: u64) -> std::io::Result<()> {
    let limit = Rlimit {
        current: Some(value),
        maximum: Some(value),
    };
    Ok(rustix::process::setrlimit(resource, limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox(privileged: bool) -> Sandbox {
        Sandbox {
            enabled: true,
            privileged,
            tools: Toolchain {
                sysroot: "/host/rust".into(),
                nextest: "/host/bin/cargo-nextest".into(),
                registry: "/host/no-registry".into(),
                grader: "/host/bin/threadwork".into(),
                host: "x86_64-unknown-linux-gnu".into(),
            },
        }
    }

    fn binds(stage: Stage) -> Binds {
        Binds {
            course: "/slot/course".into(),
            out: "/slot/out".into(),
            stage,
        }
    }

    /// The arguments as `flag src dest` strings, for the binds a test looks for.
    fn args(sandbox: &Sandbox, binds: &Binds) -> Vec<String> {
        let layout = sandbox.layout(binds);
        let args: Vec<String> = sandbox
            .bwrap_args(binds, &layout)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        args.windows(3).map(|w| w.join(" ")).collect()
    }

    #[test]
    fn the_build_may_write_the_target_and_its_output_and_read_the_course() {
        let found = args(
            &sandbox(false),
            &binds(Stage::Build {
                target: "/shared/target".into(),
            }),
        );
        for want in [
            "--ro-bind /slot/course /course",
            "--bind /slot/out /out",
            "--bind /shared/target /target",
        ] {
            assert!(found.iter().any(|a| a == want), "{want} in {found:?}");
        }
        assert!(!found.iter().any(|a| a.contains(" /work")), "{found:?}");
    }

    #[test]
    fn tests_never_see_the_shared_target_and_read_their_output_only() {
        let found = args(
            &sandbox(true),
            &binds(Stage::Test {
                work: "/slot/work".into(),
            }),
        );
        for want in [
            "--ro-bind /slot/out /out",
            "--bind /slot/work /work",
            "--symlink /work/extract/target /target",
        ] {
            assert!(found.iter().any(|a| a == want), "{want} in {found:?}");
        }
        assert!(
            !found.iter().any(|a| a.contains("/shared/target")),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|a| a == "--bind /slot/out /out"),
            "{found:?}"
        );
    }

    #[test]
    fn every_stage_has_no_network_and_dies_with_the_grader() {
        for privileged in [false, true] {
            let s = sandbox(privileged);
            let b = binds(Stage::Check);
            let flat: Vec<String> = s
                .bwrap_args(&b, &s.layout(&b))
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            for flag in ["--unshare-net", "--unshare-pid", "--die-with-parent"] {
                assert!(flat.iter().any(|a| a == flag), "{flag} in {flat:?}");
            }
            // Root keeps setuid for the per-test uids; everyone else gets a user namespace.
            assert_eq!(flat.iter().any(|a| a == "--unshare-user"), !privileged);
            assert_eq!(flat.iter().any(|a| a == "CAP_SETUID"), privileged);
        }
    }
}
