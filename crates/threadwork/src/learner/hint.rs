//! `threadwork hint [exercise]`: the next hint each time it is asked. The count of hints
//! shown is remembered in the state file, so the second call shows hint 2.

use std::path::Path;

use anyhow::Result;
use catalog::{Catalog, ExerciseInfo, TopicInfo};

use super::invocation::command;
use super::state::State;
use super::term::Out;

pub fn hint(catalog: &Catalog, name: Option<&str>) -> Result<()> {
    let state = State::load(&catalog.root);
    let (topic, ex) = match name {
        Some(name) => super::find_exercise(catalog, name)?,
        None => super::current_exercise(catalog, &state)?,
    };
    let again = format!("`{}`", command(&format!("hint {}", ex.name)));
    Out::plain().say(&next_hint(&catalog.root, topic, ex, &again));
    Ok(())
}

/// Shows the next hint of `ex` (or all of them once every hint was shown) and records it;
/// `again` says how to ask for the next one.
pub fn next_hint(root: &Path, topic: &TopicInfo, ex: &ExerciseInfo, again: &str) -> String {
    let mut state = State::load(root);
    let total = ex.hints.len();
    let shown = state.hints_shown(&ex.name).min(total);
    let mut text = format!("{} ({}): {}\n", ex.name, topic.topic, ex.summary);
    if shown == total {
        text.push_str(&format!(
            "No more hints: all {total} were shown. Here they are again:\n"
        ));
        for (i, hint) in ex.hints.iter().enumerate() {
            text.push_str(&format!("\nHint {} of {total}: {hint}\n", i + 1));
        }
        text.push_str(&more_help(topic));
        return text;
    }
    text.push_str(&format!(
        "\nHint {} of {total}: {}\n",
        shown + 1,
        ex.hints[shown]
    ));
    if shown + 1 < total {
        text.push_str(&format!("\nAsk again for hint {} ({again}).", shown + 2));
    } else {
        text.push_str(&format!("\nThat was the last hint. {}", more_help(topic)));
    }
    state.set_hints_shown(&ex.name, shown + 1);
    state.save();
    text
}

fn more_help(topic: &TopicInfo) -> String {
    format!(
        "The topic's chapter, docs/src/{}.md, shows the classic bugs and what the tests print \
         for them.",
        topic.topic
    )
}
