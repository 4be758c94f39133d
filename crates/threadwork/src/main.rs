//! `threadwork`: the course's command line (run it as `cargo tw <command>`).
//!
//! Three audiences, flattened into one command list:
//! - [`learner`]: list, progress, check, hint, watch, reset;
//! - the `grader` crate: grade a class of submissions, export the students' repository;
//! - [`dev`]: checks for the course itself, run by CI.
//!
//! The last two are the instructor's (the `instructor` feature, on by default): the students'
//! copy of the course (`threadwork export`) has neither the grader crate nor the solutions
//! the dev checks need, and builds this CLI without them.

mod build_progress;
mod cargo;
#[cfg(feature = "instructor")]
mod dev;
mod learner;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "threadwork",
    version,
    about = "Threads and concurrency exercises, model-checked by loom"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Learner(learner::Command),
    #[cfg(feature = "instructor")]
    #[command(flatten)]
    Instructor(grader::Command),
    /// Checks for the course itself (used by CI).
    #[cfg(feature = "instructor")]
    #[command(subcommand)]
    Dev(dev::DevCommand),
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let error = anstyle::AnsiColor::Red.on_default().bold();
            anstream::eprintln!("{error}error:{error:#} {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Learner(cmd) => learner::run(cmd),
        #[cfg(feature = "instructor")]
        Command::Instructor(cmd) => grader::run(cmd),
        #[cfg(feature = "instructor")]
        Command::Dev(cmd) => dev::run(&catalog::workspace::load_catalog()?, cmd),
    }
}
