//! Exercise `executor`: submit, cancel-versus-start, panics as errors, shutdown, `with`.

use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use pool::executor::{ThreadPoolExecutor, panic_message};
use pool::task_future::{TaskError, TaskFuture};
use pool::worker_pool::PoolClosed;
use proptest::prelude::*;
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Occupies one worker until the returned sender is used or dropped; returns once the
/// blocking task is certainly running.
pub fn plug(executor: &ThreadPoolExecutor) -> (TaskFuture<()>, mpsc::Sender<()>) {
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let future = executor
        .submit(move || {
            started_tx.send(()).unwrap();
            let _ = release_rx.recv();
        })
        .expect("an open executor accepts tasks");
    started_rx
        .recv()
        .expect("the plug task must start on an idle worker");
    (future, release_tx)
}

#[test]
fn submit_returns_a_future_of_the_tasks_value() {
    let value = finishes_within(GENEROUS, "submit(|| 6 * 7).result()", || {
        let executor = ThreadPoolExecutor::new(2);
        let future = executor
            .submit(|| 6 * 7)
            .expect("an open executor accepts tasks");
        future.result()
    });
    assert_eq!(
        value,
        Ok(42),
        "submit(f).result() must return what f returned"
    );
}

#[rstest]
#[case::one_worker(1, 20)]
#[case::two_workers(2, 100)]
#[case::eight_workers(8, 100)]
fn every_submitted_task_delivers_its_own_value(#[case] workers: usize, #[case] tasks: u64) {
    let values = finishes_within(GENEROUS, "many submissions", move || {
        let executor = ThreadPoolExecutor::new(workers);
        let futures: Vec<_> = (0..tasks)
            .map(|i| executor.submit(move || i * 3).unwrap())
            .collect();
        futures.iter().map(TaskFuture::result).collect::<Vec<_>>()
    });
    let expected: Vec<_> = (0..tasks).map(|i| Ok(i * 3)).collect();
    assert_eq!(
        values, expected,
        "future i must hold task i's value, and none may be lost"
    );
}

#[test]
fn tasks_run_on_worker_threads_not_in_the_caller() {
    let (caller, worker) = finishes_within(GENEROUS, "a task reporting its thread", || {
        let executor = ThreadPoolExecutor::new(1);
        let future = executor.submit(|| std::thread::current().id()).unwrap();
        (std::thread::current().id(), future.result().unwrap())
    });
    assert_ne!(
        caller, worker,
        "submit must hand the task to a worker, not run it right away"
    );
}

#[test]
fn max_workers_is_what_was_asked_for() {
    let n = finishes_within(GENEROUS, "ThreadPoolExecutor::new(3)", || {
        ThreadPoolExecutor::new(3).max_workers()
    });
    assert_eq!(n, 3, "max_workers() must report the size given to new()");
}

#[test]
fn a_panicking_task_becomes_an_error_and_its_worker_lives_on() {
    let (failed, next) = finishes_within(GENEROUS, "a panicking task", || {
        let executor = ThreadPoolExecutor::new(1);
        let failed = executor
            .submit(|| -> u32 { panic!("boom") })
            .unwrap()
            .result();
        let next = executor.submit(|| 2_u32).unwrap().result();
        (failed, next)
    });
    assert_eq!(
        failed,
        Err(TaskError::Panicked("boom".into())),
        "a task's panic must come back from result() as Err(Panicked(message))"
    );
    assert_eq!(
        next,
        Ok(2),
        "the only worker must keep running tasks after a panic"
    );
}

#[rstest]
#[case::str_literal(Box::new("plain"), "plain")]
#[case::formatted(Box::new(String::from("formatted 7")), "formatted 7")]
#[case::other_payload(Box::new(7_u8), "a panic without a message")]
fn panic_messages_are_read_from_the_payload(
    #[case] payload: Box<dyn Any + Send>,
    #[case] expected: &str,
) {
    assert_eq!(
        panic_message(payload.as_ref()),
        expected,
        "panic!(\"..\") carries a &str, panic!(\"{{x}}\") a String; anything else gets the \
         fallback text"
    );
}

