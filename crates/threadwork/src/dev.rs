//! Checks for the course itself, run by CI (`cargo tw dev ...`).
//!
//! - `wire`: the static module declarations (see `catalog::wiring`) match `info.toml`, and
//!   every topic's `Cargo.toml` and `.cargo/config.toml` carry what editors and rustc's
//!   messages need.
//! - `guard`: every exercise and solution file, and every mutant (a solution with its patch
//!   applied), follows the import rule.
//! - `stub-check`: with the untouched stubs, every test of every topic fails, and every
//!   exercise has tests. A test that passes on a `todo!()` stub checks nothing.
//! - `mutant-check`: every known-buggy variant listed in `crates/<topic>/mutants/mutants.toml`
//!   (a patch against a solution, see `catalog::mutants`) still applies, is rustfmt-clean,
//!   and is caught by the test it names, with the report text it names; every loom-checked
//!   exercise has at least one such variant. A variant marked `in_book` is a chapter's
//!   "what loom shows" example: its report must equal its file under `docs/src/timelines/`
//!   (`--write-timelines` rewrites the files instead).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog::mutants::{self, Mutant};
use catalog::wiring;
use catalog::{Catalog, TopicInfo};
use clap::Subcommand;

use crate::cargo::{self, TestRequest};

#[derive(Subcommand)]
pub enum DevCommand {
    /// Writes each topic's module declarations from its info.toml (src/lib.rs, the loom
    /// world, the editor roots); `--check` only reports the files that are out of date.
    Wire {
        #[arg(long)]
        check: bool,
    },
    /// Checks the import rule over every exercise, solution and mutant.
    Guard,
    /// Proves every test fails against the untouched stubs.
    StubCheck {
        /// Topics to check (default: all).
        topics: Vec<String>,
    },
    /// Proves every known-buggy variant is caught, and that the book's timelines are its
    /// reports as they are now.
    MutantCheck {
        /// Topics to check (default: all).
        topics: Vec<String>,
        /// Rewrite the book's timelines from the reports instead of checking them.
        #[arg(long)]
        write_timelines: bool,
    },
}

pub fn run(catalog: &Catalog, cmd: DevCommand) -> Result<()> {
    match cmd {
        DevCommand::Wire { check } => wire(catalog, check),
        DevCommand::Guard => guard(catalog),
        DevCommand::StubCheck { topics } => {
            for_topics(catalog, &topics, |topic| stub_check(catalog, topic))
        }
        DevCommand::MutantCheck {
            topics,
            write_timelines,
        } => for_topics(catalog, &topics, |topic| {
            mutant_check(catalog, topic, write_timelines)
        }),
    }
}

fn for_topics(
    catalog: &Catalog,
    names: &[String],
    mut check: impl FnMut(&TopicInfo) -> Result<()>,
) -> Result<()> {
    // Before any check runs: a typo must not cost a several-minute run of the others.
    let unknown: Vec<&str> = names
        .iter()
        .filter(|name| catalog.topic(name).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = catalog.topics.iter().map(|t| t.topic.as_str()).collect();
        bail!(
            "there is no topic `{}`; the topics are: {}",
            unknown.join("`, `"),
            known.join(", ")
        );
    }
    let mut failures = Vec::new();
    for topic in &catalog.topics {
        if names.is_empty() || names.iter().any(|n| topic.topic == n.as_str()) {
            if let Err(e) = check(topic) {
                eprintln!("FAIL {}: {e:#}", topic.topic);
                failures.push(topic.topic.to_string());
            }
        }
    }
    if !failures.is_empty() {
        bail!("failed for: {}", failures.join(", "));
    }
    Ok(())
}

fn wire(catalog: &Catalog, check: bool) -> Result<()> {
    let mut problems = Vec::new();
    for topic in &catalog.topics {
        for file in wiring::static_files(topic) {
            let path = catalog.root.join(&file.path);
            if !path.parent().is_some_and(Path::is_dir) {
                // The students' copy has no solutions/ folder: nothing to wire there.
                continue;
            }
            let text = cargo::rustfmt_text(&file.text)?;
            if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
                continue;
            }
            if check {
                problems.push(format!("{} is out of date", file.path.display()));
            } else {
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                println!("wrote {}", file.path.display());
            }
        }
        let manifest = catalog
            .root
            .join(format!("crates/{}/Cargo.toml", topic.topic));
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        if !text.contains(&wiring::manifest_targets(&topic.topic)) {
            problems.push(format!(
                "{} lacks the editor targets; append:\n{}",
                manifest.display(),
                wiring::manifest_targets(&topic.topic)
            ));
        }
    }
    let config = catalog.root.join(".cargo/config.toml");
    let text = std::fs::read_to_string(&config)
        .with_context(|| format!("cannot read {}", config.display()))?;
    let flags = remap_flags(catalog);
    if !text.contains(&flags) {
        problems.push(format!(
            "{} lacks the path remapping; its [build] table needs:\n{flags}",
            config.display()
        ));
    }
    if !problems.is_empty() {
        bail!(
            "the wiring is out of date{}:\n{}",
            if check {
                " (run `cargo tw dev wire`)"
            } else {
                ""
            },
            problems.join("\n")
        );
    }
    Ok(())
}

