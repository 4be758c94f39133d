//! What grading writes: per student `results.json` (Gradescope's format) and `report.md`;
//! for the class `gradebook.csv`, `summary.md` and `histogram.svg`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog::{ExerciseId, TopicId};

use super::intake::Ignored;
use super::score::{ExerciseScore, Status, TopicScore, fmt, round2};

/// One student's grade, with everything the reports need (a shard's record keeps it whole,
/// see [`super::shard`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StudentResult {
    pub id: String,
    /// The student's folder under OUT (the id made safe as a file name).
    pub folder: String,
    pub topics: Vec<TopicScore>,
    pub ignored: Vec<Ignored>,
    pub ignored_unlisted: usize,
    pub unreadable: Option<String>,
    /// Things the student should know that are not about one exercise.
    pub notes: Vec<String>,
    /// The grader itself failed on this submission (not the student's code): why. A typed
    /// field, so nothing the student's code prints can look like one.
    pub grader_fault: Option<String>,
    pub seconds: f64,
}

impl StudentResult {
    pub fn score(&self) -> f64 {
        self.topics.iter().map(|t| t.score).sum()
    }
    pub fn max(&self) -> f64 {
        self.topics.iter().map(|t| t.max).sum()
    }
    fn exercises(&self) -> impl Iterator<Item = &ExerciseScore> {
        self.topics.iter().flat_map(|t| t.exercises.iter())
    }
}

/// Creates OUT (or checks an existing one) and returns it canonical. OUT must be empty or an
/// earlier grading's output (its files are then replaced), and must not overlap the
/// submissions: a student folder written into the class would be graded as a student.
pub fn prepare_out_dir(out: &Path, class: &Path) -> Result<PathBuf> {
    let class = class.canonicalize().with_context(|| {
        format!(
            "cannot read the submissions folder {}: give a folder with one folder or .zip per \
             student",
            class.display()
        )
    })?;
    let earlier = out.join(GRADEBOOK).is_file() || out.join(".work").is_dir();
    if let Ok(mut entries) = std::fs::read_dir(out) {
        if entries.next().is_some() && !earlier {
            bail!(
                "--out {} is not empty and holds no earlier grading (no gradebook.csv): choose \
                 an empty or new folder, so nothing in it is overwritten",
                out.display()
            );
        }
    }
    let existed = out.exists();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let out = out.canonicalize()?;
    if out.starts_with(&class) || class.starts_with(&out) {
        if !existed {
            let _ = std::fs::remove_dir(&out);
        }
        bail!(
            "--out {} and the submissions folder {} overlap: put the grades outside the \
             submissions (and the submissions outside the grades)",
            out.display(),
            class.display()
        );
    }
    if earlier {
        clear_earlier_grading(&out)?;
    }
    Ok(out)
}

/// The files one grading writes into OUT, and into each student's folder there; the
/// writers and [`clear_earlier_grading`] use these names, so they cannot drift apart.
pub const GRADEBOOK: &str = "gradebook.csv";
pub const SUMMARY: &str = "summary.md";
pub const HISTOGRAM: &str = "histogram.svg";
pub const RESULTS_JSON: &str = "results.json";
pub const REPORT: &str = "report.md";
/// Student folders live in OUT/students/, never beside the class's files: an id such as
/// `gradebook.csv` or `.work` must not replace or lose the grader's own outputs.
pub const STUDENTS: &str = "students";
const CLASS_FILES: [&str; 4] = [GRADEBOOK, SUMMARY, HISTOGRAM, super::shard::RECORD];

/// Where one student's `results.json` and `report.md` go.
pub fn student_dir(out: &Path, folder: &str) -> PathBuf {
    out.join(STUDENTS).join(folder)
}
const STUDENT_FILES: [&str; 2] = [RESULTS_JSON, REPORT];

/// Removes what an earlier grading wrote into OUT, so no student of that run is left
/// looking graded by this one. Only the grader's own files go: a folder that holds
/// anything else is left alone.
fn clear_earlier_grading(out: &Path) -> Result<()> {
    for file in CLASS_FILES {
        let path = out.join(file);
        if path.is_file() {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot replace {}", path.display()))?;
        }
    }
    // OUT/<student> is where gradings before OUT/students/ put them.
    let students = out.join(STUDENTS);
    clear_student_folders(out)?;
    if students.is_dir() {
        clear_student_folders(&students)?;
        let _ = std::fs::remove_dir(&students); // only if now empty
    }
    Ok(())
}

