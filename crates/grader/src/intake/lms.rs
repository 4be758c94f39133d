//! Flat class folders from learning-management systems, where every file of every student
//! sits in one folder and the student is named in each file name.
//!
//! The rules (documented in `docs/src/grading.md`, "How to hand a class over"):
//! - a loose file whose name *ends* with an exercise file name, after a separator (`_`, `-`
//!   or a space), belongs to the student named by what comes before it;
//! - Canvas writes `<name>[_LATE]_<user id>_<file id>_<original name>` and numbers a file
//!   uploaded again `01_counter-1.rs`: the student is `<name>_<user id>` (the file id
//!   differs per file, `LATE` per upload), and the number is dropped;
//! - Moodle's flat download writes `<Full Name>_<id>_assignsubmission_file_<original name>`:
//!   the student is `<Full Name>_<id>`.

/// The student a loose LMS file belongs to, and the exercise file it is, e.g.
/// `carol_5551_100231_01_counter.rs` -> (`carol_5551`, `01_counter.rs`).
pub fn student_file(name: &str, exercise_files: &[&str]) -> Option<(String, String)> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".rs")?;
    // Canvas's `-1`, `-2` for a file uploaded again under the same name.
    let unnumbered = match stem.rsplit_once('-') {
        Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => stem,
    };
    let file = exercise_files.iter().find(|f| {
        let want = f.to_ascii_lowercase();
        let want = want.strip_suffix(".rs").unwrap_or(&want);
        unnumbered.len() > want.len()
            && unnumbered.ends_with(want)
            && unnumbered[..unnumbered.len() - want.len()].ends_with(['_', '-', ' '])
    })?;
    let prefix_len = unnumbered.len() - file.len() + ".rs".len() - 1;
    let student = student_of_prefix(&name[..prefix_len]);
    (!student.is_empty()).then(|| (student, file.to_string()))
}

/// `carol_LATE_5551_100231` -> `carol_5551`; `Ann Lee_17_assignsubmission_file` -> `Ann Lee_17`;
/// anything else is kept as it is.
fn student_of_prefix(prefix: &str) -> String {
    if let Some(moodle) = strip_suffix_ignore_case(prefix, "_assignsubmission_file") {
        return moodle.to_string();
    }
    let parts: Vec<&str> = prefix.split('_').collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let n = parts.len();
    if n >= 3 && numeric(&parts[n - 1]) && numeric(&parts[n - 2]) {
        let kept: Vec<&str> = parts[..n - 1]
            .iter()
            .copied()
            .filter(|p| !p.eq_ignore_ascii_case("late"))
            .collect();
        return kept.join("_");
    }
    prefix.to_string()
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix)).then(|| &s[..cut])
}

#[cfg(test)]
mod tests {
    use super::student_file;

    const FILES: &[&str] = &["01_counter.rs", "03_bank.rs", "01_spawn_args.rs"];

    #[test]
    fn lms_names_give_the_student_and_the_exercise_file() {
        let cases = [
            (
                "carol_5551_100231_01_counter.rs",
                "carol_5551",
                "01_counter.rs",
            ),
            ("carol_5551_100232_03_bank.rs", "carol_5551", "03_bank.rs"),
            (
                "carol_LATE_5551_100240_01_counter-1.rs",
                "carol_5551",
                "01_counter.rs",
            ),
            (
                "smithjohn_77_9_01_COUNTER.RS",
                "smithjohn_77",
                "01_counter.rs",
            ),
            (
                "Ann Lee_17_assignsubmission_file_03_bank.rs",
                "Ann Lee_17",
                "03_bank.rs",
            ),
            ("dee-01_spawn_args.rs", "dee", "01_spawn_args.rs"),
        ];
        for (name, student, file) in cases {
            assert_eq!(
                student_file(name, FILES),
                Some((student.to_string(), file.to_string())),
                "{name}"
            );
        }
    }

    #[test]
    fn names_that_only_resemble_an_exercise_belong_to_nobody() {
        for name in [
            "01_counter.rs",
            "x01_counter.rs",
            "carol_01_counter.rs.bak",
            "carol_01_counter.txt",
            "carol_01_counter_old.rs",
        ] {
            assert_eq!(student_file(name, FILES), None, "{name}");
        }
    }
}
