//! The course's clock: real time in the learner's program, time the test drives in a test.
//!
//! Exercise files read the time through `crate::time::Instant` and wait with a time limit
//! through `crate::sync` (`Condvar::wait_timeout`, `mpsc::Receiver::recv_timeout`). In a
//! program that is std's clock. A test of a time-dependent contract (a budget shared by
//! several waits, a deadline not restarted per result, a clock started when the call is
//! made, a timed wait that does not trust any wake-up) runs the code under test on a
//! [`TestClock`] instead: time then stands still until the test advances it, and the test
//! sees every timed wait the code starts and until when. The verdict depends on what the
//! code does, never on how fast the machine is, and no test sleeps.
//!
//! The clock belongs to the thread [`TestClock::run`] starts: threads the code under test
//! spawns read the real clock (the exercises wait for time on the calling thread).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::hang_guard::GENEROUS;

thread_local! {
    /// The test clock the running thread reads, if [`TestClock::run`] started it.
    static CURRENT: RefCell<Option<Arc<Clock>>> = const { RefCell::new(None) };
}

/// How often a timed wait on a test clock looks whether the test moved time on. A wake-up
/// by the code itself ends the wait at once; this only bounds how late an advance is seen.
const POLL: Duration = Duration::from_millis(1);

/// A point in time, like std's `Instant`, read from the test clock where one runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

impl Instant {
    /// Now: std's clock, or the test clock of this thread.
    pub fn now() -> Instant {
        Instant(match current() {
            Some(clock) => clock.origin + clock.state().elapsed,
            None => std::time::Instant::now(),
        })
    }

    pub fn elapsed(&self) -> Duration {
        Instant::now().saturating_duration_since(*self)
    }

    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.0.checked_duration_since(earlier.0)
    }

    pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_add(duration).map(Instant)
    }

    pub fn checked_sub(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_sub(duration).map(Instant)
    }
}

impl std::ops::Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, duration: Duration) -> Instant {
        Instant(self.0 + duration)
    }
}

impl std::ops::AddAssign<Duration> for Instant {
    fn add_assign(&mut self, duration: Duration) {
        self.0 += duration;
    }
}

impl std::ops::Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, duration: Duration) -> Instant {
        Instant(self.0 - duration)
    }
}

impl std::ops::Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }
}

/// What the code under test is doing, as a [`Run::next`] saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Blocked in a timed wait that ends, unless woken first, when the clock reads `until`
    /// (time since the clock started).
    WaitsUntil(Duration),
    /// The code under test has returned (or panicked: [`Run::join`] passes that on).
    Returned,
}

/// A clock that stands still until the test moves it (see the module doc).
#[derive(Debug, Clone)]
pub struct TestClock(Arc<Clock>);

#[derive(Debug)]
struct Clock {
    /// Where this clock's time 0 is on std's clock, so its instants are ordinary ones.
    origin: std::time::Instant,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Clone, Copy)]
struct Waiting {
    /// Which of the run's timed waits (they are numbered from 1).
    number: u64,
    /// When it ends on this clock; `None`: never (a timeout too long to add).
    until: Option<Duration>,
    /// Whether it may wake with nothing to show (a `Condvar` may, a channel may not).
    may_wake_spuriously: bool,
}

#[derive(Debug, Default)]
struct State {
    /// Time since the clock started: moved only by [`TestClock::advance`].
    elapsed: Duration,
    /// The timed wait the run is in.
    waiting: Option<Waiting>,
    /// Timed waits started so far (numbers the waits).
    waits: u64,
    /// The last wait the test has acted on (woke, or woke the code for): the run's next
    /// step is a later one.
    seen: u64,
    /// A spurious wake-up the test asked for and the wait has not taken yet.
    wake_spuriously: bool,
    returned: bool,
}

impl Clock {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn current() -> Option<Arc<Clock>> {
    CURRENT.with(|c| c.borrow().clone())
}

impl Default for TestClock {
    fn default() -> Self {
        Self::new()
    }
}

impl TestClock {
    /// A clock at time 0.
    pub fn new() -> Self {
        TestClock(Arc::new(Clock {
            origin: std::time::Instant::now(),
            state: Mutex::default(),
            changed: Condvar::new(),
        }))
    }

    /// Time since the clock started.
    pub fn elapsed(&self) -> Duration {
        self.0.state().elapsed
    }

    /// Moves time on by `by`: a timed wait whose end is reached then times out.
    pub fn advance(&self, by: Duration) {
        self.0.state().elapsed += by;
        self.0.changed.notify_all();
    }

    /// Moves time on to `at` (since the clock started); never backwards.
    pub fn advance_to(&self, at: Duration) {
        let now = self.elapsed();
        assert!(
            at >= now,
            "the test clock cannot go back from {now:?} to {at:?}"
        );
        self.advance(at - now);
    }

