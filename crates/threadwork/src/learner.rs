//! The learner's commands that only read the catalogue.

use anyhow::{Result, bail};
use catalog::Catalog;

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
