//! The learner's commands, one module each: [`list`] (list, progress), [`check`], [`hint`],
//! [`watch`], [`reset`]. [`state`] is the only module that knows progress (the state file
//! `.threadwork-state.toml`); [`stub`] finds the original stubs in git; [`term`] prints.
//! Tests run through [`crate::cargo`], the only place that runs cargo.

mod check;
mod hint;
mod invocation;
mod list;
mod models_first;
mod overlay;
mod paint;
mod reset;
mod state;
mod term;
mod unreadable;
mod watch;
mod watch_lock;

use anyhow::{Result, bail};
use catalog::{Catalog, ExerciseInfo, TopicInfo};
use clap::Subcommand;

use catalog::workspace;
use invocation::command;

#[derive(Subcommand)]
pub enum Command {
    /// Every topic and exercise with its state (solved, failing, untouched...) and the
    /// course's progress bar. Reads recorded checks; runs nothing.
    List {
        /// Every exercise, even when that does not fit the terminal (otherwise the topics
        /// other than the current one are shown on one line each).
        #[arg(long)]
        all: bool,
    },
    /// One progress bar per topic and one for the course.
    Progress,
    /// Runs the tests of the current exercise, or of `counter` / `lock::counter` / `lock`,
    /// and explains what failed.
    Check {
        /// An exercise (`counter`), `topic::exercise` (`lock::counter`) or a topic (`lock`);
        /// default: the current exercise (the first unsolved one).
        target: Option<String>,
        /// Check every topic.
        #[arg(long)]
        all: bool,
    },
    /// The next hint of an exercise, one more each time, e.g. `threadwork hint counter`.
    Hint {
        /// The exercise name, as shown by `threadwork list` (default: the current one).
        exercise: Option<String>,
    },
    /// Follows an exercise: re-checks it on every save and moves on when solved.
    /// Keys: h = hint, n / p = next / previous, l = list, a number and Enter = go to that
    /// exercise of the list, c = check again, q = quit.
    Watch {
        /// Where to start: an exercise (`counter`, `lock::counter`) or a topic (`lock`: its
        /// first unsolved exercise); default: the current exercise (the first unsolved one).
        target: Option<String>,
    },
    /// Puts the original stub of an exercise back (your version is kept as `<file>.orig`).
    Reset {
        /// The exercise name, as shown by `threadwork list`.
        exercise: String,
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
}

pub fn run(cmd: Command) -> Result<()> {
    let catalog = workspace::load_catalog()?;
    match cmd {
        Command::List { all } => list::list(&catalog, all),
        Command::Progress => list::progress(&catalog),
        Command::Check { target, all } => check::check(&catalog, target.as_deref(), all),
        Command::Hint { exercise } => hint::hint(&catalog, exercise.as_deref()),
        Command::Watch { target } => watch::watch(&catalog, target.as_deref()),
        Command::Reset { exercise, yes } => reset::reset(&catalog, &exercise, yes),
    }
}

/// An exercise by name (`counter`), also written `lock::counter`.
fn find_exercise<'a>(
    catalog: &'a Catalog,
    name: &str,
) -> Result<(&'a TopicInfo, &'a ExerciseInfo)> {
    let found = match name.split_once("::") {
        Some((topic, ex)) => catalog.exercise(ex).filter(|(t, _)| t.topic == topic),
        None => catalog.exercise(name),
    };
    match found {
        Some(found) => Ok(found),
        None => bail!(
            "there is no exercise `{name}`; `{}` shows every exercise name",
            command("list")
        ),
    }
}

/// A topic (`lock`: all its exercises) or one exercise (`counter`, `lock::counter`). A name
/// that is both (`as_completed`) means the topic; `as_completed::as_completed` is the exercise.
fn resolve_target<'a>(
    catalog: &'a Catalog,
    target: &str,
) -> Result<(&'a TopicInfo, Vec<&'a ExerciseInfo>)> {
    if let Some(topic) = catalog.topic(target) {
        return Ok((topic, topic.exercises.iter().collect()));
    }
    match find_exercise(catalog, target) {
        Ok((topic, ex)) => Ok((topic, vec![ex])),
        Err(_) => bail!(
            "there is no topic or exercise `{target}`; `{}` shows them all \
             (write a topic like `lock`, an exercise like `counter`, or `lock::counter`)",
            command("list")
        ),
    }
}

/// The current exercise: the first one in course order that is not solved.
fn current_exercise<'a>(
    catalog: &'a Catalog,
    state: &state::State,
) -> Result<(&'a TopicInfo, &'a ExerciseInfo)> {
    match state.progress(catalog).current() {
        Some(e) => Ok((e.topic, e.ex)),
        None => bail!("every exercise is solved"),
    }
}
