//! Reading submissions: a folder or a `.zip` per student, treated as hostile.
//!
//! Only files whose *name* is an exercise file of the course (`01_counter.rs`, ...) are
//! taken, wherever they sit (`exercises/lock/01_counter.rs`, `lock/01_counter.rs` or just
//! `01_counter.rs`, in any letter case: `01_counter.RS` from Windows is the same file);
//! everything else is listed as ignored with the reason. Windows zips separate folders
//! with `\`: read as `/` before any check. Nothing is ever
//! extracted to disk, no symbolic link is followed, a zip entry with `..` or an absolute
//! path is refused, names that are not UTF-8 are refused, and no file is read past
//! [`MAX_FILE_BYTES`] (so a zip bomb inflates at most that much). Build outputs and version
//! control folders (`target/`, `.git/`) are skipped by name, unread and uncounted, so a
//! hand-in that starts with 20,000 files of `target/` still has its exercises read.
//!
//! A class folder holds a folder or a zip per student, or, as LMSes download a class, loose
//! files named after their student ([`lms`]).

mod lms;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use catalog::{Catalog, ExerciseId, TopicId};

/// The largest exercise file taken (real ones are a few KiB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// Entries looked at in one submission before giving up on the rest.
const MAX_ENTRIES: usize = 20_000;
/// Folder depth looked into.
const MAX_DEPTH: usize = 16;
/// Ignored entries listed by name in a report; the rest are counted.
pub const MAX_LISTED: usize = 40;

/// One student's hand-in, as read.
#[derive(Debug, Clone)]
pub struct Submission {
    pub files: Vec<Taken>,
    pub ignored: Vec<Ignored>,
    /// Ignored entries beyond the [`MAX_LISTED`] listed ones.
    pub ignored_unlisted: usize,
    /// Set when the submission could not be read at all (a corrupt zip, ...).
    pub unreadable: Option<String>,
}

/// An exercise file taken from a submission.
#[derive(Debug, Clone)]
pub struct Taken {
    pub topic: TopicId,
    pub exercise: ExerciseId,
    /// The file name, e.g. `01_counter.rs`.
    pub file: String,
    /// Where it was inside the submission.
    pub from: String,
    pub bytes: Vec<u8>,
}

/// Something in a submission (or in the class folder) that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ignored {
    pub path: String,
    pub reason: String,
}

/// Where one student's hand-in is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A folder or a `.zip`.
    Path(PathBuf),
    /// Loose files of a flat LMS download: (exercise file name, path) of each.
    Loose(Vec<(String, PathBuf)>),
}

/// (student id, hand-in) of every submission in a class folder.
pub type Class = Vec<(String, Source)>;

/// Folders never read: build outputs and version control, often the bulk of a zipped
/// course (this course's own `target/` holds about 20,000 files).
const SKIPPED_FOLDERS: &[&str] = &["target", ".git"];

/// The class folder: the submissions in it, and entries that are not submissions.
pub fn list_class(catalog: &Catalog, dir: &Path) -> anyhow::Result<(Class, Vec<Ignored>)> {
    use anyhow::Context;
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the submissions folder {}", dir.display()))?;
    let exercise_files: Vec<&str> = catalog
        .topics
        .iter()
        .flat_map(|t| t.exercises.iter().map(|e| e.file.as_str()))
        .collect();
    let mut subs = Vec::new();
    let mut loose: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let name = entry.file_name();
        let shown = name.to_string_lossy().into_owned();
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let is_zip = meta.is_file() && shown.to_ascii_lowercase().ends_with(".zip");
        if meta.file_type().is_symlink() {
            skipped.push(Ignored {
                path: shown,
                reason: "a symbolic link: never followed".into(),
            });
        } else if meta.is_dir() {
            subs.push((shown, Source::Path(entry.path())));
        } else if is_zip {
            let id = shown[..shown.len() - 4].to_string();
            subs.push((id, Source::Path(entry.path())));
        } else if let Some((student, file)) = lms::student_file(&shown, &exercise_files) {
            loose.entry(student).or_default().push((file, entry.path()));
        } else {
            skipped.push(Ignored {
                path: shown,
                reason: "not a submission: hand in a folder or a .zip per student, or files \
                         named `<student>_<exercise file>` as LMSes download them"
                    .into(),
            });
        }
    }
    subs.extend(loose.into_iter().map(|(id, mut files)| {
        files.sort();
        (id, Source::Loose(files))
    }));
    // A folder and a zip (or loose files) of the same name: keep both, under distinct ids.
    subs.sort();
    let mut seen = std::collections::HashSet::new();
    for (id, source) in &mut subs {
        if !seen.insert(id.clone()) {
            *id = match source {
                Source::Path(path) => path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| id.clone()),
                Source::Loose(_) => format!("{id} (loose files)"),
            };
            seen.insert(id.clone());
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((subs, skipped))
}

