//! The grader: a library (the `threadwork` CLI is its thin front end) for the instructor's
//! commands: grade a class of submissions, merge shards, export the students' repository.
//!
//! `threadwork grade <DIR> --out <OUT>` grades every folder or `.zip` in DIR (one per
//! student, named by the student id), each in a sandbox, and writes `gradebook.csv`,
//! `summary.md`, `histogram.svg` and per student `students/<id>/results.json` (Gradescope's
//! format) and `students/<id>/report.md`. The steps, one module each:
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

mod compile;
mod course;
mod demo;
mod explain;
mod export;
mod fetch;
mod gradescope;
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

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use catalog::{Catalog, ExerciseFile, TopicId};
use clap::{Args, Subcommand};

use catalog::workspace;
use compile::Files;
use outputs::StudentResult;
use sandbox::{Binds, Sandbox, Stage, Toolchain};
use score::Status;
use uid_ranges::UidRanges;

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

#[derive(Args)]
pub struct GradeArgs {
    /// Folder with one folder or .zip per student; the name is the student id.
    #[arg(required_unless_present_any = ["demo", "gradescope"])]
    submissions: Option<PathBuf>,
    /// Grade the bundled sample class instead (samples/class/class.toml).
    #[arg(long, conflicts_with = "submissions")]
    demo: bool,
    /// Where gradebook.csv, summary.md and the per-student folders are written.
    #[arg(long, required_unless_present = "gradescope")]
    out: Option<PathBuf>,
    /// Submissions graded at the same time (their builds take turns; 1 to 64).
    #[arg(long, default_value_t = 2,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_JOBS as u64))]
    jobs: usize,
    /// Only these topics, e.g. `--topics lock,pool` (default: every topic).
    #[arg(long, value_delimiter = ',')]
    topics: Vec<String>,
    /// Tests of one submission run at the same time (default: 2 per core).
    #[arg(long)]
    test_threads: Option<usize>,
    /// Run student code WITHOUT the sandbox. Only for trusted code, or inside a container
    /// that is itself the sandbox (see docs/grading.md).
    #[arg(long)]
    no_sandbox: bool,
    /// Where dependencies are compiled once and kept between runs
    /// (default: ~/.cache/threadwork/grader).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Keep the per-submission copies and archives under OUT/.work (for debugging).
    #[arg(long)]
    keep_work: bool,
    /// Grade only shard K of N (e.g. `--shard 2/8`): the students whose id hashes to it
    /// (FNV-1a of the id, mod N). `threadwork merge` puts the N outputs together.
    #[arg(long, value_name = "K/N", conflicts_with = "gradescope")]
    shard: Option<shard::Shard>,
    /// Gradescope autograder mode: grade ROOT/submission, write ROOT/results/results.json.
    #[arg(long, value_name = "ROOT", num_args = 0..=1, default_missing_value = "/autograder")]
    gradescope: Option<PathBuf>,
}

pub fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Grade(args) => grade(args),
        Command::Merge(args) => merge::run(&args),
        Command::GradescopeBundle { out } => gradescope::bundle(&workspace::load_catalog()?, &out),
        Command::Export { dir } => export::export(&workspace::root()?, &dir),
        Command::GradeTestRunner { command } => std::process::exit(runner::run(command)),
    }
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

/// Everything one grading run shares between its worker threads.
pub(crate) struct Grader {
    catalog: Catalog,
    topics: Vec<TopicId>,
    sandbox: Sandbox,
    template: course::Template,
    /// Every topic's tests, from the pristine build.
    tests: nextest::TestLists,
    target: PathBuf,
    work: PathBuf,
    test_threads: usize,
    build_lock: BuildLock,
    /// The compile time limit of one submission (all its repair rounds), from the stubs'
    /// warm build (see [`compile::budget`]).
    compile_budget: std::time::Duration,
    /// The uids this grader's tests run under; only as root with the sandbox.
    uid_ranges: Option<UidRanges>,
}

/// Builds take turns: they share one target directory, and a build's test binaries must be
/// archived before the next build overwrites them. A file lock keeps two grader processes
/// sharing a cache apart too.
struct BuildLock {
    local: Mutex<()>,
    file: File,
}

impl BuildLock {
    fn new(dir: &Path) -> Result<Self> {
        let path = dir.join(".threadwork-grader.lock");
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(BuildLock {
            local: Mutex::new(()),
            file,
        })
    }

    fn hold<T>(&self, f: impl FnOnce() -> T) -> T {
        let _local = self.local.lock().unwrap_or_else(|e| e.into_inner());
        let _file = FileLock::exclusive(&self.file);
        f()
    }
}