    /// Runs `code` on a new thread that reads this clock; the test then follows it with
    /// [`Run::next`] and moves time with [`TestClock::advance`].
    pub fn run<T, F>(&self, code: F) -> Run<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let clock = Arc::clone(&self.0);
        let handle = std::thread::Builder::new()
            .name("under a test clock".into())
            .spawn(move || {
                CURRENT.with(|c| *c.borrow_mut() = Some(Arc::clone(&clock)));
                let outcome = panic::catch_unwind(AssertUnwindSafe(code));
                clock.state().returned = true;
                clock.changed.notify_all();
                outcome
            })
            .expect("spawn the thread under a test clock");
        Run {
            clock: self.clone(),
            handle,
        }
    }
}

/// The code under test, running on a [`TestClock`].
#[derive(Debug)]
pub struct Run<T> {
    clock: TestClock,
    handle: std::thread::JoinHandle<std::thread::Result<T>>,
}

impl<T> Run<T> {
    /// Waits until the code under test is blocked in a timed wait it has not yet finished
    /// (one the clock has not reached and the test has not woken), or has returned.
    /// A hang guard only: code blocked without a time limit fails the test, the message
    /// saying `what_it_does`.
    pub fn next(&self, what_it_does: &str) -> Step {
        self.wait_for_step(
            what_it_does,
            "neither returned nor waited with a time limit",
        )
    }

    /// Does `action` (which should end the timed wait the code is in, e.g. by finishing
    /// what it waits for), then waits for the code's next step after that wait.
    pub fn next_after(&self, what_it_does: &str, action: impl FnOnce()) -> Step {
        {
            let mut state = self.clock.0.state();
            if let Some(waiting) = state.waiting {
                state.seen = waiting.number;
            }
        }
        action();
        self.wait_for_step(
            what_it_does,
            "was not woken by it (a notification that never came?)",
        )
    }

    fn wait_for_step(&self, what_it_does: &str, stuck: &str) -> Step {
        let clock = &self.clock.0;
        let limit = crate::hang_guard::effective(GENEROUS);
        let (state, timeout) = clock
            .changed
            .wait_timeout_while(clock.state(), limit, |s| step(s).is_none())
            .unwrap_or_else(|e| e.into_inner());
        if timeout.timed_out() {
            panic!(
                "{what_it_does} {stuck} within {} s of real time (the test clock stood at \
                 {:?}): it is blocked without a time limit, or busy",
                limit.as_secs(),
                state.elapsed
            );
        }
        step(&state).expect("the wait ended on a step")
    }

    /// Ends the timed wait the code is in with a wake-up no notification backs, as std's
    /// `Condvar` may: code that trusts any wake-up then returns too early.
    pub fn wake_spuriously(&self) {
        let mut state = self.clock.0.state();
        let waiting = state
            .waiting
            .expect("wake_spuriously: the run is not in a timed wait");
        assert!(
            waiting.may_wake_spuriously,
            "wake_spuriously: the run waits on a channel, which never wakes without a message"
        );
        state.seen = waiting.number;
        state.wake_spuriously = true;
        drop(state);
        self.clock.0.changed.notify_all();
    }

    /// Wakes the code's timed wait spuriously (see [`Run::wake_spuriously`]) and checks that
    /// it then waits again until the same `deadline`: it neither returns (a wake-up is not
    /// what it waits for) nor starts its whole timeout again.
    #[track_caller] // a failure names the test's line
    pub fn waits_again_after_a_spurious_wake_up(&self, what_it_does: &str, deadline: Duration) {
        let now = self.clock.elapsed();
        self.wake_spuriously();
        match self.next(what_it_does) {
            Step::WaitsUntil(until) => assert_eq!(
                until, deadline,
                "woken spuriously at {now:?}, {what_it_does} waited again until {until:?}: one \
                 deadline for the whole wait ({deadline:?}), not the whole timeout again after \
                 each wake-up"
            ),
            Step::Returned => panic!(
                "{what_it_does} returned after a spurious wake-up at {now:?}, before its \
                 deadline ({deadline:?}): a wake-up is not a finish; look at the state it waits \
                 for, and wait again for what is left of the timeout"
            ),
        }
    }

    /// The code's result, once it returned (a panic in it is passed on).
    pub fn join(self, what_it_does: &str) -> T {
        assert_eq!(
            self.next(what_it_does),
            Step::Returned,
            "{what_it_does} is still waiting"
        );
        match self.handle.join().expect("the run's thread catches panics") {
            Ok(value) => value,
            Err(panic) => panic::resume_unwind(panic),
        }
    }
}

