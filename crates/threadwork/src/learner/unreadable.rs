//! Exercise files the compiler cannot read: deleted (or renamed), or not UTF-8 (an editor
//! that saved in Latin-1 or UTF-16). Found before cargo runs, so the learner reads what is
//! wrong with the file and how to fix it without losing their work, and so the other
//! exercises of the topic can still be checked (their stubs stand in, see
//! [`super::overlay`]). A BOM or CRLF line endings are fine: rustc reads both.

use std::path::Path;

use catalog::{ExerciseInfo, TopicInfo};

use super::invocation::command;
use super::state::relative_path;

/// What is wrong with one exercise file, in the learner's terms, with the fix.
pub struct Unreadable<'t> {
    pub ex: &'t ExerciseInfo,
    pub why: String,
}

/// The exercise files of `topic` that cannot be compiled as they are.
pub fn find<'t>(root: &Path, topic: &'t TopicInfo) -> Vec<Unreadable<'t>> {
    topic
        .exercises
        .iter()
        .filter_map(|ex| {
            let path = relative_path(topic, ex);
            let why = match std::fs::read(root.join(&path)) {
                Ok(bytes) => match std::str::from_utf8(&bytes) {
                    Ok(_) => return None,
                    Err(e) => not_utf8(&path, &bytes, e.valid_up_to()),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                    "{path} is missing (deleted, or renamed?). Rename it back, or put the \
                     original stub back with `{}`.",
                    command(&format!("reset {}", ex.name))
                ),
                Err(e) => format!("cannot read {path}: {e}. Fix its permissions."),
            };
            Some(Unreadable { ex, why })
        })
        .collect()
}

fn not_utf8(path: &str, bytes: &[u8], valid_up_to: usize) -> String {
    let line = 1 + bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count();
    format!(
        "{path} is not UTF-8 text (the first bad byte is on line {line}), and Rust reads \
         only UTF-8. Save it again as UTF-8 (your editor's encoding setting); your code is \
         not lost, and `reset` is not needed."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located_by_line() {
        let bytes = b"fn a() {}\n// caf\xe9\n".to_vec();
        let e = std::str::from_utf8(&bytes).unwrap_err();
        let why = not_utf8("exercises/lock/01_counter.rs", &bytes, e.valid_up_to());
        assert!(
            why.contains("exercises/lock/01_counter.rs is not UTF-8"),
            "{why}"
        );
        assert!(why.contains("on line 2"), "{why}");
    }
}
