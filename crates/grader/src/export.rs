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
                | ["crates", "grader", ..]
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
    without_the_grader(dir)?;
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

/// The students' manifests without the grader crate: the workspace forgets it, and the CLI
/// is built without its `instructor` feature (so without the grader and the dev checks).
fn without_the_grader(dir: &Path) -> Result<()> {
    edit_manifest(&dir.join("Cargo.toml"), |doc| {
        if let Some(deps) = doc
            .get_mut("workspace")
            .and_then(|w| w.get_mut("dependencies"))
            .and_then(|d| d.as_table_like_mut())
        {
            deps.remove(GRADER_CRATE);
        }
    })?;
    edit_manifest(&dir.join("crates/threadwork/Cargo.toml"), |doc| {
        if let Some(deps) = doc
            .get_mut("dependencies")
            .and_then(|d| d.as_table_like_mut())
        {
            deps.remove(GRADER_CRATE);
        }
        if let Some(features) = doc.get_mut("features").and_then(|f| f.as_table_like_mut()) {
            for feature in ["default", "instructor"] {
                if let Some(list) = features.get_mut(feature) {
                    *list = toml_edit::value(toml_edit::Array::new());
                }
            }
        }
    })
}

/// The crate the students' copy leaves out, by its name in the manifests.
const GRADER_CRATE: &str = "grader";

fn edit_manifest(path: &Path, edit: impl FnOnce(&mut toml_edit::DocumentMut)) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    edit(&mut doc);
    std::fs::write(path, doc.to_string())
        .with_context(|| format!("cannot write {}", path.display()))
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
            ("crates/grader/src/lib.rs", true),
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
    fn the_students_manifests_forget_the_grader_and_keep_their_comments() {
        let dir = tempfile::tempdir().unwrap();
        let cli = dir.path().join("crates/threadwork");
        std::fs::create_dir_all(&cli).unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace.dependencies]\n# ours\ncatalog = { path = \"crates/catalog\" }\ngrader = { path = \"crates/grader\" }\n",
        )
        .unwrap();
        std::fs::write(
            cli.join("Cargo.toml"),
            "[features]\n# why\ndefault = [\"instructor\"]\ninstructor = [\"dep:grader\"]\n\n[dependencies]\ncatalog.workspace = true\ngrader = { workspace = true, optional = true }\n",
        )
        .unwrap();
        without_the_grader(dir.path()).unwrap();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        assert_eq!(
            read(&dir.path().join("Cargo.toml")),
            "[workspace.dependencies]\n# ours\ncatalog = { path = \"crates/catalog\" }\n"
        );
        assert_eq!(
            read(&cli.join("Cargo.toml")),
            "[features]\n# why\ndefault = []\ninstructor = []\n\n[dependencies]\ncatalog.workspace = true\n"
        );
    }
}
