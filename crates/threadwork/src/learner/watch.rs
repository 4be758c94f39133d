//! `threadwork watch [topic | exercise | topic::exercise]`: follows an exercise (by default
//! the first unsolved one), re-checks it every time its file is saved, and moves on when it
//! is solved. Keys, without Enter: h = next hint, n / p (or → / ←) = next / previous
//! exercise, l = list, a number and Enter = go to that exercise of the list, c = check
//! again, q = quit.
//!
//! In a terminal, each verdict gets a fresh screen (cleared, then drawn) and keys are read
//! one at a time (raw mode, restored on exit). With stdin not a terminal, each line is a key
//! (its first character, or a whole number), the end of input quits, and nothing is cleared.
//! The file is polled (its content, four times a second): no watcher service, and editors
//! that save by renaming a new file are seen too.

use std::io::{BufRead, IsTerminal};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::{Context, Result};
use catalog::{Catalog, ExerciseId, ExerciseInfo, TopicInfo};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::check::{self, Detail, Outcome};
use super::hint::next_hint;
use super::invocation::command;
use super::list::render_list;
use super::paint;
use super::state::{Progress, State, Status, relative_path};
use super::term::{self, Out};
use super::watch_lock::WatchLock;

/// How often the current file is compared with what was last checked. Only a latency: a
/// save is seen on the next poll, whenever that is.
const POLL: Duration = Duration::from_millis(250);

/// Short enough to share a line of a 80-column terminal with "Save the file to check again.".
const KEYS: &str = "[h]int [n]ext [p]rev [l]ist [c]heck [q]uit";

enum Input {
    Key(char),
    Quit(&'static str),
}

/// Enter, as [`Input::Key`]: it ends a number typed to jump to an exercise.
const ENTER: char = '\n';

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

pub fn watch(catalog: &Catalog, target: Option<&str>) -> Result<()> {
    // Before raw mode, so a note about a rebuilt state file or a wrong target prints cleanly.
    let progress = State::load(&catalog.root).progress(catalog);
    let start = start_at(catalog, &progress, target)?;
    let _lock = WatchLock::acquire(&catalog.root)?;
    let Some(first) = start else {
        Out::plain().say("Every exercise is solved. Well done!");
        return Ok(());
    };
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
        typed: String::new(),
    }
    .run(&first, &rx)
}

/// The exercise to start with: the one named, the first unsolved one of a topic named (its
/// first when all are solved), or the first unsolved one of the course.
fn start_at(
    catalog: &Catalog,
    progress: &Progress<'_>,
    target: Option<&str>,
) -> Result<Option<ExerciseId>> {
    let Some(target) = target else {
        return Ok(progress.current().map(|e| e.ex.name.clone()));
    };
    let (_, exercises) = super::resolve_target(catalog, target)?;
    let unsolved = exercises
        .iter()
        .find(|ex| progress.get(&ex.name).map(|e| e.status) != Some(Status::Solved));
    Ok(unsolved.or(exercises.first()).map(|ex| ex.name.clone()))
}

/// Holds no state of its own beyond what it follows: progress is read from the state file
/// at each step, so a `threadwork hint` in another terminal is seen and kept.
struct Watcher<'a> {
    catalog: &'a Catalog,
    out: Out,
    /// The exercise followed.
    current: Option<ExerciseId>,
    /// Its file's content when last checked (or shown untouched).
    last_seen: Option<Vec<u8>>,
    /// Digits typed so far to jump to an exercise by its number in the list.
    typed: String,
}