/// The script of a timed wait nothing ends, on a new test clock: `code` must wait until
/// `timeout`; woken spuriously at `woken_at`, it must wait again until `timeout` (see
/// [`Run::waits_again_after_a_spurious_wake_up`]); then the time runs out. Returns what
/// `code` returned.
#[track_caller] // a failure names the test's line
pub fn through_a_spurious_wake_up<T, F>(
    what_it_does: &str,
    timeout: Duration,
    woken_at: Duration,
    code: F,
) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let clock = TestClock::new();
    let run = clock.run(code);
    assert_eq!(
        run.next(what_it_does),
        Step::WaitsUntil(timeout),
        "{what_it_does} must wait until {timeout:?}"
    );
    clock.advance_to(woken_at);
    run.waits_again_after_a_spurious_wake_up(what_it_does, timeout);
    clock.advance_to(timeout);
    run.join(what_it_does)
}

/// The step a run is at, if it is at one (see [`Run::next`]).
fn step(state: &State) -> Option<Step> {
    if state.returned {
        return Some(Step::Returned);
    }
    match state.waiting {
        Some(Waiting { number, until, .. }) if number > state.seen => match until {
            Some(until) if until <= state.elapsed => None, // it is timing out now
            Some(until) => Some(Step::WaitsUntil(until)),
            None => Some(Step::WaitsUntil(Duration::MAX)),
        },
        _ => None,
    }
}

/// How a timed wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Woken (by the code, or spuriously): the caller looks at its state again.
    Woken,
    TimedOut,
}

/// Waits at most `timeout` with `wait`, on the test clock if this thread runs on one.
///
/// `wait(held, limit)` blocks for at most `limit` of std's time and says whether it was
/// woken before that; `held` is what it blocks with (a mutex guard, or nothing) and gets
/// back. On std's clock that is the whole wait; on a test clock the wait is made of short
/// slices until the code is woken, the test wakes it (if `may_wake_spuriously`), or the
/// test moves time past its end.
pub(crate) fn wait_timeout<H>(
    mut held: H,
    timeout: Duration,
    may_wake_spuriously: bool,
    mut wait: impl FnMut(H, Duration) -> (H, Ended),
) -> (H, Ended) {
    let Some(clock) = current() else {
        return wait(held, timeout);
    };
    if timeout.is_zero() {
        return (held, Ended::TimedOut); // a poll, as on std's clock
    }
    let mut state = clock.state();
    let until = state.elapsed.checked_add(timeout);
    state.waits += 1;
    let number = state.waits;
    state.waiting = Some(Waiting {
        number,
        until,
        may_wake_spuriously,
    });
    drop(state);
    clock.changed.notify_all();

    let ended = loop {
        let (again, ended) = wait(held, POLL);
        held = again;
        let mut state = clock.state();
        // Taken either way, so a wake-up the test asked for never reaches a later wait.
        let woken_by_the_test = std::mem::take(&mut state.wake_spuriously);
        if ended == Ended::Woken || woken_by_the_test {
            break Ended::Woken;
        }
        if until.is_some_and(|until| until <= state.elapsed) {
            break Ended::TimedOut;
        }
    };
    clock.state().waiting = None;
    clock.changed.notify_all();
    (held, ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_stands_still_until_the_test_moves_it() {
        let clock = TestClock::new();
        let run = clock.run(|| {
            let start = Instant::now();
            let (_, ended) = wait_timeout((), Duration::from_secs(5), true, |(), limit| {
                std::thread::park_timeout(limit);
                ((), Ended::TimedOut)
            });
            (ended, start.elapsed())
        });
        assert_eq!(
            run.next("the wait"),
            Step::WaitsUntil(Duration::from_secs(5))
        );
        clock.advance(Duration::from_secs(2));
        assert_eq!(
            run.next("the wait"),
            Step::WaitsUntil(Duration::from_secs(5))
        );
        clock.advance(Duration::from_secs(3));
        assert_eq!(
            run.join("the wait"),
            (Ended::TimedOut, Duration::from_secs(5))
        );
    }

    #[test]
    fn a_spurious_wake_up_ends_only_the_wait_it_was_given_to() {
        let clock = TestClock::new();
        let run = clock.run(|| {
            let first = wait_timeout((), Duration::from_secs(1), true, |(), limit| {
                std::thread::park_timeout(limit);
                ((), Ended::TimedOut)
            });
            first.1
        });
        assert_eq!(
            run.next("the wait"),
            Step::WaitsUntil(Duration::from_secs(1))
        );
        run.wake_spuriously();
        assert_eq!(run.join("the wait"), Ended::Woken);
        assert_eq!(clock.elapsed(), Duration::ZERO);
    }

    #[test]
    fn without_a_test_clock_instants_are_std_time() {
        let before = std::time::Instant::now();
        let now = Instant::now();
        assert!(now.0 >= before);
    }
}
