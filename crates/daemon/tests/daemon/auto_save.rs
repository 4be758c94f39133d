//! Exercise `auto_save`: woken by edits, never blocking the editor, never losing the last edit.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use daemon::auto_save::AutoSaver;
use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Starts an `AutoSaver` whose "disk" is a shared list of every saved text.
fn saver_with_disk() -> (AutoSaver, Arc<Mutex<Vec<String>>>) {
    let disk = Arc::new(Mutex::new(Vec::new()));
    let written = Arc::clone(&disk);
    let saver = AutoSaver::start(move |text: &str| written.lock().unwrap().push(text.to_string()));
    (saver, disk)
}

/// What the "disk" holds once the saver has stopped.
fn saved(disk: &Mutex<Vec<String>>) -> Vec<String> {
    disk.lock().unwrap().clone()
}

#[test]
fn stop_saves_the_last_edit() {
    let disk = finishes_within(GENEROUS, "edit, edit, stop", || {
        let (saver, disk) = saver_with_disk();
        saver.edit("draft");
        saver.edit("final");
        saver.stop();
        disk
    });
    assert_eq!(
        saved(&disk).last().map(String::as_str),
        Some("final"),
        "the last edit before stop() must be saved before stop() returns: on stop, save \
         what is dirty first, and join the saver thread"
    );
}

#[test]
fn stop_without_edits_saves_nothing() {
    let disk = finishes_within(GENEROUS, "start then stop", || {
        let (saver, disk) = saver_with_disk();
        saver.stop();
        disk
    });
    assert_eq!(
        saved(&disk),
        Vec::<String>::new(),
        "nothing was edited: nothing to save"
    );
}

#[test]
fn an_edit_is_saved_without_waiting_for_stop() {
    let text = finishes_within(GENEROUS, "the save after one edit", || {
        let (saved_tx, saved_rx) = mpsc::channel();
        let saver = AutoSaver::start(move |text: &str| {
            let _ = saved_tx.send(text.to_string());
        });
        saver.edit("hello");
        // Blocks until the saver has saved: an edit that does not wake it hangs here.
        let text = saved_rx
            .recv()
            .expect("the saver thread ended without saving");
        saver.stop();
        text
    });
    assert_eq!(text, "hello", "the saver must save the edited text");
}

#[test]
fn editing_goes_on_while_a_save_is_in_progress() {
    let disk = finishes_within(GENEROUS, "an edit during a slow save", || {
        let (started_tx, started_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let disk = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::clone(&disk);
        let saver = AutoSaver::start(move |text: &str| {
            if text == "first" {
                // A slow disk: this save waits until the test has edited again.
                let _ = started_tx.send(());
                let _ = go_rx.recv();
            }
            written.lock().unwrap().push(text.to_string());
        });
        saver.edit("first");
        started_rx
            .recv()
            .expect("the saver never started saving `first`");
        // The save of "first" is in progress. If the saver holds the document's lock while
        // saving, this edit waits for the save, which waits for `go`: a deadlock.
        saver.edit("second");
        go_tx.send(()).expect("the saver thread is gone");
        saver.stop();
        disk
    });
    assert_eq!(
        saved(&disk),
        ["first", "second"],
        "both texts must be saved, in order: copy the text, drop the guard, then save"
    );
}

proptest! {
    /// Any sequence of edits from one thread: what is saved is a subsequence of the edits,
    /// in order, and the last edit is always among the saved texts, at the end.
    #[test]
    fn saved_texts_are_the_edits_in_order_ending_with_the_last(
        edits in prop::collection::vec("[a-c]{0,3}", 0..12)
    ) {
        let made = edits.clone();
        let disk = finishes_within(GENEROUS, "a sequence of edits", move || {
            let (saver, disk) = saver_with_disk();
            for text in &made {
                saver.edit(text);
            }
            saver.stop();
            disk
        });
        let saved = saved(&disk);
        let mut rest = edits.iter();
        for text in &saved {
            prop_assert!(
                rest.any(|e| e == text),
                "saved {:?}, which is not the next edit in order (edits {:?}, saved {:?})",
                text, edits, saved
            );
        }
        prop_assert_eq!(saved.last(), edits.last(), "the last edit must be the last text saved");
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::mpsc;
    use crate::sync::{Arc, Mutex};
    use crate::under_loom::auto_save::AutoSaver;

    support::loom_test! {
        /// Two edits, then stop, racing the saver thread. Whatever the saver was doing (not
        /// started yet, saving "draft", asleep), "final" must be saved before stop returns.
        /// A saver that leaves as soon as it sees `stopping` loses it.
        fn the_last_edit_is_saved_however_stop_races_the_saver() {
            let disk = Arc::new(Mutex::new(Vec::new()));
            let written = Arc::clone(&disk);
            let saver =
                AutoSaver::start(move |text: &str| written.lock().unwrap().push(text.to_string()));
            saver.edit("draft");
            saver.edit("final");
            saver.stop();
            let saved = disk.lock().unwrap().clone();
            assert_eq!(
                saved.last().map(String::as_str),
                Some("final"),
                "the user's last edit was lost on stop (saved: {saved:?}): the saver may leave \
                 only when stopping with nothing dirty. When woken, save a dirty document \
                 first; a wake-up with nothing to do means sleep again (`while`, not `if`)"
            );
        }
    }

    support::loom_test! {
        /// One edit, then the test waits for it to be saved before stopping. If `edit` does
        /// not notify the Condvar, a saver already asleep never wakes: DEADLOCK.
        fn an_edit_wakes_the_sleeping_saver() {
            let (saved_tx, saved_rx) = mpsc::channel();
            let saver = AutoSaver::start(move |text: &str| {
                let _ = saved_tx.send(text.to_string());
            });
            saver.edit("hello");
            let text = saved_rx.recv().unwrap();
            assert_eq!(text, "hello", "the saver saved {text:?} instead of the edited text");
            saver.stop();
        }
    }
}
