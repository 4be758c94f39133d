//! The loom flavour's `sync::Barrier`: loom 0.7's own is a stub that panics when used.
//!
//! Same API as std's (`new`, `wait`, `BarrierWaitResult::is_leader`), reusable across
//! generations. How: every arrival takes a number from one loom `AtomicUsize`
//! (`fetch_add`, `AcqRel`: the `n`th arrival of a generation reads every earlier arrival's
//! release, so it sees everything they did before `wait`). Arrival `k` belongs to
//! generation `k / n`; the one with `k % n == n - 1` is the leader. Every other arrival
//! leaves a loom channel's sender for its generation and sleeps in `recv`; the leader sends
//! on each, which releases them (and orders the leader's and so every arrival's earlier
//! steps before theirs).
//!
//! Why not a count under a `Mutex` with a `Condvar`: that costs two lock acquisitions and
//! a wake-up per `wait`, each a loom branch point; two threads meeting twice then explored
//! 73,664 interleavings instead of a few thousand. The waiting list is a std lock on
//! purpose, like `loom_mpsc`'s counts: loom runs one thread at a time between its own
//! operations, and a waiter's sender is listed in the same step as its arrival (no loom
//! operation in between), so the leader always finds every waiter of its generation.
//!
//! The timeline records the arrival (`Arrive`, at the learner's `wait()` line), the sleep
//! (`AtBarrier`) and the release (`PassedBarrier`), not the channel underneath.

use std::fmt;
use std::panic::Location;
use std::sync::Mutex;

use loom::sync::atomic::{AtomicUsize, Ordering};

use crate::trace;

type Wake = loom::sync::mpsc::Sender<()>;

/// Makes `n` threads wait until all `n` have called [`Barrier::wait`], like std's.
pub struct Barrier {
    arrivals: AtomicUsize,
    /// Senders of the threads asleep in `wait`, with their generation.
    waiting: Mutex<Vec<(usize, Wake)>>,
    n: usize,
}

/// What [`Barrier::wait`] returns: exactly one thread per generation is the leader.
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Whether this thread was the one that completed the generation (the last to arrive).
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl fmt::Debug for BarrierWaitResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWaitResult")
            .field("is_leader", &self.0)
            .finish()
    }
}

impl Barrier {
    /// A barrier for `n` threads (`0` and `1` never block, as in std).
    pub fn new(n: usize) -> Self {
        Self {
            arrivals: AtomicUsize::new(0),
            waiting: Mutex::new(Vec::new()),
            n: n.max(1),
        }
    }

    fn object(&self) -> usize {
        (self as *const Self).cast::<()>() as usize
    }

    /// Blocks until `n` threads have called `wait` in this generation, then lets all of
    /// them go; the last to arrive is the leader.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let at = Location::caller();
        // Made before the arrival, so listing it below adds no loom step in between.
        let (wake, woken) = loom::sync::mpsc::channel();
        let arrival = self.arrivals.fetch_add(1, Ordering::AcqRel);
        let nth = (arrival % self.n + 1) as u64;
        trace::record(trace::Op::Arrive(nth), self.object(), at);
        let generation = arrival / self.n;
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if arrival % self.n == self.n - 1 {
            let (mine, later): (Vec<_>, Vec<_>) =
                waiting.drain(..).partition(|(g, _)| *g == generation);
            *waiting = later;
            drop(waiting);
            for (_, wake) in mine {
                wake.send(()).expect("a waiter sleeps in recv");
            }
            return BarrierWaitResult(true);
        }
        waiting.push((generation, wake));
        drop(waiting);
        trace::record(trace::Op::AtBarrier, self.object(), at);
        woken.recv().expect("the leader wakes every waiter");
        trace::record(trace::Op::PassedBarrier, self.object(), at);
        BarrierWaitResult(false)
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Barrier { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn nobody_passes_before_all_arrive_and_one_leads_each_generation() {
        loom::model(|| {
            let barrier = Arc::new(Barrier::new(2));
            let arrived = Arc::new(AtomicUsize::new(0));
            let (b, a) = (Arc::clone(&barrier), Arc::clone(&arrived));
            let worker = loom::thread::spawn(move || {
                let mut leaders = 0;
                for round in 1..=2 {
                    a.fetch_add(1, Ordering::SeqCst);
                    leaders += usize::from(b.wait().is_leader());
                    assert!(a.load(Ordering::SeqCst) >= 2 * round);
                }
                leaders
            });
            let mut leaders = 0;
            for round in 1..=2 {
                arrived.fetch_add(1, Ordering::SeqCst);
                leaders += usize::from(barrier.wait().is_leader());
                assert!(arrived.load(Ordering::SeqCst) >= 2 * round);
            }
            assert_eq!(
                leaders + worker.join().unwrap(),
                2,
                "one leader per generation"
            );
        });
    }

    #[test]
    fn a_barrier_of_one_never_blocks() {
        loom::model(|| {
            let barrier = Barrier::new(1);
            assert!(barrier.wait().is_leader());
            assert!(barrier.wait().is_leader());
        });
    }
}
