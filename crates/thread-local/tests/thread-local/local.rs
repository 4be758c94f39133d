//! Exercise `local`: one value per thread per instance, made on first access.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;

use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;
use thread_locals::local::Local;

/// A `Local` whose initialiser counts its calls in the returned counter.
fn counting_local(start: u32) -> (Arc<Local<u32>>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let local = Local::new(move || {
        // Relaxed: only the final total is read, after the threads were joined.
        counted.fetch_add(1, Ordering::Relaxed);
        start
    });
    (Arc::new(local), calls)
}

#[test]
fn the_first_access_starts_from_the_initialiser() {
    let (local, _) = counting_local(41);
    let seen = local.with(|v| {
        *v += 1;
        *v
    });
    assert_eq!(
        seen, 42,
        "the first with() must see init() (41) and keep the change (+1 -> 42)"
    );
    assert_eq!(
        local.with(|v| *v),
        42,
        "a second with() on the same thread must see the value the first one left"
    );
}

#[test]
fn two_threads_never_see_each_others_value() {
    let (local, _) = counting_local(0);
    let (first_set_tx, first_set_rx) = mpsc::channel();
    let (second_set_tx, second_set_rx) = mpsc::channel();
    let (a, b) = (Arc::clone(&local), Arc::clone(&local));
    let (first, second) = finishes_within(GENEROUS, "two threads on one Local", move || {
        let first = thread::spawn(move || {
            a.with(|v| *v = 10);
            first_set_tx.send(()).unwrap();
            // Read again only after the second thread wrote its own value.
            second_set_rx.recv().unwrap();
            a.with(|v| *v)
        });
        let second = thread::spawn(move || {
            first_set_rx.recv().unwrap();
            let fresh = b.with(|v| *v);
            b.with(|v| *v = 20);
            second_set_tx.send(()).unwrap();
            fresh
        });
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!(
        second, 0,
        "a thread touching the Local for the first time must get init() (0), not the 10 \
         another thread stored: key the values by `thread::current().id()`"
    );
    assert_eq!(
        first, 10,
        "the first thread stored 10; another thread's 20 must not replace it"
    );
}

#[test]
fn two_instances_on_one_thread_keep_separate_values() {
    let (one, _) = counting_local(1);
    let (two, _) = counting_local(2);
    one.with(|v| *v = 100);
    assert_eq!(
        two.with(|v| *v),
        2,
        "each Local instance has its own values: writing through one must not change another"
    );
    assert_eq!(
        one.with(|v| *v),
        100,
        "the first instance must keep its 100"
    );
}

#[test]
fn the_initialiser_runs_once_per_thread() {
    let (local, calls) = counting_local(0);
    let threads_seen = finishes_within(GENEROUS, "three threads, five accesses each", {
        let local = Arc::clone(&local);
        move || {
            let workers: Vec<_> = (0..3)
                .map(|_| {
                    let local = Arc::clone(&local);
                    thread::spawn(move || {
                        for _ in 0..5 {
                            local.with(|v| *v += 1);
                        }
                        local.with(|v| *v)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap())
                .collect::<Vec<_>>()
        }
    });
    assert_eq!(
        threads_seen, [5; 3],
        "each thread added 1 five times to its own value and must end at 5"
    );
    assert_eq!(
        calls.load(Ordering::Relaxed),
        3,
        "init() must run exactly once per thread (3 threads): store the value it makes, and \
         create it only when this thread has none yet"
    );
    assert_eq!(
        local.threads_with_a_value(),
        3,
        "three threads touched the Local, so it must hold three values"
    );
}

#[test]
fn take_removes_only_the_calling_threads_value() {
    let (local, calls) = counting_local(7);
    let other = Arc::clone(&local);
    finishes_within(GENEROUS, "another thread's access", move || {
        thread::spawn(move || other.with(|v| *v = 70))
            .join()
            .unwrap();
    });
    local.with(|v| *v = 8);
    assert_eq!(
        local.take(),
        Some(8),
        "take() must return this thread's value"
    );
    assert_eq!(
        local.take(),
        None,
        "after take() this thread has no value until its next access"
    );
    assert_eq!(
        local.threads_with_a_value(),
        1,
        "take() must remove only the calling thread's value; the other thread's 70 stays"
    );
    assert_eq!(
        local.with(|v| *v),
        7,
        "after take(), the next access starts again from init()"
    );
    assert_eq!(
        calls.load(Ordering::Relaxed),
        3,
        "init() ran for: the other thread, this thread, and this thread again after take()"
    );
}

#[test]
fn dropping_the_local_drops_every_threads_value() {
    let dropped = Arc::new(AtomicUsize::new(0));
    struct Noisy(Arc<AtomicUsize>);
    impl Drop for Noisy {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let counter = Arc::clone(&dropped);
    let local = Arc::new(Local::new(move || Noisy(Arc::clone(&counter))));
    finishes_within(GENEROUS, "three threads touching a Local", {
        let local = Arc::clone(&local);
        move || {
            for _ in 0..3 {
                let local = Arc::clone(&local);
                thread::spawn(move || local.with(|_| ())).join().unwrap();
            }
        }
    });
    drop(local);
    assert_eq!(
        dropped.load(Ordering::Relaxed),
        3,
        "three threads made a value; once the Local is gone, all three must have been dropped"
    );
}

/// One step of a random script run against a `Local<Vec<u32>>` by three worker threads.
#[derive(Debug, Clone)]
enum Step {
    Push { thread: usize, value: u32 },
    Read { thread: usize },
    Take { thread: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, any::<u32>()).prop_map(|(thread, value)| Step::Push { thread, value }),
        (0..3usize).prop_map(|thread| Step::Read { thread }),
        (0..3usize).prop_map(|thread| Step::Take { thread }),
    ]
}

/// What a worker thread sends back for one step: the value it saw afterwards.
type Reply = Option<Vec<u32>>;

/// Three long-lived workers; each step is sent to one of them and its reply awaited, so
/// the steps run one at a time, in script order, each on its chosen thread.
fn run_script(steps: Vec<Step>) -> Vec<Reply> {
    let local = Arc::new(Local::new(Vec::new));
    let (reply_tx, reply_rx) = mpsc::channel::<Reply>();
    let mut orders = Vec::new();
    let mut workers = Vec::new();
    for _ in 0..3 {
        let (order_tx, order_rx) = mpsc::channel::<Step>();
        let (local, reply_tx) = (Arc::clone(&local), reply_tx.clone());
        orders.push(order_tx);
        workers.push(thread::spawn(move || {
            for step in order_rx {
                let reply = match step {
                    Step::Push { value, .. } => Some(local.with(|v: &mut Vec<u32>| {
                        v.push(value);
                        v.clone()
                    })),
                    Step::Read { .. } => Some(local.with(|v| v.clone())),
                    Step::Take { .. } => local.take(),
                };
                if reply_tx.send(reply).is_err() {
                    return;
                }
            }
        }));
    }
    let mut replies = Vec::new();
    for step in steps {
        let (Step::Push { thread, .. } | Step::Read { thread } | Step::Take { thread }) = step;
        orders[thread]
            .send(step)
            .expect("a worker thread died: see its panic above");
        replies.push(
            reply_rx
                .recv()
                .expect("a worker thread died: see its panic above"),
        );
    }
    drop(orders);
    for worker in workers {
        worker.join().expect("a worker thread panicked");
    }
    replies
}

/// The same script against one plain `Vec` per thread.
fn model(steps: &[Step]) -> Vec<Reply> {
    let mut per_thread: HashMap<usize, Vec<u32>> = HashMap::new();
    steps
        .iter()
        .map(|step| match *step {
            Step::Push { thread, value } => {
                let v = per_thread.entry(thread).or_default();
                v.push(value);
                Some(v.clone())
            }
            Step::Read { thread } => Some(per_thread.entry(thread).or_default().clone()),
            Step::Take { thread } => per_thread.remove(&thread),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any script of pushes, reads and takes on three threads behaves like three private
    /// `Vec`s, one per thread.
    #[test]
    fn any_script_behaves_like_one_private_vec_per_thread(steps in prop::collection::vec(step(), 1..24)) {
        let expected = model(&steps);
        let script = steps.clone();
        let actual = finishes_within(GENEROUS, "a script on three threads", move || run_script(script));
        prop_assert_eq!(
            actual,
            expected,
            "replies differ from one private Vec per thread for {:?}: a thread saw another \
             thread's values, or take() removed the wrong value",
            steps
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::local::Local;

    support::loom_test! {
        /// Two threads touch one fresh `Local` for the first time at once: each must get its
        /// own value from `init()`, and `init()` must run exactly twice.
        fn two_threads_first_touching_one_local_each_get_their_own() {
            let calls = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&calls);
            let local = Arc::new(Local::new(move || {
                // Relaxed: the total is read after both threads were joined.
                counted.fetch_add(1, Ordering::Relaxed);
                0u32
            }));
            let add_twice = |local: &Local<u32>| {
                let first = local.with(|v| {
                    *v += 1;
                    *v
                });
                let second = local.with(|v| {
                    *v += 1;
                    *v
                });
                (first, second)
            };
            let other = Arc::clone(&local);
            let worker = thread::spawn(move || add_twice(&other));
            let mine = add_twice(&local);
            let theirs = worker.join().unwrap();
            assert_eq!(
                (mine, theirs),
                ((1, 2), (1, 2)),
                "each thread added 1 twice to its own value and must read 1 then 2; reading \
                 3 or 4 means both threads changed one shared value"
            );
            assert_eq!(
                calls.load(Ordering::Relaxed),
                2,
                "init() must run once per thread: two threads, two calls"
            );
        }
    }
}
