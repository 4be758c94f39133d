//! `threadwork export <DIR>`: the repository an instructor hands to students.
//!
//! A copy of the course without `solutions/`, the known-buggy variants (`mutants/`, each a
//! solution with one bug), the grader (its code, corpus, sample class, benchmark and docs
//! page) and CI; the CLI keeps the learner's commands. The copy builds on its own and
//! `cargo test -p <topic>` runs the topic's tests against the stubs.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::course::copy_tree;

/// The grader's module in the students' copy: the `grade` commands say they are absent.
const PLACEHOLDER: &str = r#"//! Grading is for instructors: this copy of the course was exported without the grader.

use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Not part of the students' copy of the course.
    #[command(hide = true)]
    Grade,
}

pub fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Grade => bail!("grading is for instructors; this copy of the course has no grader"),
    }
}
"#;

/// The marker of the grader's dependencies in crates/threadwork/Cargo.toml.
const GRADER_DEPS: &str = "# --- grader (grade, export) ---";

/// The grader's page of the book (docs/src/), left out of the students' copy.
const GRADING_PAGE: &str = "grading.md";

/// Whether a path of the instructor's tree stays out of the students' copy.
fn left_out(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    parts.iter().any(|p| *p == ".git" || *p == "target")
        || matches!(
            parts.as_slice(),
            ["solutions", ..]
                | [".ci", ..]
                | ["samples", ..]
                | ["scripts", "bench-grader"]
                | ["docs", "src", GRADING_PAGE]
                | ["docs", "book", ..]
                | ["crates", _, "mutants", ..]
                | ["crates", "threadwork", "tests", ..]
                | ["crates", "threadwork", "src", "grade", ..]
        )
        || rel == ".threadwork-state.toml"
}

