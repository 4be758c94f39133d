//! `threadwork list` (every exercise and its state) and `threadwork progress` (one bar per
//! topic). Both read the recorded checks; neither runs a test.

use anyhow::Result;
use catalog::{Catalog, ExerciseId};

use super::invocation::command;
use super::paint;
use super::state::{Progress, State, Status, relative_path};
use super::term::{self, Out};

pub fn list(catalog: &Catalog, all: bool) -> Result<()> {
    let state = State::load(&catalog.root);
    let out = Out::plain();
    let progress = state.progress(catalog);
    let rows = if all { None } else { term::rows() };
    let text = render_list(&progress, None, rows.map(|r| r.saturating_sub(1)));
    out.say(&text);
    Ok(())
}

pub fn progress(catalog: &Catalog) -> Result<()> {
    let state = State::load(&catalog.root);
    Out::plain().say(&render_progress(&state.progress(catalog)));
    Ok(())
}

/// Every topic and exercise, numbered (watch jumps by number), with its state; `▶` marks
/// the next exercise (see [`Progress::next_for`]; `followed` is the one watch follows).
/// When that does not fit in `rows` lines (a terminal's height), every topic but the next
/// exercise's is shown as one line: its tally and its exercises' numbers.
pub fn render_list(
    progress: &Progress<'_>,
    followed: Option<&ExerciseId>,
    rows: Option<usize>,
) -> String {
    let full = render(progress, followed, None);
    match rows {
        Some(rows) if full.lines().count() > rows => {
            let open = progress.next_for(followed).map(|e| e.topic.topic.as_str());
            render(progress, followed, Some(open.unwrap_or_default()))
        }
        _ => full,
    }
}

/// The list; with `only_open`, the exercises of that topic alone, the others collapsed.
fn render(
    progress: &Progress<'_>,
    followed: Option<&ExerciseId>,
    only_open: Option<&str>,
) -> String {
    let next = progress.next_for(followed).map(|e| e.ex.name.as_str());
    let width = progress
        .entries
        .iter()
        .map(|e| e.ex.name.as_str().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    let mut topic = "";
    for (number, e) in progress.entries.iter().enumerate() {
        if e.topic.topic != topic {
            topic = e.topic.topic.as_str();
            let heading = format!("{}. {}: {}", e.topic.order, topic, e.topic.title);
            match only_open {
                Some(open) if open != topic => {
                    text.push_str(&collapsed(progress, topic, number, &heading));
                    text.push('\n');
                }
                Some(_) => {
                    // The note shares the heading's line, so an 11-exercise topic still fits
                    // 24 rows with the other topics on one line each.
                    let note = format!("  (`{}` shows all.)", command("list --all"));
                    let room = 79usize.saturating_sub(note.chars().count());
                    text.push_str(&paint::heading(&fit(&heading, room)));
                    text.push_str(&note);
                    text.push('\n');
                }
                None => {
                    text.push_str(&paint::heading(&heading));
                    text.push('\n');
                }
            }
        }
        if only_open.is_some_and(|open| open != topic) {
            continue;
        }
        let mark = if Some(e.ex.name.as_str()) == next {
            "▶"
        } else {
            " "
        };
        let checked = if e.ex.loom { "loom" } else { "std only" };
        let details = match only_open {
            // Compact, for a 80-column terminal: points and checks are in `list --all`.
            Some(_) => String::new(),
            None => format!("{:>3} pts  {checked:<8}  ", e.ex.points),
        };
        text.push_str(&format!(
            "  {mark} {:>2}  {}  {:<width$}  {details}{}\n",
            number + 1,
            painted_label(e.status),
            e.ex.name,
            relative_path(e.topic, e.ex),
        ));
    }
    // Compact, the footer follows the last collapsed topic directly (one row less).
    if only_open.is_none() {
        text.push('\n');
    }
    text.push_str(&footer(progress, followed));
    text
}

/// One line for a whole topic: its heading, its tally, its exercises' numbers (from
/// `first`, the index of its first exercise).
fn collapsed(progress: &Progress<'_>, topic: &str, first: usize, heading: &str) -> String {
    let tally = progress.count(|e| e.topic.topic == topic);
    let mark = if tally.solved == tally.exercises {
        "✓"
    } else {
        " "
    };
    let tail = format!(
        "  {mark} {}/{} solved  (exercises {}-{})",
        tally.solved,
        tally.exercises,
        first + 1,
        first + tally.exercises
    );
    // One row of a 80-column terminal: the title gives way.
    let room = 79usize.saturating_sub(tail.chars().count());
    let line = format!("{:<room$}{tail}", fit(heading, room));
    if tally.solved == tally.exercises {
        paint::pass(&line)
    } else {
        paint::heading(&line)
    }
}

/// `text` in at most `width` characters, cut with `…`.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{cut}…")
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
fn footer(progress: &Progress<'_>, followed: Option<&ExerciseId>) -> String {
    let tally = progress.count(|_| true);
    let mut text = format!(
        "Course {}  {} of {} exercises solved, {} of {} points\n",
        term::bar(tally.solved, tally.exercises, 20),
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
