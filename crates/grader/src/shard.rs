//! Grading one shard of a class: `threadwork grade DIR --shard K/N --out OUT_K`.
//!
//! A student belongs to shard `fnv1a64(id) % N + 1`, where `fnv1a64` is the 64-bit FNV-1a
//! hash of the id's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3). The
//! hash is fixed and documented, never std's `DefaultHasher` (which may change between Rust
//! releases), so every machine of a batch job agrees on the partition, and a student added
//! to the class never moves anyone else.
//!
//! Each OUT_K holds [`RECORD`]: what [`super::merge`] needs to put the shards back together
//! exactly as a grading of the whole class would have written it (the students' results,
//! their folders, the class folder's non-submissions, which course and grader graded them).

use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::intake::Ignored;
use super::outputs::StudentResult;

/// The shard's record in its OUT folder.
pub const RECORD: &str = "shard.json";
/// What [`RECORD`] says it is, so merge can tell a shard's output from any other JSON.
pub const FORMAT: &str = "threadwork-grade-shard/1";

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || format!("`{s}` is not a shard: write K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u32 = k.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the student with this id is graded by this shard.
    pub fn holds(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }
}

/// The 1-based shard of a student id among `count` shards.
pub fn shard_of(id: &str, count: u32) -> u32 {
    (fnv1a64(id.as_bytes()) % u64::from(count)) as u32 + 1
}

/// 64-bit FNV-1a.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Everything a shard's OUT tells the merge.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub format: String,
    pub shard: Shard,
    /// A hash of the course the shard graded against (see [`course_version`]).
    pub course: String,
    /// The grader's version and a hash of its code (see [`grader_version`]).
    pub grader: String,
    pub topics: Vec<catalog::TopicId>,
    /// Entries of the class folder that are not submissions (every shard sees them all).
    pub skipped: Vec<Ignored>,
    /// Wall-clock seconds this shard took to grade its students.
    pub seconds: f64,
    /// Submissions in the whole class folder (all shards).
    pub class_size: usize,
    pub students: Vec<Placed>,
}

/// A student's result and place in the whole class's order (the gradebook's row).
#[derive(Debug, Serialize, Deserialize)]
pub struct Placed {
    pub position: usize,
    pub result: StudentResult,
}

impl Record {
    pub fn write(&self, out: &Path) -> Result<()> {
        let path = out.join(RECORD);
        std::fs::write(&path, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Reads OUT/shard.json, with an error naming the folder and what to give instead.
    pub fn read(out: &Path) -> Result<Record> {
        let path = out.join(RECORD);
        let not_a_shard = || {
            format!(
                "{} is not the output of a shard's grading (it has no readable {RECORD}): give \
                 the --out folders of `threadwork grade ... --shard K/N`",
                out.display()
            )
        };
        let text = std::fs::read_to_string(&path).with_context(not_a_shard)?;
        let value: serde_json::Value = serde_json::from_str(&text).with_context(not_a_shard)?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            bail!(
                "{}: {} is not a shard record of this grader (expected format `{FORMAT}`): \
                 grade the shard again with this threadwork",
                out.display(),
                path.display()
            );
        }
        serde_json::from_value(value).with_context(|| {
            format!(
                "{} is damaged: grade shard again to replace it",
                path.display()
            )
        })
    }
}

/// A hash of the course as graded: every file of the graded copy's template (the committed
/// stubs, the tests, the topic crates and their info.toml, support, Cargo.lock), except the
/// grader's own crate, which [`grader_version`] covers.
pub fn course_version(template: &Path) -> Result<String> {
    tree_hash(template, &|rel| rel.starts_with("crates/threadwork/"))
}

/// `threadwork <version>+<hash of the grader's code in the template>`: two graders that
/// differ in a line of their code may score differently.
pub fn grader_version(template: &Path) -> Result<String> {
    let hash = tree_hash(template, &|rel| {
        !(rel.starts_with("crates/threadwork/src/") || rel == "crates/threadwork/Cargo.toml")
    })?;
    Ok(format!("threadwork {}+{}", env!("CARGO_PKG_VERSION"), hash))
}

/// SHA-256 over (path, length, bytes) of every file under `dir` not skipped, in path order;
/// the first 16 hex digits.
fn tree_hash(dir: &Path, skip: &dyn Fn(&str) -> bool) -> Result<String> {
    let files = super::course::files_under(dir)?;
    let mut hasher = Sha256::new();
    for rel in files.iter().filter(|r| !skip(r)) {
        let bytes = std::fs::read(dir.join(rel))
            .with_context(|| format!("cannot read {}", dir.join(rel).display()))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::{Shard, fnv1a64, shard_of};

    #[test]
    fn fnv1a_is_the_published_hash() {
        // Test vectors of the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn every_student_is_in_exactly_one_shard_and_stays_there_when_others_join() {
        let ids: Vec<String> = (0..200).map(|i| format!("student{i:03}")).collect();
        for n in 1..=5 {
            for id in &ids {
                let holders: Vec<u32> = (1..=n)
                    .filter(|k| {
                        Shard {
                            index: *k,
                            count: n,
                        }
                        .holds(id)
                    })
                    .collect();
                assert_eq!(holders, vec![shard_of(id, n)], "{id} in {n} shards");
            }
        }
        let sizes: Vec<usize> = (1..=4)
            .map(|k| ids.iter().filter(|id| shard_of(id, 4) == k).count())
            .collect();
        assert!(
            sizes.iter().all(|s| *s > 30),
            "a lopsided partition: {sizes:?}"
        );
    }

    #[test]
    fn the_partition_is_pinned_so_machines_and_releases_agree() {
        // The shard depends on the id alone (no class list, no seed, no Rust release):
        // these are the documented hash's answers; a change here moves students between
        // shards already graded.
        assert_eq!(fnv1a64(b"alice"), 0x508b_2abb_65a0_3907);
        assert_eq!(
            [
                shard_of("alice", 2),
                shard_of("alice", 3),
                shard_of("alice", 8)
            ],
            [2, 3, 8]
        );
    }

    #[test]
    fn shards_are_written_k_of_n() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/2", "3/2", "2", "a/b", "1/0"] {
            let err = bad.parse::<Shard>().expect_err(bad);
            assert!(err.contains("K/N"), "{err}");
        }
    }
}
