//! The bundled sample class of `threadwork grade --demo`.
//!
//! `samples/class/class.toml` says what each student hands in, in terms of the course's own
//! files: topics handed in as their reference solutions, exercises left as stubs or left
//! out, known-buggy variants (the mutants' patches) in place of a solution, plus a folder of
//! files of the student's own (tampering, a compile error) or a zip handed in as it is.
//! The hand-ins are put together when the demo runs, so the sample class can never drift
//! from the solutions: a solution that changes changes every sample student with it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use catalog::{Catalog, TopicId};
use serde::Deserialize;

/// The sample class, relative to the workspace root.
pub const CLASS_DIR: &str = "samples/class";
/// Its recipe, inside [`CLASS_DIR`].
pub const CLASS_FILE: &str = "class.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleClass {
    #[serde(rename = "student")]
    pub students: Vec<SampleStudent>,
}

/// One sample student's hand-in, applied in field order: solutions, then stubs, omissions,
/// mutants, and last the student's own files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleStudent {
    /// The student id: the name of the folder (or zip) the grader is given.
    pub id: String,
    /// What the student handed in, in a few words.
    pub about: String,
    /// Topics handed in as their reference solutions (`"*"`: every topic).
    #[serde(default)]
    pub solutions: Vec<String>,
    /// Exercises handed in as their untouched stubs.
    #[serde(default)]
    pub stubs: Vec<String>,
    /// Exercises left out of the hand-in.
    #[serde(default)]
    pub omit: Vec<String>,
    /// Known-buggy variants, by patch name without `.patch` (`crates/<topic>/mutants/`),
    /// each handed in instead of its exercise's solution.
    #[serde(default)]
    pub mutants: Vec<String>,
    /// A folder under `samples/class/` copied over the rest: the student's own files.
    pub files: Option<String>,
    /// A zip under `samples/class/` handed in as it is (then nothing else is used).
    pub zip: Option<String>,
    /// The total the grader must give; `tests/grade_demo.rs` checks it.
    pub expect: f64,
    /// Text the student's report.md must contain (what the demo shows off).
    #[serde(default)]
    pub report_contains: Vec<String>,
}

/// Reads `samples/class/class.toml`.
pub fn load(root: &Path) -> Result<SampleClass> {
    let path = root.join(CLASS_DIR).join(CLASS_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {}: the demo needs the course's sample class",
            path.display()
        )
    })?;
    toml::from_str(&text).with_context(|| format!("{} is not a valid sample class", path.display()))
}

/// Writes every sample student's hand-in into `class` (one folder or zip each).
pub fn materialize(catalog: &Catalog, class: &Path) -> Result<SampleClass> {
    let sample = load(&catalog.root)?;
    for student in &sample.students {
        write_student(catalog, student, class).with_context(|| {
            format!(
                "{CLASS_DIR}/{CLASS_FILE}: student `{}` cannot be put together; fix that entry",
                student.id
            )
        })?;
    }
    Ok(sample)
}

/// Prints each sample student's grade (of `shard`, if given) beside the expected one; an error if any differs
/// (then the grader or the course has changed, and the demo would show the wrong thing).
pub fn compare(
    sample: &SampleClass,
    results: &[super::outputs::StudentResult],
    shard: Option<super::shard::Shard>,
) -> Result<()> {
    let mut wrong = Vec::new();
    match shard {
        Some(shard) => println!("the sample class ({CLASS_DIR}/{CLASS_FILE}), shard {shard}:"),
        None => println!("the sample class ({CLASS_DIR}/{CLASS_FILE}):"),
    }
    // A shard grades only its own students; the others are compared by their shards.
    for s in sample
        .students
        .iter()
        .filter(|s| shard.is_none_or(|k| k.holds(&s.id)))
    {
        let result = results.iter().find(|r| r.id == s.id);
        let got = result.map(|r| r.score());
        let shown = got.map_or("not graded".to_string(), super::score::fmt);
        let report = result.map(super::outputs::report_md).unwrap_or_default();
        let missing: Vec<&String> = s
            .report_contains
            .iter()
            .filter(|text| !report.contains(text.as_str()))
            .collect();
        if !missing.is_empty() {
            wrong.push(format!("{}'s report.md lacks {missing:?}", s.id));
        }
        let ok = got.is_some_and(|g| (g - s.expect).abs() < 0.01);
        println!(
            "  {:<5} {:>7} {} {}",
            s.id,
            shown,
            if ok { "as expected:" } else { "EXPECTED" },
            if ok {
                s.about.clone()
            } else {
                super::score::fmt(s.expect)
            }
        );
        if !ok {
            wrong.push(format!("{} got {shown}, expected {}", s.id, s.expect));
        }
    }
    if !wrong.is_empty() {
        bail!(
            "the demo's grades differ from {CLASS_DIR}/{CLASS_FILE}: {}. Either the grader \
             or the course changed; if the new grades are right, update `expect` or \
             `report_contains` there",
            wrong.join("; ")
        );
    }
    Ok(())
}