/// Removes the folders in `dir` that hold only a student's grader files.
fn clear_student_folders(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let names: Vec<_> = std::fs::read_dir(&path)?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        let ours = !names.is_empty() && names.iter().all(|n| STUDENT_FILES.iter().any(|f| n == *f));
        if ours {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot replace {}", path.display()))?;
        }
    }
    Ok(())
}

/// A file name made from a student id: letters, digits, `._@-` kept, the rest `_`.
pub fn folder_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._@-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if name.is_empty() || name.chars().all(|c| c == '.') {
        name = format!("student_{}", name.len());
    }
    name
}

/// Gradescope's results.json for one student (the fields Gradescope documents).
#[derive(Debug, serde::Serialize)]
pub struct ResultsJson {
    pub score: f64,
    pub max_score: f64,
    pub execution_time: u64,
    /// Shown above the tests: the totals here, the whole report in Gradescope's mode.
    pub output: String,
    pub output_format: &'static str,
    pub visibility: &'static str,
    pub stdout_visibility: &'static str,
    pub tests: Vec<ResultsJsonTest>,
}

/// One test of [`ResultsJson`].
#[derive(Debug, serde::Serialize)]
pub struct ResultsJsonTest {
    pub name: String,
    pub number: String,
    pub score: f64,
    pub max_score: f64,
    /// Neither passed nor failed (a test not run): Gradescope has no third status, so none
    /// is claimed (it shows the score) and the output says why it did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    pub output: String,
    pub output_format: &'static str,
    pub tags: [String; 2],
    pub visibility: &'static str,
}

/// Gradescope's results.json for one student.
pub fn results_json(r: &StudentResult, order: &dyn Fn(&TopicId) -> u32) -> ResultsJson {
    let mut tests = Vec::new();
    for topic in &r.topics {
        for (ei, ex) in topic.exercises.iter().enumerate() {
            for (ti, t) in ex.tests.iter().enumerate() {
                let passed = t.passed && (t.score > 0.0 || t.max == 0.0);
                tests.push(ResultsJsonTest {
                    name: format!("{} / {}", topic.topic, t.name),
                    number: format!("{}.{}.{}", order(&topic.topic), ei + 1, ti + 1),
                    score: round2(t.score),
                    max_score: round2(t.max),
                    status: (!t.not_run).then_some(if passed { "passed" } else { "failed" }),
                    output: t.output.clone(),
                    output_format: "text",
                    tags: [topic.topic.to_string(), ex.name.to_string()],
                    visibility: "visible",
                });
            }
        }
    }
    ResultsJson {
        score: round2(r.score()),
        max_score: round2(r.max()),
        execution_time: r.seconds.round() as u64,
        output: summary_text(r),
        output_format: "md",
        visibility: "visible",
        stdout_visibility: "hidden",
        tests,
    }
}

/// The top of a student's report: totals and anything about the submission as a whole.
fn summary_text(r: &StudentResult) -> String {
    let mut s = format!("**Score: {} / {}**\n", fmt(r.score()), fmt(r.max()));
    for t in &r.topics {
        let _ = writeln!(s, "- {}: {} / {}", t.topic, fmt(t.score), fmt(t.max));
    }
    if let Some(why) = &r.unreadable {
        let _ = writeln!(s, "\nThe submission could not be read: {why}");
    }
    if let Some(why) = &r.grader_fault {
        let _ = writeln!(s, "\nNote: {GRADER_FAULT}: {why}");
    }
    for note in &r.notes {
        let _ = writeln!(s, "\nNote: {note}");
    }
    s
}

/// How a grader fault is introduced in reports.
const GRADER_FAULT: &str = "the grader failed";

