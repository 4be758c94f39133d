//! Exercise `worker_pool`: reused threads, one queue, a shutdown that wakes everyone.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};

use pool::worker_pool::{PoolClosed, WorkerPool};
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Occupies the pool's only worker until `release` is dropped or sent to, so the jobs
/// queued after it are certainly still waiting.
fn plug(pool: &WorkerPool) -> mpsc::Sender<()> {
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    pool.execute(move || {
        started_tx.send(()).unwrap();
        let _ = release_rx.recv();
    })
    .expect("a new pool accepts jobs");
    started_rx
        .recv()
        .expect("the plug job must start on the idle worker");
    release_tx
}

#[rstest]
#[case::one_worker_one_job(1, 1)]
#[case::one_worker_many_jobs(1, 50)]
#[case::two_workers(2, 50)]
#[case::more_workers_than_jobs(4, 3)]
fn every_job_runs_exactly_once(#[case] workers: usize, #[case] jobs: usize) {
    let ran = finishes_within(GENEROUS, "a pool running jobs", move || {
        let pool = WorkerPool::new(workers);
        let (tx, rx) = mpsc::channel();
        for id in 0..jobs {
            let tx = tx.clone();
            pool.execute(move || tx.send(id).unwrap())
                .expect("an open pool accepts jobs");
        }
        pool.shutdown(true, false);
        drop(tx);
        rx.iter().collect::<Vec<_>>()
    });
    let mut sorted = ran.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        (0..jobs).collect::<Vec<_>>(),
        "{workers} workers, {jobs} jobs: after shutdown(wait = true) every job must have run \
         exactly once (ran: {ran:?}). A worker must keep taking jobs until the queue is empty."
    );
}

#[test]
fn jobs_run_on_the_pools_own_named_threads() {
    let names = finishes_within(GENEROUS, "jobs reporting their thread", || {
        let pool = WorkerPool::new(2);
        let (tx, rx) = mpsc::channel();
        for _ in 0..20 {
            let tx = tx.clone();
            pool.execute(move || {
                let me = std::thread::current();
                tx.send((me.id(), me.name().map(str::to_owned))).unwrap();
            })
            .unwrap();
        }
        pool.shutdown(true, false);
        drop(tx);
        rx.iter().collect::<Vec<_>>()
    });
    let threads: HashSet<_> = names.iter().map(|(id, _)| *id).collect();
    assert!(
        threads.len() <= 2 && !threads.contains(&std::thread::current().id()),
        "20 jobs on a pool of 2 ran on {} threads: the pool must reuse its 2 workers, not \
         start a thread per job or run jobs in the caller",
        threads.len()
    );
    assert!(
        names
            .iter()
            .all(|(_, n)| n.as_deref().is_some_and(|n| n.starts_with("pool-worker-"))),
        "workers must be named pool-worker-0, pool-worker-1, ... (thread::Builder::name): {names:?}"
    );
}

#[test]
fn two_workers_run_two_jobs_at_the_same_time() {
    finishes_within(GENEROUS, "two jobs that wait for each other", || {
        let pool = WorkerPool::new(2);
        // Each job waits until both are running: this only finishes if the two workers run
        // jobs in parallel, i.e. nobody holds the queue lock while running a job.
        let both = Arc::new(Barrier::new(2));
        for _ in 0..2 {
            let both = Arc::clone(&both);
            pool.execute(move || {
                both.wait();
            })
            .unwrap();
        }
        pool.shutdown(true, false);
    });
}