fn write_student(catalog: &Catalog, s: &SampleStudent, class: &Path) -> Result<()> {
    let samples = catalog.root.join(CLASS_DIR);
    if let Some(zip) = &s.zip {
        let from = samples.join(zip);
        let to = class.join(format!("{}.zip", s.id));
        std::fs::copy(&from, &to).with_context(|| format!("cannot copy {}", from.display()))?;
        return Ok(());
    }
    let dir = class.join(&s.id);
    let put = |topic: &TopicId, file: &str, text: &[u8]| -> Result<()> {
        let path = dir.join("exercises").join(topic).join(file);
        std::fs::create_dir_all(path.parent().unwrap_or(&dir))?;
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let committed = catalog::stubs::Stubs::load(&catalog.root, &[]);
    let put_source = |t: &catalog::TopicInfo, ex: &catalog::ExerciseInfo, solution: bool| {
        let bytes = if solution {
            read(&catalog.source_path(t, ex, true))?
        } else {
            super::course::stub_bytes(catalog, &committed, t, ex)?
        };
        put(&t.topic, &ex.file, &bytes)
    };
    for topic in &s.solutions {
        let topics: Vec<_> = if topic == "*" {
            catalog.topics.iter().collect()
        } else {
            vec![
                catalog
                    .topic(topic)
                    .with_context(|| format!("no topic `{topic}`"))?,
            ]
        };
        for t in topics {
            for ex in &t.exercises {
                put_source(t, ex, true)?;
            }
        }
    }
    for name in &s.stubs {
        let (t, ex) = exercise(catalog, name)?;
        put_source(t, ex, false)?;
    }
    for name in &s.omit {
        let (t, ex) = exercise(catalog, name)?;
        let path = dir.join("exercises").join(&t.topic).join(&ex.file);
        std::fs::remove_file(&path)
            .with_context(|| format!("`{name}` is omitted but was not handed in"))?;
    }
    for name in &s.mutants {
        let (topic, file, text) = mutant(catalog, name)?;
        put(topic, file, text.as_bytes())?;
    }
    if let Some(files) = &s.files {
        super::course::copy_tree(&samples.join(files), &dir, "", &|_| false)?;
    }
    Ok(())
}

fn exercise<'c>(
    catalog: &'c Catalog,
    name: &str,
) -> Result<(&'c catalog::TopicInfo, &'c catalog::ExerciseInfo)> {
    catalog
        .exercise(name)
        .with_context(|| format!("no exercise `{name}` in the course"))
}

/// (topic, exercise file, buggy text) of the mutant whose patch is `<name>.patch`.
fn mutant<'c>(catalog: &'c Catalog, name: &str) -> Result<(&'c TopicId, &'c str, String)> {
    let patch = format!("{name}.patch");
    for topic in &catalog.topics {
        let list = catalog::mutants::load(catalog, topic)?;
        if let Some(m) = list.iter().find(|m| m.patch == patch) {
            let text = catalog::mutants::materialize(catalog, topic, m)?;
            return Ok((&topic.topic, &m.exercise_in(topic)?.file, text));
        }
    }
    bail!("no mutant `{name}`: none of crates/*/mutants/mutants.toml lists {patch}")
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| {
        format!(
            "cannot read {} (the demo is built from the course's solutions and stubs)",
            path.display()
        )
    })
}
