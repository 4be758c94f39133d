//! Exercise `progress_report`: "n of m done" lines from done-callbacks.

use ::as_completed::futures::{Future, Promise};
use ::as_completed::progress_report::Progress;
use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Promises still to keep (`None` once kept).
type Promises = Vec<Option<Promise<u8>>>;
/// `(label, future)` pairs, as `Progress::track` takes them.
type Jobs = Vec<(String, Future<u8>)>;

/// `n` pending jobs labelled `job-0`, `job-1`, ... and their promises.
fn jobs(n: usize) -> (Promises, Jobs) {
    (0..n)
        .map(|i| {
            let (promise, future) = Promise::new();
            (Some(promise), (format!("job-{i}"), future))
        })
        .unzip()
}

fn finish(promises: &mut [Option<Promise<u8>>], i: usize) {
    let promise = promises[i].take().expect("each job is finished once");
    assert!(promise.set_result(1));
}

/// Runs a test body under the hang guard: callbacks run your code on the test's thread, so
/// a self-deadlock there fails the test with a message instead of freezing `cargo test`.
fn guarded<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    finishes_within(
        GENEROUS,
        "Progress (track, the callbacks, done, wait)",
        body,
    )
}

#[test]
fn lines_are_numbered_in_finishing_order() {
    let lines = guarded(|| {
        let (mut promises, jobs) = jobs(3);
        let progress = Progress::track(&jobs);
        for i in [2, 0, 1] {
            finish(&mut promises, i);
        }
        progress.wait()
    });
    assert_eq!(
        lines,
        [
            "1 of 3 done: job-2",
            "2 of 3 done: job-0",
            "3 of 3 done: job-1"
        ],
        "jobs finished in the order 2, 0, 1: one line each, numbered as they finish"
    );
}

#[test]
fn jobs_already_done_are_counted_at_once() {
    let lines = guarded(|| {
        let (mut promises, jobs) = jobs(3);
        finish(&mut promises, 1);
        finish(&mut promises, 2);
        let progress = Progress::track(&jobs);
        assert_eq!(
            progress.done(),
            2,
            "two jobs were done before track(): their callbacks run at registration"
        );
        finish(&mut promises, 0);
        progress.wait()
    });
    assert_eq!(
        lines,
        [
            "1 of 3 done: job-1",
            "2 of 3 done: job-2",
            "3 of 3 done: job-0"
        ],
        "jobs 1 and 2 were done before track() (counted in input order), then 0 finished"
    );
}

#[test]
fn a_failed_job_shows_its_error() {
    let lines = guarded(|| {
        let (failing, future) = Promise::<u8>::new();
        let progress = Progress::track(&[("photo-7.jpg".to_string(), future)]);
        failing.set_error("404");
        progress.wait()
    });
    assert_eq!(
        lines,
        ["1 of 1 done: photo-7.jpg (the task failed: 404)"],
        "a job that finished with an error gets ` (<error>)` after its label"
    );
}

#[test]
fn done_counts_the_jobs_finished_so_far() {
    guarded(|| {
        let (mut promises, jobs) = jobs(3);
        let progress = Progress::track(&jobs);
        assert_eq!(progress.done(), 0, "nothing finished yet");
        finish(&mut promises, 1);
        assert_eq!(progress.done(), 1, "one job finished");
        assert!(jobs[2].1.cancel(), "a pending job can be cancelled");
        assert_eq!(progress.done(), 2, "a cancelled job is done too");
        drop(promises);
    });
}

#[test]
fn no_jobs_means_wait_returns_at_once() {
    let lines = guarded(|| Progress::track::<u8>(&[]).wait());
    assert_eq!(
        lines,
        Vec::<String>::new(),
        "0 of 0 jobs are all done: wait() must not block"
    );
}

