//! `threadwork grade`: the command line, then the run ([`crate::grading`]) over the class
//! (or one shard of it), then the class's files and the sample class's check.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use catalog::{Catalog, TopicId};
use clap::Args;

use crate::grading::Grader;
use crate::outputs::{self, StudentResult};
use crate::{demo, gradescope, intake, shard, workspace};

#[derive(Args)]
pub struct GradeArgs {
    /// Folder with one folder or .zip per student; the name is the student id.
    #[arg(required_unless_present_any = ["demo", "gradescope"])]
    pub(crate) submissions: Option<PathBuf>,
    /// Grade the bundled sample class instead (samples/class/class.toml).
    #[arg(long, conflicts_with = "submissions")]
    pub(crate) demo: bool,
    /// Where gradebook.csv, summary.md and the per-student folders are written.
    #[arg(long, required_unless_present = "gradescope")]
    pub(crate) out: Option<PathBuf>,
    /// Submissions graded at the same time (1 to 64; up to 4 build at once, each in its own
    /// copy of the build cache).
    #[arg(long, default_value_t = 2,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_JOBS as u64))]
    pub(crate) jobs: usize,
    /// Only these topics, e.g. `--topics lock,pool` (default: every topic).
    #[arg(long, value_delimiter = ',')]
    pub(crate) topics: Vec<String>,
    /// Tests of one submission run at the same time (default: 2 per core).
    #[arg(long)]
    pub(crate) test_threads: Option<usize>,
    /// Run student code WITHOUT the sandbox. Only for trusted code, or inside a container
    /// that is itself the sandbox (see docs/grading.md).
    #[arg(long)]
    pub(crate) no_sandbox: bool,
    /// Where dependencies are compiled once and kept between runs
    /// (default: ~/.cache/threadwork/grader).
    #[arg(long)]
    pub(crate) cache_dir: Option<PathBuf>,
    /// Keep the per-submission copies and archives under OUT/.work (for debugging).
    #[arg(long)]
    pub(crate) keep_work: bool,
    /// Grade only shard K of N (e.g. `--shard 2/8`): the students whose id hashes to it
    /// (FNV-1a of the id, mod N). `threadwork merge` puts the N outputs together.
    #[arg(long, value_name = "K/N", conflicts_with = "gradescope")]
    pub(crate) shard: Option<shard::Shard>,
    /// Gradescope autograder mode: grade ROOT/submission, write ROOT/results/results.json.
    #[arg(long, value_name = "ROOT", num_args = 0..=1, default_missing_value = "/autograder")]
    pub(crate) gradescope: Option<PathBuf>,
}

/// What one grading run is asked to do, apart from clap's command line.
pub struct GradeConfig {
    /// Topic names; empty: every topic.
    pub topics: Vec<String>,
    pub isolation: Isolation,
    /// Where dependencies are compiled once (default: ~/.cache/threadwork/grader).
    pub cache_dir: Option<PathBuf>,
    /// Tests of one submission run at the same time (default: 2 per core).
    pub test_threads: Option<usize>,
}

/// How student code is isolated from the grader's machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// bubblewrap, or no grading at all.
    Required,
    /// bubblewrap where it works, else none, with a warning: only for the bundled sample
    /// class, the course's own code, so a new instructor sees grading work before installing it.
    PreferredForTheSample,
    /// None (`--no-sandbox`): trusted code, or a container that is itself the sandbox.
    Off,
}

impl From<&GradeArgs> for GradeConfig {
    fn from(args: &GradeArgs) -> Self {
        GradeConfig {
            topics: args.topics.clone(),
            isolation: match (args.no_sandbox, args.demo) {
                (true, _) => Isolation::Off,
                (false, true) => Isolation::PreferredForTheSample,
                (false, false) => Isolation::Required,
            },
            cache_dir: args.cache_dir.clone(),
            test_threads: args.test_threads,
        }
    }
}

