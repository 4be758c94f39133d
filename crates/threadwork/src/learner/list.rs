//! `threadwork list` (every exercise and its state) and `threadwork progress` (one bar per
//! topic). Both read the recorded checks; neither runs a test.

use anyhow::Result;
use catalog::Catalog;

use super::invocation::command;
use super::paint;
use super::state::{Progress, State, Status, relative_path};
use super::term::{self, Out};

pub fn list(catalog: &Catalog) -> Result<()> {
    let state = State::load(&catalog.root);
    let out = Out::plain();
    let progress = state.progress(catalog);
    out.say(&render_list(&progress, None));
    Ok(())
}

pub fn progress(catalog: &Catalog) -> Result<()> {
    let state = State::load(&catalog.root);
    Out::plain().say(&render_progress(&state.progress(catalog)));
    Ok(())
}

/// Every topic and exercise, numbered (watch jumps by number), with its state; `▶` marks
/// the next exercise (see [`Progress::next_for`]; `followed` is the one watch follows).
pub fn render_list(progress: &Progress<'_>, followed: Option<&str>) -> String {
    let next = progress.next_for(followed).map(|e| e.ex.name.as_str());
    let width = progress
        .entries
        .iter()
        .map(|e| e.ex.name.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    let mut topic = "";
    for (number, e) in progress.entries.iter().enumerate() {
        if e.topic.topic != topic {
            topic = &e.topic.topic;
            text.push_str(&paint::heading(&format!(
                "{}. {}: {}",
                e.topic.order, topic, e.topic.title
            )));
            text.push('\n');
        }
        let mark = if Some(e.ex.name.as_str()) == next {
            "▶"
        } else {
            " "
        };
        let checked = if e.ex.loom { "loom" } else { "std only" };
        text.push_str(&format!(
            "  {mark} {:>2}  {}  {:<width$}  {:>3} pts  {checked:<8}  {}\n",
            number + 1,
            painted_label(e.status),
            e.ex.name,
            e.ex.points,
            relative_path(e.topic, e.ex),
        ));
    }
    text.push('\n');
    text.push_str(&footer(progress, followed));
    text
}

/// The state's label, green when solved, red when failing.
fn painted_label(status: Status) -> String {
    match status {
        Status::Solved => paint::pass(status.label()),
        Status::Failing => paint::fail(status.label()),
        _ => status.label().to_string(),
    }
}

/// One bar per topic, one for the course.
pub fn render_progress(progress: &Progress<'_>) -> String {
    let mut topics: Vec<&str> = progress
        .entries
        .iter()
        .map(|e| e.topic.topic.as_str())
        .collect();
    topics.dedup();
    let width = topics.iter().map(|t| t.len()).max().unwrap_or(0);
    let mut text = String::new();
    for topic in topics {
        let tally = progress.count(|e| e.topic.topic == topic);
        text.push_str(&format!(
            "{topic:<width$}  {}  {}/{} exercises  {}/{} pts\n",
            term::bar(tally.solved, tally.exercises, 20),
            tally.solved,
            tally.exercises,
            tally.solved_points,
            tally.points
        ));
    }
    text.push('\n');
    text.push_str(&footer(progress, None));
    text
}

/// The course's bar, the states' legend when needed, and what to do next.
fn footer(progress: &Progress<'_>, followed: Option<&str>) -> String {
    let tally = progress.count(|_| true);
    let mut text = format!(
        "Course {}  {} of {} exercises solved, {} of {} points\n",
        term::bar(tally.solved, tally.exercises, 30),
        tally.solved,
        tally.exercises,
        tally.solved_points,
        tally.points
    );
    if progress.entries.iter().any(|e| e.status == Status::Edited) {
        text.push_str(&format!(
            "~ edited: changed since its last check; `{}` runs its tests.\n",
            command("check <exercise>")
        ));
    }
    if let Some(note) = progress.unknown_note() {
        text.push_str(&note);
        text.push('\n');
    }
    match progress.next_for(followed) {
        Some(e) => text.push_str(&format!(
            "Next: {} ({}), {}\n  `{}` follows it; `{}` when stuck.",
            e.ex.name,
            e.topic.topic,
            relative_path(e.topic, e.ex),
            command("watch"),
            command(&format!("hint {}", e.ex.name))
        )),
        None => text.push_str("Every exercise is solved. Well done!"),
    }
    text
}
