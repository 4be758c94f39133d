//! A program in a real terminal: tmux runs it, `send-keys` types, `capture-pane` reads the
//! screen. The waits poll the screen until a text shows up, with a generous deadline: they
//! are hang guards and never order anything.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::{Course, target_dir};

/// How long to wait for a screen that needs no build.
pub const QUICK: Duration = Duration::from_secs(60);
/// The program ends after this whatever happens (a hang guard for the test).
const LIFETIME: Duration = Duration::from_secs(900);

/// A private tmux server (its own socket) running one `threadwork` command in the course;
/// killed on drop.
pub struct Tmux {
    socket: String,
    /// The socket file, removed on drop (tmux leaves it behind).
    socket_path: Option<String>,
}

impl Tmux {
    /// Starts `threadwork <args>` in a 200x50 terminal; `name` tells tests apart.
    pub fn start(course: &Course, name: &str, args: &str) -> Tmux {
        Tmux::start_sized(course, name, args, (200, 50))
    }

    /// Starts `threadwork <args>` in a terminal of `(columns, rows)`.
    pub fn start_sized(course: &Course, name: &str, args: &str, size: (u16, u16)) -> Tmux {
        let socket = format!("threadwork-learner-{}-{name}", std::process::id());
        let config = course.root.join("tmux.conf");
        std::fs::write(&config, "set -g history-limit 20000\n").expect("write tmux.conf");
        // `timeout` and the closing `sleep` bound everything even if this test process is
        // killed before its Drop stops the server (`--foreground`: the program reads the
        // terminal); the echo shows how the program exited.
        let command = format!(
            "timeout --foreground {} env -u CARGO_PKG_NAME CARGO_TARGET_DIR='{}' CARGO_NET_OFFLINE=true \
             RUST_BACKTRACE=0 '{}' {args}; echo \"[exited with status $?]\"; sleep {}",
            LIFETIME.as_secs(),
            target_dir().display(),
            env!("CARGO_BIN_EXE_threadwork"),
            QUICK.as_secs()
        );
        let mut tmux = Tmux {
            socket,
            socket_path: None,
        };
        let root = course.root.to_string_lossy().into_owned();
        let config = config.to_string_lossy().into_owned();
        tmux.run(&[
            "-f",
            &config,
            "new-session",
            "-d",
            "-s",
            "course",
            "-x",
            &size.0.to_string(),
            "-y",
            &size.1.to_string(),
            "-c",
            &root,
            &command,
        ]);
        let path = tmux.run(&["display-message", "-p", "#{socket_path}"]);
        tmux.socket_path = Some(String::from_utf8_lossy(&path.stdout).trim().to_string());
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux is needed for this test: apt-get install -y tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Types `keys` literally (no Enter).
    pub fn keys(&self, keys: &str) {
        self.run(&["send-keys", "-t", "course", "-l", keys]);
    }

    /// Presses Enter.
    pub fn enter(&self) {
        self.run(&["send-keys", "-t", "course", "Enter"]);
    }

    /// Everything the pane has shown (history included), long lines joined.
    pub fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", "course"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// What the terminal shows now, row by row (no history, long lines as they wrap).
    pub fn visible(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", "course"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains `text`; panics with the screen after `limit`.
    pub fn wait_for(&self, text: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "`{text}` did not show up within {} s; the screen:\n{screen}",
                limit.as_secs()
            );
            std::thread::sleep(Duration::from_millis(100)); // polling interval of a hang guard
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}
