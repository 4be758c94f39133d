//! Exercise `tickets`: unique, consecutive tickets from any thread.

use std::collections::BTreeSet;
use std::sync::Arc;

use share::tickets::{TicketMachine, take_in_threads};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn tickets_start_at_first_and_count_up() {
    let machine = TicketMachine::new(7);
    assert_eq!(machine.issued(), 0, "a new machine issued nothing");
    let taken: Vec<_> = (0..3).map(|_| machine.take()).collect();
    assert_eq!(taken, [7, 8, 9], "tickets count up from `first`");
    assert_eq!(machine.issued(), 3, "three tickets were taken");
}

#[test]
fn tickets_from_many_threads_are_unique_and_consecutive() {
    let machine = Arc::new(TicketMachine::new(100));
    let shared = Arc::clone(&machine);
    let per_thread = finishes_within(GENEROUS, "take_in_threads", move || {
        take_in_threads(&shared, 4, 500)
    });
    assert_eq!(per_thread.len(), 4, "one Vec per thread");
    for (t, tickets) in per_thread.iter().enumerate() {
        assert_eq!(tickets.len(), 500, "thread {t} took 500 tickets");
        assert!(
            tickets.windows(2).all(|w| w[0] < w[1]),
            "thread {t}'s tickets must rise in the order it took them"
        );
    }
    let all: BTreeSet<u64> = per_thread.iter().flatten().copied().collect();
    assert_eq!(all.len(), 2000, "two threads got the same ticket");
    assert_eq!(
        (all.first().copied(), all.last().copied()),
        (Some(100), Some(2099)),
        "the tickets must be exactly 100..=2099"
    );
    assert_eq!(machine.issued(), 2000, "issued counts every ticket");
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::under_loom::tickets::{TicketMachine, take_in_threads};

    support::loom_test! {
        /// Two threads take one ticket each at the same moment.
        fn two_threads_never_get_the_same_ticket() {
            let machine = Arc::new(TicketMachine::new(0));
            let mut got: Vec<u64> = take_in_threads(&machine, 2, 1).concat();
            got.sort();
            assert_eq!(
                got,
                vec![0, 1],
                "two threads took one ticket each and got {got:?}: both read the same \
                 number before either wrote the next. Take and advance in one step."
            );
        }
    }
}