/// An exclusive `flock` on the lock file, released when dropped, also by a panic in the
/// build it guards (a lock left held would stall every other grader on the host).
struct FileLock<'a>(Option<&'a File>);

impl<'a> FileLock<'a> {
    fn exclusive(file: &'a File) -> Self {
        use rustix::fs::{FlockOperation, flock};
        match flock(file, FlockOperation::LockExclusive) {
            Ok(()) => FileLock(Some(file)),
            Err(e) => {
                // Still correct within this grader (the in-process mutex is held); only
                // other graders sharing the cache are no longer kept apart.
                eprintln!(
                    "warning: cannot lock the build cache ({e}): builds of graders sharing it may collide"
                );
                FileLock(None)
            }
        }
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.0 {
            let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::Unlock);
        }
    }
}

fn default_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("threadwork")
        .join("grader")
}

fn select_topics(catalog: &Catalog, wanted: &[String]) -> Result<Vec<TopicId>> {
    for name in wanted {
        if catalog.topic(name).is_none() {
            let known: Vec<&str> = catalog.topics.iter().map(|t| t.topic.as_str()).collect();
            bail!(
                "there is no topic `{name}`; the topics are {}",
                known.join(", ")
            );
        }
    }
    Ok(catalog
        .topics
        .iter()
        .map(|t| t.topic.clone())
        .filter(|t| wanted.is_empty() || wanted.iter().any(|w| t == w.as_str()))
        .collect())
}