/// The `rustflags` entry of `.cargo/config.toml` for every topic's path prefixes.
fn remap_flags(catalog: &Catalog) -> String {
    let mut text = String::from("rustflags = [\n");
    for topic in &catalog.topics {
        for prefix in wiring::remapped_prefixes(&topic.topic) {
            text.push_str(&format!("    \"--remap-path-prefix={prefix}=\",\n"));
        }
    }
    text.push(']');
    text
}

fn guard(catalog: &Catalog) -> Result<()> {
    let mut files = Vec::new();
    for topic in &catalog.topics {
        for ex in &topic.exercises {
            files.push(catalog.source_path(topic, ex, false));
            files.push(catalog.source_path(topic, ex, true));
        }
    }
    let mut violations = Vec::new();
    for file in &files {
        let found = catalog::guard::check_file(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        violations.extend(found);
    }
    // Mutants are checked as the file they become; a violation is named by the solution
    // and the patch, with the line in the patched file.
    let mut mutant_count = 0;
    for topic in &catalog.topics {
        for m in mutants::load(catalog, topic)? {
            let text = mutants::materialize(catalog, topic, &m)?;
            let ex = m.exercise_in(topic)?;
            let name = format!(
                "solutions/{topic}/{file} + crates/{topic}/mutants/{patch}",
                topic = topic.topic,
                file = ex.file,
                patch = m.patch
            );
            violations.extend(catalog::guard::check_source(Path::new(&name), &text));
            mutant_count += 1;
        }
    }
    for v in &violations {
        eprintln!("{v}");
    }
    if !violations.is_empty() {
        bail!(
            "{} import-rule violation(s) in course files",
            violations.len()
        );
    }
    println!(
        "guard: {} files and {mutant_count} mutants follow the import rule",
        files.len()
    );
    Ok(())
}

fn stub_check(catalog: &Catalog, topic: &TopicInfo) -> Result<()> {
    let run = cargo::test(
        &catalog.root,
        &TestRequest {
            topic: &topic.topic,
            solution: false,
            exact: None,
            env: Vec::new(),
        },
    )?;
    if run.passed.is_empty() && run.failed.is_empty() {
        bail!(
            "no test ran against the stubs (a compile error?):\n{}",
            cargo::tail(&run.output, 30)
        );
    }
    if !run.passed.is_empty() || !run.ignored.is_empty() {
        bail!(
            "these tests do not fail against the untouched stubs, so they check nothing: {}",
            [run.passed, run.ignored].concat().join(", ")
        );
    }
    let untested: Vec<&str> = topic
        .exercises
        .iter()
        .filter(|ex| !run.failed.iter().any(|t| ex.owns_test(t)))
        .map(|ex| ex.name.as_str())
        .collect();
    if !untested.is_empty() {
        bail!("exercises without tests: {}", untested.join(", "));
    }
    println!(
        "stub-check {}: all {} tests fail against the stubs",
        topic.topic,
        run.failed.len()
    );
    Ok(())
}

fn mutant_check(catalog: &Catalog, topic: &TopicInfo, write_timelines: bool) -> Result<()> {
    let mutants = mutants::load(catalog, topic)?;
    let mut short = Vec::new();
    let mut stale = Vec::new();
    let uncovered: Vec<&str> = topic
        .exercises
        .iter()
        .filter(|ex| ex.loom && !mutants.iter().any(|m| ex.name == m.exercise.as_str()))
        .map(|ex| ex.name.as_str())
        .collect();
    if !uncovered.is_empty() {
        bail!(
            "loom-checked exercises without a known-buggy variant in {}: {}",
            mutants::dir(&catalog.root, &topic.topic)
                .join(mutants::MUTANTS_FILE)
                .display(),
            uncovered.join(", ")
        );
    }
    for m in &mutants {
        let file = write_mutant(catalog, topic, m)?;
        if let Some(diff) = cargo::rustfmt_check(&file)? {
            bail!(
                "mutant {} gives a file that rustfmt would change: format the buggy file, then \
                 rebuild the patch with `diff -u`:\n{}",
                m.patch,
                cargo::tail(&diff, 30)
            );
        }
        let run = cargo::test(
            &catalog.root,
            &TestRequest {
                topic: &topic.topic,
                solution: true,
                exact: Some(&m.caught_by),
                env: vec![(
                    catalog::wiring::SWAP_ENV,
                    format!("{}={}", m.exercise, file.display()),
                )],
            },
        )?;
        if !run.failed.contains(&m.caught_by) {
            bail!(
                "mutant {} was NOT caught by {} (passed: {:?}):\n{}",
                m.patch,
                m.caught_by,
                run.passed,
                cargo::tail(&run.output, 30)
            );
        }
        if !run.output.contains(&m.report_contains) {
            bail!(
                "mutant {} failed {}, but the report lacks `{}`:\n{}",
                m.patch,
                m.caught_by,
                m.report_contains,
                cargo::tail(&run.output, 30)
            );
        }
        if is_model(&m.caught_by) && m.short_timeline_because.is_none() {
            let files: Vec<&str> = topic.exercises.iter().map(|e| e.file.as_str()).collect();
            let steps = timeline_steps(&run.output, &files);
            // A deadlock can be reached in two steps; there the timeline must end with what
            // each blocked thread waits for.
            let deadlock_told = run.output.contains("DEADLOCK") && run.output.contains("  then ");
            if steps < MIN_TIMELINE_STEPS && !(deadlock_told && steps >= 1) {
                // Collected, not fatal at once: one run lists every short timeline.
                short.push(format!(
                    "{} (caught by {}): {steps} steps of the interleaving in the topic's \
                     exercise files, at least {MIN_TIMELINE_STEPS} expected; if the bug cannot \
                     show more, say why in `short_timeline_because`",
                    m.patch, m.caught_by
                ));
            }
        }
        if m.in_book {
            stale.extend(book_timeline(
                catalog,
                topic,
                m,
                &run.output,
                write_timelines,
            )?);
        }
        println!(
            "mutant-check {}: {} caught by {}",
            topic.topic, m.patch, m.caught_by
        );
    }
    if !short.is_empty() {
        bail!(
            "reports of known-buggy variants without the interleaving that breaks them:\n  {}",
            short.join("\n  ")
        );
    }
    if !stale.is_empty() {
        bail!(
            "the book quotes reports that have changed:\n  {}\nRun `cargo tw dev mutant-check {} \
             --write-timelines`, then reread the chapter text around each file: it may name \
             steps or lines that moved.",
            stale.join("\n  "),
            topic.topic
        );
    }
    Ok(())
}

/// Checks (or writes) the book's copy of mutant `m`'s report; the problem, if the copy is
/// stale.
fn book_timeline(
    catalog: &Catalog,
    topic: &TopicInfo,
    m: &Mutant,
    output: &str,
    write: bool,
) -> Result<Option<String>> {
    let Some(report) = book_excerpt(output) else {
        bail!(
            "mutant {} (in_book): the report of {} has no loom verdict to quote",
            m.patch,
            m.caught_by
        );
    };
    let relative = m.book_path(&topic.topic);
    let path = catalog.root.join(&relative);
    let shown = relative.display();
    let old = std::fs::read_to_string(&path).ok();
    if old.as_deref() == Some(report.as_str()) {
        return Ok(None);
    }
    if write {
        write_file(&path, &report)?;
        println!("mutant-check {}: wrote {shown}", topic.topic);
        return Ok(None);
    }
    Ok(Some(match old {
        None => format!("{shown} is missing (the report of mutant {})", m.patch),
        Some(old) => {
            let (n, was, now) = first_difference(&old, &report);
            format!(
                "{shown} (mutant {}), line {n}:\n    book:   {was}\n    report: {now}",
                m.patch
            )
        }
    }))
}

/// What the book quotes of a model's report: from the verdict (`exercise `x`, loom model
/// ...`) through the interleaving and its notes, without the two lines every report ends
/// with ("loom explores every interleaving ...", how to re-run the model). The source text
/// a report quotes after each `file:line` is left out: the variant is a reference solution
/// with one bug, and a chapter must not show the solution's code. The variant's file is
/// named where a learner's would be (`exercises/<topic>/<file>`).
fn book_excerpt(output: &str) -> Option<String> {
    let start = output.find("exercise `")?;
    let rest = &output[start..];
    let end = rest.find(REPORT_TAIL)?;
    let as_learners = format!("{}/", mutants::MATERIALIZED_DIR);
    let lines: Vec<String> = rest[..end]
        .lines()
        .map(|line| without_source_text(&line.replace(&as_learners, "exercises/")))
        .collect();
    Some(lines.join("\n").trim_end().to_string() + "\n")
}

/// `  7   locks  01_counter.rs:31   `let v = …`` -> `  7   locks  01_counter.rs:31`.
fn without_source_text(line: &str) -> String {
    let cut = line.find(".rs:").and_then(|at| {
        let after = &line[at..];
        after.find(" `").map(|quote| at + quote)
    });
    match cut {
        Some(cut) => line[..cut].trim_end().to_string(),
        None => line.trim_end().to_string(),
    }
}

/// The first line (1-based) where `a` and `b` differ, and that line of each.
fn first_difference<'a>(a: &'a str, b: &'a str) -> (usize, &'a str, &'a str) {
    let (mut a_lines, mut b_lines) = (a.lines(), b.lines());
    let mut n = 1;
    loop {
        match (a_lines.next(), b_lines.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (x, y) => return (n, x.unwrap_or("(end)"), y.unwrap_or("(end)")),
        }
    }
}

