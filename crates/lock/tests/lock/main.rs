//! The `lock` topic's one test binary.
//!
//! `lock::<exercise>` is the learner's file compiled against std (the lib);
//! `crate::under_loom::<exercise>` is the *same file* compiled against loom, because this
//! crate's `crate::sync` is loom. Tests of exercise `x` live in module `x`.

support::loom_world!();

mod bank;
mod bounded_queue;
mod counter;
mod rlock;
mod semaphore;
mod sql_lock;