#[test]
fn jobs_finished_by_many_threads_get_one_line_each_in_number_order() {
    const N: usize = 8;
    let lines = guarded(|| {
        let (promises, jobs) = jobs(N);
        let progress = Progress::track(&jobs);
        let finishers: Vec<_> = promises
            .into_iter()
            .map(|promise| std::thread::spawn(move || promise.unwrap().set_result(1)))
            .collect();
        let lines = progress.wait();
        for finisher in finishers {
            finisher.join().unwrap();
        }
        lines
    });
    let numbers: Vec<String> = lines
        .iter()
        .map(|l| l.split(" done").next().unwrap_or_default().to_string())
        .collect();
    let expected: Vec<String> = (1..=N).map(|n| format!("{n} of {N}")).collect();
    assert_eq!(
        numbers, expected,
        "lines must be numbered 1..={N} in the order they were written: count and write \
         under one lock. Lines: {lines:?}"
    );
    let mut labels: Vec<&str> = lines.iter().filter_map(|l| l.split(": ").nth(1)).collect();
    labels.sort_unstable();
    let mut all: Vec<String> = (0..N).map(|i| format!("job-{i}")).collect();
    all.sort_unstable();
    assert_eq!(labels, all, "every job must appear exactly once");
}

proptest! {
    /// Some jobs done before `track` (counted in input order), the rest finished in a
    /// random order afterwards: the lines follow exactly that order, numbered 1..=n.
    #[test]
    fn lines_follow_any_finishing_order(
        (done_before, finish_order) in (0usize..7).prop_flat_map(|n| (
            proptest::collection::vec(any::<bool>(), n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        ))
    ) {
        let n = done_before.len();
        let before: Vec<usize> = (0..n).filter(|&i| done_before[i]).collect();
        let after: Vec<usize> = finish_order.into_iter().filter(|&i| !done_before[i]).collect();
        let expected: Vec<String> = before
            .iter()
            .chain(&after)
            .enumerate()
            .map(|(k, i)| format!("{} of {n} done: job-{i}", k + 1))
            .collect();
        let lines = guarded(move || {
            let (mut promises, jobs) = jobs(n);
            for &i in &before {
                finish(&mut promises, i);
            }
            let progress = Progress::track(&jobs);
            for &i in &after {
                finish(&mut promises, i);
            }
            progress.wait()
        });
        prop_assert_eq!(lines, expected);
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::futures::Promise;
    use crate::thread;
    use crate::under_loom::progress_report::Progress;

    support::loom_test! {
        /// Two jobs finish at the same time, one on another thread and one on this thread,
        /// so their callbacks race each other (and the other one races `track`). Line 1
        /// must be written before line 2, and `wait` must wake for the last one.
        fn lines_from_two_finishing_threads_are_numbered_in_order() {
            let (first, a) = Promise::<u8>::new();
            let (second, b) = Promise::<u8>::new();
            let finisher = thread::spawn(move || {
                first.set_result(1);
            });
            let progress = Progress::track(&[("a".to_string(), a), ("b".to_string(), b)]);
            second.set_result(2);
            let lines = progress.wait();
            finisher.join().unwrap();
            assert_eq!(
                lines.len(),
                2,
                "wait() returned {lines:?}, before both jobs were done: a wake-up only says \
                 \"look again\", so re-check the count after every one (`while`, not `if`)"
            );
            let numbered_in_order = lines.len() == 2
                && lines[0].starts_with("1 of 2 done: ")
                && lines[1].starts_with("2 of 2 done: ");
            assert!(
                numbered_in_order,
                "lines {lines:?}: two callbacks took their numbers and wrote their lines in \
                 different orders. Count and push the line under the same lock."
            );
            let mut labels: Vec<&str> = lines.iter().map(|l| &l[13..]).collect();
            labels.sort_unstable();
            assert_eq!(labels, ["a", "b"], "each job must have exactly one line");
        }
    }

    support::loom_test! {
        /// Two threads wait for one job while a third finishes it. Both must return: they
        /// wait for the same thing, so `notify_one` leaves one asleep forever (DEADLOCK).
        fn every_waiter_returns_when_the_last_job_is_done() {
            // Spurious wake-ups off: they multiply this model's interleavings (7x) and add
            // nothing to what it checks; `lines_from_two_finishing_threads_are_numbered_in_order` catches an
            // `if`.
            support::model::without_spurious_wakeups();
            let (job, future) = Promise::<u8>::new();
            let progress = Progress::track(&[("a".to_string(), future)]);
            let other = {
                let progress = crate::sync::Arc::clone(&progress);
                thread::spawn(move || progress.wait())
            };
            let finisher = thread::spawn(move || job.set_result(1));
            let mine = progress.wait();
            let theirs = other.join().unwrap();
            finisher.join().unwrap();
            assert_eq!(
                (mine.len(), theirs.len()),
                (1, 1),
                "both waiters must get the one line ({mine:?} and {theirs:?})"
            );
        }
    }
}
