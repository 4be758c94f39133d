//! `threadwork`: the course's command line (run it as `cargo tw <command>`).
//!
//! Three audiences, one module each, flattened into one command list:
//! - [`learner`]: list, progress, check, hint, watch, reset;
//! - [`grade`]: grade a class of submissions, export the students' repository;
//! - [`dev`]: checks for the course itself, run by CI.

mod build_progress;
mod cargo;
mod dev;
mod grade;
mod learner;
mod workspace;

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
    #[command(flatten)]
    Instructor(grade::Command),
    /// Checks for the course itself (used by CI).
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
        Command::Instructor(cmd) => grade::run(cmd),
        Command::Dev(cmd) => dev::run(&workspace::load_catalog()?, cmd),
    }
}
