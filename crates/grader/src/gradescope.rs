//! Gradescope's autograder mode: `threadwork grade --gradescope [ROOT]` grades the one
//! submission Gradescope puts in `ROOT/submission` (default ROOT: `/autograder`) and
//! writes `ROOT/results/results.json`, the file Gradescope reads. See docs/grading.md for
//! the `setup.sh` and `run_autograder` that go with it.
//!
//! `threadwork gradescope-bundle --out autograder.zip` writes the archive Gradescope takes:
//! `setup.sh`, `run_autograder` and the course as graded (the committed stubs, no
//! `solutions/`, no known-buggy variants, no grader tests), all at the zip's root, which
//! Gradescope unpacks into `/autograder/source`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use catalog::Catalog;

use crate::grading::Grader;
use crate::{GradeArgs, GradeConfig, course, outputs};

const SETUP: &str = include_str!("gradescope_setup.sh");
const RUN_AUTOGRADER: &str = include_str!("gradescope_run_autograder.sh");

/// Writes the autograder zip at `out`.
pub fn bundle(catalog: &Catalog, out: &Path) -> Result<()> {
    use std::io::Write as _;
    if out.extension().is_none_or(|e| e != "zip") {
        bail!(
            "--out {} must name a .zip file (Gradescope takes the autograder as a zip)",
            out.display()
        );
    }
    let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let template = course::Template::create(catalog, &tmp.path().join("source"))?;
    let files = course::files_under(&template.dir)?;
    let partial = out.with_extension("zip.partial");
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let script = options.unix_permissions(0o755);
    for (name, text) in [("setup.sh", SETUP), ("run_autograder", RUN_AUTOGRADER)] {
        zip.start_file(name, script)?;
        zip.write_all(text.as_bytes())?;
    }
    for rel in &files {
        let bytes = std::fs::read(template.dir.join(rel))
            .with_context(|| format!("cannot read {}", template.dir.join(rel).display()))?;
        zip.start_file(rel.as_str(), options)?;
        zip.write_all(&bytes)?;
    }
    zip.finish()
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} course files, setup.sh, run_autograder): upload it as the \
         assignment's autograder (\"Zip file upload\")",
        out.display(),
        files.len()
    );
    Ok(())
}

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
    // A folder of this run's own: two gradings on one host (tests, a shared runner) must
    // not empty each other's work.
    let work = tempfile::Builder::new()
        .prefix("threadwork-gradescope-")
        .tempdir()
        .context("cannot create a temporary folder")?
        .keep();
    let grader = Grader::prepare(catalog, &GradeConfig::from(args), &work)?;
    let source = super::intake::Source::Path(submission.clone());
    let result = grader.grade_one(0, "submission", &source, "submission");
    let order = |topic: &catalog::TopicId| {
        grader
            .catalog()
            .topic(topic.as_str())
            .map_or(0, |t| t.order)
    };
    let mut json = outputs::results_json(&result, &order);
    // Gradescope shows `output` above the tests: the whole readable report goes there.
    json.output = outputs::report_md(&result);
    let path = results.join("results.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if args.keep_work {
        println!("the work folder is kept: {}", work.display());
    } else {
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