/// How support's report heads the failing interleaving, and how every report's last lines
/// begin: what `timeline_steps` counts and `book_excerpt` quotes lie between them.
const TIMELINE_HEADING: &str = "the interleaving that breaks it";
const REPORT_TAIL: &str = "loom explores every interleaving";

/// A model's report must show at least this many steps of the failing interleaving in the
/// exercise's own file, so a learner sees how the bug happens.
const MIN_TIMELINE_STEPS: usize = 4;

/// Whether a test is a loom model (they live in each exercise's `models` module).
fn is_model(test: &str) -> bool {
    test.split("::").nth(1) == Some("models")
}

/// The timeline's step lines (`support::trace`) in one of the topic's exercise files (an
/// exercise builds on the learner's earlier ones: the executor's steps are in task_future's).
fn timeline_steps(output: &str, files: &[&str]) -> usize {
    let Some(start) = output.find(TIMELINE_HEADING) else {
        return 0;
    };
    output[start..]
        .lines()
        .take_while(|l| !l.starts_with(REPORT_TAIL))
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|n| n.parse::<usize>().is_ok())
                && files.iter().any(|f| l.contains(&format!("{f}:")))
        })
        .count()
}

/// Applies the mutant's patch and writes the result to its stable path
/// (`target/threadwork-mutants/<topic>/<file>`). The file is rewritten only when its text
/// changes, so cargo rebuilds only for a different mutant of the same exercise.
fn write_mutant(catalog: &Catalog, topic: &TopicInfo, m: &Mutant) -> Result<PathBuf> {
    let text = mutants::materialize(catalog, topic, m)?;
    let ex = m.exercise_in(topic)?;
    let path = mutants::materialized_path(&catalog.root, topic, ex);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(path);
    }
    write_file(&path, &text)?;
    Ok(path)
}

