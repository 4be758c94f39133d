//! Exercise `request_context`: a guard sets the current request and puts the previous one
//! back, nested, on panic, and per thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;
use thread_locals::request_context::{
    RequestGuard, current_request, enter, in_request, spawn_in_current_request,
};

/// Runs `body` on a thread of its own, so its thread-locals start fresh.
fn on_a_fresh_thread<T: Send + 'static>(
    what: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> T {
    finishes_within(GENEROUS, what, body)
}

fn some(request: &str) -> Option<String> {
    Some(request.to_string())
}

#[test]
fn a_guard_sets_the_request_until_it_is_dropped() {
    let seen = on_a_fresh_thread("enter and drop", || {
        let before = current_request();
        let guard = enter("GET /users");
        let inside = current_request();
        drop(guard);
        (before, inside, current_request())
    });
    assert_eq!(
        seen,
        (None, some("GET /users"), None),
        "a fresh thread has no request; enter() makes it current; dropping the guard must \
         put back what was there before (None)"
    );
}

#[test]
fn nested_requests_restore_the_outer_one() {
    let seen = on_a_fresh_thread("nested guards", || {
        let outer = enter("outer");
        let inner = enter("inner");
        let in_inner = current_request();
        drop(inner);
        let back_in_outer = current_request();
        drop(outer);
        (in_inner, back_in_outer, current_request())
    });
    assert_eq!(
        seen,
        (some("inner"), some("outer"), None),
        "dropping the inner guard must restore `outer`, not clear the request: each guard \
         remembers the request that was current when it was made"
    );
}

#[test]
fn in_request_runs_f_inside_and_restores_afterwards() {
    let seen = on_a_fresh_thread("in_request", || {
        let _outer = enter("outer");
        let inside = in_request("inner", current_request);
        (inside, current_request())
    });
    assert_eq!(
        seen,
        (some("inner"), some("outer")),
        "in_request must return what f returned (f saw `inner`) and restore `outer`"
    );
}

#[test]
fn a_panic_inside_a_request_restores_the_previous_one() {
    let (caught, after) = on_a_fresh_thread("a panicking request", || {
        let _outer = enter("outer");
        let caught = catch_unwind(|| {
            in_request("inner", || panic!("the request handler failed"));
        });
        (caught.is_err(), current_request())
    });
    assert!(caught, "the closure panicked on purpose");
    let hint = if after == some("inner") {
        "the panic skipped the restore: restore it in a guard's Drop (which runs while \
         unwinding), not after f()"
    } else {
        "each guard remembers the request that was current when it was made, and puts \
         exactly that back"
    };
    assert_eq!(
        after,
        some("outer"),
        "after a panic inside in_request(\"inner\", ..) the current request is {after:?}, \
         not `outer`: {hint}"
    );
}

#[test]
fn a_panic_unwinds_every_nested_guard() {
    let after = on_a_fresh_thread("a panic under two guards", || {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            let _a = enter("a");
            let _b = enter("b");
            panic!("failed two requests deep");
        }));
        current_request()
    });
    assert_eq!(
        after, None,
        "both guards were dropped while unwinding (inner first): nothing may stay current"
    );
}

#[test]
fn another_thread_never_sees_this_threads_request() {
    let (main_set_tx, main_set_rx) = mpsc::channel();
    let (other_set_tx, other_set_rx) = mpsc::channel();
    let (mine, theirs) = on_a_fresh_thread("two threads with requests", move || {
        let _a = enter("A");
        main_set_tx.send(()).unwrap();
        let other = std::thread::spawn(move || {
            // Runs only after the main thread entered A.
            main_set_rx.recv().unwrap();
            let fresh = current_request();
            let _b = enter("B");
            other_set_tx.send(()).unwrap();
            fresh
        });
        // Read only after the other thread entered B.
        other_set_rx.recv().unwrap();
        let mine = current_request();
        (mine, other.join().unwrap())
    });
    assert_eq!(
        theirs, None,
        "a new thread must start with no request, even while another thread is inside one: \
         keep the current request in a thread_local!"
    );
    assert_eq!(
        mine,
        some("A"),
        "another thread entering B must not change this thread's request"
    );
}

