//! Exercise `event`: Python's `threading.Event`, and no missed wake-up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use daemon::event::Event;
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn a_new_event_is_not_set() {
    assert!(
        !Event::new().is_set(),
        "Event::new() must start with the flag down"
    );
}

#[test]
fn set_raises_the_flag_and_clear_lowers_it() {
    let event = Event::new();
    event.set();
    assert!(event.is_set(), "after set(), is_set() must be true");
    event.set();
    assert!(event.is_set(), "setting twice keeps the flag up");
    event.clear();
    assert!(!event.is_set(), "after clear(), is_set() must be false");
}

#[test]
fn wait_on_a_set_event_returns_at_once() {
    let event = Event::new();
    event.set();
    finishes_within(
        GENEROUS,
        "wait() on an event that is already set",
        move || {
            event.wait();
        },
    );
}

#[test]
fn wait_timeout_on_a_set_event_returns_true_without_waiting_the_timeout() {
    let event = Event::new();
    event.set();
    // A timeout far beyond the hang guard: returning true proves it did not wait for it.
    let up = finishes_within(GENEROUS, "wait_timeout(1 hour) on a set event", move || {
        event.wait_timeout(Duration::from_secs(3_600))
    });
    assert!(up, "wait_timeout on a set event must return true");
}

#[rstest]
#[case::zero(Duration::ZERO)]
#[case::ten_ms(Duration::from_millis(10))]
#[case::fifty_ms(Duration::from_millis(50))]
fn wait_timeout_on_an_event_never_set_returns_false_after_the_timeout(#[case] timeout: Duration) {
    let event = Event::new();
    let (up, waited) = finishes_within(GENEROUS, "wait_timeout on an event never set", move || {
        let start = Instant::now();
        let up = event.wait_timeout(timeout);
        (up, start.elapsed())
    });
    assert!(
        !up,
        "nobody set the event: wait_timeout({timeout:?}) must return false"
    );
    assert!(
        waited >= timeout,
        "wait_timeout({timeout:?}) returned false after only {waited:?}: keep waiting until \
         the deadline (a Condvar may wake early, so loop and wait for the time left)"
    );
}

#[rstest]
#[case::one_waiter(1)]
#[case::two_waiters(2)]
#[case::eight_waiters(8)]
fn one_set_releases_every_waiting_thread(#[case] waiters: usize) {
    let event = Arc::new(Event::new());
    let shared = Arc::clone(&event);
    finishes_within(GENEROUS, "waiters released by one set()", move || {
        let handles: Vec<_> = (0..waiters)
            .map(|_| {
                let event = Arc::clone(&shared);
                std::thread::spawn(move || event.wait())
            })
            .collect();
        shared.set();
        for handle in handles {
            handle.join().expect("a waiting thread panicked");
        }
    });
    assert!(
        event.is_set(),
        "the event stays set after releasing its waiters"
    );
}

#[test]
fn wait_timeout_returns_true_when_another_thread_sets_the_event() {
    let event = Arc::new(Event::new());
    let waiter = Arc::clone(&event);
    let up = finishes_within(GENEROUS, "wait_timeout released by set()", move || {
        // Whether the set comes before or during the wait, the answer is the same: true.
        let handle = std::thread::spawn(move || waiter.wait_timeout(Duration::from_secs(3_600)));
        event.set();
        handle.join().expect("the waiting thread panicked")
    });
    assert!(
        up,
        "the event was set during the wait: wait_timeout must return true"
    );
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Set,
    Clear,
    IsSet,
    PollWithZeroTimeout,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            Just(Op::Set),
            Just(Op::Clear),
            Just(Op::IsSet),
            Just(Op::PollWithZeroTimeout)
        ],
        0..60,
    )
}

proptest! {
    /// From one thread, an Event is just a bool: any sequence of set/clear/is_set and
    /// `wait_timeout(0)` (a poll) agrees with a plain `bool`.
    #[test]
    fn from_one_thread_an_event_behaves_like_a_bool(ops in ops()) {
        let event = Event::new();
        let mut model = false;
        for op in ops {
            match op {
                Op::Set => { event.set(); model = true; }
                Op::Clear => { event.clear(); model = false; }
                Op::IsSet => prop_assert_eq!(event.is_set(), model, "is_set() disagrees with the last set/clear"),
                Op::PollWithZeroTimeout => prop_assert_eq!(
                    event.wait_timeout(Duration::ZERO), model,
                    "wait_timeout(0) must report the flag as it is"
                ),
            }
        }
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
/// On the clock the test drives (`support::clock`): the timeout is checked exactly, and no
/// test waits for it.
#[test]
fn wait_timeout_keeps_one_deadline_through_a_spurious_wake_up() {
    let secs = Duration::from_secs;
    let event = Arc::new(Event::new());
    let waiter = Arc::clone(&event);
    let up = support::clock::through_a_spurious_wake_up(
        "wait_timeout(5 s) on an event nobody sets",
        secs(5),
        secs(3),
        move || waiter.wait_timeout(secs(5)),
    );
    assert!(!up, "nobody set the event: wait_timeout must return false");
}

/// Only `set`/`wait` are modelled: loom's `Condvar::wait_timeout` never times out.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::event::Event;

    support::loom_test! {
        /// One thread sets, the main thread waits. Wherever the set lands (before the wait,
        /// while the waiter checks the flag, while it sleeps), the waiter must return. A set
        /// that does not notify, or a waiter that checks the flag and then waits under a new
        /// lock, sleeps forever in some interleaving: loom reports a DEADLOCK.
        fn a_set_from_another_thread_always_wakes_the_waiter() {
            let event = Arc::new(Event::new());
            let setter = {
                let event = Arc::clone(&event);
                thread::spawn(move || event.set())
            };
            event.wait();
            assert!(
                event.is_set(),
                "wait() returned but the flag is down: wait until the flag is up, in a loop"
            );
            setter.join().unwrap();
        }
    }

    support::loom_test! {
        /// Two threads wait, the main thread sets once. Both must wake: with `notify_one`
        /// only one does, and the other sleeps forever (DEADLOCK).
        fn one_set_wakes_every_waiter() {
            let event = Arc::new(Event::new());
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.wait())
                })
                .collect();
            event.set();
            for waiter in waiters {
                waiter.join().unwrap();
            }
        }
    }
}