#[test]
fn running_is_true_while_the_task_runs() {
    let (during, after) = finishes_within(GENEROUS, "running() of a busy task", || {
        let executor = ThreadPoolExecutor::new(1);
        let (future, release) = plug(&executor);
        let during = (future.running(), future.done(), future.cancel());
        drop(release);
        future.result().unwrap();
        (during, (future.running(), future.done()))
    });
    assert_eq!(
        during,
        (true, false, false),
        "a started task is running(), not done(), and cancel() must refuse it"
    );
    assert_eq!(
        after,
        (false, true),
        "a finished task is done(), no longer running()"
    );
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let (cancelled, outcome, ran) = finishes_within(GENEROUS, "cancel of a queued task", || {
        let executor = ThreadPoolExecutor::new(1);
        let (_plugged, release) = plug(&executor);
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        let queued = executor
            .submit(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        let cancelled = queued.cancel();
        drop(release);
        executor.shutdown(true, false);
        (cancelled, queued.result(), ran.load(Ordering::SeqCst))
    });
    assert!(
        cancelled,
        "cancel() of a task still in the queue must succeed"
    );
    assert_eq!(
        outcome,
        Err(TaskError::Cancelled),
        "its result() is Err(Cancelled)"
    );
    assert_eq!(
        ran, 0,
        "a cancelled task ran anyway: the job must call set_running_or_notify_cancel() and \
         skip the task when it returns false"
    );
}

#[test]
fn submit_after_shutdown_is_refused() {
    let refused = finishes_within(GENEROUS, "submit after shutdown", || {
        let executor = ThreadPoolExecutor::new(1);
        executor.shutdown(true, false);
        executor.submit(|| 1).err()
    });
    assert_eq!(
        refused,
        Some(PoolClosed),
        "submit after shutdown must fail like Python's RuntimeError: Err(PoolClosed)"
    );
}

#[rstest]
#[case::keep_queued(false)]
#[case::cancel_queued(true)]
fn shutdown_treats_queued_tasks_as_asked(#[case] cancel_futures: bool) {
    let (cancelled_at_shutdown, outcomes, plug_outcome) =
        finishes_within(GENEROUS, "shutdown with queued tasks", move || {
            let executor = ThreadPoolExecutor::new(1);
            let (plugged, release) = plug(&executor);
            let queued: Vec<_> = (0..3)
                .map(|i| executor.submit(move || i).unwrap())
                .collect();
            executor.shutdown(false, cancel_futures);
            let cancelled_at_shutdown: Vec<_> = queued.iter().map(TaskFuture::cancelled).collect();
            drop(release);
            drop(executor);
            let outcomes: Vec<_> = queued.iter().map(TaskFuture::result).collect();
            (cancelled_at_shutdown, outcomes, plugged.result())
        });
    assert_eq!(
        plug_outcome,
        Ok(()),
        "a task already running when shutdown is called finishes"
    );
    if cancel_futures {
        assert_eq!(
            cancelled_at_shutdown,
            vec![true; 3],
            "shutdown(cancel_futures = true) must cancel every queued future before returning"
        );
        assert_eq!(
            outcomes,
            vec![Err(TaskError::Cancelled); 3],
            "...and they stay cancelled"
        );
    } else {
        assert_eq!(
            outcomes,
            vec![Ok(0), Ok(1), Ok(2)],
            "shutdown(cancel_futures = false) must let queued tasks run"
        );
    }
}

#[test]
fn dropping_the_executor_waits_for_every_task() {
    let (ran, all_done) = finishes_within(GENEROUS, "the end of a `with` block", || {
        let ran = Arc::new(AtomicUsize::new(0));
        let futures: Vec<_> = {
            let executor = ThreadPoolExecutor::new(2);
            (0..10)
                .map(|_| {
                    let ran = Arc::clone(&ran);
                    executor
                        .submit(move || ran.fetch_add(1, Ordering::SeqCst))
                        .unwrap()
                })
                .collect()
        }; // Python: the end of `with ThreadPoolExecutor(2) as executor:`
        (
            ran.load(Ordering::SeqCst),
            futures.iter().all(TaskFuture::done),
        )
    });
    assert_eq!(
        ran, 10,
        "dropping the executor must wait for every submitted task"
    );
    assert!(
        all_done,
        "once the executor is dropped, every future is done"
    );
}

/// One step of a random session with an executor of one worker.
#[derive(Debug, Clone)]
enum Step {
    Submit,
    /// Cancel the future at this index (modulo the number submitted).
    Cancel(usize),
    /// Let the plug task end: from then on the worker runs tasks whenever it likes.
    Release,
    Shutdown {
        wait: bool,
        cancel_futures: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step::Submit),
        3 => any::<usize>().prop_map(Step::Cancel),
        1 => Just(Step::Release),
        1 => (any::<bool>(), any::<bool>())
            .prop_map(|(wait, cancel_futures)| Step::Shutdown { wait, cancel_futures }),
    ]
}

