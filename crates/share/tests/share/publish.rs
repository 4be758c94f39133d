//! Exercise `publish`: whoever sees the flag sees the value.

use std::sync::Arc;

use share::publish::Mailbox;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn an_empty_mailbox_gives_nothing() {
    assert_eq!(Mailbox::new().take(), None, "nothing was put: take is None");
}

#[test]
fn a_put_value_is_taken() {
    let mailbox = Mailbox::new();
    mailbox.put(42);
    assert_eq!(mailbox.take(), Some(42), "after put(42), take is Some(42)");
    assert_eq!(mailbox.take(), Some(42), "take does not empty the mailbox");
}

#[test]
fn a_value_put_on_another_thread_is_taken_after_the_join() {
    let mailbox = Arc::new(Mailbox::new());
    let sender = Arc::clone(&mailbox);
    finishes_within(GENEROUS, "put on another thread", move || {
        std::thread::spawn(move || sender.put(7)).join().unwrap()
    });
    assert_eq!(
        mailbox.take(),
        Some(7),
        "put(7) on a joined thread: take is Some(7)"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::publish::Mailbox;

    support::loom_test! {
        /// One thread puts 42 while the other takes. loom also explores what each load may
        /// read under the orderings used: a flag that is seen does not, by itself, make the
        /// value stored before it visible.
        fn whoever_sees_the_flag_sees_the_value() {
            let mailbox = Arc::new(Mailbox::new());
            let sender = Arc::clone(&mailbox);
            let putter = thread::spawn(move || sender.put(42));
            let seen = mailbox.take();
            putter.join().unwrap();
            assert!(
                matches!(seen, None | Some(42)),
                "take saw the mailbox full but returned {seen:?}, not the 42 that was put: \
                 the flag became visible before the value. Which ordering on the flag's \
                 store and load makes the earlier write visible?"
            );
        }
    }
}
