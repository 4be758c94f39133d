//! Exercise `rc_to_arc`: one list, shared by every thread, never copied.

use share::rc_to_arc::{Words, count_matches};
use support::finishes_within;
use support::hang_guard::GENEROUS;

use crate::probe::{is_send, is_sync};

fn words(list: &[&str]) -> Words {
    Words::new(list.iter().map(|w| w.to_string()).collect())
}

fn needles(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}

#[test]
fn words_can_cross_threads() {
    assert!(
        is_send!(Words) && is_sync!(Words),
        "`Words` is not Send: its clones cannot move to other threads (this is the E0277 \
         \"cannot be sent between threads safely\" error). Pick a counted pointer whose \
         count is safe to change from several threads."
    );
}

#[test]
fn every_needle_is_counted_in_needle_order() {
    // The list is made inside the guarded closure: a `Words` that is not `Send` yet must
    // fail `words_can_cross_threads`, not the compilation of every test.
    let counts = finishes_within(GENEROUS, "count_matches", || {
        let list = words(&["thread", "threads", "lock", "unlock", "spawn"]);
        count_matches(list, needles(&["lock", "thread", "x", "s"]))
    });
    assert_eq!(
        counts,
        vec![2, 2, 0, 2],
        "one count per needle, in the order of the needles"
    );
}

#[test]
fn no_needle_means_no_count() {
    let counts = finishes_within(GENEROUS, "count_matches", || {
        count_matches(words(&["a"]), Vec::new())
    });
    assert_eq!(counts, Vec::<usize>::new(), "no needles: an empty result");
}

#[test]
fn no_thread_keeps_the_list_after_returning() {
    let (counts, handles_left) = finishes_within(GENEROUS, "count_matches", || {
        let list = words(&["one", "two", "three"]);
        let counts = count_matches(Words::clone(&list), needles(&["o", "t", "e"]));
        (counts, Words::strong_count(&list))
    });
    assert_eq!(
        counts,
        vec![2, 2, 2],
        "one count per needle, in needle order"
    );
    assert_eq!(
        handles_left, 1,
        "after count_matches returned, other handles to the list are still alive: was \
         every thread joined (its handle is dropped when it ends)?"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::under_loom::rc_to_arc::{Words, count_matches};

    support::loom_test! {
        /// Two counting threads clone and drop handles to one list at the same time; the
        /// results still come back in needle order.
        fn two_threads_share_one_list() {
            let list: Words = Words::new(vec!["ab".to_string(), "b".to_string()]);
            let counts = count_matches(list, vec!["a".to_string(), "b".to_string()]);
            assert_eq!(
                counts,
                vec![1, 2],
                "needles [a, b] over [ab, b] must give [1, 2] in every interleaving, got \
                 {counts:?}: are the results in the order the threads finished?"
            );
        }
    }
}