/// What the sequential model knows about one task.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Known {
    /// Certainly queued: the plug holds the only worker.
    Queued,
    /// May have started: only the end tells.
    Either,
    Cancelled,
    MustRun,
}

/// Plays `steps` against a real executor and checks each answer against the model.
fn play(steps: Vec<Step>) -> Result<(), String> {
    let executor = ThreadPoolExecutor::new(1);
    let (_plugged, release) = plug(&executor);
    let mut release = Some(release);
    let mut shut_down = false;
    let mut tasks: Vec<(TaskFuture<usize>, Arc<AtomicUsize>, Known)> = Vec::new();
    let unplug = |release: &mut Option<mpsc::Sender<()>>, tasks: &mut Vec<(_, _, Known)>| {
        if release.take().is_some() {
            for task in tasks.iter_mut().filter(|t| t.2 == Known::Queued) {
                task.2 = Known::Either;
            }
        }
    };
    for step in steps {
        match step {
            Step::Submit => {
                let runs = Arc::new(AtomicUsize::new(0));
                let counter = Arc::clone(&runs);
                let id = tasks.len();
                let submitted = executor.submit(move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                    id * 10
                });
                match (submitted, shut_down) {
                    (Ok(_), true) => return Err("submit after shutdown was accepted".into()),
                    (Err(_), false) => return Err("submit before shutdown was refused".into()),
                    (Err(_), true) => {}
                    (Ok(f), false) => {
                        let known = if release.is_some() {
                            Known::Queued
                        } else {
                            Known::Either
                        };
                        tasks.push((f, runs, known));
                    }
                }
            }
            Step::Cancel(i) if !tasks.is_empty() => {
                let i = i % tasks.len();
                let (future, _, known) = &mut tasks[i];
                let won = future.cancel();
                *known = match (*known, won) {
                    (Known::Queued | Known::Cancelled | Known::Either, true) => Known::Cancelled,
                    (Known::MustRun | Known::Either, false) => Known::MustRun,
                    (before, won) => {
                        return Err(format!("cancel() of task {i} ({before:?}) returned {won}"));
                    }
                };
            }
            Step::Cancel(_) => {}
            Step::Release => unplug(&mut release, &mut tasks),
            Step::Shutdown {
                wait,
                cancel_futures,
            } => {
                if wait {
                    // Waiting while the plug holds the worker would wait forever.
                    unplug(&mut release, &mut tasks);
                }
                executor.shutdown(wait, cancel_futures);
                shut_down = true;
                for (i, (future, _, known)) in tasks.iter_mut().enumerate() {
                    if cancel_futures && *known == Known::Queued {
                        if !future.cancelled() {
                            return Err(format!("task {i} was queued but not cancelled"));
                        }
                        *known = Known::Cancelled;
                    }
                    if wait && !future.done() {
                        return Err(format!("task {i} not done after shutdown(wait = true)"));
                    }
                }
            }
        }
    }
    unplug(&mut release, &mut tasks);
    drop(executor);
    for (i, (future, runs, known)) in tasks.iter().enumerate() {
        let runs = runs.load(Ordering::SeqCst);
        let outcome = future
            .result_timeout(std::time::Duration::ZERO)
            .ok_or_else(|| format!("task {i} ({known:?}) still not done after the executor was dropped: a task was lost"))?;
        let ok = match (known, &outcome) {
            (Known::Cancelled, Err(TaskError::Cancelled)) => runs == 0,
            (Known::MustRun, Ok(v)) => runs == 1 && *v == i * 10,
            (Known::Either, Err(TaskError::Cancelled)) => runs == 0,
            (Known::Either, Ok(v)) => runs == 1 && *v == i * 10,
            _ => false,
        };
        if !ok {
            return Err(format!(
                "task {i}: model says {known:?}, got {outcome:?} after {runs} runs"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random submit / cancel / release / shutdown sessions against a sequential model: no
    /// task lost, none run twice, a successful cancel means "never ran", shutdown's two
    /// flags do what Python's do.
    #[test]
    fn random_sessions_agree_with_the_sequential_model(steps in prop::collection::vec(step(), 0..24)) {
        let verdict = finishes_within(GENEROUS, "a random executor session", move || play(steps));
        prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::executor::ThreadPoolExecutor;
    use crate::under_loom::task_future::TaskError;

    support::loom_test! {
        /// The caller cancels while the worker is about to start the task: either the
        /// cancel wins and the task never runs, or the task runs and the cancel is refused.
        fn cancel_racing_the_worker_is_decided_once() {
            let executor = ThreadPoolExecutor::new(1);
            let ran = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&ran);
            let future = executor
                .submit(move || counter.fetch_add(1, Ordering::SeqCst))
                .unwrap();
            let cancelled = future.cancel();
            drop(executor);
            let ran = ran.load(Ordering::SeqCst);
            assert!(
                (cancelled && ran == 0) || (!cancelled && ran == 1),
                "cancel() returned {cancelled} and the task ran {ran} time(s): a cancelled \
                 task must never run. The job must claim the task with \
                 set_running_or_notify_cancel() and skip it when that returns false."
            );
            let expected = if cancelled { Err(TaskError::Cancelled) } else { Ok(0) };
            assert_eq!(future.result(), expected, "result() must agree with cancel()");
        }
    }

    support::loom_test! {
        /// submit() on one thread races shutdown(wait = true) on another: an accepted task
        /// must still run (its result() returns), a refused one must say so.
        fn no_task_is_lost_when_shutdown_races_submit() {
            let executor = Arc::new(ThreadPoolExecutor::new(1));
            let submitter = {
                let executor = Arc::clone(&executor);
                thread::spawn(move || executor.submit(|| 7_u32).ok())
            };
            executor.shutdown(true, false);
            if let Some(future) = submitter.join().unwrap() {
                assert_eq!(future.result(), Ok(7), "an accepted task must run to the end");
            }
        }
    }

    support::loom_test! {
        /// shutdown(cancel_futures = true) races the worker taking the task: the task is
        /// cancelled or it runs, exactly once either way, and nobody waits forever.
        fn shutdown_with_cancel_futures_cancels_or_runs_each_task_once() {
            let executor = ThreadPoolExecutor::new(1);
            let ran = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&ran);
            let future = executor
                .submit(move || counter.fetch_add(1, Ordering::SeqCst))
                .unwrap();
            executor.shutdown(true, true);
            let ran = ran.load(Ordering::SeqCst);
            match future.result() {
                Err(TaskError::Cancelled) => assert_eq!(ran, 0, "a cancelled task ran"),
                Ok(_) => assert_eq!(ran, 1, "a finished task must have run exactly once"),
                Err(other) => panic!("unexpected outcome {other:?}"),
            }
        }
    }
}
