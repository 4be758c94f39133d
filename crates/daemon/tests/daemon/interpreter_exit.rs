//! Exercise `interpreter_exit`: shutdown waits for non-daemon threads, never for daemons.
//!
//! Daemon threads in these tests block on a channel the test holds, so "still running at
//! shutdown" is certain, not a matter of timing; the test releases them afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use daemon::interpreter_exit::{Runtime, ShutdownReport};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn shutdown_with_no_threads_returns_at_once() {
    let report = finishes_within(GENEROUS, "shutdown of an empty runtime", || {
        Runtime::new().shutdown()
    });
    assert_eq!(
        report,
        ShutdownReport {
            joined: 0,
            abandoned: 0
        },
        "no thread was started"
    );
}

#[rstest]
#[case::one_thread(1)]
#[case::four_threads(4)]
#[case::sixteen_threads(16)]
fn the_work_of_every_non_daemon_thread_is_done_when_shutdown_returns(#[case] threads: usize) {
    let done = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&done);
    let report = finishes_within(GENEROUS, "shutdown after non-daemon threads", move || {
        let runtime = Runtime::new();
        for _ in 0..threads {
            let done = Arc::clone(&counted);
            runtime.spawn(move || {
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        runtime.shutdown()
    });
    assert_eq!(
        done.load(Ordering::SeqCst),
        threads,
        "shutdown returned before every non-daemon thread had finished its work"
    );
    assert_eq!(
        report,
        ShutdownReport {
            joined: threads,
            abandoned: 0
        },
        "{threads} non-daemon threads finished and no daemon was started"
    );
}

#[rstest]
#[case::one_daemon(1)]
#[case::three_daemons(3)]
fn shutdown_abandons_daemon_threads_that_are_still_running(#[case] daemons: usize) {
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Arc::new(std::sync::Mutex::new(release_rx));
    let report = finishes_within(
        GENEROUS,
        "shutdown with blocked daemon threads",
        move || {
            let runtime = Runtime::new();
            for _ in 0..daemons {
                let release = Arc::clone(&release_rx);
                // Blocks until the test drops its sender: certainly running at shutdown.
                runtime.spawn_daemon(move || {
                    let _ = release.lock().unwrap().recv();
                });
            }
            runtime.spawn(|| {});
            runtime.shutdown()
        },
    );
    drop(release_tx);
    assert_eq!(
        report,
        ShutdownReport {
            joined: 1,
            abandoned: daemons
        },
        "shutdown must not wait for daemon threads: it waits for the one non-daemon thread \
         and reports the {daemons} blocked daemon thread(s) as abandoned"
    );
}

#[test]
fn a_panicking_non_daemon_thread_still_counts_as_finished() {
    let report = finishes_within(GENEROUS, "shutdown after a panicking thread", || {
        let runtime = Runtime::new();
        runtime.spawn(|| panic!("this panic is part of the test: the thread must still count"));
        runtime.spawn(|| {});
        runtime.shutdown()
    });
    assert_eq!(
        report.joined, 2,
        "a thread whose body panicked has finished too: update the counts in a Drop guard so \
         a panic cannot skip them"
    );
}

#[test]
fn threads_started_by_non_daemon_threads_are_waited_for_too() {
    let (depth_tx, depth_rx) = mpsc::channel();
    let report = finishes_within(GENEROUS, "shutdown after a chain of threads", move || {
        let runtime = Runtime::new();
        spawn_chain(&runtime, 5, depth_tx);
        runtime.shutdown()
    });
    let depths: Vec<usize> = depth_rx.try_iter().collect();
    assert_eq!(
        depths,
        [5, 4, 3, 2, 1],
        "each thread of the chain starts the next before it ends, so shutdown must have \
         waited for all five"
    );
    assert_eq!(report.joined, 5, "five non-daemon threads finished");
}

/// A non-daemon thread that reports `depth` and starts the next one, `depth` times.
fn spawn_chain(runtime: &Runtime, depth: usize, report: mpsc::Sender<usize>) {
    if depth == 0 {
        return;
    }
    let next = runtime.clone();
    runtime.spawn(move || {
        report.send(depth).unwrap();
        spawn_chain(&next, depth - 1, report);
    });
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::atomic::{AtomicBool, Ordering};
    use crate::sync::{Arc, mpsc};
    use crate::thread;
    use crate::under_loom::interpreter_exit::Runtime;

    support::loom_test! {
        /// Two non-daemon threads; shutdown must return only after both ran. Waiting with
        /// `if` instead of `while` returns after the first one finishes; counting a thread
        /// inside the new thread lets shutdown see zero before it started.
        fn shutdown_waits_for_every_non_daemon_thread() {
            let runtime = Runtime::new();
            let ran: Vec<Arc<AtomicBool>> = (0..2).map(|_| Arc::new(AtomicBool::new(false))).collect();
            for flag in &ran {
                let flag = Arc::clone(flag);
                runtime.spawn(move || flag.store(true, Ordering::SeqCst));
            }
            let report = runtime.shutdown();
            let finished = ran.iter().filter(|f| f.load(Ordering::SeqCst)).count();
            assert_eq!(
                finished, 2,
                "shutdown returned while a non-daemon thread had not run yet ({finished} of 2 \
                 done): wait in a `while` loop until no non-daemon thread is running"
            );
            assert_eq!(report.joined, 2, "the report must count both non-daemon threads");
        }
    }

    support::loom_test! {
        /// A daemon thread blocks until the main thread sends, which it does only after
        /// shutdown returned. A shutdown that waits for daemons never returns: DEADLOCK.
        fn shutdown_does_not_wait_for_daemon_threads() {
            let runtime = Runtime::new();
            let (release_tx, release_rx) = mpsc::channel::<()>();
            runtime.spawn_daemon(move || {
                let _ = release_rx.recv();
            });
            let report = runtime.shutdown();
            assert_eq!(
                report.abandoned, 1,
                "the daemon thread is still blocked, so shutdown left it running"
            );
            release_tx.send(()).unwrap();
        }
    }

    support::loom_test! {
        /// A non-daemon thread starts another non-daemon thread through a clone of the
        /// runtime, racing shutdown. The second one must be waited for too: it is counted
        /// by `spawn`, while its parent is still counted as running.
        fn a_thread_started_by_a_non_daemon_thread_is_waited_for() {
            let runtime = Runtime::new();
            let child_ran = Arc::new(AtomicBool::new(false));
            let (parent_runtime, flag) = (runtime.clone(), Arc::clone(&child_ran));
            runtime.spawn(move || {
                parent_runtime.spawn(move || flag.store(true, Ordering::SeqCst));
            });
            runtime.shutdown();
            assert!(
                child_ran.load(Ordering::SeqCst),
                "shutdown returned before the thread started by a non-daemon thread had run"
            );
        }
    }

    support::loom_test! {
        /// Two threads call shutdown while one non-daemon thread runs. Its end is the one
        /// event both wait for, so it must wake them both: waking one waiter only
        /// (`notify_one`) leaves the other asleep for ever: DEADLOCK.
        fn one_finishing_thread_wakes_every_thread_in_shutdown() {
            let runtime = Runtime::new();
            runtime.spawn(|| {});
            let other = runtime.clone();
            let second = thread::spawn(move || other.shutdown());
            let first = runtime.shutdown();
            let second = second.join().unwrap();
            assert_eq!(
                (first.joined, second.joined),
                (1, 1),
                "both calls of shutdown must report the one non-daemon thread as joined"
            );
        }
    }
}