/// Grades the class in `args` (or the bundled sample), writes its files, and checks the
/// sample's grades against what it expects.
pub(crate) fn run(args: GradeArgs) -> Result<()> {
    let root = workspace::root()?;
    let catalog =
        Catalog::load(&root).context("the course metadata is broken; fix the file named above")?;
    if let Some(gs_root) = &args.gradescope {
        return gradescope::run(catalog, gs_root, &args);
    }
    // The demo's hand-ins are put together from the course's files, in a temporary folder
    // that `_demo_dir` keeps until the run ends.
    let (class, sample, _demo_dir) = match &args.submissions {
        Some(dir) => (dir.clone(), None, None),
        None => {
            let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
            let sample = demo::materialize(&catalog, tmp.path())?;
            (tmp.path().to_path_buf(), Some(sample), Some(tmp))
        }
    };
    let out = args.out.clone().context("--out is required")?;
    let out = outputs::prepare_out_dir(&out, &class)?;
    let (subs, skipped) = intake::list_class(&catalog, &class)?;
    // Folders are named over the whole class, so a shard names its students' folders as
    // the whole grading would (two ids that clean to one name get -2 whatever the shard).
    let folders = unique_folders(&subs);
    let class_size = subs.len();
    let mut positions = Vec::new();
    let (subs, folders): (Vec<_>, Vec<_>) = subs
        .into_iter()
        .zip(folders)
        .enumerate()
        .filter(|(_, ((id, _), _))| args.shard.is_none_or(|s| s.holds(id)))
        .map(|(i, pair)| {
            positions.push(i);
            pair
        })
        .unzip();
    let start = Instant::now();
    let grader = Grader::prepare(catalog, &GradeConfig::from(&args), &out.join(".work"))?;
    let results = grader.grade_all(&subs, &folders, &out, args.jobs)?;
    let seconds = start.elapsed().as_secs_f64();
    write_class_outputs(&out, grader.topics(), &results, &skipped, seconds)?;
    if let Some(shard) = args.shard {
        shard::Record {
            format: shard::FORMAT.into(),
            shard,
            course: shard::course_version(grader.course_dir())?,
            grader: shard::grader_version(grader.course_dir())?,
            topics: grader.topics().to_vec(),
            skipped: skipped.clone(),
            seconds,
            class_size,
            students: positions
                .iter()
                .zip(&results)
                .map(|(position, result)| shard::Placed {
                    position: *position,
                    result: result.clone(),
                })
                .collect(),
        }
        .write(&out)?;
    }
    if !args.keep_work {
        let _ = std::fs::remove_dir_all(out.join(".work"));
    }
    let failures: Vec<&StudentResult> = results
        .iter()
        .filter(|r| r.grader_fault.is_some())
        .collect();
    println!(
        "graded {} submissions in {:.0} s ({:.1} s each): {}",
        results.len(),
        seconds,
        seconds / results.len().max(1) as f64,
        out.join(outputs::GRADEBOOK).display()
    );
    println!("summary: {}", out.join(outputs::SUMMARY).display());
    match &sample {
        Some(_) if grader.topics().len() < grader.catalog().topics.len() => println!(
            "(the grades are not compared with {}/{}: its totals are over every topic)",
            demo::CLASS_DIR,
            demo::CLASS_FILE
        ),
        Some(sample) => demo::compare(sample, &results, args.shard)?,
        None => {}
    }
    if !failures.is_empty() {
        let ids: Vec<&str> = failures.iter().map(|r| r.id.as_str()).collect();
        bail!(
            "the grader itself failed on {} submission(s): {} (see their report.md)",
            failures.len(),
            ids.join(", ")
        );
    }
    Ok(())
}

/// The most submissions graded at once (each slot has its own range of uids).
pub(crate) const MAX_JOBS: usize = 64;

pub(crate) fn write_class_outputs(
    out: &Path,
    topics: &[TopicId],
    results: &[StudentResult],
    skipped: &[intake::Ignored],
    seconds: f64,
) -> Result<()> {
    outputs::write_gradebook(&out.join(outputs::GRADEBOOK), topics, results)?;
    let summary = outputs::summary_md(topics, results, skipped, seconds);
    std::fs::write(out.join(outputs::SUMMARY), summary).context("cannot write summary.md")?;
    std::fs::write(
        out.join(outputs::HISTOGRAM),
        outputs::histogram_svg(results),
    )
    .context("cannot write histogram.svg")?;
    Ok(())
}

/// One folder per student under OUT/students, distinct even when ids clash after cleaning.
fn unique_folders(subs: &intake::Class) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    subs.iter()
        .map(|(id, _)| {
            let base = outputs::folder_name(id);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{GradeArgs, GradeConfig, Isolation};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: GradeArgs,
    }

    #[test]
    fn only_the_bundled_sample_may_fall_back_to_no_sandbox() {
        let isolation = |line: &[&str]| {
            let cli = Cli::try_parse_from([&["grade"], line].concat()).unwrap();
            GradeConfig::from(&cli.args).isolation
        };
        assert_eq!(isolation(&["class", "--out", "o"]), Isolation::Required);
        assert_eq!(
            isolation(&["--demo", "--out", "o"]),
            Isolation::PreferredForTheSample
        );
        assert_eq!(
            isolation(&["class", "--out", "o", "--no-sandbox"]),
            Isolation::Off
        );
        assert_eq!(
            isolation(&["--demo", "--out", "o", "--no-sandbox"]),
            Isolation::Off
        );
    }
}