#[test]
fn shutdown_without_wait_returns_and_queued_jobs_still_run() {
    let ran = finishes_within(
        GENEROUS,
        "shutdown(wait = false) with a busy worker",
        || {
            let pool = WorkerPool::new(1);
            let release = plug(&pool);
            let ran = Arc::new(AtomicUsize::new(0));
            for _ in 0..3 {
                let ran = Arc::clone(&ran);
                pool.execute(move || {
                    ran.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap();
            }
            // The worker is busy: a shutdown that waited here would never return.
            pool.shutdown(false, false);
            drop(release);
            pool.shutdown(true, false);
            ran.load(Ordering::SeqCst)
        },
    );
    assert_eq!(
        ran, 3,
        "{ran} of the 3 jobs queued before shutdown(cancel_pending = false) ran; all must: a \
         worker leaves only when the pool is closed *and* the queue is empty"
    );
}

/// Counts how often it is dropped.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn shutdown_with_cancel_pending_drops_queued_jobs_unrun() {
    let (ran, dropped_at_shutdown) = finishes_within(GENEROUS, "shutdown(cancel_pending)", || {
        let pool = WorkerPool::new(1);
        let release = plug(&pool);
        let ran = Arc::new(AtomicUsize::new(0));
        let dropped = Arc::new(AtomicUsize::new(0));
        for _ in 0..3 {
            let (ran, token) = (Arc::clone(&ran), DropCounter(Arc::clone(&dropped)));
            pool.execute(move || {
                let _token = token;
                ran.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        }
        pool.shutdown(false, true);
        let dropped_at_shutdown = dropped.load(Ordering::SeqCst);
        drop(release);
        pool.shutdown(true, false);
        (ran.load(Ordering::SeqCst), dropped_at_shutdown)
    });
    assert_eq!(
        ran, 0,
        "shutdown(cancel_pending = true) ran {ran} of the 3 queued jobs; it must run none"
    );
    assert_eq!(
        dropped_at_shutdown, 3,
        "shutdown(cancel_pending = true) dropped {dropped_at_shutdown} of the 3 queued jobs \
         before it returned; it must drop all 3 (dropping a job is how its future learns it \
         was cancelled)"
    );
}

#[test]
fn execute_after_shutdown_is_refused() {
    let (refused, ran) = finishes_within(GENEROUS, "execute after shutdown", || {
        let pool = WorkerPool::new(1);
        pool.shutdown(true, false);
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        let refused = pool.execute(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        (refused, ran.load(Ordering::SeqCst))
    });
    assert_eq!(
        refused,
        Err(PoolClosed),
        "execute after shutdown must return Err(PoolClosed)"
    );
    assert_eq!(ran, 0, "a refused job must not run");
}

#[test]
fn a_panicking_job_does_not_kill_its_worker() {
    let after = finishes_within(GENEROUS, "a job after a panicking job", || {
        let pool = WorkerPool::new(1);
        pool.execute(|| panic!("job 1 fails on purpose")).unwrap();
        let (tx, rx) = mpsc::channel();
        pool.execute(move || tx.send("job 2 ran").unwrap()).unwrap();
        let after = rx.recv();
        pool.shutdown(true, false);
        after
    });
    assert_eq!(
        after,
        Ok("job 2 ran"),
        "the only worker must survive a panicking job: run jobs inside catch_unwind"
    );
}

thread_local! {
    /// Set inside a job; dropped (and counted) when that worker thread exits.
    static EXIT_SIGNAL: RefCell<Option<DropCounter>> = const { RefCell::new(None) };
}

#[rstest]
#[case::one(1)]
#[case::three(3)]
fn shutdown_with_wait_returns_after_every_worker_exited(#[case] workers: usize) {
    let exited = finishes_within(GENEROUS, "shutdown(wait = true)", move || {
        let pool = WorkerPool::new(workers);
        let exited = Arc::new(AtomicUsize::new(0));
        // `workers` jobs that wait for each other: each worker holds one of them, so each
        // worker thread gets an exit signal in its thread-local.
        let all = Arc::new(Barrier::new(workers));
        for _ in 0..workers {
            let (all, signal) = (Arc::clone(&all), DropCounter(Arc::clone(&exited)));
            pool.execute(move || {
                all.wait();
                EXIT_SIGNAL.with(|slot| *slot.borrow_mut() = Some(signal));
            })
            .unwrap();
        }
        pool.shutdown(true, false);
        exited.load(Ordering::SeqCst)
    });
    assert_eq!(
        exited, workers,
        "shutdown(wait = true) returned before all {workers} workers exited: join every \
         worker's JoinHandle"
    );
}

#[test]
fn dropping_the_pool_waits_for_its_jobs() {
    let ran = finishes_within(GENEROUS, "dropping a pool", || {
        let ran = Arc::new(AtomicUsize::new(0));
        {
            let pool = WorkerPool::new(2);
            for _ in 0..10 {
                let ran = Arc::clone(&ran);
                pool.execute(move || {
                    ran.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap();
            }
        } // Python: the end of the `with` block.
        ran.load(Ordering::SeqCst)
    });
    assert_eq!(
        ran, 10,
        "dropping the pool must wait for every queued job (Drop = shutdown)"
    );
}

#[test]
fn shutting_down_twice_is_harmless() {
    let size = finishes_within(GENEROUS, "two shutdowns", || {
        let pool = WorkerPool::new(3);
        pool.shutdown(true, false);
        pool.shutdown(true, true);
        pool.size()
    });
    assert_eq!(size, 3, "size() is the number of workers the pool started");
}

#[test]
#[should_panic(expected = "at least one worker")]
fn a_pool_without_workers_is_refused() {
    // Python raises ValueError("max_workers must be greater than 0").
    let _ = WorkerPool::new(0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random pools and job lists, some jobs panicking: the sequential model says every
    /// job that does not panic runs exactly once, whatever the timing.
    #[test]
    fn no_job_is_lost_or_run_twice(workers in 1usize..4, panics in prop::collection::vec(prop::bool::weighted(0.15), 0..40)) {
        let jobs = panics.len();
        let counts = finishes_within(GENEROUS, "a pool running random jobs", move || {
            let counts: Arc<Vec<AtomicUsize>> = Arc::new((0..jobs).map(|_| AtomicUsize::new(0)).collect());
            let pool = WorkerPool::new(workers);
            for (id, panics) in panics.into_iter().enumerate() {
                let counts = Arc::clone(&counts);
                pool.execute(move || {
                    counts[id].fetch_add(1, Ordering::SeqCst);
                    if panics {
                        panic!("job {id} panics on purpose");
                    }
                })
                .unwrap();
            }
            drop(pool);
            counts.iter().map(|c| c.load(Ordering::SeqCst)).collect::<Vec<_>>()
        });
        prop_assert!(
            counts.iter().all(|&c| c == 1),
            "{workers} workers: run counts per job {counts:?}; each must be exactly 1 once \
             the pool is dropped (even after other jobs panicked)"
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::sync::{Arc, mpsc};
    use crate::thread;
    use crate::under_loom::worker_pool::WorkerPool;

    fn counting_job(counter: &Arc<AtomicUsize>) -> impl FnOnce() + Send + 'static {
        let counter = Arc::clone(counter);
        move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    }

    support::loom_test! {
        /// An idle worker sleeps on the Condvar; shutdown must wake it, or
        /// shutdown(wait = true) joins a thread that never ends.
        fn shutdown_wakes_an_idle_worker() {
            let pool = WorkerPool::new(1);
            pool.shutdown(true, false);
        }
    }

    support::loom_test! {
        /// The caller waits for a job's effect before shutting down: if `execute` does not
        /// wake the sleeping worker, nobody ever runs the job.
        fn execute_wakes_a_sleeping_worker() {
            let pool = WorkerPool::new(1);
            let (done_tx, done_rx) = mpsc::channel();
            pool.execute(move || done_tx.send(()).unwrap()).unwrap();
            done_rx
                .recv()
                .expect("the job must run while the pool is open: execute wakes a worker");
            drop(pool);
        }
    }

    support::loom_test! {
        /// The same with two sleeping workers, so that counting sleepers and wake-ups (if
        /// you do, to save system calls) is checked too: one of them must take the job.
        fn execute_wakes_one_of_two_sleeping_workers() {
            // Spurious wake-ups off: they multiply this model's interleavings past the cost
            // budget; `execute_wakes_a_sleeping_worker` still catches an `if` around the wait.
            support::model::without_spurious_wakeups();
            let pool = WorkerPool::new(2);
            let (done_tx, done_rx) = mpsc::channel();
            pool.execute(move || done_tx.send(()).unwrap()).unwrap();
            done_rx
                .recv()
                .expect("the job must run while the pool is open: execute wakes a worker");
            drop(pool);
        }
    }

    support::loom_test! {
        /// Two idle workers: `notify_one` on shutdown wakes only one of them.
        fn shutdown_wakes_every_idle_worker() {
            let pool = WorkerPool::new(2);
            pool.shutdown(true, false);
        }
    }

    support::loom_test! {
        /// Two jobs queued, then shutdown: a worker that leaves as soon as it sees
        /// `closed` loses the jobs still in the queue.
        fn queued_jobs_run_exactly_once_before_the_worker_leaves() {
            let pool = WorkerPool::new(1);
            let (a, b) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
            pool.execute(counting_job(&a)).unwrap();
            pool.execute(counting_job(&b)).unwrap();
            pool.shutdown(true, false);
            assert_eq!(
                (a.load(Ordering::SeqCst), b.load(Ordering::SeqCst)),
                (1, 1),
                "each queued job must run exactly once before shutdown(wait = true) returns: \
                 a worker leaves only when the queue is closed *and* empty"
            );
        }
    }

    support::loom_test! {
        /// execute() on one thread races shutdown() on another: the job is either refused
        /// or run, never accepted and then forgotten by workers that already left.
        fn a_job_racing_shutdown_is_refused_or_run() {
            let pool = Arc::new(WorkerPool::new(1));
            let ran = Arc::new(AtomicUsize::new(0));
            let submitter = {
                let (pool, job) = (Arc::clone(&pool), counting_job(&ran));
                thread::spawn(move || pool.execute(job).is_ok())
            };
            pool.shutdown(true, false);
            let accepted = submitter.join().unwrap();
            assert_eq!(
                ran.load(Ordering::SeqCst),
                usize::from(accepted),
                "execute returned {} but the job ran {} times after shutdown(wait = true): \
                 check `closed` and push under the same lock",
                if accepted { "Ok" } else { "Err" },
                ran.load(Ordering::SeqCst)
            );
        }
    }
}
