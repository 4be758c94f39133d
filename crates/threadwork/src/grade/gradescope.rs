//! Gradescope's autograder mode: `threadwork grade --gradescope [ROOT]` grades the one
//! submission Gradescope puts in `ROOT/submission` (default ROOT: `/autograder`) and
//! writes `ROOT/results/results.json`, the file Gradescope reads. See docs/grading.md for
//! the `setup.sh` and `run_autograder` that go with it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use catalog::Catalog;

use super::{GradeArgs, Grader, outputs};

pub fn run(catalog: Catalog, root: &Path, args: &GradeArgs) -> Result<()> {
    let submission = root.join("submission");
    let results = root.join("results");
    if !submission.is_dir() {
        bail!(
            "{} does not exist: in Gradescope's autograder the student's files are there \
             (pass another ROOT to --gradescope to try it elsewhere)",
            submission.display()
        );
    }
    std::fs::create_dir_all(&results)
        .with_context(|| format!("cannot create {}", results.display()))?;
    let work = std::env::temp_dir().join("threadwork-gradescope");
    let grader = Grader::prepare(catalog, args, &work)?;
    let source = super::intake::Source::Path(submission.clone());
    let result = grader.grade_one(0, "submission", &source, "submission");
    let order = |topic: &str| grader.catalog.topic(topic).map_or(0, |t| t.order);
    let mut json = outputs::results_json(&result, &order);
    // Gradescope shows `output` above the tests: the whole readable report goes there.
    json["output"] = serde_json::Value::String(outputs::report_md(&result));
    let path = results.join("results.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !args.keep_work {
        let _ = std::fs::remove_dir_all(&work);
    }
    println!(
        "graded: {} / {} -> {}",
        super::score::fmt(result.score()),
        super::score::fmt(result.max()),
        path.display()
    );
    if result.grader_fault.is_some() {
        bail!(
            "the grader itself failed on this submission (see {})",
            path.display()
        );
    }
    Ok(())
}
