//! The grader: a library (the `threadwork` CLI is its thin front end) for the instructor's
//! commands: grade a class of submissions, merge shards, export the students' repository.
//!
//! `threadwork grade <DIR> --out <OUT>` grades every folder or `.zip` in DIR (one per
//! student, named by the student id), each in a sandbox, and writes `gradebook.csv`,
//! `summary.md`, `histogram.svg` and per student `students/<id>/results.json` (Gradescope's
//! format) and `students/<id>/report.md`. [`grade`] is that command; [`grading`] the run it
//! drives, which takes every submission through these steps, one module each:
//!
//! - [`intake`]: read a folder or zip as hostile input, take only exercise files;
//! - [`policy`]: refuse files that could fake a pass (exit, unsafe, panic hooks, includes);
//! - [`course`]: the pristine course (no `solutions/`) with the student's files laid over;
//! - [`compile`]: build in the sandbox; a file that does not compile goes back to its stub;
//! - [`nextest`] and [`runner`]: run the tests, a process each, under limits; parse JUnit;
//! - [`models_first`]: the loom models run first; the std tests a failed model voids do not;
//! - [`score`], [`explain`], [`outputs`]: points, readable failures, the files written;
//! - [`sandbox`]: bubblewrap and rlimits;
//! - [`demo`]: the bundled sample class, put together from the course's own files;
//! - [`export`]: the repository handed to students; [`gradescope`]: the autograder mode.

mod build_targets;
mod compile;
mod course;
mod demo;
mod explain;
mod export;
mod fetch;
mod grade;
mod gradescope;
mod grading;
mod group;
mod intake;
mod merge;
mod models_first;
mod nextest;
mod outputs;
mod policy;
mod runner;
mod sandbox;
mod score;
mod shard;
mod uid_ranges;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use catalog::workspace;
pub use grade::{GradeArgs, GradeConfig, Isolation};

#[derive(Subcommand)]
pub enum Command {
    /// Grades a class of submissions (a folder or .zip per student), each in a sandbox.
    Grade(GradeArgs),
    /// Puts the outputs of `grade --shard K/N` (K = 1..N) together into one grading.
    Merge(merge::MergeArgs),
    /// Writes Gradescope's autograder zip: setup.sh, run_autograder, the course without
    /// solutions.
    GradescopeBundle {
        /// The zip to write, e.g. autograder.zip.
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes the repository to hand to students: no solutions/, no grader.
    Export {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// (internal) Runs one test process for the grader; nextest's target runner.
    #[command(hide = true)]
    GradeTestRunner {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<OsString>,
    },
}

pub fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Grade(args) => grade::run(args),
        Command::Merge(args) => merge::run(&args),
        Command::GradescopeBundle { out } => gradescope::bundle(&workspace::load_catalog()?, &out),
        Command::Export { dir } => export::export(&workspace::root()?, &dir),
        Command::GradeTestRunner { command } => std::process::exit(runner::run(command)),
    }
}
