//! `threadwork merge OUT_1 ... OUT_N --out OUT`: one grading from the N shards of
//! `threadwork grade --shard K/N`, written as grading the class whole writes it (the same
//! gradebook, summary, histogram and student folders; only the time in summary.md is the
//! shards' total machine time).
//!
//! Every check names the folder at fault and what to do: the shards must be 1..N of one N,
//! each given once, graded from one course and one grader, of one class folder, and no
//! student may be in two of them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use super::outputs::{self, StudentResult};
use super::shard::{self, Record};

#[derive(Args)]
pub struct MergeArgs {
    /// The --out folders of `threadwork grade ... --shard K/N`, one for each K of 1..N.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Where the merged gradebook.csv, summary.md and student folders are written.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let records: Vec<(PathBuf, Record)> = args
        .shards
        .iter()
        .map(|dir| Ok((dir.clone(), Record::read(dir)?)))
        .collect::<Result<_>>()?;
    check(&records)?;
    for (dir, _) in &records {
        check_apart(&args.out, dir)?;
    }
    let (first_dir, first) = &records[0];
    let out = outputs::prepare_out_dir(&args.out, first_dir)?;
    let mut placed: Vec<(usize, &Path, &StudentResult)> = records
        .iter()
        .flat_map(|(dir, r)| {
            r.students
                .iter()
                .map(move |p| (p.position, dir.as_path(), &p.result))
        })
        .collect();
    placed.sort_by_key(|(position, _, _)| *position);
    for (_, dir, result) in &placed {
        copy_student(dir, &out, &result.folder)?;
    }
    let results: Vec<StudentResult> = placed.iter().map(|(_, _, r)| (*r).clone()).collect();
    let seconds = records.iter().map(|(_, r)| r.seconds).sum();
    crate::grade::write_class_outputs(&out, &first.topics, &results, &first.skipped, seconds)?;
    println!(
        "merged {} shards, {} submissions: {}",
        records.len(),
        results.len(),
        out.join(outputs::GRADEBOOK).display()
    );
    println!("summary: {}", out.join(outputs::SUMMARY).display());
    Ok(())
}

/// The shards fit together: one N, every K once, one course, grader, topics and class.
fn check(records: &[(PathBuf, Record)]) -> Result<()> {
    let (first_dir, first) = &records[0];
    let shown = |dir: &Path| dir.display().to_string();
    for (dir, r) in &records[1..] {
        let differs = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            anyhow::anyhow!(
                "{} and {} were graded {what} ({a} and {b}): grade every shard again {}",
                shown(first_dir),
                shown(dir),
                match what {
                    "as shards of different counts" => "with the same --shard K/N count",
                    "from different course versions" => "from the same commit of the course",
                    "by different graders" => "with the same threadwork",
                    "with different --topics" => "with the same --topics",
                    _ => "from the same class folder",
                }
            )
        };
        if r.shard.count != first.shard.count {
            return Err(differs(
                "as shards of different counts",
                &first.shard,
                &r.shard,
            ));
        }
        if r.course != first.course {
            return Err(differs(
                "from different course versions",
                &first.course,
                &r.course,
            ));
        }
        if r.grader != first.grader {
            return Err(differs("by different graders", &first.grader, &r.grader));
        }
        if r.topics != first.topics {
            let listed = |topics: &[catalog::TopicId]| {
                let names: Vec<String> = topics.iter().map(ToString::to_string).collect();
                names.join(",")
            };
            return Err(differs(
                "with different --topics",
                &listed(&first.topics),
                &listed(&r.topics),
            ));
        }
        if r.class_size != first.class_size || r.skipped != first.skipped {
            return Err(differs(
                "from different class folders",
                &format!("{} submissions", first.class_size),
                &format!("{} submissions", r.class_size),
            ));
        }
    }
    let count = first.shard.count;
    let mut by_index: BTreeMap<u32, &Path> = BTreeMap::new();
    for (dir, r) in records {
        if let Some(other) = by_index.insert(r.shard.index, dir) {
            bail!(
                "{} and {} are both shard {}: give each shard's output once",
                shown(other),
                shown(dir),
                r.shard
            );
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard {} missing: grade it with `threadwork grade DIR --shard K/N --out ...` and \
             give its --out folder too",
            missing.join(", ") + if missing.len() == 1 { " is" } else { " are" }
        );
    }
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut positions: BTreeMap<usize, &str> = BTreeMap::new();
    for (dir, r) in records {
        for placed in &r.students {
            let id = placed.result.id.as_str();
            if let Some(other) = seen.insert(id, dir) {
                bail!(
                    "student `{id}` is in two shards, {} and {}: grade every shard from the \
                     same class folder with the same N",
                    shown(other),
                    shown(dir)
                );
            }
            if shard::shard_of(id, count) != r.shard.index {
                bail!(
                    "{}: student `{id}` belongs to shard {}/{count}, not {}: that folder was not \
                     written by `grade --shard {}`; grade the shard again",
                    shown(dir),
                    shard::shard_of(id, count),
                    r.shard,
                    r.shard
                );
            }
            if positions.insert(placed.position, id).is_some() || placed.position >= r.class_size {
                bail!(
                    "{}: {} is damaged (student `{id}` has a place no other has): grade the \
                     shard again",
                    shown(dir),
                    shard::RECORD
                );
            }
        }
    }
    if positions.len() != first.class_size {
        bail!(
            "the shards hold {} of the class's {} submissions: grade every shard from the same \
             class folder",
            positions.len(),
            first.class_size
        );
    }
    Ok(())
}

/// OUT is neither one of the shards' folders nor inside or around one.
fn check_apart(out: &Path, shard_dir: &Path) -> Result<()> {
    let shard_dir = shard_dir
        .canonicalize()
        .with_context(|| format!("cannot read {}", shard_dir.display()))?;
    let out_abs = match out.canonicalize() {
        Ok(p) => p,
        Err(_) => std::path::absolute(out)?,
    };
    if out_abs.starts_with(&shard_dir) || shard_dir.starts_with(&out_abs) {
        bail!(
            "--out {} overlaps the shard {}: write the merged grading to a folder of its own",
            out.display(),
            shard_dir.display()
        );
    }
    Ok(())
}

/// Copies a student's results.json and report.md as the shard wrote them.
fn copy_student(shard_dir: &Path, out: &Path, folder: &str) -> Result<()> {
    let from = outputs::student_dir(shard_dir, folder);
    let to = outputs::student_dir(out, folder);
    std::fs::create_dir_all(&to).with_context(|| format!("cannot create {}", to.display()))?;
    for file in [outputs::RESULTS_JSON, outputs::REPORT] {
        std::fs::copy(from.join(file), to.join(file)).with_context(|| {
            format!(
                "cannot copy {}: the shard's output is incomplete; grade that shard again",
                from.join(file).display()
            )
        })?;
    }
    Ok(())
}