/// The report a student reads: what was taken, what was ignored, what failed and why.
pub fn report_md(r: &StudentResult) -> String {
    let mut s = format!("# threadwork grade: {}\n\n{}\n", r.id, summary_text(r));
    let taken: Vec<&ExerciseScore> = r.exercises().filter(|e| e.from.is_some()).collect();
    s.push_str("## Files\n\n");
    if taken.is_empty() {
        s.push_str(
            "No exercise file was found in the submission. Hand in your edited files with \
             their names unchanged, e.g. `exercises/lock/01_counter.rs`.\n",
        );
    }
    for e in &taken {
        let _ = writeln!(
            s,
            "- graded `exercises/{}/{}` (from `{}`)",
            e.topic,
            e.file,
            e.from.as_deref().unwrap_or_default()
        );
    }
    if !r.ignored.is_empty() {
        s.push_str(
            "\nIgnored (only files named like `exercises/<topic>/NN_name.rs` are graded):\n\n",
        );
        for i in &r.ignored {
            let _ = writeln!(s, "- `{}`: {}", i.path.replace('`', "'"), i.reason);
        }
        if r.ignored_unlisted > 0 {
            let _ = writeln!(s, "- ... and {} more", r.ignored_unlisted);
        }
    }
    for t in &r.topics {
        let _ = writeln!(s, "\n## {}: {} / {}\n", t.topic, fmt(t.score), fmt(t.max));
        if t.exercises.iter().all(|e| e.status == Status::NotSubmitted) {
            s.push_str("Nothing handed in for this topic.\n");
            continue;
        }
        for e in &t.exercises {
            let mark = if e.full_marks() { "PASS" } else { "FAIL" };
            let _ = writeln!(
                s,
                "### {} `{}` ({}): {} / {}\n",
                mark,
                e.name,
                e.file,
                fmt(e.score),
                fmt(e.points)
            );
            match &e.status {
                Status::Graded => {}
                Status::NotSubmitted => s.push_str("Not submitted.\n\n"),
                Status::Unchanged => s.push_str("The file is still the untouched stub.\n\n"),
                Status::Rejected(why) => {
                    let _ = writeln!(
                        s,
                        "Not run: the file breaks the submission policy, so the stub was \
                         graded instead:\n\n```text\n{why}\n```\n"
                    );
                }
                Status::CompileError(msg) => {
                    let _ = writeln!(
                        s,
                        "Does not compile, so the stub was graded instead (the rest of the \
                         topic was graded normally). The compiler said:\n\n```text\n{}\n```\n",
                        msg.trim()
                    );
                }
                Status::NotRun(why) => {
                    let _ = writeln!(s, "Not run: {why}\n");
                }
            }
            if e.status == Status::Graded {
                let passed = e.tests.iter().filter(|t| t.passed).count();
                let not_run: Vec<String> = e
                    .tests
                    .iter()
                    .filter(|t| t.not_run)
                    .map(|t| format!("`{}`", t.name))
                    .collect();
                let _ = write!(s, "{passed} of {} tests passed", e.tests.len());
                if !not_run.is_empty() {
                    let _ = write!(s, ", {} not run", not_run.len());
                }
                s.push_str(".\n\n");
                if !e.stub_dependencies.is_empty() && !e.full_marks() {
                    let deps: Vec<String> = e
                        .stub_dependencies
                        .iter()
                        .map(|d| format!("`{d}`"))
                        .collect();
                    let (what, them) = match deps.len() {
                        1 => ("its stub", "it"),
                        _ => ("their stubs", "them"),
                    };
                    let _ = writeln!(
                        s,
                        "This exercise builds on {}, graded as {what} (see above): a \
                         `todo!()` there fails tests here too. Finish {them} first.\n",
                        deps.join(" and ")
                    );
                }
                for t in e.tests.iter().filter(|t| !t.passed && !t.not_run) {
                    let _ = writeln!(s, "- `{}`\n\n```text\n{}\n```\n", t.name, t.output.trim());
                }
                let lucky: Vec<String> = e
                    .tests
                    .iter()
                    .filter(|t| t.passed && t.score < t.max)
                    .map(|t| format!("`{}`", t.name))
                    .collect();
                let why = match (&e.racy_dependency, e.model_failed) {
                    (Some(dep), false) => format!(
                        "this exercise builds on your `{dep}` and a loom model of `{dep}` \
                         fails in every run, so these passes may depend on how the threads \
                         happened to be scheduled (fix `{dep}` and they count)"
                    ),
                    _ => "a loom model of this exercise fails in every run, so these passes \
                          depend on how the threads happened to be scheduled"
                        .to_string(),
                };
                if !lucky.is_empty() {
                    let _ = writeln!(s, "Passed but not counted: {why}: {}\n", lucky.join(", "));
                }
                if !not_run.is_empty() {
                    let proof = match (&e.racy_dependency, e.model_failed) {
                        (Some(dep), false) => format!(
                            "this exercise builds on your `{dep}` and a loom model of `{dep}` \
                             fails in every run"
                        ),
                        _ => "a loom model of this exercise fails in every run".to_string(),
                    };
                    let _ = writeln!(
                        s,
                        "Not run: {proof}, so these std tests could not count (a deadlock \
                         would only have hung them): {}\n",
                        not_run.join(", ")
                    );
                }
            }
        }
    }
    s
}