#[test]
fn a_worker_keeps_the_request_it_was_started_in() {
    let (changed_tx, changed_rx) = mpsc::channel::<()>();
    let (worker_saw, caller_after) = on_a_fresh_thread("spawn_in_current_request", move || {
        let outer = enter("GET /report");
        let worker = spawn_in_current_request(move || {
            // Looks only after the caller left GET /report and entered another request.
            changed_rx.recv().unwrap();
            current_request()
        });
        drop(outer);
        let _next = enter("GET /next");
        changed_tx.send(()).unwrap();
        (worker.join().unwrap(), current_request())
    });
    assert_eq!(
        worker_saw,
        some("GET /report"),
        "the worker must run in the request that was current when it was spawned: read \
         current_request() on the caller, before the spawn, not inside the new thread"
    );
    assert_eq!(
        caller_after,
        some("GET /next"),
        "the worker's request must not leak back to the caller"
    );
}

#[test]
fn a_worker_spawned_outside_any_request_has_none() {
    let seen = on_a_fresh_thread("spawn without a request", || {
        spawn_in_current_request(current_request).join().unwrap()
    });
    assert_eq!(
        seen, None,
        "the caller had no request, so neither may its worker"
    );
}

/// One step of a random enter/exit sequence.
#[derive(Debug, Clone)]
enum Step {
    Enter(u8),
    Exit,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![(0u8..5).prop_map(Step::Enter), Just(Step::Exit)]
}

/// Runs `steps` with real guards on a fresh thread, and the same steps on a plain `Vec`
/// stack; returns both traces of "current request after each step".
fn traces(steps: Vec<Step>) -> (Vec<Option<String>>, Vec<Option<String>>) {
    on_a_fresh_thread("an enter/exit sequence", move || {
        let mut guards: Vec<RequestGuard> = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let (mut actual, mut expected) = (Vec::new(), Vec::new());
        for step in steps {
            match step {
                Step::Enter(n) => {
                    guards.push(enter(format!("request {n}")));
                    stack.push(format!("request {n}"));
                }
                Step::Exit => {
                    // Innermost first, as scopes drop them.
                    drop(guards.pop());
                    stack.pop();
                }
            }
            actual.push(current_request());
            expected.push(stack.last().cloned());
        }
        // A Vec drops its first guard first: unwind by hand, innermost first.
        while let Some(guard) = guards.pop() {
            drop(guard);
            stack.pop();
            actual.push(current_request());
            expected.push(stack.last().cloned());
        }
        (actual, expected)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any sequence of enters and exits behaves like pushing and popping a stack: the
    /// current request is always the top of the stack (None when it is empty).
    #[test]
    fn any_enter_exit_sequence_behaves_like_a_stack(steps in prop::collection::vec(step(), 1..30)) {
        let (actual, expected) = traces(steps.clone());
        prop_assert_eq!(
            actual,
            expected,
            "current_request() after each step of {:?} differs from the top of a stack",
            steps
        );
    }
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::thread;
    use crate::under_loom::request_context::{current_request, enter, spawn_in_current_request};

    support::loom_test! {
        /// The caller leaves its request and enters another while its worker runs: the
        /// worker must see the request it was started in, in every interleaving.
        fn a_worker_keeps_its_request_while_the_caller_moves_on() {
            let outer = enter("A");
            let worker = spawn_in_current_request(current_request);
            drop(outer);
            let _next = enter("B");
            let mine = current_request();
            let theirs = worker.join().unwrap();
            assert_eq!(
                theirs.as_deref(),
                Some("A"),
                "the worker was spawned inside A but saw {theirs:?}: capture the request on \
                 the caller before spawning"
            );
            assert_eq!(mine.as_deref(), Some("B"), "the caller is inside B now");
        }
    }

    support::loom_test! {
        /// Two threads serve requests at the same time; neither sees the other's.
        fn two_threads_serving_at_once_see_only_their_own_request() {
            let other = thread::spawn(|| {
                let _x = enter("X");
                current_request()
            });
            let _y = enter("Y");
            let mine = current_request();
            let theirs = other.join().unwrap();
            assert_eq!(
                (mine.as_deref(), theirs.as_deref()),
                (Some("Y"), Some("X")),
                "each thread must see only its own request: keep it in a thread_local!"
            );
        }
    }
}