/// Reads one submission (folder or zip); never fails: problems end up in the result.
pub fn read(catalog: &Catalog, source: &Source) -> Submission {
    let mut reader = Reader {
        catalog,
        candidates: Vec::new(),
        ignored: Vec::new(),
        seen: 0,
        skipped_outputs: BTreeMap::new(),
    };
    let unreadable = match source {
        Source::Path(path) if path.is_dir() => {
            reader.walk(path, "", 0);
            None
        }
        Source::Path(path) => reader.zip(path).err(),
        Source::Loose(files) => {
            reader.loose(files);
            None
        }
    };
    reader.finish(unreadable)
}

struct Candidate {
    topic: TopicId,
    exercise: ExerciseId,
    file: String,
    from: String,
    rank: (u8, usize),
    bytes: Result<Vec<u8>, String>,
}

struct Reader<'a> {
    catalog: &'a Catalog,
    candidates: Vec<Candidate>,
    ignored: Vec<Ignored>,
    seen: usize,
    /// Entries skipped unread under each build-output folder, by the folder's path.
    skipped_outputs: BTreeMap<String, usize>,
}

impl Reader<'_> {
    fn ignore(&mut self, path: &str, reason: impl Into<String>) {
        self.ignored.push(Ignored {
            path: path.to_string(),
            reason: reason.into(),
        });
    }

    /// The exercise a path names, and how well it matches (lower is better): the full
    /// `exercises/<topic>/<file>` suffix, then `<topic>/<file>`, then the bare name.
    fn classify(&self, rel: &str) -> Option<(TopicId, ExerciseId, String, (u8, usize))> {
        let parts: Vec<&str> = rel.split(['/', '\\']).collect();
        let name = *parts.last()?;
        let (topic, ex) = self
            .catalog
            .topics
            .iter()
            .flat_map(|t| t.exercises.iter().map(move |e| (t, e)))
            .find(|(_, e)| e.file.eq_ignore_ascii_case(name))?;
        let n = parts.len();
        let is =
            |part: Option<&str>, want: &str| part.is_some_and(|p| p.eq_ignore_ascii_case(want));
        let parent = n.checked_sub(2).map(|i| parts[i]);
        let grand = n.checked_sub(3).map(|i| parts[i]);
        let rank = if is(grand, "exercises") && is(parent, topic.topic.as_str()) {
            0
        } else if is(parent, topic.topic.as_str()) {
            1
        } else {
            2
        };
        Some((
            topic.topic.clone(),
            ex.name.clone(),
            ex.file.clone(),
            (rank, n),
        ))
    }

    fn walk(&mut self, dir: &Path, rel: &str, depth: usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            self.ignore(if rel.is_empty() { "." } else { rel }, "cannot be read");
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            self.seen += 1;
            if self.seen > MAX_ENTRIES {
                self.ignore(
                    rel,
                    format!("more than {MAX_ENTRIES} entries: the rest was not read"),
                );
                return;
            }
            let os_name = entry.file_name();
            let Some(name) = os_name.to_str() else {
                let shown = join(rel, &os_name.to_string_lossy());
                self.ignore(&shown, "the name is not valid UTF-8");
                continue;
            };
            let child_rel = join(rel, name);
            let Ok(meta) = entry.path().symlink_metadata() else {
                self.ignore(&child_rel, "cannot be read");
                continue;
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                self.ignore(&child_rel, "a symbolic link: never followed");
            } else if kind.is_dir() && is_skipped_folder(name) {
                self.skipped_outputs.insert(child_rel, 0);
            } else if kind.is_dir() {
                if depth + 1 >= MAX_DEPTH {
                    self.ignore(&child_rel, "folders nested too deep: not read");
                } else {
                    self.walk(&entry.path(), &child_rel, depth + 1);
                }
            } else if !kind.is_file() {
                self.ignore(&child_rel, "not a regular file");
            } else if let Some((topic, exercise, file, rank)) = self.classify(&child_rel) {
                let bytes = read_capped(File::open(entry.path()).map_err(|e| e.to_string()));
                self.candidates.push(Candidate {
                    topic,
                    exercise,
                    file,
                    from: child_rel,
                    rank,
                    bytes,
                });
            } else {
                let reason = self.not_exercise_reason(name);
                self.ignore(&child_rel, reason);
            }
        }
    }

    fn zip(&mut self, path: &Path) -> Result<(), String> {
        let file = File::open(path).map_err(|e| format!("cannot open the zip: {e}"))?;
        let mut archive =
            zip::ZipArchive::new(file).map_err(|e| format!("not a readable zip file: {e}"))?;
        let mut looked_at = 0;
        for i in 0..archive.len() {
            // By name only, from the central directory: nothing of a skipped entry is read.
            if let Some(folder) = archive.name_for_index(i).and_then(skipped_folder_of) {
                *self.skipped_outputs.entry(folder).or_default() += 1;
                continue;
            }
            looked_at += 1;
            if looked_at > MAX_ENTRIES {
                self.ignore(
                    ".",
                    format!(
                        "more than {MAX_ENTRIES} entries besides build outputs: the rest was \
                         not read (hand in only the exercise files)"
                    ),
                );
                break;
            }
            let mut entry = match archive.by_index(i) {
                Ok(entry) => entry,
                Err(e) => {
                    self.ignore(&format!("entry #{i}"), format!("cannot be read: {e}"));
                    continue;
                }
            };
            let raw = entry.name_raw().to_vec();
            let Ok(name) = std::str::from_utf8(&raw) else {
                let shown = String::from_utf8_lossy(&raw).into_owned();
                self.ignore(&shown, "the name is not valid UTF-8");
                continue;
            };
            // Windows zips write `lock\01_counter.rs`: one separator for every check below.
            let name = name.replace('\\', "/");
            if entry.enclosed_name().is_none() || escapes(&name) {
                self.ignore(&name, "an absolute path or one with `..`: refused");
                continue;
            }
            if entry.is_dir() {
                continue;
            }
            if entry.is_symlink() {
                self.ignore(&name, "a symbolic link: never followed");
                continue;
            }
            let rel = name
                .split('/')
                .filter(|p| !p.is_empty() && *p != ".")
                .collect::<Vec<_>>()
                .join("/");
            let base = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            match self.classify(&rel) {
                Some((topic, exercise, file, rank)) => {
                    let bytes = if entry.size() > MAX_FILE_BYTES {
                        Err(too_big())
                    } else {
                        read_capped(Ok(&mut entry))
                    };
                    self.candidates.push(Candidate {
                        topic,
                        exercise,
                        file,
                        from: rel,
                        rank,
                        bytes,
                    });
                }
                None => {
                    let reason = self.not_exercise_reason(&base);
                    self.ignore(&rel, reason);
                }
            }
        }
        Ok(())
    }

    /// The loose files of a flat LMS download, already matched to their exercise files.
    fn loose(&mut self, files: &[(String, PathBuf)]) {
        for (file, path) in files {
            let from = path
                .file_name()
                .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
            let Some((topic, exercise, file, _)) = self.classify(file) else {
                continue;
            };
            let bytes = read_capped(File::open(path).map_err(|e| e.to_string()));
            self.candidates.push(Candidate {
                topic,
                exercise,
                file,
                from,
                rank: (2, 1),
                bytes,
            });
        }
    }

    fn finish(mut self, unreadable: Option<String>) -> Submission {
        // Listed first: the cap on listed entries must not hide why a zipped course's bulk
        // was not read.
        let skipped: Vec<Ignored> = std::mem::take(&mut self.skipped_outputs)
            .into_iter()
            .map(|(folder, entries)| Ignored {
                path: format!("{folder}/"),
                reason: match entries {
                    0 => "build outputs or version control: skipped unread".into(),
                    n => format!("build outputs or version control: {n} entries skipped unread"),
                },
            })
            .collect();
        self.ignored.splice(0..0, skipped);
        self.candidates
            .sort_by(|a, b| (&a.exercise, a.rank, &a.from).cmp(&(&b.exercise, b.rank, &b.from)));
        let mut files: Vec<Taken> = Vec::new();
        for c in std::mem::take(&mut self.candidates) {
            if let Some(used) = files.iter().find(|f| f.exercise == c.exercise) {
                let reason = format!("another copy of {} was used: {}", c.file, used.from);
                self.ignore(&c.from, reason);
                continue;
            }
            match c.bytes {
                Ok(bytes) => files.push(Taken {
                    topic: c.topic,
                    exercise: c.exercise,
                    file: c.file,
                    from: c.from,
                    bytes,
                }),
                Err(reason) => self.ignore(&c.from, reason),
            }
        }
        let unlisted = self.ignored.len().saturating_sub(MAX_LISTED);
        self.ignored.truncate(MAX_LISTED);
        Submission {
            files,
            ignored: self.ignored,
            ignored_unlisted: unlisted,
            unreadable,
        }
    }
}