/// Writes `text` to `path`, creating its folder.
fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::{book_excerpt, first_difference};

    #[test]
    fn the_book_quotes_the_verdict_and_the_steps_without_the_solutions_code() {
        let output = "running 1 test\n\
            thread 'c::models::m' panicked at crates/support/src/model.rs:9:5:\n\
            exercise `counter`, loom model `counter::models::m`:\n\
            the interleaving that breaks it (loom's failing execution):\n \
            step  main thread\n    \
            1  locks            01_counter.rs:31   `let mut value = self.value.lock…`\n  \
            spawned thread 1 is blocked at target/threadwork-mutants/lock/01_counter.rs:40 `x`\n\
            loom explores every interleaving, so this is not bad luck: ...\n\
            Re-run only this model: cargo test -p lock -- counter::models::m --exact\n";
        assert_eq!(
            book_excerpt(output).as_deref(),
            Some(
                "exercise `counter`, loom model `counter::models::m`:\n\
                 the interleaving that breaks it (loom's failing execution):\n \
                 step  main thread\n    \
                 1  locks            01_counter.rs:31\n  \
                 spawned thread 1 is blocked at exercises/lock/01_counter.rs:40\n"
            )
        );
        assert_eq!(book_excerpt("test result: FAILED"), None);
    }

    #[test]
    fn a_stale_timeline_names_the_first_line_that_differs() {
        assert_eq!(first_difference("a\nb\n", "a\nc\n"), (2, "b", "c"));
        assert_eq!(first_difference("a\n", "a\nc\n"), (2, "(end)", "c"));
    }
}
