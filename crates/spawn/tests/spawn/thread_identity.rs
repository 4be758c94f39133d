//! Exercise `thread_identity`: names, ids, and a thread asking who it is.

use std::collections::HashSet;

use rstest::rstest;
use spawn::thread_identity::{
    Identity, MainThread, ask_a_named_thread, display_name, identity_of, spawn_named, whoami,
};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn whoami_reports_the_calling_thread() {
    let me = std::thread::current();
    let identity = whoami();
    assert_eq!(
        identity.id,
        me.id(),
        "whoami().id must be thread::current().id()"
    );
    assert_eq!(
        identity.name.as_deref(),
        me.name(),
        "whoami().name must be thread::current().name()"
    );
}

#[test]
fn an_unnamed_thread_has_no_name() {
    let identity = finishes_within(GENEROUS, "whoami on an unnamed thread", || {
        std::thread::spawn(whoami).join().expect("whoami panicked")
    });
    assert_eq!(
        identity.name, None,
        "a thread started with plain thread::spawn has no name: whoami().name must be None"
    );
}

#[rstest]
#[case::worker("worker-1")]
#[case::downloader("downloader")]
#[case::not_ascii("écrivain")]
fn a_named_thread_knows_its_name(#[case] name: &'static str) {
    let seen = finishes_within(GENEROUS, "spawn_named", move || {
        spawn_named(name, || std::thread::current().name().map(str::to_owned))
            .join()
            .expect("the thread panicked")
    });
    assert_eq!(
        seen.as_deref(),
        Some(name),
        "inside the thread, thread::current().name() must be the name given to \
         spawn_named: use thread::Builder::new().name(..)"
    );
}

#[test]
fn the_parent_and_the_thread_agree_on_who_it_is() {
    let caller = whoami_without_the_exercise();
    let (from_handle, from_thread) = finishes_within(GENEROUS, "ask_a_named_thread", || {
        ask_a_named_thread("asked")
    });
    assert_ne!(
        from_thread.id, caller.id,
        "the thread reported the caller's id: call whoami() inside the new thread, not \
         before spawning it"
    );
    assert_eq!(
        from_thread.name.as_deref(),
        Some("asked"),
        "the thread must report its own name"
    );
    assert_eq!(
        from_handle, from_thread,
        "identity_of(&handle) must read the handle's thread(): same name, same id"
    );
}

#[test]
fn thread_ids_are_never_reused() {
    let ids: Vec<_> = finishes_within(GENEROUS, "50 short named threads", || {
        (0..50)
            .map(|i| {
                let handle = spawn_named(&format!("short-{i}"), || ());
                let identity = identity_of(&handle);
                handle.join().expect("an empty thread panicked");
                identity.id
            })
            .collect()
    });
    let distinct: HashSet<_> = ids.iter().collect();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "50 threads, one after another, must have 50 different ids (unlike Python's \
         `ident`, a ThreadId is never recycled): read the id from handle.thread().id()"
    );
}

#[rstest]
#[case::named(Some("worker"), "worker")]
#[case::unnamed(None, "unnamed ThreadId(")]
fn display_name_is_never_empty(#[case] name: Option<&str>, #[case] starts_with: &str) {
    let identity = Identity {
        name: name.map(str::to_owned),
        id: std::thread::current().id(),
    };
    let shown = display_name(&identity);
    assert!(
        shown.starts_with(starts_with),
        "display_name gave {shown:?}; expected it to start with {starts_with:?} (the name, or \
         \"unnamed \" followed by the id's Debug form)"
    );
}

#[test]
fn the_main_thread_is_recognised_only_where_it_was_captured() {
    let main = MainThread::capture();
    assert_eq!(
        main.id(),
        std::thread::current().id(),
        "capture() records the calling thread"
    );
    assert!(
        main.is_current(),
        "is_current() on the capturing thread must be true"
    );
    let elsewhere = main.clone();
    let seen_elsewhere = finishes_within(GENEROUS, "is_current on another thread", move || {
        std::thread::spawn(move || elsewhere.is_current())
            .join()
            .expect("is_current panicked")
    });
    assert!(
        !seen_elsewhere,
        "is_current() on another thread must be false: compare the stored id with \
         thread::current().id() at the time of the call"
    );
}

/// The caller's identity, read without the learner's code.
fn whoami_without_the_exercise() -> Identity {
    let me = std::thread::current();
    Identity {
        name: me.name().map(str::to_owned),
        id: me.id(),
    }
}

mod models {
    use crate::thread;
    use crate::under_loom::thread_identity::{ask_a_named_thread, whoami};

    support::loom_test! {
        /// Whatever runs first, the thread reports itself, and the handle agrees.
        fn a_named_thread_reports_its_own_identity() {
            let caller = thread::current().id();
            let (from_handle, from_thread) = ask_a_named_thread("worker");
            assert_ne!(
                from_thread.id, caller,
                "the thread reported its parent's identity: call whoami() inside the new \
                 thread"
            );
            assert_eq!(from_thread.name.as_deref(), Some("worker"), "the thread's own name");
            assert_eq!(from_handle, from_thread, "handle and thread must agree");
        }
    }

    support::loom_test! {
        /// Two threads asking at the same time each get their own answer.
        fn two_threads_asking_at_once_get_different_answers() {
            let first = thread::spawn(whoami);
            let second = thread::spawn(whoami);
            let (a, b) = (first.join().unwrap(), second.join().unwrap());
            assert_ne!(a.id, b.id, "two threads reported the same id");
        }
    }
}