impl<'a> Watcher<'a> {
    fn run(mut self, first: &ExerciseId, rx: &Receiver<Input>) -> Result<()> {
        if self.follow(first, None)? {
            return Ok(());
        }
        loop {
            let input = rx.recv_timeout(POLL);
            if let Ok(Input::Key(c)) = &input {
                if c.is_ascii_digit() || (*c == ENTER && !self.typed.is_empty()) {
                    if self.typed_key(*c)? {
                        break;
                    }
                    continue;
                }
                self.typed.clear();
            }
            match input {
                Ok(Input::Key('q')) => break,
                Ok(Input::Quit(why)) => {
                    self.out.say(why);
                    break;
                }
                Ok(Input::Key('h')) => {
                    let (topic, ex) = self.current()?;
                    let text = next_hint(&self.catalog.root, topic, ex, "press h");
                    self.redraw(&text);
                }
                Ok(Input::Key('l')) => {
                    // Two lines under it say what to type.
                    let rows = term::rows().map(|r| r.saturating_sub(3));
                    let text = render_list(&self.progress(), self.current.as_ref(), rows);
                    self.out.clear();
                    self.out.say(&format!(
                        "{text}\n\nType an exercise's number and Enter to go there.\n{KEYS}"
                    ));
                }
                Ok(Input::Key('n')) => {
                    if self.step(1)? {
                        break;
                    }
                }
                Ok(Input::Key('p')) => {
                    if self.step(-1)? {
                        break;
                    }
                }
                Ok(Input::Key('c')) => {
                    if self.check_current(true)? {
                        break;
                    }
                }
                Ok(Input::Key(ENTER)) => {}
                Ok(Input::Key(other)) => self.out.say(&format!("`{other}`? {KEYS}")),
                Err(RecvTimeoutError::Timeout) => {
                    if self.changed() && self.check_current(true)? {
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
        self.current.as_ref().map_or("", ExerciseId::as_str)
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

    /// A digit of an exercise's number, or the Enter that ends it: goes there.
    fn typed_key(&mut self, c: char) -> Result<bool> {
        if c != ENTER {
            self.typed.push(c);
            self.out
                .say(&format!("Go to exercise {}: press Enter.", self.typed));
            return Ok(false);
        }
        let typed = std::mem::take(&mut self.typed);
        let progress = self.progress();
        let found = typed
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| progress.entries.get(i))
            .map(|e| e.ex.name.clone());
        match found {
            Some(name) => self.follow(&name, None),
            None => {
                self.out.say(&format!(
                    "There is no exercise {typed}: the list ([l]) numbers them 1 to {}.",
                    progress.entries.len()
                ));
                Ok(false)
            }
        }
    }

    /// The next (`by` = 1) or previous (-1) exercise in course order, solved or not.
    fn step(&mut self, by: isize) -> Result<bool> {
        let progress = self.progress();
        let at = progress
            .entries
            .iter()
            .position(|e| self.current.as_ref() == Some(&e.ex.name))
            .unwrap_or(0);
        let to = at
            .checked_add_signed(by)
            .and_then(|i| progress.entries.get(i));
        match to.map(|e| e.ex.name.clone()) {
            Some(name) => self.follow(&name, None),
            None => {
                let end = if by > 0 { "last" } else { "first" };
                self.out
                    .say(&format!("This is the course's {end} exercise.  {KEYS}"));
                Ok(false)
            }
        }
    }

    /// A fresh screen: the exercise's heading, then `text`, then the keys.
    fn redraw(&self, text: &str) {
        self.out.clear();
        self.out.say(&self.heading());
        self.out.say(&format!("{}\n\n{KEYS}", text.trim_end()));
    }

    /// "== counter (lock 1/6) == exercises/lock/01_counter.rs == 3/29 exercises solved",
    /// and the exercise's summary.
    fn heading(&self) -> String {
        let Ok((topic, ex)) = self.current() else {
            return String::new();
        };
        let tally = self.progress().count(|_| true);
        let position = topic
            .exercises
            .iter()
            .position(|e| e.name == ex.name)
            .unwrap_or(0);
        let line = format!(
            "== {} ({} {}/{}) == {} == {}/{} exercises solved",
            ex.name,
            topic.topic,
            position + 1,
            topic.exercises.len(),
            relative_path(topic, ex),
            tally.solved,
            tally.exercises,
        );
        format!("{}\n{}", paint::heading(&line), ex.summary)
    }

    /// Starts following `name` on a fresh screen (after `preface`, what led here): shows its
    /// task, and checks it unless it is the untouched stub (whose tests fail by design).
    fn follow(&mut self, name: &ExerciseId, preface: Option<String>) -> Result<bool> {
        self.current = Some(name.clone());
        let (topic, ex) = self.current()?;
        let status = self.progress().get(name).map(|e| e.status);
        self.out.clear();
        if let Some(preface) = preface {
            self.out.say(&format!("{}\n", preface.trim_end()));
        }
        self.out.say(&self.heading());
        if status == Some(Status::Untouched) {
            self.last_seen = self.read_current();
            self.out.say(&format!(
                "Untouched: open {}, replace the `todo!()`s and save. It is checked on every \
                 save.\n\n{KEYS}",
                relative_path(topic, ex)
            ));
            return Ok(false);
        }
        self.check_current(false)
    }

    /// Checks the current exercise (on a fresh screen when `fresh`); when solved, moves on.
    /// Returns true when the whole course is solved (time to stop).
    fn check_current(&mut self, fresh: bool) -> Result<bool> {
        let (topic, ex) = self.current()?;
        self.last_seen = self.read_current();
        if fresh {
            self.out.clear();
            self.out.say(&self.heading());
        }
        self.out.say(&check::checking_line(topic, &[ex]));
        let report = check::check_exercises(self.catalog, topic, &[ex], Detail::FirstFailure)?;
        let solved = report
            .outcomes
            .iter()
            .any(|(name, o)| name == &ex.name && *o == Outcome::Solved);
        if !solved {
            // The heading's first line only, and no blank lines: the verdict must fit 80x24.
            self.out.clear();
            self.out
                .say(self.heading().lines().next().unwrap_or_default());
            self.out.say(&format!(
                "{}\nSave the file to check again.  {KEYS}",
                report.text.trim_end()
            ));
            return Ok(false);
        }
        let next = self
            .progress()
            .next_after(&ex.name)
            .map(|e| e.ex.name.clone());
        match next {
            Some(next) => {
                let preface = format!("{}\n\nMoving on to `{next}`.", report.text.trim_end());
                self.follow(&next, Some(preface))
            }
            None => {
                self.redraw(&format!(
                    "{}\n\nEvery exercise of the course is solved. Well done!",
                    report.text.trim_end()
                ));
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
                code,
                modifiers,
                kind: KeyEventKind::Press,
                ..
            })) => match code {
                KeyCode::Char('c' | 'd') if modifiers.contains(KeyModifiers::CONTROL) => {
                    Input::Quit("Stopped.")
                }
                KeyCode::Char(_) if modifiers.contains(KeyModifiers::CONTROL) => continue,
                KeyCode::Char(c) => Input::Key(c.to_ascii_lowercase()),
                KeyCode::Enter => Input::Key(ENTER),
                KeyCode::Right => Input::Key('n'),
                KeyCode::Left => Input::Key('p'),
                _ => continue,
            },
            Ok(_) => continue,
            Err(_) => Input::Quit("The terminal went away."),
        };
        let quit = matches!(input, Input::Quit(_));
        if tx.send(input).is_err() || quit {
            return;
        }
    }
}

/// Keys as lines (stdin is a pipe or a file): the first character of each line, or a whole
/// number (an exercise to go to) followed by Enter.
fn read_lines(tx: &Sender<Input>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        let keys: Vec<char> = if !line.is_empty() && line.chars().all(|c| c.is_ascii_digit()) {
            line.chars().chain([ENTER]).collect()
        } else {
            line.chars()
                .take(1)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        for key in keys {
            if tx.send(Input::Key(key)).is_err() {
                return;
            }
        }
    }
    let _ = tx.send(Input::Quit("End of input: stopped watching."));
}
