//! Exercise `heartbeat`: beats until stopped, and stops at once when the stop event is set.
//!
//! No test sleeps. Beats are reported on a channel; the test sets the stop event after
//! receiving the beats it wants. "At once" is tested with a one-hour interval: the first
//! beat comes at once, the stop request comes during the interval after it, and only a
//! worker woken by the event (not by the end of the interval) ends before the hang guard.

use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use daemon::event::Event;
use daemon::heartbeat::spawn_heartbeat;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Far longer than the hang guard: a heartbeat that waits out its interval fails the test.
const ONE_HOUR: Duration = Duration::from_secs(3_600);
/// Short enough that beats come quickly; the test never relies on their timing.
const ONE_MS: Duration = Duration::from_millis(1);

/// Joins the heartbeat; if it panicked, fails the test with the heartbeat's own message.
fn beats_of(handle: JoinHandle<u64>) -> u64 {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[rstest]
#[case::one_beat(1)]
#[case::three_beats(3)]
#[case::ten_beats(10)]
fn beats_are_numbered_from_one_until_stop_is_set(#[case] wanted: u64) {
    let (returned, received) = finishes_within(GENEROUS, "the heartbeat", move || {
        let stop = Arc::new(Event::new());
        let (beats_tx, beats_rx) = mpsc::channel();
        let handle = spawn_heartbeat(Arc::clone(&stop), ONE_MS, move |n| {
            // The test may have stopped listening; that is fine.
            let _ = beats_tx.send(n);
        });
        let first: Vec<u64> = (1..=wanted)
            .map(|n| {
                support::hang_guard::awaiting(format!("beat {n} (1 ms apart)"));
                beats_rx
                    .recv()
                    .expect("the heartbeat thread ended before it was stopped")
            })
            .collect();
        stop.set();
        support::hang_guard::awaiting("the heartbeat thread to end after stop was set");
        let returned = beats_of(handle);
        // The thread is gone, so its sender is too: this collects every later beat and ends.
        let later: Vec<u64> = beats_rx.iter().collect();
        (returned, [first, later].concat())
    });
    let expected: Vec<u64> = (1..=returned).collect();
    assert_eq!(
        received, expected,
        "beats must be numbered 1, 2, 3, ... and the thread must return how many it made"
    );
    assert!(
        returned >= wanted,
        "the test received {wanted} beats, but the thread says it made {returned}"
    );
}

#[test]
fn setting_stop_during_a_one_hour_interval_ends_the_heartbeat_at_once() {
    let beats = finishes_within(
        GENEROUS,
        "stopping a heartbeat with a 1-hour interval",
        || {
            let stop = Arc::new(Event::new());
            let (beats_tx, beats_rx) = mpsc::channel();
            let handle = spawn_heartbeat(Arc::clone(&stop), ONE_HOUR, move |n| {
                let _ = beats_tx.send(n);
            });
            // The first beat comes at once. After it the heartbeat waits out its interval, or
            // (rightly) waits on the event; either way, stop lands during that interval.
            support::hang_guard::awaiting("the first beat, due at once");
            let first = beats_rx
                .recv()
                .expect("the heartbeat ended before its first beat");
            assert_eq!(first, 1, "the first beat is beat 1, and it comes at once");
            stop.set();
            support::hang_guard::awaiting(
                "the heartbeat to end once stop was set, during its 1-hour interval",
            );
            beats_of(handle)
        },
    );
    assert_eq!(
        beats, 1,
        "one beat, then stopped during the one-hour interval"
    );
}

#[test]
fn a_heartbeat_stopped_before_it_starts_never_beats() {
    let beats = finishes_within(GENEROUS, "a heartbeat stopped in advance", || {
        let stop = Arc::new(Event::new());
        stop.set();
        beats_of(spawn_heartbeat(stop, ONE_MS, |n| {
            panic!(
                "beat {n} came although stop was set before the heartbeat started: check \
                 the event before the first beat"
            )
        }))
    });
    assert_eq!(beats, 0, "no beat when stopped in advance");
}
