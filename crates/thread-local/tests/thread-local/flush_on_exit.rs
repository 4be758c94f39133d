//! Exercise `flush_on_exit`: no line is lost, not even the ones a thread still buffers when
//! it exits.
//!
//! The std tests read the sink after `join`: on Linux, std's `join` returns only after the
//! thread's thread-local destructors ran (the thread has fully exited), so the verdict does
//! not depend on timing. loom's `join` does not wait for destructors, so the models wait for
//! the lines themselves with `Sink::wait_for_lines`.

use std::sync::Arc;
use std::thread;

use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;
use thread_locals::flush_on_exit::{BATCH, Sink, flush, log, pending};

/// Every line of `thread`, in the order it was logged.
fn lines_of(lines: &[String], thread: usize) -> Vec<String> {
    let prefix = format!("t{thread}-");
    lines
        .iter()
        .filter(|l| l.starts_with(&prefix))
        .cloned()
        .collect()
}

/// Starts one thread per entry; thread `t` logs `t{t}-0`, `t{t}-1`, ... to `sink`, and
/// exits without flushing. Returns once every thread was joined.
fn log_from_threads(sink: &Arc<Sink>, per_thread: &[usize]) {
    let handles: Vec<_> = per_thread
        .iter()
        .enumerate()
        .map(|(t, &count)| {
            let sink = Arc::clone(sink);
            thread::spawn(move || {
                for i in 0..count {
                    log(&sink, format!("t{t}-{i}"));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn the_sink_keeps_batches_in_arrival_order() {
    let sink = Sink::new();
    sink.append(vec!["a".into(), "b".into()]);
    sink.append(vec!["c".into()]);
    assert_eq!(
        sink.lines(),
        ["a", "b", "c"],
        "append must add a batch after the lines already there, in order"
    );
}

#[test]
fn wait_for_lines_returns_once_enough_lines_arrived() {
    let sink = Arc::new(Sink::new());
    let writer = Arc::clone(&sink);
    let lines = finishes_within(GENEROUS, "wait_for_lines(3)", move || {
        let appender = thread::spawn(move || {
            writer.append(vec!["one".into()]);
            writer.append(vec!["two".into(), "three".into()]);
        });
        let lines = sink.wait_for_lines(3);
        appender.join().unwrap();
        lines
    });
    assert_eq!(
        lines,
        ["one", "two", "three"],
        "wait_for_lines(3) must return once three lines arrived, with all of them"
    );
}

#[test]
fn a_full_batch_reaches_the_sink_while_the_thread_runs() {
    let sink = Arc::new(Sink::new());
    let seen = finishes_within(GENEROUS, "logging one batch", {
        let sink = Arc::clone(&sink);
        move || {
            for i in 0..BATCH {
                log(&sink, format!("t0-{i}"));
            }
            let after_batch = (sink.lines().len(), pending());
            log(&sink, "t0-extra");
            (after_batch, (sink.lines().len(), pending()))
        }
    });
    assert_eq!(
        seen,
        ((BATCH, 0), (BATCH, 1)),
        "after BATCH ({BATCH}) lines the buffer must hand them to the sink and be empty; the \
         next line waits in the buffer (pending() == 1)"
    );
}

#[test]
fn lines_still_buffered_when_a_thread_exits_reach_the_sink() {
    let sink = Arc::new(Sink::new());
    let writer = Arc::clone(&sink);
    let buffered = finishes_within(GENEROUS, "a thread logging two lines", move || {
        thread::spawn(move || {
            log(&writer, "t0-0");
            log(&writer, "t0-1");
            pending()
        })
        .join()
        .unwrap()
    });
    assert_eq!(
        buffered, 2,
        "two lines (fewer than BATCH) must wait in the thread's buffer: pending() == 2"
    );
    assert_eq!(
        sink.lines(),
        ["t0-0", "t0-1"],
        "the thread exited with two lines in its buffer and they were lost: give `Buffer` a \
         `Drop` impl that hands the pending lines to the sink"
    );
}

#[test]
fn a_panicking_thread_still_hands_over_its_lines() {
    let sink = Arc::new(Sink::new());
    let writer = Arc::clone(&sink);
    let outcome = finishes_within(GENEROUS, "a thread that logs and panics", move || {
        thread::spawn(move || {
            log(&writer, "t0-0");
            log(&writer, "t0-1");
            panic!("the request handler failed after logging two lines");
        })
        .join()
    });
    assert!(outcome.is_err(), "the thread panicked on purpose");
    assert_eq!(
        sink.lines(),
        ["t0-0", "t0-1"],
        "a thread that panics still drops its thread-locals: its two buffered lines must reach \
         the sink through `Buffer`'s `Drop`"
    );
}

#[test]
fn flush_hands_pending_lines_over_now() {
    let sink = Arc::new(Sink::new());
    let seen = finishes_within(GENEROUS, "log then flush", {
        let sink = Arc::clone(&sink);
        move || {
            log(&sink, "t0-0");
            flush();
            (sink.lines(), pending())
        }
    });
    assert_eq!(
        seen,
        (vec!["t0-0".to_string()], 0),
        "flush() must hand the pending line to the sink at once and leave the buffer empty"
    );
}

#[test]
fn switching_sinks_hands_pending_lines_to_the_old_sink() {
    let (old, new) = (Arc::new(Sink::new()), Arc::new(Sink::new()));
    let seen = finishes_within(GENEROUS, "logging to two sinks", {
        let (old, new) = (Arc::clone(&old), Arc::clone(&new));
        move || {
            log(&old, "t0-for-old");
            log(&new, "t0-for-new");
            (old.lines(), new.lines(), pending())
        }
    });
    assert_eq!(
        seen,
        (vec!["t0-for-old".to_string()], vec![], 1),
        "logging to another sink must first hand the pending lines to the old sink (they \
         belong there); the new line waits in the buffer for the new sink"
    );
    assert_eq!(
        new.lines(),
        ["t0-for-new"],
        "when the thread exited, its line for the new sink must have arrived there"
    );
}

#[rstest]
#[case::two_short_threads(&[1, 2])]
#[case::exact_batches(&[BATCH, 2 * BATCH, 3 * BATCH])]
#[case::many_lines(&[500, 499, 1, 0, 250, 333, 1000, 7])]
fn no_line_is_lost_and_each_threads_order_is_kept(#[case] per_thread: &'static [usize]) {
    let sink = Arc::new(Sink::new());
    let writer = Arc::clone(&sink);
    finishes_within(GENEROUS, "threads logging", move || {
        log_from_threads(&writer, per_thread)
    });
    let lines = sink.lines();
    assert_eq!(
        lines.len(),
        per_thread.iter().sum::<usize>(),
        "lines were lost (or doubled): every thread's tail must be flushed when it exits"
    );
    for (t, &count) in per_thread.iter().enumerate() {
        let expected: Vec<String> = (0..count).map(|i| format!("t{t}-{i}")).collect();
        assert_eq!(
            lines_of(&lines, t),
            expected,
            "thread {t}'s lines arrived out of order or incomplete"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any number of threads logging any number of lines: all arrive, in per-thread order.
    #[test]
    fn any_mix_of_threads_and_lines_arrives_whole(
        per_thread in prop::collection::vec(0usize..12, 1..5),
    ) {
        let sink = Arc::new(Sink::new());
        let writer = Arc::clone(&sink);
        let counts = per_thread.clone();
        finishes_within(GENEROUS, "threads logging", move || log_from_threads(&writer, &counts));
        let lines = sink.lines();
        for (t, &count) in per_thread.iter().enumerate() {
            let expected: Vec<String> = (0..count).map(|i| format!("t{t}-{i}")).collect();
            prop_assert_eq!(lines_of(&lines, t), expected, "thread {} of {:?}", t, per_thread);
        }
        prop_assert_eq!(lines.len(), per_thread.iter().sum::<usize>(), "lines lost or doubled");
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::flush_on_exit::{BATCH, Sink, log};

    /// Starts a thread that logs `count` lines `t{t}-0..` to `sink` and exits.
    fn logger(sink: &Arc<Sink>, t: usize, count: usize) -> thread::JoinHandle<()> {
        let sink = Arc::clone(sink);
        thread::spawn(move || {
            for i in 0..count {
                log(&sink, format!("t{t}-{i}"));
            }
        })
    }

    fn assert_all_arrived(lines: &[String], per_thread: &[usize]) {
        for (t, &count) in per_thread.iter().enumerate() {
            let mine: Vec<&String> = lines
                .iter()
                .filter(|l| l.starts_with(&format!("t{t}-")))
                .collect();
            let expected: Vec<String> = (0..count).map(|i| format!("t{t}-{i}")).collect();
            assert_eq!(
                mine,
                expected.iter().collect::<Vec<_>>(),
                "thread {t}'s lines in the sink: {mine:?}; expected {expected:?}. \
                 wait_for_lines must return only once every line arrived (wait in a `while` \
                 loop), and each thread's lines must keep their order"
            );
        }
    }

    support::loom_test! {
        /// Two threads exit with lines still in their buffers. Their destructors run while
        /// the main thread waits for the lines: every line must arrive and wake it.
        fn lines_left_in_buffers_reach_the_sink_when_threads_exit() {
            // Spurious wake-ups off: they multiply this model's interleavings past the cost
            // budget; `one_batch_wakes_every_waiting_reader` still catches an `if` around the wait.
            support::model::without_spurious_wakeups();
            let sink = Arc::new(Sink::new());
            let workers = [logger(&sink, 0, 2), logger(&sink, 1, 1)];
            let lines = sink.wait_for_lines(3);
            for worker in workers {
                worker.join().unwrap();
            }
            assert_all_arrived(&lines, &[2, 1]);
        }
    }

    support::loom_test! {
        /// A thread fills a whole batch, then exits with one more line in its buffer: the
        /// main thread, already waiting, must get the batch and then the tail.
        fn a_full_batch_and_the_tail_both_arrive() {
            let sink = Arc::new(Sink::new());
            let worker = logger(&sink, 0, BATCH + 1);
            let lines = sink.wait_for_lines(BATCH + 1);
            worker.join().unwrap();
            assert_all_arrived(&lines, &[BATCH + 1]);
        }
    }

    support::loom_test! {
        /// Two threads wait for the sink's first line; one batch arrives. `append` must
        /// wake every waiter: with `notify_one` the other sleeps forever (DEADLOCK).
        fn one_batch_wakes_every_waiting_reader() {
            let sink = Arc::new(Sink::new());
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let sink = Arc::clone(&sink);
                    thread::spawn(move || sink.wait_for_lines(1).len())
                })
                .collect();
            sink.append(vec!["only line".to_string()]);
            for reader in readers {
                assert_eq!(reader.join().unwrap(), 1, "each reader sees the one line");
            }
        }
    }
}
