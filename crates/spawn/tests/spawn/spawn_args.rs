//! Exercise `spawn_args`: arguments move in, results come back through `join`, in order.

use std::sync::{Arc, Barrier};

use rstest::rstest;
use spawn::spawn_args::{map_in_threads, start_target};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn start_target_returns_the_targets_value_through_join() {
    let handle = start_target(|n: u64| n * n, 12);
    assert_eq!(
        handle.join().expect("the target panicked"),
        144,
        "join() must give back what target(args) returned: call `target(args)` inside the \
         thread's closure and return its value"
    );
}

#[test]
fn the_argument_is_moved_into_a_new_thread() {
    let caller = std::thread::current().id();
    let name = String::from("ada");
    let handle = start_target(
        |name: String| (name.to_uppercase(), std::thread::current().id()),
        name,
    );
    let (shout, ran_on) = handle.join().expect("the target panicked");
    assert_eq!(
        shout, "ADA",
        "the target must receive the argument it was given"
    );
    assert_ne!(
        ran_on, caller,
        "the target ran on the caller's thread: start_target must call it inside \
         `thread::spawn(move || ...)`, not before spawning"
    );
}

#[test]
fn a_panicking_target_reaches_join_as_an_err() {
    let handle = start_target(
        |n: u32| -> u32 { panic!("target refused {n} (this panic is expected by the test)") },
        7,
    );
    assert!(
        handle.join().is_err(),
        "a target that panics must show up as Err from join(), like Python's \
         future.result() re-raising: return the JoinHandle from thread::spawn unchanged"
    );
}

#[rstest]
#[case::no_inputs(vec![])]
#[case::one_input(vec![5])]
#[case::several_inputs(vec![3, 1, 4, 1, 5, 9, 2, 6])]
fn map_in_threads_keeps_the_order_of_the_inputs(#[case] inputs: Vec<u64>) {
    let expected: Vec<u64> = inputs.iter().map(|n| n * 10).collect();
    let got = finishes_within(GENEROUS, "map_in_threads", move || {
        map_in_threads(inputs, |n| n * 10)
    });
    assert_eq!(
        got, expected,
        "results must come back in the order of the inputs: join the handles in the order \
         you started them"
    );
}

#[test]
fn map_in_threads_runs_every_worker_at_the_same_time() {
    // Every worker waits at one barrier for all the others: this finishes only if all of
    // them are running at once. Started-then-joined one by one, the first waits forever.
    let barrier = Arc::new(Barrier::new(4));
    let inputs: Vec<_> = (0..4).map(|i| (i, Arc::clone(&barrier))).collect();
    let got = finishes_within(GENEROUS, "4 workers waiting for each other", move || {
        map_in_threads(inputs, |(i, barrier)| {
            barrier.wait();
            i
        })
    });
    assert_eq!(got, [0, 1, 2, 3], "every worker's result, in input order");
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::mpsc::{self, Receiver, Sender};
    use crate::under_loom::spawn_args::{map_in_threads, start_target};

    support::loom_test! {
        /// The second worker may finish first; the results still come back in input order.
        fn results_come_back_in_input_order_in_every_interleaving() {
            let got = map_in_threads(vec![1_u32, 2], |n| n * 10);
            assert_eq!(
                got,
                [10, 20],
                "results came back as {got:?}, in the order the threads finished: keep the \
                 JoinHandles in input order and take each result from its own join()"
            );
        }
    }

    support::loom_test! {
        /// Each worker sends to the other, then waits for the other's message: only
        /// workers running at the same time can both finish.
        fn workers_run_at_the_same_time() {
            let (to_first, first_inbox) = mpsc::channel::<()>();
            let (to_second, second_inbox) = mpsc::channel::<()>();
            let inputs: Vec<(Sender<()>, Receiver<()>)> =
                vec![(to_second, first_inbox), (to_first, second_inbox)];
            map_in_threads(inputs, |(to_other, inbox)| {
                to_other.send(()).unwrap();
                inbox.recv().unwrap();
            });
        }
    }

    support::loom_test! {
        /// The value comes back through join(), whichever thread runs first.
        fn join_returns_the_targets_value() {
            let handle = start_target(|word: String| word.len(), String::from("thread"));
            assert_eq!(handle.join().unwrap(), 6, "join() must return target(args)");
        }
    }
}
