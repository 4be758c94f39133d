//! Exercise `settings`: readers side by side, updates seen whole.

use std::sync::{Arc, Barrier};

use share::settings::{Config, Settings};
use support::finishes_within;
use support::hang_guard::GENEROUS;

fn config(name: &str, version: u64) -> Config {
    Config {
        name: name.to_string(),
        version,
    }
}

#[test]
fn rename_sets_the_name_and_bumps_the_version() {
    let settings = Settings::new(config("a", 1));
    assert_eq!(
        settings.snapshot(),
        config("a", 1),
        "the config given to new"
    );
    settings.rename("b");
    assert_eq!(
        settings.snapshot(),
        config("b", 2),
        "rename: new name, version + 1"
    );
    let name_len = settings.read(|c| c.name.len());
    assert_eq!(name_len, 1, "read returns what the closure returns");
}

#[test]
fn two_readers_are_inside_read_at_the_same_time() {
    let settings = Arc::new(Settings::new(config("a", 1)));
    // Each reader waits inside `read` until the other is inside too: this finishes only if
    // one reader never waits for another.
    let both_inside = Arc::new(Barrier::new(2));
    let (other, other_barrier) = (Arc::clone(&settings), Arc::clone(&both_inside));
    let versions = finishes_within(GENEROUS, "two readers meeting inside read", move || {
        let reader = std::thread::spawn(move || {
            other.read(|c| {
                other_barrier.wait();
                c.version
            })
        });
        let mine = settings.read(|c| {
            both_inside.wait();
            c.version
        });
        (mine, reader.join().unwrap())
    });
    assert_eq!(versions, (1, 1), "both readers read version 1");
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::settings::{Config, Settings};

    support::loom_test! {
        /// A rename runs while another thread reads: the reader sees the old config or the
        /// new one, never a mix.
        fn a_reader_never_sees_half_a_rename() {
            let settings = Arc::new(Settings::new(Config { name: "v1".into(), version: 1 }));
            let writer = Arc::clone(&settings);
            let renamer = thread::spawn(move || writer.rename("v2"));
            let seen = settings.read(|c| (c.name.clone(), c.version));
            renamer.join().unwrap();
            assert!(
                seen == ("v1".to_string(), 1) || seen == ("v2".to_string(), 2),
                "a reader saw {seen:?} while a rename to v2 ran: the name and the version \
                 changed in two steps with a reader in between"
            );
            assert_eq!(settings.snapshot(), Config { name: "v2".into(), version: 2 });
        }
    }
}