/// gradebook.csv: `student,<topic>...,total`.
pub fn write_gradebook(path: &Path, topics: &[TopicId], results: &[StudentResult]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut header = vec!["student".to_string()];
    header.extend(topics.iter().map(ToString::to_string));
    header.push("total".into());
    w.write_record(&header)?;
    for r in results {
        let mut row = vec![r.id.clone()];
        for t in topics {
            let score = r
                .topics
                .iter()
                .find(|x| &x.topic == t)
                .map_or(0.0, |x| x.score);
            row.push(fmt(score));
        }
        row.push(fmt(r.score()));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Per-exercise numbers over the class.
struct ExerciseStats {
    topic: TopicId,
    name: ExerciseId,
    points: f64,
    submitted: usize,
    full: usize,
    compile_errors: usize,
    mean: f64,
}

fn exercise_stats(results: &[StudentResult]) -> Vec<ExerciseStats> {
    let mut stats: Vec<ExerciseStats> = Vec::new();
    for r in results {
        for e in r.exercises() {
            let i = match stats
                .iter()
                .position(|s| s.topic == e.topic && s.name == e.name)
            {
                Some(i) => i,
                None => {
                    stats.push(ExerciseStats {
                        topic: e.topic.clone(),
                        name: e.name.clone(),
                        points: e.points,
                        submitted: 0,
                        full: 0,
                        compile_errors: 0,
                        mean: 0.0,
                    });
                    stats.len() - 1
                }
            };
            let s = &mut stats[i];
            if !matches!(e.status, Status::NotSubmitted | Status::Unchanged) {
                s.submitted += 1;
            }
            if e.full_marks() {
                s.full += 1;
            }
            if matches!(e.status, Status::CompileError(_) | Status::Rejected(_)) {
                s.compile_errors += 1;
            }
            s.mean += e.score / results.len().max(1) as f64;
        }
    }
    stats
}

/// Counts of totals in ten bins of 10 % of the maximum each.
fn histogram(results: &[StudentResult]) -> [usize; 10] {
    let mut bins = [0usize; 10];
    for r in results {
        let pct = if r.max() > 0.0 {
            r.score() / r.max()
        } else {
            0.0
        };
        bins[((pct * 10.0).floor() as usize).min(9)] += 1;
    }
    bins
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0} %", 100.0 * part as f64 / whole as f64)
    }
}

/// summary.md for the instructor.
pub fn summary_md(
    topics: &[TopicId],
    results: &[StudentResult],
    skipped: &[Ignored],
    seconds: f64,
) -> String {
    let n = results.len();
    let max = results.first().map_or(0.0, StudentResult::max);
    let mut totals: Vec<f64> = results.iter().map(StudentResult::score).collect();
    totals.sort_by(f64::total_cmp);
    let mean = totals.iter().sum::<f64>() / n.max(1) as f64;
    let median = if n == 0 {
        0.0
    } else if n % 2 == 1 {
        totals[n / 2]
    } else {
        (totals[n / 2 - 1] + totals[n / 2]) / 2.0
    };
    let mut s = format!(
        "# Grading summary\n\n{n} submissions, topics: {}. Maximum {} points.\n\
         Mean {}, median {}. Graded in {:.0} s ({:.1} s per submission).\n",
        topics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        fmt(max),
        fmt(mean),
        fmt(median),
        seconds,
        seconds / n.max(1) as f64
    );
    s.push_str("\n## Exercises\n\n| topic | exercise | points | submitted | full marks | does not compile / refused | mean score |\n|---|---|---:|---:|---:|---:|---:|\n");
    for e in exercise_stats(results) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} ({}) |",
            e.topic,
            e.name,
            fmt(e.points),
            pct(e.submitted, n),
            pct(e.full, n),
            e.compile_errors,
            fmt(e.mean),
            if e.points > 0.0 {
                format!("{:.0} %", 100.0 * e.mean / e.points)
            } else {
                "-".into()
            }
        );
    }
    s.push_str("\n## Score histogram\n\n![histogram](histogram.svg)\n\n```text\n");
    let bins = histogram(results);
    let widest = bins.iter().copied().max().unwrap_or(0).max(1);
    for (i, count) in bins.iter().enumerate() {
        let bar = "#".repeat((count * 40).div_ceil(widest));
        let _ = writeln!(s, "{:>3}-{:<3}% | {bar} {count}", i * 10, (i + 1) * 10);
    }
    s.push_str("```\n\n## Students\n\n| student | score | notes |\n|---|---:|---|\n");
    for r in results {
        let mut notes: Vec<String> = Vec::new();
        let broken = r
            .exercises()
            .filter(|e| matches!(e.status, Status::CompileError(_)))
            .count();
        let refused = r
            .exercises()
            .filter(|e| matches!(e.status, Status::Rejected(_)))
            .count();
        if broken > 0 {
            notes.push(format!("{broken} exercise(s) do not compile"));
        }
        if refused > 0 {
            notes.push(format!("{refused} file(s) break the submission policy"));
        }
        if !r.ignored.is_empty() {
            notes.push(format!(
                "{} ignored file(s)",
                r.ignored.len() + r.ignored_unlisted
            ));
        }
        if let Some(why) = &r.unreadable {
            notes.push(format!("unreadable: {why}"));
        }
        if let Some(why) = &r.grader_fault {
            notes.push(format!("{GRADER_FAULT}: {why}"));
        }
        notes.extend(r.notes.iter().cloned());
        let _ = writeln!(
            s,
            "| [{}]({STUDENTS}/{}/report.md) | {} / {} | {} |",
            r.id.replace('|', "\\|"),
            r.folder,
            fmt(r.score()),
            fmt(r.max()),
            notes.join("; ").replace('|', "\\|").replace('\n', " ")
        );
    }
    if !skipped.is_empty() {
        s.push_str("\n## Not graded (not submissions)\n\n");
        for i in skipped {
            let _ = writeln!(s, "- `{}`: {}", i.path, i.reason);
        }
    }
    s
}

