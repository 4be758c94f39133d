//! One grading run: the course built once with its stubs, then every submission taken
//! through intake, policy, build, tests and scores by worker threads, each in a slot of its
//! own; a failure of the grader on one submission costs only that submission.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use catalog::{Catalog, ExerciseFile, TopicId};

use crate::build_targets::BuildTargets;
use crate::compile::{self, Files};
use crate::grade::{GradeConfig, Isolation};
use crate::outputs::{self, StudentResult};
use crate::sandbox::{self, Binds, Sandbox, Stage, Toolchain};
use crate::score::{self, Status};
use crate::uid_ranges::UidRanges;
use crate::{course, fetch, intake, models_first, nextest, policy};

/// The most builds at once, each in its own copy of the build cache (see
/// [`build_targets`]): enough that one slow build never stalls the others, few enough that
/// the copies' disk stays small. More jobs than this take turns for them.
const MAX_BUILDS_AT_ONCE: usize = 4;

/// Everything one grading run shares between its worker threads.
pub(crate) struct Grader {
    catalog: Catalog,
    topics: Vec<TopicId>,
    sandbox: Sandbox,
    template: course::Template,
    /// Every topic's tests, from the pristine build.
    tests: nextest::TestLists,
    work: PathBuf,
    test_threads: usize,
    targets: BuildTargets,
    /// The compile time limit of one submission (all its repair rounds), from the stubs'
    /// warm build (see [`compile::budget`]).
    compile_budget: std::time::Duration,
    /// The uids this grader's tests run under; only as root with the sandbox.
    uid_ranges: Option<UidRanges>,
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

impl Grader {
    /// The topics graded in this run, in the course's order.
    pub(crate) fn topics(&self) -> &[TopicId] {
        &self.topics
    }

