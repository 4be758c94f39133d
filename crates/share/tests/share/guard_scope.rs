//! Exercise `guard_scope`: the handler runs without the inbox locked.

use share::guard_scope::Inbox;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn messages_are_delivered_oldest_first() {
    let inbox = Inbox::new();
    inbox.post("a");
    inbox.post("b");
    assert_eq!(inbox.len(), 2, "two posted messages wait");
    assert!(
        !inbox.is_empty(),
        "two posted messages wait: is_empty() must be false"
    );
    let mut seen = Vec::new();
    let delivered = inbox.deliver(|_, message| seen.push(message));
    assert_eq!(delivered, 2, "deliver returns how many it handled");
    assert_eq!(seen, ["a", "b"], "messages in posting order");
    assert!(inbox.is_empty(), "after deliver, the inbox is empty");
    assert_eq!(
        inbox.deliver(|_, _| {}),
        0,
        "nothing waits: nothing delivered"
    );
}

#[test]
fn a_reply_posted_by_the_handler_waits_for_the_next_delivery() {
    let (first, second) = finishes_within(GENEROUS, "deliver with a replying handler", || {
        let inbox = Inbox::new();
        inbox.post("ping");
        let first = inbox.deliver(|inbox, message| inbox.post(&format!("re: {message}")));
        let mut replies = Vec::new();
        let second = inbox.deliver(|_, message| replies.push(message));
        (first, (second, replies))
    });
    assert_eq!(first, 1, "the first delivery handles only `ping`");
    assert_eq!(
        second,
        (1, vec!["re: ping".to_string()]),
        "the reply is delivered next time, not in the delivery that posted it"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::guard_scope::Inbox;

    support::loom_test! {
        /// Another thread posts while the main thread delivers with a handler that replies.
        /// A guard still alive while the handler runs makes the reply wait for its own
        /// thread: loom reports the deadlock.
        fn posting_from_the_handler_never_deadlocks() {
            let inbox = Arc::new(Inbox::new());
            inbox.post("ping");
            let other = Arc::clone(&inbox);
            let poster = thread::spawn(move || other.post("hello"));
            let delivered = inbox.deliver(|inbox, message| inbox.post(&format!("re: {message}")));
            poster.join().unwrap();
            let mut left = Vec::new();
            inbox.deliver(|_, message| left.push(message));
            left.sort();
            let everything = delivered + left.len();
            assert!(
                left.contains(&"re: ping".to_string()) && everything >= 3,
                "after delivering, the reply `re: ping` must wait in the inbox, and no \
                 message may be lost: {left:?} were left after {delivered} delivered"
            );
        }
    }
}