/// A zip entry name (separators already `/`) that points outside the submission: absolute,
/// a drive (`C:/...`), or with a `..` part.
fn escapes(name: &str) -> bool {
    name.starts_with('/')
        || name
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
        || name.split('/').any(|p| p == "..")
}

fn is_skipped_folder(name: &str) -> bool {
    SKIPPED_FOLDERS.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// The build-output folder a zip entry lies in (`x/target/debug/a` -> `x/target`), if any.
fn skipped_folder_of(name: &str) -> Option<String> {
    let name = name.replace('\\', "/");
    let parts: Vec<&str> = name.split('/').collect();
    // The last part is the entry's own name: a file called `target` is not a folder.
    let at = parts[..parts.len().saturating_sub(1)]
        .iter()
        .position(|p| is_skipped_folder(p))?;
    Some(parts[..=at].join("/"))
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

fn too_big() -> String {
    format!("larger than {} KiB: not read", MAX_FILE_BYTES >> 10)
}

fn read_capped<R: Read>(reader: Result<R, String>) -> Result<Vec<u8>, String> {
    let reader = reader.map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

impl Reader<'_> {
    /// Why a file was not taken, and how to name it so it is.
    fn not_exercise_reason(&self, name: &str) -> String {
        let how = "only files named like exercises/<topic>/NN_name.rs are graded";
        let what = match name {
            "Cargo.toml" | "Cargo.lock" => "the course's manifests are the instructor's",
            "build.rs" => "build scripts are the instructor's",
            "config.toml" | "config" => "cargo configuration is the instructor's",
            _ => {
                if let Some((topic, file)) = self.renamed_exercise(name) {
                    return format!(
                        "named like the exercise file `{file}` with more around it (an LMS \
                         download prefixes names, a copy gets a suffix): only exact names are \
                         graded; hand it in as `exercises/{topic}/{file}`"
                    );
                }
                if name.to_ascii_lowercase().ends_with(".rs") {
                    "not an exercise file (tests and other code are the instructor's)"
                } else {
                    "not an exercise file"
                }
            }
        };
        format!("{what}; {how}")
    }

    /// The exercise file whose name (without `.rs`) is part of `name`, if one is.
    fn renamed_exercise(&self, name: &str) -> Option<(TopicId, String)> {
        let lower = name.to_ascii_lowercase();
        self.catalog.topics.iter().find_map(|t| {
            t.exercises.iter().find_map(|e| {
                let stem = e.file.strip_suffix(".rs").unwrap_or(&e.file);
                lower
                    .contains(&stem.to_ascii_lowercase())
                    .then(|| (t.topic.clone(), e.file.clone()))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::Path;

    use super::*;

    fn catalog() -> Catalog {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Catalog::load(&root).expect("the course's catalogue")
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn taken(sub: &Submission) -> Vec<(&str, &str)> {
        sub.files
            .iter()
            .map(|f| (f.exercise.as_str(), f.from.as_str()))
            .collect()
    }

    fn reason<'a>(sub: &'a Submission, path: &str) -> &'a str {
        sub.ignored
            .iter()
            .find(|i| i.path == path)
            .map(|i| i.reason.as_str())
            .unwrap_or_else(|| panic!("{path} is not among the ignored: {:?}", sub.ignored))
    }

    #[test]
    fn a_folder_gives_the_best_placed_copy_of_each_exercise_and_says_why_not_the_others() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "backup/01_counter.rs", "// old");
        write(dir.path(), "lock/01_counter.rs", "// nearer");
        write(
            dir.path(),
            "course/exercises/lock/01_counter.rs",
            "// this one",
        );
        write(dir.path(), "03_bank.rs", "// bare name");
        let sub = read(&catalog(), &Source::Path(dir.path().to_path_buf()));
        assert_eq!(
            taken(&sub),
            [
                ("bank", "03_bank.rs"),
                ("counter", "course/exercises/lock/01_counter.rs")
            ]
        );
        assert_eq!(sub.files[1].bytes, b"// this one");
        for other in ["lock/01_counter.rs", "backup/01_counter.rs"] {
            assert_eq!(
                reason(&sub, other),
                "another copy of 01_counter.rs was used: course/exercises/lock/01_counter.rs"
            );
        }
        assert!(sub.unreadable.is_none());
    }

    #[test]
    fn build_outputs_are_skipped_unread_and_named_first() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            write(dir.path(), &format!("target/debug/x{i}"), "");
        }
        write(dir.path(), ".git/HEAD", "ref");
        write(dir.path(), "Cargo.toml", "[package]");
        write(dir.path(), "exercises/lock/01_counter.rs", "");
        let sub = read(&catalog(), &Source::Path(dir.path().to_path_buf()));
        assert_eq!(taken(&sub), [("counter", "exercises/lock/01_counter.rs")]);
        assert_eq!(sub.ignored[0].path, ".git/");
        assert_eq!(sub.ignored[1].path, "target/");
        assert!(reason(&sub, "target/").contains("skipped unread"));
        assert!(reason(&sub, "Cargo.toml").contains("manifests are the instructor's"));
    }

    #[test]
    fn a_file_over_the_cap_a_renamed_exercise_and_a_symlink_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(MAX_FILE_BYTES as usize + 1);
        write(dir.path(), "exercises/lock/03_bank.rs", &big);
        write(dir.path(), "01_counter (1).rs", "// a copy");
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("02_sql_lock.rs")).unwrap();
        let sub = read(&catalog(), &Source::Path(dir.path().to_path_buf()));
        assert!(sub.files.is_empty(), "{:?}", taken(&sub));
        assert!(reason(&sub, "exercises/lock/03_bank.rs").contains("larger than"));
        assert!(
            reason(&sub, "01_counter (1).rs")
                .contains("hand it in as `exercises/lock/01_counter.rs`")
        );
        assert_eq!(
            reason(&sub, "02_sql_lock.rs"),
            "a symbolic link: never followed"
        );
    }

    fn zip_of(path: &Path, entries: &[(&str, &str)]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, text) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }

    #[test]
    fn a_zip_refuses_escaping_names_reads_windows_separators_and_counts_build_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ada.zip");
        zip_of(
            &path,
            &[
                ("target/debug/a", ""),
                ("target/debug/b", ""),
                ("../01_counter.rs", "// outside"),
                ("exercises\\lock\\03_bank.rs", "// windows"),
            ],
        );
        let sub = read(&catalog(), &Source::Path(path));
        assert_eq!(taken(&sub), [("bank", "exercises/lock/03_bank.rs")]);
        assert_eq!(sub.ignored[0].path, "target/");
        assert!(reason(&sub, "target/").contains("2 entries skipped unread"));
        assert!(reason(&sub, "../01_counter.rs").contains("refused"));
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_unreadable_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ada.zip");
        std::fs::write(&path, "not a zip").unwrap();
        let sub = read(&catalog(), &Source::Path(path));
        assert!(sub.files.is_empty());
        assert!(sub.unreadable.unwrap().contains("not a readable zip file"));
    }

    #[test]
    fn a_class_folder_lists_folders_zips_and_loose_lms_files_and_names_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ada/01_counter.rs", "");
        zip_of(&dir.path().join("ada.zip"), &[("01_counter.rs", "")]);
        zip_of(&dir.path().join("ben.zip"), &[("01_counter.rs", "")]);
        write(dir.path(), "cy_12345_67890_01_counter.rs", "");
        write(dir.path(), "cy_12345_67890_03_bank.rs", "");
        write(dir.path(), "grades.csv", "");
        std::os::unix::fs::symlink("/tmp", dir.path().join("dee")).unwrap();
        let (class, skipped) = list_class(&catalog(), dir.path()).unwrap();
        let ids: Vec<&str> = class.iter().map(|(id, _)| id.as_str()).collect();
        // Canvas: `<name>_<user id>_<submission id>_<file>`; the student is name and user id.
        assert_eq!(ids, ["ada", "ada.zip", "ben", "cy_12345"]);
        let Source::Loose(files) = &class[3].1 else {
            panic!("cy's files are loose: {:?}", class[3].1)
        };
        let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["01_counter.rs", "03_bank.rs"]);
        let skipped: Vec<(&str, &str)> = skipped
            .iter()
            .map(|i| (i.path.as_str(), i.reason.as_str()))
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0], ("dee", "a symbolic link: never followed"));
        assert!(skipped[1].0 == "grades.csv" && skipped[1].1.starts_with("not a submission"));
    }

    #[test]
    fn a_missing_class_folder_is_an_error_naming_it() {
        let err = list_class(&catalog(), Path::new("/nonexistent/class")).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/class"), "{err:#}");
    }

    #[test]
    fn only_names_that_leave_the_submission_are_refused() {
        for name in ["/etc/x.rs", "C:/x/01_counter.rs", "a/../../x.rs", ".."] {
            assert!(escapes(name), "{name}");
        }
        for name in [
            "lock/01_counter.rs",
            "./01_counter.rs",
            "a..b/01_counter.rs",
        ] {
            assert!(!escapes(name), "{name}");
        }
    }
}