    pub(crate) fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The pristine copy of the course every submission is laid over.
    pub(crate) fn course_dir(&self) -> &Path {
        &self.template.dir
    }

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
        let shared_target = cache.join(if sandbox.enabled {
            "target"
        } else {
            "target-unsandboxed"
        });
        let targets = BuildTargets::new(shared_target, &cache)?;
        if work.exists() {
            std::fs::remove_dir_all(work)
                .with_context(|| format!("cannot empty {}", work.display()))?;
        }
        std::fs::create_dir_all(work)
            .with_context(|| format!("cannot create {}", work.display()))?;
        fetch::course_dependencies(&catalog.root)?;
        let template = course::Template::create(&catalog, &work.join("template"))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut grader = Grader {
            catalog,
            topics,
            sandbox,
            template,
            tests: BTreeMap::new(),
            work: work.to_path_buf(),
            test_threads: config.test_threads.unwrap_or(2 * cores).max(1),
            targets,
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

    /// A slot's folders, emptied.
    fn slot(&self, slot: usize) -> Result<Slot> {
        let dir = self.work.join(format!("slot-{slot}"));
        let slot = Slot {
            course: dir.join("course"),
            out: dir.join("out"),
            work: dir.join("work"),
            dir,
        };
        for d in [&slot.out, &slot.work] {
            if d.exists() {
                std::fs::remove_dir_all(d)
                    .with_context(|| format!("cannot empty {}", d.display()))?;
            }
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
        }
        Ok(slot)
    }

    /// The stubs' build: proves the course builds, warms the cache, lists every test, and
    /// times a warm rebuild of the course's own crates for the compile budget.
    fn baseline(&self) -> Result<(nextest::TestLists, std::time::Duration)> {
        let slot = self.slot(usize::MAX)?;
        self.template
            .instantiate(&slot.course, &Files::new(), &self.topics)?;
        let built =
            self.build_and_archive(&slot, Files::new(), &self.topics, compile::FIRST_BUILD_WALL)?;
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
        // What a submission's build costs: the dependencies are built, the stubs rewritten
        // (fresh times), so cargo recompiles exactly the course's crates.
        let warm = self.targets.hold(|target| -> Result<std::time::Duration> {
            let started = std::time::Instant::now();
            compile::build(
                &self.sandbox,
                &slot.build_binds(target),
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
        let tests = nextest::list(&self.sandbox, &slot.test_binds())?;
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
        let _ = std::fs::remove_dir_all(&slot.dir);
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
        self.targets
            .make_private_copies(workers.min(MAX_BUILDS_AT_ONCE), &self.work)?;
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

    /// The stages of one submission: screen its files, build and test what is left, score.
    fn grade_files(
        &self,
        slot: usize,
        sub: &intake::Submission,
        result: &mut StudentResult,
    ) -> Result<Vec<score::TopicScore>> {
        let screened = self.screen(sub);
        result.ignored.extend(screened.ignored);
        let tested = self.build_and_test(slot, screened.files)?;
        result.notes.extend(tested.notes);
        let mut statuses = screened.statuses;
        statuses.extend(tested.statuses);
        Ok(
            self.score_all(&statuses, &screened.from, &tested.outcomes, &|topic| {
                tested
                    .broken
                    .get(topic)
                    .map_or(Status::NotSubmitted, |why| not_built(why))
            }),
        )
    }

    /// Decides what can be decided before building: files of topics not graded in this run,
    /// files handed back unchanged, files the policy refuses or that are not Rust text.
    fn screen(&self, sub: &intake::Submission) -> Screened {
        let mut screened = Screened::default();
        for taken in &sub.files {
            let key = ExerciseFile::new(taken.topic.clone(), taken.file.clone());
            if !self.topics.contains(&taken.topic) {
                screened.ignored.push(intake::Ignored {
                    path: taken.from.clone(),
                    reason: format!("topic `{}` is not graded in this run", taken.topic),
                });
                continue;
            }
            screened.from.insert(key.clone(), taken.from.clone());
            if self.template.stubs.get(&key) == Some(&taken.bytes) {
                screened.statuses.insert(key, Status::Unchanged);
                continue;
            }
            let Ok(text) = std::str::from_utf8(&taken.bytes) else {
                screened.statuses.insert(
                    key,
                    Status::Rejected("the file is not valid UTF-8 text".into()),
                );
                continue;
            };
            let shown = PathBuf::from(format!("exercises/{}/{}", taken.topic, taken.file));
            match policy::check(&shown, text) {
                Ok(violations) if violations.is_empty() => {
                    screened.files.insert(key, taken.bytes.clone());
                }
                Ok(violations) => {
                    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
                    screened
                        .statuses
                        .insert(key, Status::Rejected(lines.join("\n")));
                }
                Err(not_rust) => {
                    screened
                        .statuses
                        .insert(key, Status::CompileError(not_rust));
                }
            }
        }
        screened
    }

    /// Builds the topics `files` belong to (in a target lent to this build alone), then
    /// runs their tests, loom models first.
    fn build_and_test(&self, slot: usize, files: Files) -> Result<Tested> {
        let build_topics: Vec<TopicId> = self
            .topics
            .iter()
            .filter(|t| files.keys().any(|ExerciseFile { topic, .. }| topic == *t))
            .cloned()
            .collect();
        if build_topics.is_empty() {
            return Ok(Tested::default());
        }
        let uid_base = self.uid_base(slot);
        let slot = self.slot(slot)?;
        self.template
            .instantiate(&slot.course, &files, &build_topics)?;
        let built = self.build_and_archive(&slot, files, &build_topics, self.compile_budget)?;
        let mut statuses: BTreeMap<ExerciseFile, Status> = built
            .reverted
            .iter()
            .map(|(key, message)| (key.clone(), Status::CompileError(message.clone())))
            .collect();
        // What is graded with the student's file is decided once, here: every file that
        // is left after the build, in a topic that built.
        statuses.extend(graded_statuses(&built.kept, &built.broken));
        let test_binds = slot.test_binds();
        let step = models_first::Step {
            catalog: &self.catalog,
            tests: &self.tests,
            sandbox: &self.sandbox,
            binds: &test_binds,
            test_threads: self.test_threads,
            uid_base,
        };
        let graded = |topic: &catalog::TopicInfo, ex: &catalog::ExerciseInfo| {
            statuses.get(&ExerciseFile::of(topic, ex)) == Some(&Status::Graded)
        };
        let (outcomes, notes) = step.run(&built.topics, &graded)?;
        Ok(Tested {
            statuses,
            broken: built.broken,
            outcomes,
            notes,
        })
    }

    /// Builds `topics` of the slot's course copy with `files` (in a target lent to this
    /// build alone), then archives the test binaries of the topics that built.
    fn build_and_archive(
        &self,
        slot: &Slot,
        files: Files,
        topics: &[TopicId],
        budget: std::time::Duration,
    ) -> Result<compile::Built> {
        self.targets.hold(|target| {
            let binds = slot.build_binds(target);
            let built =
                compile::build(&self.sandbox, &binds, &self.template, files, topics, budget)?;
            if !built.topics.is_empty() {
                compile::archive(&self.sandbox, &binds, &built.topics)?;
            }
            Ok(built)
        })
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

/// A build slot's folders: the submission's copy of the course, the archive of its test
/// binaries, the tests' scratch space.
struct Slot {
    dir: PathBuf,
    course: PathBuf,
    out: PathBuf,
    work: PathBuf,
}

impl Slot {
    /// The binds of this slot's build in `target`.
    fn build_binds(&self, target: &Path) -> Binds {
        Binds {
            course: self.course.clone(),
            out: self.out.clone(),
            stage: Stage::Build {
                target: target.to_path_buf(),
            },
        }
    }

    /// The binds of this slot's test step.
    fn test_binds(&self) -> Binds {
        Binds {
            course: self.course.clone(),
            out: self.out.clone(),
            stage: Stage::Test {
                work: self.work.clone(),
            },
        }
    }
}

/// What intake and the policy made of a submission's files, before anything is built.
#[derive(Default)]
struct Screened {
    /// The files to build with, laid over the stubs.
    files: Files,
    /// The files decided already: handed back unchanged, refused, not Rust text.
    statuses: BTreeMap<ExerciseFile, Status>,
    /// Where each file of a graded topic was found in the hand-in.
    from: BTreeMap<ExerciseFile, String>,
    /// Files of topics this run does not grade.
    ignored: Vec<intake::Ignored>,
}

/// What building and testing a submission came to.
#[derive(Default)]
struct Tested {
    /// Files put back to their stubs, and files graded as the student wrote them.
    statuses: BTreeMap<ExerciseFile, Status>,
    /// Topics that did not build even with their stubs, with the reason.
    broken: BTreeMap<TopicId, String>,
    outcomes: nextest::Outcomes,
    /// Problems of the test runs, for the report.
    notes: Vec<String>,
}

/// The status of an exercise whose topic did not build at all.
fn not_built(why: &str) -> Status {
    Status::NotRun(format!("the topic could not be built: {why}"))
}

/// The status of each file left after the build: graded, or not run where its topic broke.
fn graded_statuses(
    files: &Files,
    broken: &BTreeMap<TopicId, String>,
) -> BTreeMap<ExerciseFile, Status> {
    files
        .keys()
        .map(|k| {
            let status = broken
                .get(&k.topic)
                .map_or(Status::Graded, |why| not_built(why));
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
