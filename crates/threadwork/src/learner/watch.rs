//! `threadwork watch`: follows the current exercise (the first unsolved one), re-checks it
//! every time its file is saved, and moves on when it is solved. Keys, without Enter:
//! h = next hint, n = next exercise, l = list, c = check again, q = quit.
//!
//! Plain terminal output, no full-screen UI: in a terminal, keys are read one at a time
//! (raw mode, restored on exit); with stdin not a terminal, each line's first character is
//! a key and the end of input quits. The file is polled (its content, four times a second):
//! no watcher service, and editors that save by renaming a new file are seen too.

use std::io::{BufRead, IsTerminal};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::{Context, Result};
use catalog::{Catalog, ExerciseInfo, TopicInfo};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::check::{self, Outcome};
use super::hint::next_hint;
use super::invocation::command;
use super::list::render_list;
use super::state::{Progress, State, Status, relative_path};
use super::term::Out;

/// How often the current file is compared with what was last checked. Only a latency: a
/// save is seen on the next poll, whenever that is.
const POLL: Duration = Duration::from_millis(250);

const KEYS: &str = "[h] hint  [n] next exercise  [l] list  [c] check again  [q] quit";

enum Input {
    Key(char),
    Quit(&'static str),
}

/// The terminal's raw mode, switched off again when dropped (also on errors and panics).
struct RawMode;

impl RawMode {
    fn enable() -> Result<RawMode> {
        crossterm::terminal::enable_raw_mode()
            .context("cannot read single keys from this terminal")?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

pub fn watch(catalog: &Catalog) -> Result<()> {
    // Loaded once before raw mode, so a note about a rebuilt state file prints cleanly.
    State::load(&catalog.root);
    let interactive = std::io::stdin().is_terminal();
    let (tx, rx) = mpsc::channel();
    let _raw = if interactive {
        Some(RawMode::enable()?)
    } else {
        None
    };
    let out = if interactive {
        Out::raw()
    } else {
        Out::plain()
    };
    std::thread::spawn(move || {
        if interactive {
            read_keys(&tx)
        } else {
            read_lines(&tx)
        }
    });
    Watcher {
        catalog,
        out,
        current: None,
        last_seen: None,
    }
    .run(&rx)
}

/// Holds no state of its own beyond what it follows: progress is read from the state file
/// at each step, so a `threadwork hint` in another terminal is seen and kept.
struct Watcher<'a> {
    catalog: &'a Catalog,
    out: Out,
    /// The exercise followed, by name.
    current: Option<String>,
    /// Its file's content when last checked (or shown untouched).
    last_seen: Option<Vec<u8>>,
}

impl<'a> Watcher<'a> {
    fn run(mut self, rx: &Receiver<Input>) -> Result<()> {
        let first = self.progress().current().map(|e| e.ex.name.clone());
        let Some(first) = first else {
            self.out.say("Every exercise is solved. Well done!");
            return Ok(());
        };
        if self.follow(&first)? {
            return Ok(());
        }
        loop {
            match rx.recv_timeout(POLL) {
                Ok(Input::Key('q')) => break,
                Ok(Input::Quit(why)) => {
                    self.out.say(why);
                    break;
                }
                Ok(Input::Key('h')) => {
                    let (topic, ex) = self.current()?;
                    let text = next_hint(&self.catalog.root, topic, ex, "press h");
                    self.out.say(&format!("\n{text}\n\n{KEYS}"));
                }
                Ok(Input::Key('l')) => {
                    let text = render_list(&self.progress(), self.current.as_deref());
                    self.out.say(&format!("\n{text}\n\n{KEYS}"));
                }
                Ok(Input::Key('n')) => {
                    let name = self.name().to_string();
                    let next = self.progress().next_after(&name).map(|e| e.ex.name.clone());
                    match next {
                        Some(next) => {
                            if self.follow(&next)? {
                                break;
                            }
                        }
                        None => self
                            .out
                            .say(&format!("\nNo other exercise is left to do.\n{KEYS}")),
                    }
                }
                Ok(Input::Key('c')) => {
                    if self.check_current()? {
                        break;
                    }
                }
                Ok(Input::Key(other)) => self.out.say(&format!("`{other}`? {KEYS}")),
                Err(RecvTimeoutError::Timeout) => {
                    if self.changed() && self.check_current()? {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.out.say(&format!(
            "Bye! `{}` picks up where you left off.",
            command("watch")
        ));
        Ok(())
    }

    fn progress(&self) -> Progress<'a> {
        State::load(&self.catalog.root).progress(self.catalog)
    }

    fn name(&self) -> &str {
        self.current.as_deref().unwrap_or_default()
    }

    fn current(&self) -> Result<(&'a TopicInfo, &'a ExerciseInfo)> {
        super::find_exercise(self.catalog, self.name())
    }

    fn read_current(&self) -> Option<Vec<u8>> {
        let (topic, ex) = self.current().ok()?;
        std::fs::read(self.catalog.root.join(relative_path(topic, ex))).ok()
    }

    /// Whether the file differs from what was last checked.
    fn changed(&self) -> bool {
        self.read_current() != self.last_seen
    }

    /// Starts following `name`: shows its task, and checks it unless it is the untouched stub
    /// (whose tests fail by design).
    fn follow(&mut self, name: &str) -> Result<bool> {
        self.current = Some(name.to_string());
        let (topic, ex) = self.current()?;
        let progress = self.progress();
        let tally = progress.count(|_| true);
        let status = progress.get(name).map(|e| e.status);
        let position = topic
            .exercises
            .iter()
            .position(|e| e.name == ex.name)
            .unwrap_or(0);
        self.out.say(&format!(
            "\n== {} ({} {}/{}) == {} == {}/{} exercises solved\n{}",
            ex.name,
            topic.topic,
            position + 1,
            topic.exercises.len(),
            relative_path(topic, ex),
            tally.solved,
            tally.exercises,
            ex.summary
        ));
        if status == Some(Status::Untouched) {
            self.last_seen = self.read_current();
            self.out.say(&format!(
                "Untouched: open {}, replace the `todo!()`s and save. It is checked on every \
                 save.\n{KEYS}",
                relative_path(topic, ex)
            ));
            return Ok(false);
        }
        self.check_current()
    }

    /// Checks the current exercise; when solved, moves on. Returns true when the whole
    /// course is solved (time to stop).
    fn check_current(&mut self) -> Result<bool> {
        let (topic, ex) = self.current()?;
        self.last_seen = self.read_current();
        self.out
            .say(&format!("\n{}", check::checking_line(topic, &[ex])));
        let report = check::check_exercises(self.catalog, topic, &[ex])?;
        self.out.say(report.text.trim_end());
        let solved = report
            .outcomes
            .iter()
            .any(|(name, o)| name == &ex.name && *o == Outcome::Solved);
        if !solved {
            self.out
                .say(&format!("\nSave the file to check again.  {KEYS}"));
            return Ok(false);
        }
        let next = self
            .progress()
            .next_after(&ex.name)
            .map(|e| e.ex.name.clone());
        match next {
            Some(next) => {
                self.out.say(&format!("\nMoving on to `{next}`."));
                self.follow(&next)
            }
            None => {
                self.out
                    .say("\nEvery exercise of the course is solved. Well done!");
                Ok(true)
            }
        }
    }
}

/// Single keys from the terminal (raw mode: Ctrl-C arrives as a key, not a signal).
fn read_keys(tx: &Sender<Input>) {
    loop {
        let input = match crossterm::event::read() {
            Ok(Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                modifiers,
                kind: KeyEventKind::Press,
                ..
            })) => {
                if modifiers.contains(KeyModifiers::CONTROL) {
                    if matches!(c, 'c' | 'd') {
                        Input::Quit("Stopped.")
                    } else {
                        continue;
                    }
                } else {
                    Input::Key(c.to_ascii_lowercase())
                }
            }
            Ok(_) => continue,
            Err(_) => Input::Quit("The terminal went away."),
        };
        let quit = matches!(input, Input::Quit(_));
        if tx.send(input).is_err() || quit {
            return;
        }
    }
}

/// Keys as lines (stdin is a pipe or a file): the first character of each line.
fn read_lines(tx: &Sender<Input>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let Some(c) = line.trim().chars().next() {
            if tx.send(Input::Key(c.to_ascii_lowercase())).is_err() {
                return;
            }
        }
    }
    let _ = tx.send(Input::Quit("End of input: stopped watching."));
}
