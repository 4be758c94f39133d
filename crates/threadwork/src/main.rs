//! `threadwork`: the course's command line.
//!
//! Learners: `list`, `hint`. Course maintainers and CI: `dev guard`, `dev stub-check`,
//! `dev mutant-check`. Run it as `cargo tw <command>` from anywhere in the workspace.

mod cargo;
mod dev;
mod learner;
mod workspace;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "threadwork", version, about = "Threads and concurrency exercises, model-checked by loom")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every topic and exercise in course order.
    List,
    /// The hints of one exercise, e.g. `threadwork hint counter`.
    Hint {
        /// The exercise name, as shown by `threadwork list`.
        exercise: String,
    },
    /// Checks for the course itself (used by CI).
    #[command(subcommand)]
    Dev(dev::DevCommand),
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let catalog = workspace::load_catalog()?;
    match cli.command {
        Command::List => learner::list(&catalog),
        Command::Hint { exercise } => learner::hint(&catalog, &exercise),
        Command::Dev(cmd) => dev::run(&catalog, cmd),
    }
}
