//! The instructor's commands: grade a class of submissions, export the students' repository.

use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Grades a folder of submissions (arrives with the grader issue).
    Grade,
}

pub fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Grade => bail!("grading is not built yet"),
    }
}