pub fn export(root: &Path, dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; export into a new folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let (root_abs, dir_abs) = (root.canonicalize()?, dir.canonicalize()?);
    if dir_abs.starts_with(&root_abs) {
        let _ = std::fs::remove_dir(&dir_abs);
        bail!(
            "export into a folder outside the course ({})",
            root_abs.display()
        );
    }
    copy_tree(root, dir, "", &left_out)?;
    let catalog = catalog::Catalog::load(root)
        .context("the course metadata is broken; fix the file named above")?;
    write_autograding(&catalog, dir)?;
    // The book's table of contents must not list the page left out: mdbook fails on it.
    let summary = dir.join("docs/src/SUMMARY.md");
    if summary.exists() {
        let text = std::fs::read_to_string(&summary)
            .with_context(|| format!("cannot read {}", summary.display()))?;
        std::fs::write(&summary, without_grading_page(&text))?;
    }
    let grade = dir.join("crates/threadwork/src/grade");
    std::fs::create_dir_all(&grade)?;
    std::fs::write(grade.join("mod.rs"), PLACEHOLDER)?;
    let manifest = dir.join("crates/threadwork/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    std::fs::write(&manifest, without_grader_deps(&text))?;
    // Drop the grader's dependencies from Cargo.lock too (offline: nothing is added).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let refreshed = Command::new(cargo)
        .args([
            "metadata",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .stdout(std::process::Stdio::null())
        .status();
    if !refreshed.is_ok_and(|s| s.success()) {
        eprintln!("warning: could not refresh Cargo.lock; the first `cargo build` will");
    }
    println!(
        "exported the students' repository to {} (no solutions/, mutants/, grader or CI).\n\
         Try it: cd {} && cargo test -p lock\n\
         Commit it before handing it out (git init && git add -A && git commit -m course):\n\
         `threadwork list` tells untouched stubs from edited ones, and `threadwork reset`\n\
         restores a stub, from that first commit.",
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// The per-student grading on GitHub's runners: the workflow and the script it calls.
pub const WORKFLOW: &str = ".github/workflows/classroom.yml";
pub const AUTOGRADE: &str = "scripts/autograde";

fn write_autograding(catalog: &catalog::Catalog, dir: &Path) -> Result<()> {
    let workflow = dir.join(WORKFLOW);
    std::fs::create_dir_all(workflow.parent().unwrap_or(dir))?;
    std::fs::write(&workflow, classroom_workflow(catalog))
        .with_context(|| format!("cannot write {}", workflow.display()))?;
    let script = dir.join(AUTOGRADE);
    std::fs::create_dir_all(script.parent().unwrap_or(dir))?;
    std::fs::write(&script, include_str!("autograde.sh"))
        .with_context(|| format!("cannot write {}", script.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

/// GitHub Classroom's autograding workflow: one command-grader step per exercise, worth
/// the exercise's points (info.toml), then the reporter that sums them for Classroom.
/// All or nothing per exercise: Classroom's command grader scores by exit status.
fn classroom_workflow(catalog: &catalog::Catalog) -> String {
    let mut steps = String::new();
    let mut runners = Vec::new();
    let mut env = String::new();
    for topic in &catalog.topics {
        for ex in &topic.exercises {
            let id = format!("{}-{}", topic.topic, ex.name).replace('_', "-");
            steps.push_str(&format!(
                "      - name: {topic} / {name}\n        id: {id}\n        \
                 uses: classroom-resources/autograding-command-grader@v1\n        with:\n          \
                 test-name: {topic} / {name}\n          command: scripts/autograde {topic} {name}\n          \
                 timeout: 10\n          max-score: {points}\n",
                topic = topic.topic,
                name = ex.name,
                points = ex.points,
            ));
            env.push_str(&format!(
                "          {}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n",
                id.to_uppercase()
            ));
            runners.push(id);
        }
    }
    let packages: Vec<String> = catalog
        .topics
        .iter()
        .map(|t| format!("-p {}", t.topic))
        .collect();
    format!(
        "# Written by `threadwork export`: every push is graded on GitHub's runners, one step \
         per\n# exercise worth its points (exercises/<topic>/info.toml), summed by Classroom's \
         reporter.\n# Each step runs scripts/autograde <topic> <exercise>: try it locally.\n\
         name: Autograding Tests\n\
         'on':\n  - push\n  - repository_dispatch\n\
         permissions:\n  checks: write\n  actions: read\n  contents: read\n\
         jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n    \
         if: github.actor != 'github-classroom[bot]'\n    steps:\n      \
         - name: Checkout code\n        uses: actions/checkout@v4\n      \
         - name: Build the tests once (the steps below then only run them)\n        \
         run: |\n          echo '| topic | exercise | tests | verdict |' >> \"$GITHUB_STEP_SUMMARY\"\n          \
         echo '|---|---|---|---|' >> \"$GITHUB_STEP_SUMMARY\"\n          \
         cargo test --no-run -q --tests {packages}\n\
         {steps}      \
         - name: Autograding Reporter\n        \
         uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n{env}        \
         with:\n          runners: {runners}\n",
        packages = packages.join(" "),
        runners = runners.join(","),
    )
}

/// The manifest without the lines of the grader's dependency section.
fn without_grader_deps(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim() == GRADER_DEPS {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with('[') || line.starts_with("# ---")) {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The book's SUMMARY.md without the entry of the grading page, and without a part title
/// (`# Instructors`) left with no entry under it.
fn without_grading_page(text: &str) -> String {
    let link = format!("]({GRADING_PAGE})");
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains(&link)).collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("# ") && i > 0 {
            let rest = &lines[i + 1..];
            let next = rest.iter().find(|l| !l.trim().is_empty());
            if next.is_none_or(|l| l.starts_with("# ")) {
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    // No blank lines left dangling at the end by a dropped part.
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solutions_mutants_and_the_grader_stay_out() {
        for (rel, out) in [
            ("solutions/lock/01_counter.rs", true),
            ("crates/lock/mutants/a.rs", true),
            ("crates/threadwork/src/grade/mod.rs", true),
            ("samples/class/alice/x.rs", true),
            ("exercises/lock/01_counter.rs", false),
            ("crates/threadwork/src/learner/mod.rs", false),
            ("docs/src/lock.md", false),
            ("docs/src/grading.md", true),
            ("docs/src/SUMMARY.md", false),
        ] {
            assert_eq!(left_out(rel), out, "{rel}");
        }
    }

    #[test]
    fn the_summary_loses_the_grading_page_and_its_empty_part() {
        let text = "# Summary\n\n[Introduction](introduction.md)\n\n- [lock](lock.md)\n\n# Instructors\n\n- [Grading a class](grading.md)\n";
        assert_eq!(
            without_grading_page(text),
            "# Summary\n\n[Introduction](introduction.md)\n\n- [lock](lock.md)\n"
        );
        let kept =
            "# Summary\n\n# Instructors\n\n- [Grading a class](grading.md)\n- [Setup](setup.md)\n";
        assert_eq!(
            without_grading_page(kept),
            "# Summary\n\n# Instructors\n\n- [Setup](setup.md)\n"
        );
    }

    #[test]
    fn only_the_grader_dependency_section_is_dropped() {
        let text = "[dependencies]\nanyhow = \"1\"\n\n# --- grader (grade, export) ---\nzip = \"6\"\n\n[dev-dependencies]\nx = \"1\"\n";
        assert_eq!(
            without_grader_deps(text),
            "[dependencies]\nanyhow = \"1\"\n\n[dev-dependencies]\nx = \"1\"\n"
        );
    }
}
