//! Exercise `rlock`: a reentrant lock; the owner re-enters, others wait, non-owners cannot release.

use std::sync::Arc;
use std::sync::mpsc;

use lock::rlock::{RLock, RLockError};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[rstest]
#[case::once(1)]
#[case::three_deep(3)]
fn the_owner_reenters_and_needs_as_many_releases(#[case] depth: usize) {
    // Everything on one thread (the guard's): the owner must be the releasing thread.
    let held_after_each_release =
        finishes_within(GENEROUS, "re-acquiring a held RLock", move || {
            let lock = RLock::new();
            (0..depth).for_each(|_| lock.acquire());
            (0..depth)
                .map(|_| (lock.release(), lock.held_by_current_thread()))
                .collect::<Vec<_>>()
        });
    let expected: Vec<_> = (0..depth).rev().map(|left| (Ok(()), left > 0)).collect();
    assert_eq!(
        held_after_each_release, expected,
        "after {depth} acquires, each release must succeed and only the last one frees the lock"
    );
}

#[test]
fn the_owner_reenters_through_try_acquire() {
    let (reentered, releases) = finishes_within(GENEROUS, "try_acquire by the owner", || {
        let lock = RLock::new();
        lock.acquire();
        let reentered = lock.try_acquire();
        let releases: Vec<_> = (0..3).map(|_| lock.release()).collect();
        (reentered, releases)
    });
    assert!(
        reentered,
        "try_acquire by the thread that holds the lock must succeed (it re-enters, like acquire)"
    );
    assert_eq!(
        releases,
        [Ok(()), Ok(()), Err(RLockError::NotOwner)],
        "acquire + try_acquire are two levels: two releases succeed, the third is refused"
    );
}

#[test]
fn releasing_a_free_lock_is_an_error() {
    assert_eq!(
        RLock::new().release(),
        Err(RLockError::NotOwner),
        "nobody holds it"
    );
}

#[test]
fn another_thread_can_neither_release_nor_try_acquire_a_held_lock() {
    let lock = Arc::new(RLock::new());
    lock.acquire();
    let other = Arc::clone(&lock);
    let (release, try_acquire) = finishes_within(GENEROUS, "a non-owner's release", move || {
        std::thread::spawn(move || (other.release(), other.try_acquire()))
            .join()
            .expect("the other thread panicked")
    });
    assert_eq!(
        release,
        Err(RLockError::NotOwner),
        "only the owner may release"
    );
    assert!(
        !try_acquire,
        "try_acquire must fail while another thread holds the lock"
    );
    assert!(
        lock.held_by_current_thread(),
        "a refused release must not free the lock"
    );
}

#[test]
fn a_waiter_gets_the_lock_once_the_owner_fully_releases() {
    let lock = Arc::new(RLock::new());
    lock.acquire();
    lock.acquire();
    let other = Arc::clone(&lock);
    let (started_tx, started_rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        started_tx.send(()).unwrap();
        let _guard = other.lock();
        other.held_by_current_thread()
    });
    started_rx.recv().unwrap();
    lock.release().unwrap();
    lock.release().unwrap();
    let got_it = finishes_within(GENEROUS, "a waiter after the owner released", move || {
        waiter.join().expect("the waiting thread panicked")
    });
    assert!(
        got_it,
        "the waiter must own the lock after the owner released both times"
    );
}

#[test]
fn the_guard_releases_on_drop() {
    let lock = RLock::new();
    {
        let _outer = lock.lock();
        let _inner = lock.lock();
        assert!(lock.held_by_current_thread(), "held inside the guards");
    }
    assert!(
        !lock.held_by_current_thread(),
        "dropping both guards must free the lock"
    );
    assert_eq!(
        lock.release(),
        Err(RLockError::NotOwner),
        "nothing left to release"
    );
}

mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::rlock::RLock;

    /// Enters the critical section re-entrantly and checks nobody else is inside.
    fn enter_twice(lock: &RLock, inside: &AtomicUsize) {
        lock.acquire();
        lock.acquire();
        let others = inside.fetch_add(1, Ordering::SeqCst);
        assert_eq!(others, 0, "two threads held the RLock at the same time");
        inside.fetch_sub(1, Ordering::SeqCst);
        for _ in 0..2 {
            lock.release().expect(
                "this thread's acquire had returned, yet its release was refused: another thread \
                 owns the lock. acquire must re-check the owner after every wake-up (`while`)",
            );
        }
    }

    support::loom_test! {
        /// Two threads each acquire twice. Never both inside; the waiter is always woken
        /// (a release that frees the lock without notifying leaves it asleep: DEADLOCK).
        fn mutual_exclusion_and_no_missed_wake_up() {
            let lock = Arc::new(RLock::new());
            let inside = Arc::new(AtomicUsize::new(0));
            let (lock2, inside2) = (Arc::clone(&lock), Arc::clone(&inside));
            let handle = thread::spawn(move || enter_twice(&lock2, &inside2));
            enter_twice(&lock, &inside);
            handle.join().unwrap();
        }
    }

    support::loom_test! {
        /// A non-owner's release, racing the owner, is refused and frees nothing.
        fn a_non_owner_release_never_frees_the_lock() {
            let lock = Arc::new(RLock::new());
            let other = Arc::clone(&lock);
            lock.acquire();
            let handle = thread::spawn(move || other.release());
            let refused = handle.join().unwrap();
            assert!(refused.is_err(), "a thread that never acquired released the lock");
            assert!(lock.held_by_current_thread(), "the owner lost the lock to a stranger");
            lock.release().unwrap();
        }
    }
}