/// A bar chart of the score histogram.
pub fn histogram_svg(results: &[StudentResult]) -> String {
    let bins = histogram(results);
    let widest = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (w, h, left, bottom, top) = (640.0, 320.0, 50.0, 40.0, 30.0);
    let plot_h = h - bottom - top;
    let bar_w = (w - left - 20.0) / 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Total scores \
         ({} submissions)</text>\n",
        w / 2.0,
        results.len()
    );
    for (i, count) in bins.iter().enumerate() {
        let bh = plot_h * *count as f64 / widest;
        let x = left + i as f64 * bar_w;
        let y = top + plot_h - bh;
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4a7ebb\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}-{}%</text>",
            x + 2.0,
            bar_w - 4.0,
            x + bar_w / 2.0,
            y - 4.0,
            x + bar_w / 2.0,
            h - bottom + 16.0,
            i * 10,
            (i + 1) * 10
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"black\"/>\n\
         <text x=\"14\" y=\"{2}\" transform=\"rotate(-90 14 {2})\" text-anchor=\"middle\">\
         students</text>\n</svg>",
        top + plot_h,
        w - 20.0,
        top + plot_h / 2.0
    );
    s
}

#[cfg(test)]
mod tests {
    use catalog::{ExerciseId, TopicId};

    use super::super::score::TestScore;
    use super::{
        ExerciseScore, Ignored, Status, StudentResult, TopicScore, folder_name, prepare_out_dir,
        report_md, results_json,
    };