fn grade(args: GradeArgs) -> Result<()> {
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
    write_class_outputs(&out, &grader.topics, &results, &skipped, seconds)?;
    if let Some(shard) = args.shard {
        shard::Record {
            format: shard::FORMAT.into(),
            shard,
            course: shard::course_version(&grader.template.dir)?,
            grader: shard::grader_version(&grader.template.dir)?,
            topics: grader.topics.clone(),
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
        Some(_) if grader.topics.len() < grader.catalog.topics.len() => println!(
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
const MAX_JOBS: usize = 64;

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

impl Grader {
    /// Checks the tools, copies the course, builds it once with the stubs (compiling every
    /// dependency into the shared cache) and lists the tests.
    pub(crate) fn prepare(catalog: Catalog, config: &GradeConfig, work: &Path) -> Result<Grader> {
        let topics = select_topics(&catalog, &config.topics)?;
        let tools = Toolchain::discover()?;
        let mut sandbox = Sandbox {
            enabled: config.isolation != Isolation::Off,
            privileged: sandbox::privileged(),
            tools,
        };
        if let Err(why) = sandbox.check() {
            if config.isolation == Isolation::Required {
                return Err(why);
            }
            eprintln!(
                "warning: grading the bundled sample class WITHOUT the sandbox ({why:#}).\n\
                 The sample is the course's own trusted code; a real class is never graded \
                 like this. Install bubblewrap before grading one: apt-get install bubblewrap"
            );
            sandbox.enabled = false;
        }
        if config.isolation == Isolation::Off {
            eprintln!(
                "warning: --no-sandbox: student code runs with your permissions, network and \
                 files. Only for trusted code or a container that isolates each submission."
            );
        }
        let uid_ranges = (sandbox.enabled && sandbox.privileged)
            .then(UidRanges::claim)
            .transpose()?;
        let cache = config.cache_dir.clone().unwrap_or_else(default_cache);
        let target = cache.join(if sandbox.enabled {
            "target"
        } else {
            "target-unsandboxed"
        });
        std::fs::create_dir_all(&target)
            .with_context(|| format!("cannot create the cache {}", target.display()))?;
        if work.exists() {
            std::fs::remove_dir_all(work)
                .with_context(|| format!("cannot empty {}", work.display()))?;
        }
        std::fs::create_dir_all(work)
            .with_context(|| format!("cannot create {}", work.display()))?;
        fetch::course_dependencies(&catalog.root)?;
        let template = course::Template::create(&catalog, &work.join("template"))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let build_lock = BuildLock::new(&cache)?;
        let mut grader = Grader {
            catalog,
            topics,
            sandbox,
            template,
            tests: BTreeMap::new(),
            target,
            work: work.to_path_buf(),
            test_threads: config.test_threads.unwrap_or(2 * cores).max(1),
            build_lock,
            compile_budget: compile::BUILD_WALL,
            uid_ranges,
        };
        eprintln!(
            "preparing: building the course with its stubs (the first run also compiles every \
             dependency into {}; later runs reuse it)",
            cache.display()
        );
        (grader.tests, grader.compile_budget) = grader.baseline()?;
        Ok(grader)
    }

    fn slot_dirs(&self, slot: usize) -> Result<(PathBuf, Binds)> {
        let dir = self.work.join(format!("slot-{slot}"));
        let binds = Binds {
            course: dir.join("course"),
            out: dir.join("out"),
            stage: Stage::Build {
                target: self.target.clone(),
            },
        };
        for d in [&binds.out, &dir.join("work")] {
            if d.exists() {
                std::fs::remove_dir_all(d)
                    .with_context(|| format!("cannot empty {}", d.display()))?;
            }
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
        }
        Ok((dir, binds))
    }

    /// The stubs' build: proves the course builds, warms the cache, lists every test, and
    /// times a warm rebuild of the course's own crates for the compile budget.
    fn baseline(&self) -> Result<(nextest::TestLists, std::time::Duration)> {
        let (dir, binds) = self.slot_dirs(usize::MAX)?;
        self.template
            .instantiate(&binds.course, &Files::new(), &self.topics)?;
        let built = self.build_lock.hold(|| -> Result<compile::Built> {
            let built = compile::build(
                &self.sandbox,
                &binds,
                &self.template,
                Files::new(),
                &self.topics,
                compile::FIRST_BUILD_WALL,
            )?;
            if !built.broken.is_empty() {
                let why: Vec<String> = built
                    .broken
                    .iter()
                    .map(|(t, m)| format!("{t}: {m}"))
                    .collect();
                bail!(
                    "the course itself does not build with its stubs, so nothing can be \
                     graded:\n{}",
                    why.join("\n")
                );
            }
            compile::archive(&self.sandbox, &binds, &built.topics)?;
            Ok(built)
        })?;
        // What a submission's build costs: the dependencies are built, the stubs rewritten
        // (fresh times), so cargo recompiles exactly the course's crates.
        let warm = self.build_lock.hold(|| -> Result<std::time::Duration> {
            let started = std::time::Instant::now();
            compile::build(
                &self.sandbox,
                &binds,
                &self.template,
                Files::new(),
                &self.topics,
                compile::BUILD_WALL,
            )?;
            Ok(started.elapsed())
        })?;
        let budget = compile::budget(warm);
        eprintln!(
            "compile limit per submission: {} s (the stubs' warm build took {:.1} s)",
            budget.as_secs(),
            warm.as_secs_f64()
        );
        let test_binds = Binds {
            stage: Stage::Test {
                work: dir.join("work"),
            },
            ..binds
        };
        let tests = nextest::list(&self.sandbox, &test_binds)?;
        for topic in &built.topics {
            let info = self
                .catalog
                .topic(topic.as_str())
                .context("unknown topic")?;
            let names = tests.get(topic).map(Vec::as_slice).unwrap_or_default();
            for ex in &info.exercises {
                if !names.iter().any(|n| ex.owns_test(n)) {
                    eprintln!(
                        "warning: exercise `{}` ({topic}) has no tests: its {} points cannot be \
                         earned",
                        ex.name, ex.points
                    );
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        Ok((tests, budget))
    }

    /// Grades every submission with `jobs` workers, writing each student's files as soon
    /// as they are graded.
    pub(crate) fn grade_all(
        &self,
        subs: &[(String, intake::Source)],
        folders: &[String],
        out: &Path,
        jobs: usize,
    ) -> Result<Vec<StudentResult>> {
        let bar = indicatif::ProgressBar::new(subs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "grading {bar:30.cyan/blue} {pos}/{len} [{elapsed_precise}, ~{eta} left] {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<StudentResult>>> = Mutex::new(vec![None; subs.len()]);
        let workers = jobs.clamp(1, subs.len().max(1));
        std::thread::scope(|scope| {
            for slot in 0..workers {
                let (next, results, bar) = (&next, &results, &bar);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some((id, path)) = subs.get(i) else { break };
                        bar.set_message(id.clone());
                        let result = self.grade_one(slot, id, path, &folders[i]);
                        if let Err(e) = write_student(out, &result, &self.catalog) {
                            eprintln!("cannot write the results of {id}: {e:#}");
                        }
                        let line = format!(
                            "{id}: {} / {} ({:.1} s)",
                            score::fmt(result.score()),
                            score::fmt(result.max()),
                            result.seconds
                        );
                        if bar.is_hidden() {
                            eprintln!("graded {line}");
                        } else {
                            bar.println(line);
                        }
                        bar.inc(1);
                        results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                    }
                });
            }
        });
        bar.finish_and_clear();
        Ok(results
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .flatten()
            .collect())
    }

    /// Grades one submission; never fails (a failure of the grader becomes a note).
    pub(crate) fn grade_one(
        &self,
        slot: usize,
        id: &str,
        source: &intake::Source,
        folder: &str,
    ) -> StudentResult {
        let start = Instant::now();
        let mut result = StudentResult {
            id: id.to_string(),
            folder: folder.to_string(),
            topics: Vec::new(),
            ignored: Vec::new(),
            ignored_unlisted: 0,
            unreadable: None,
            notes: Vec::new(),
            grader_fault: None,
            seconds: 0.0,
        };
        // A bug of the grader on one odd submission (a hostile zip, ...) must not stop the
        // other 199: a panic, in reading as in grading, becomes a grader-fault note on this
        // submission only.
        let graded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let sub = intake::read(&self.catalog, source);
            result.ignored = sub.ignored.clone();
            result.ignored_unlisted = sub.ignored_unlisted;
            result.unreadable = sub.unreadable.clone();
            self.grade_files(slot, &sub, &mut result)
        }))
        .unwrap_or_else(|panic| {
            Err(anyhow::anyhow!(
                "internal error (a panic): {}",
                panic_text(&*panic)
            ))
        });
        match graded {
            Ok(topics) => result.topics = topics,
            Err(e) => {
                result.grader_fault = Some(format!("{e:#}"));
                result.topics = self.score_all(
                    &BTreeMap::new(),
                    &BTreeMap::new(),
                    &BTreeMap::new(),
                    &|_| Status::NotRun("the grader failed on this submission".into()),
                );
            }
        }
        result.seconds = start.elapsed().as_secs_f64();
        result
    }

    fn grade_files(
        &self,
        slot: usize,
        sub: &intake::Submission,
        result: &mut StudentResult,
    ) -> Result<Vec<score::TopicScore>> {
        let mut files = Files::new();
        let mut statuses: BTreeMap<ExerciseFile, Status> = BTreeMap::new();
        let mut from: BTreeMap<ExerciseFile, String> = BTreeMap::new();
        for taken in &sub.files {
            let key = ExerciseFile::new(taken.topic.clone(), taken.file.clone());
            if !self.topics.contains(&taken.topic) {
                result.ignored.push(intake::Ignored {
                    path: taken.from.clone(),
                    reason: format!("topic `{}` is not graded in this run", taken.topic),
                });
                continue;
            }
            from.insert(key.clone(), taken.from.clone());
            if self.template.stubs.get(&key) == Some(&taken.bytes) {
                statuses.insert(key, Status::Unchanged);
                continue;
            }
            let Ok(text) = std::str::from_utf8(&taken.bytes) else {
                statuses.insert(
                    key,
                    Status::Rejected("the file is not valid UTF-8 text".into()),
                );
                continue;
            };
            let shown = PathBuf::from(format!("exercises/{}/{}", taken.topic, taken.file));
            match policy::check(&shown, text) {
                Ok(violations) if violations.is_empty() => {
                    files.insert(key, taken.bytes.clone());
                }
                Ok(violations) => {
                    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
                    statuses.insert(key, Status::Rejected(lines.join("\n")));
                }
                Err(not_rust) => {
                    statuses.insert(key, Status::CompileError(not_rust));
                }
            }
        }
        let build_topics: Vec<TopicId> = self
            .topics
            .iter()
            .filter(|t| files.keys().any(|ExerciseFile { topic, .. }| topic == *t))
            .cloned()
            .collect();
        let mut outcomes = BTreeMap::new();
        let mut broken = BTreeMap::new();
        if !build_topics.is_empty() {
            let (dir, binds) = self.slot_dirs(slot)?;
            self.template
                .instantiate(&binds.course, &files, &build_topics)?;
            let built = self.build_lock.hold(|| -> Result<compile::Built> {
                let built = compile::build(
                    &self.sandbox,
                    &binds,
                    &self.template,
                    files,
                    &build_topics,
                    self.compile_budget,
                )?;
                if !built.topics.is_empty() {
                    compile::archive(&self.sandbox, &binds, &built.topics)?;
                }
                Ok(built)
            })?;
            for (key, message) in &built.reverted {
                statuses.insert(key.clone(), Status::CompileError(message.clone()));
            }
            broken = built.broken.clone();
            let test_binds = Binds {
                stage: Stage::Test {
                    work: dir.join("work"),
                },
                ..binds
            };
            let step = models_first::Step {
                catalog: &self.catalog,
                tests: &self.tests,
                sandbox: &self.sandbox,
                binds: &test_binds,
                test_threads: self.test_threads,
                uid_base: self.uid_base(slot),
            };
            // What is graded with the student's file is decided once, here: every file that
            // is left after the build, in a topic that built.
            statuses.extend(graded_statuses(&built.kept, &broken));
            let graded = |topic: &catalog::TopicInfo, ex: &catalog::ExerciseInfo| {
                statuses.get(&ExerciseFile::of(topic, ex)) == Some(&Status::Graded)
            };
            let (found, problems) = step.run(&built.topics, &graded)?;
            outcomes = found;
            result.notes.extend(problems);
        }
        let broken_status = |topic: &TopicId| {
            broken
                .get(topic)
                .map(|why| Status::NotRun(format!("the topic could not be built: {why}")))
        };
        Ok(self.score_all(&statuses, &from, &outcomes, &|topic| {
            broken_status(topic).unwrap_or(Status::NotSubmitted)
        }))
    }

    /// The first uid of a slot's range, in the block this grader claimed.
    fn uid_base(&self, slot: usize) -> Option<u32> {
        self.uid_ranges.as_ref().map(|r| r.base(slot))
    }

    /// Scores every exercise of every topic graded in this run.
    fn score_all(
        &self,
        statuses: &BTreeMap<ExerciseFile, Status>,
        from: &BTreeMap<ExerciseFile, String>,
        outcomes: &nextest::Outcomes,
        default: &dyn Fn(&TopicId) -> Status,
    ) -> Vec<score::TopicScore> {
        let mut topics = Vec::new();
        for topic in self
            .catalog
            .topics
            .iter()
            .filter(|t| self.topics.contains(&t.topic))
        {
            let all_tests = self.tests.get(&topic.topic).cloned().unwrap_or_default();
            let topic_outcomes = outcomes.get(&topic.topic);
            let outcome = |name: &str| topic_outcomes.and_then(|o| o.get(name)).cloned();
            let status_of = |ex: &catalog::ExerciseInfo| {
                statuses
                    .get(&ExerciseFile::of(topic, ex))
                    .cloned()
                    .unwrap_or_else(|| default(&topic.topic))
            };
            let races = score::races_found(topic, &all_tests, &outcome, &|ex| {
                status_of(ex) == Status::Graded
            });
            let mut exercises = Vec::new();
            for ex in &topic.exercises {
                let key = ExerciseFile::of(topic, ex);
                let mut scored = score::exercise(
                    topic,
                    ex,
                    &score::tests_of(&all_tests, ex),
                    status_of(ex),
                    from.get(&key).cloned(),
                    &outcome,
                    score::racy_dependency(ex, &races),
                );
                scored.stub_dependencies = exercises
                    .iter()
                    .filter(|e: &&score::ExerciseScore| {
                        ex.builds_on.contains(&e.name) && e.status != Status::Graded
                    })
                    .map(|e| e.name.clone())
                    .collect();
                exercises.push(scored);
            }
            topics.push(score::TopicScore {
                topic: topic.topic.clone(),
                score: exercises.iter().map(|e| e.score).sum(),
                max: exercises.iter().map(|e| e.points).sum(),
                exercises,
            });
        }
        topics
    }
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

/// The status of each file left after the build: graded, or not run where its topic broke.
fn graded_statuses(
    files: &Files,
    broken: &BTreeMap<TopicId, String>,
) -> BTreeMap<ExerciseFile, Status> {
    files
        .keys()
        .map(|k| {
            let status = match broken.get(&k.topic) {
                Some(why) => Status::NotRun(format!("the topic could not be built: {why}")),
                None => Status::Graded,
            };
            (k.clone(), status)
        })
        .collect()
}

/// The message of a caught panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// [`write_student_files`], where a panic (an odd id, a full disk) costs this student's files
/// only, never the rest of the class.
fn write_student(out: &Path, r: &StudentResult, catalog: &Catalog) -> Result<()> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        write_student_files(out, r, catalog)
    }))
    .unwrap_or_else(|panic| {
        Err(anyhow::anyhow!(
            "internal error (a panic): {}",
            panic_text(&*panic)
        ))
    })
}

fn write_student_files(out: &Path, r: &StudentResult, catalog: &Catalog) -> Result<()> {
    let dir = outputs::student_dir(out, &r.folder);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let order = |topic: &TopicId| catalog.topic(topic.as_str()).map_or(0, |t| t.order);
    let json = outputs::results_json(r, &order);
    std::fs::write(
        dir.join(outputs::RESULTS_JSON),
        serde_json::to_string_pretty(&json)?,
    )
    .with_context(|| format!("cannot write {}", dir.join(outputs::RESULTS_JSON).display()))?;
    std::fs::write(dir.join(outputs::REPORT), outputs::report_md(r))
        .with_context(|| format!("cannot write {}", dir.join(outputs::REPORT).display()))?;
    Ok(())
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
