//! Exercise `semaphore`: never more than N holders; permits come back; over-release is refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lock::semaphore::{BoundedSemaphore, Semaphore, SemaphoreError};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[rstest]
#[case::mutex_like(1)]
#[case::three(3)]
fn try_acquire_hands_out_exactly_n_permits(#[case] n: usize) {
    let sem = Semaphore::new(n);
    let permits: Vec<_> = (0..n).map(|_| sem.try_acquire()).collect();
    assert!(
        permits.iter().all(Option::is_some),
        "{n} permits must be available"
    );
    assert!(
        sem.try_acquire().is_none(),
        "permit {} must be refused",
        n + 1
    );
    assert_eq!(sem.available_permits(), 0, "all {n} permits are out");
    drop(permits);
    assert_eq!(
        sem.available_permits(),
        n,
        "dropping the permits must give them back"
    );
}

#[test]
fn release_adds_a_permit_like_python() {
    let sem = Semaphore::new(0);
    sem.release();
    assert!(
        sem.try_acquire().is_some(),
        "release() on a Semaphore adds a permit"
    );
}

#[rstest]
#[case::two_of_eight(2, 8)]
#[case::three_of_six(3, 6)]
fn never_more_than_n_threads_hold_a_permit(#[case] n: usize, #[case] threads: usize) {
    let sem = Arc::new(Semaphore::new(n));
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (sem2, inside2, most2) = (Arc::clone(&sem), Arc::clone(&inside), Arc::clone(&most));
    finishes_within(GENEROUS, "threads sharing a semaphore", move || {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (sem, inside, most) =
                    (Arc::clone(&sem2), Arc::clone(&inside2), Arc::clone(&most2));
                std::thread::spawn(move || {
                    for _ in 0..500 {
                        let _permit = sem.acquire();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .for_each(|h| h.join().expect("a thread panicked"));
    });
    assert!(
        most.load(Ordering::SeqCst) <= n,
        "more than {n} threads held a permit at once"
    );
    assert_eq!(
        sem.available_permits(),
        n,
        "every permit must be back at the end"
    );
}

#[test]
fn a_bounded_semaphore_refuses_over_release() {
    let sem = BoundedSemaphore::new(2);
    assert_eq!(
        sem.release(),
        Err(SemaphoreError::OverReleased { limit: 2 }),
        "releasing a full BoundedSemaphore must be refused (Python raises ValueError)"
    );
    sem.acquire();
    assert_eq!(sem.available_permits(), 1, "one permit taken");
    assert_eq!(sem.release(), Ok(()), "giving back a taken permit is fine");
    assert_eq!(
        sem.available_permits(),
        2,
        "and the count is back at the limit"
    );
}

mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::semaphore::{BoundedSemaphore, Semaphore};

    fn hold_a_permit(sem: &Semaphore, inside: &AtomicUsize) {
        let _permit = sem.acquire();
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(
            now <= 1,
            "{now} threads held the only permit of a Semaphore(1)"
        );
        inside.fetch_sub(1, Ordering::SeqCst);
    }

    support::loom_test! {
        /// Semaphore(1) shared by two threads: never both inside, and the waiter is always
        /// woken when the permit comes back (no missed wake-up).
        fn one_permit_is_mutual_exclusion() {
            let sem = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let (sem2, inside2) = (Arc::clone(&sem), Arc::clone(&inside));
            let handle = thread::spawn(move || hold_a_permit(&sem2, &inside2));
            hold_a_permit(&sem, &inside);
            handle.join().unwrap();
            assert_eq!(sem.available_permits(), 1, "the permit must be back");
        }
    }

    support::loom_test! {
        /// Semaphore(2) with one permit held by the main thread: two threads race
        /// `try_acquire` for the last one and keep it. Exactly one may win; two winners
        /// means three holders. (Blocking `acquire` with three threads explores 1.5 million
        /// interleavings; `one_permit_is_mutual_exclusion` covers the waiting side.)
        fn two_threads_racing_for_the_last_permit_exactly_one_wins() {
            let sem = Arc::new(Semaphore::new(2));
            let held = sem.acquire();
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let sem = Arc::clone(&sem);
                    // Forget the permit: it stays taken, so a late racer cannot reuse it.
                    thread::spawn(move || sem.try_acquire().map(std::mem::forget).is_some())
                })
                .collect();
            let winners = racers.into_iter().map(|h| h.join().unwrap()).filter(|&won| won).count();
            assert_eq!(
                winners, 1,
                "Semaphore(2) with one permit out: {winners} threads got the last permit. \
                 Check for a free permit and take it under the same lock."
            );
            assert_eq!(sem.available_permits(), 0, "both permits must be out");
            drop(held);
        }
    }

    support::loom_test! {
        /// Two racing releases of a BoundedSemaphore(1) with one permit out: exactly one
        /// succeeds. A check and an increment under separate locks lets both pass.
        fn racing_releases_of_a_bounded_semaphore_exactly_one_wins() {
            let sem = Arc::new(BoundedSemaphore::new(1));
            sem.acquire();
            let other = Arc::clone(&sem);
            let handle = thread::spawn(move || other.release().is_ok());
            let mine = sem.release().is_ok();
            let theirs = handle.join().unwrap();
            assert!(
                mine ^ theirs,
                "one permit was out but {} releases succeeded: check the limit and increment \
                 under the same lock",
                usize::from(mine) + usize::from(theirs)
            );
            assert_eq!(sem.available_permits(), 1, "the count went above its limit");
        }
    }
}