    /// One student with an exercise of each kind a report tells apart.
    fn a_student_of_every_kind() -> StudentResult {
        let test = |name: &str, passed: bool, score: f64, output: &str| TestScore {
            name: name.into(),
            passed,
            score,
            max: 5.0,
            output: output.into(),
            not_run: false,
        };
        let exercise = |name: &str, file: &str, status: Status, tests: Vec<TestScore>| {
            let score = tests.iter().map(|t| t.score).sum();
            ExerciseScore {
                topic: TopicId::from_package("lock"),
                name: ExerciseId::parse(name).expect("an exercise name"),
                file: file.into(),
                points: 5.0 * tests.len().max(1) as f64,
                from: (status != Status::NotSubmitted).then(|| format!("alice/{file}")),
                status,
                tests,
                score,
                model_failed: false,
                racy_dependency: None,
                stub_dependencies: Vec::new(),
            }
        };
        let mut racy = exercise(
            "counter",
            "01_counter.rs",
            Status::Graded,
            vec![
                test(
                    "counter::models::no_increment_is_lost",
                    false,
                    0.0,
                    "loom model `no_increment_is_lost` failed: 1 != 2",
                ),
                TestScore {
                    not_run: true,
                    ..test(
                        "counter::counts_to_n",
                        false,
                        0.0,
                        "Not run: a loom model failed",
                    )
                },
            ],
        );
        racy.model_failed = true;
        let mut dependent = exercise(
            "bank",
            "03_bank.rs",
            Status::Graded,
            vec![test(
                "bank::transfers_add_up",
                true,
                0.0,
                "passed, not counted",
            )],
        );
        dependent.racy_dependency = ExerciseId::parse("counter");
        let exercises = vec![
            racy,
            exercise(
                "sql_lock",
                "02_sql_lock.rs",
                Status::Graded,
                vec![test("sql_lock::one_writer", true, 5.0, "")],
            ),
            dependent,
            exercise(
                "rlock",
                "04_rlock.rs",
                Status::Rejected("line 3: `unsafe` is not allowed".into()),
                vec![test("rlock::reenters", false, 0.0, "not yet implemented")],
            ),
            exercise(
                "semaphore",
                "05_semaphore.rs",
                Status::CompileError("error[E0308]: mismatched types".into()),
                vec![test("semaphore::limits", false, 0.0, "not yet implemented")],
            ),
            exercise(
                "bounded_queue",
                "06_bounded_queue.rs",
                Status::NotSubmitted,
                vec![],
            ),
        ];
        StudentResult {
            id: "alice".into(),
            folder: "alice".into(),
            topics: vec![TopicScore {
                topic: TopicId::from_package("lock"),
                score: exercises.iter().map(|e| e.score).sum(),
                max: exercises.iter().map(|e| e.points).sum(),
                exercises,
            }],
            ignored: vec![Ignored {
                path: "alice/notes.txt".into(),
                reason: "not an exercise file".into(),
            }],
            ignored_unlisted: 0,
            unreadable: None,
            notes: vec!["a note about the submission as a whole".into()],
            grader_fault: None,
            seconds: 12.4,
        }
    }

    #[test]
    fn the_report_of_a_student_of_every_kind() {
        insta::assert_snapshot!(report_md(&a_student_of_every_kind()));
    }

    #[test]
    fn the_results_json_of_a_student_of_every_kind() {
        let json = results_json(&a_student_of_every_kind(), &|_| 5);
        insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap());
    }

    #[test]
    fn student_ids_become_safe_folder_names() {
        assert_eq!(folder_name("alice"), "alice");
        assert_eq!(folder_name("../etc"), ".._etc");
        assert_eq!(folder_name(".."), "student_2");
        assert_eq!(folder_name("bob smith/x"), "bob_smith_x");
        assert_eq!(folder_name("caf\u{e9}\u{fffd}"), "caf__");
    }

    #[test]
    fn an_earlier_grading_in_out_is_replaced_and_nothing_else_is_touched() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (class, out) = (tmp.path().join("class"), tmp.path().join("out"));
        for dir in [
            class.clone(),
            out.join("students/alice"),
            out.join("bob"),
            out.join("notes"),
        ] {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        for file in [
            "gradebook.csv",
            "summary.md",
            "students/alice/results.json",
            "students/alice/report.md",
            "bob/report.md",
        ] {
            std::fs::write(out.join(file), "earlier").expect("write");
        }
        std::fs::write(out.join("notes/todo.txt"), "mine").expect("write");
        prepare_out_dir(&out, &class).expect("an earlier grading may be replaced");
        assert!(!out.join("gradebook.csv").exists() && !out.join("students").exists());
        assert!(!out.join("bob").exists(), "the layout before students/ too");
        assert!(
            out.join("notes/todo.txt").exists(),
            "a folder the grader did not write is left alone"
        );
    }

    #[test]
    fn out_must_be_empty_or_an_earlier_grading_and_outside_the_class() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let class = tmp.path().join("class");
        std::fs::create_dir_all(&class).expect("mkdir");
        std::fs::write(tmp.path().join("thesis.tex"), "mine").expect("write");
        let err = prepare_out_dir(tmp.path(), &class).expect_err("a folder of other files");
        assert!(err.to_string().contains("not empty"), "{err}");
        let inside = class.join("grades");
        let err = prepare_out_dir(&inside, &class).expect_err("OUT inside the class");
        assert!(err.to_string().contains("overlap"), "{err}");
        assert!(!inside.exists(), "the refused OUT is not left behind");
        assert!(prepare_out_dir(&tmp.path().join("new"), &class).is_ok());
    }
}
