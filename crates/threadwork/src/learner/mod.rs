//! The learner's commands.

use anyhow::{Result, bail};
use catalog::Catalog;
use clap::Subcommand;

use crate::workspace;

#[derive(Subcommand)]
pub enum Command {
    /// Every topic and exercise in course order.
    List,
    /// The hints of one exercise, e.g. `threadwork hint counter`.
    Hint {
        /// The exercise name, as shown by `threadwork list`.
        exercise: String,
    },
}

pub fn run(cmd: Command) -> Result<()> {
    let catalog = workspace::load_catalog()?;
    match cmd {
        Command::List => list(&catalog),
        Command::Hint { exercise } => hint(&catalog, &exercise),
    }
}

pub fn list(catalog: &Catalog) -> Result<()> {
    for topic in &catalog.topics {
        println!("{}. {} — {}", topic.order, topic.topic, topic.title);
        for ex in &topic.exercises {
            let checked = if ex.loom { "loom-checked" } else { "std only" };
            println!(
                "   {:<28} {:>3} pts  {:<12}  exercises/{}/{}",
                ex.name, ex.points, checked, topic.topic, ex.file
            );
        }
    }
    Ok(())
}

pub fn hint(catalog: &Catalog, name: &str) -> Result<()> {
    let Some((topic, ex)) = catalog.exercise(name) else {
        bail!("there is no exercise `{name}`; `threadwork list` shows every exercise name");
    };
    println!("{} ({}): {}", ex.name, topic.topic, ex.summary);
    for (i, hint) in ex.hints.iter().enumerate() {
        println!("\nHint {}: {hint}", i + 1);
    }
    Ok(())
}
