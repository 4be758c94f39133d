//! Exercise `config_once`: a config loaded once, however many threads ask first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use share::config_once::{Config, ConfigCache};
use support::finishes_within;
use support::hang_guard::GENEROUS;

fn config(url: &str) -> Config {
    Config { url: url.into() }
}

/// A cache whose loader counts its calls.
fn counted(url: &'static str) -> (ConfigCache, Arc<AtomicUsize>) {
    let loads = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&loads);
    let cache = ConfigCache::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        config(url)
    });
    (cache, loads)
}

#[test]
fn get_loads_once_and_returns_the_same_config() {
    let (cache, loads) = counted("db://a");
    let first: *const Config = cache.get();
    let second: *const Config = cache.get();
    assert_eq!(
        cache.get(),
        &config("db://a"),
        "get returns what load returned"
    );
    assert_eq!(loads.load(Ordering::SeqCst), 1, "three gets, one load");
    assert!(
        std::ptr::eq(first, second),
        "every get returns the one stored config"
    );
}

#[test]
fn loaded_is_none_until_the_first_get() {
    let (cache, loads) = counted("db://a");
    assert_eq!(cache.loaded(), None, "nothing loaded yet");
    assert_eq!(loads.load(Ordering::SeqCst), 0, "loaded must not call load");
    cache.get();
    assert_eq!(
        cache.loaded(),
        Some(&config("db://a")),
        "loaded after a get"
    );
}

#[test]
fn preload_fills_it_without_loading_and_refuses_twice() {
    let (cache, loads) = counted("db://loaded");
    assert_eq!(
        cache.preload(config("db://preloaded")),
        Ok(()),
        "nothing loaded yet"
    );
    assert_eq!(
        cache.get(),
        &config("db://preloaded"),
        "get returns the preloaded config"
    );
    assert_eq!(
        loads.load(Ordering::SeqCst),
        0,
        "after a preload, load never runs"
    );
    assert_eq!(
        cache.preload(config("db://again")),
        Err(config("db://again")),
        "already loaded: preload gives the config back"
    );
}

#[test]
fn a_panicking_loader_leaves_it_unloaded() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let cache = ConfigCache::new(move || {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("the first load fails");
        }
        config("db://second-try")
    });
    let first = catch_unwind(AssertUnwindSafe(|| cache.get().clone()));
    assert!(
        first.is_err(),
        "the loader's panic reaches the caller of get"
    );
    assert_eq!(
        cache.loaded(),
        None,
        "a failed load leaves the cache unloaded"
    );
    assert_eq!(
        cache.get(),
        &config("db://second-try"),
        "the next get loads again"
    );
}

#[test]
fn many_threads_asking_first_load_once() {
    let (cache, loads) = counted("db://shared");
    let cache = Arc::new(cache);
    let start = Arc::new(Barrier::new(8));
    let urls = finishes_within(GENEROUS, "8 threads calling get", move || {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (cache, start) = (Arc::clone(&cache), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    cache.get().url.clone()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert_eq!(
        urls,
        vec!["db://shared".to_string(); 8],
        "every thread got the config"
    );
    assert_eq!(
        loads.load(Ordering::SeqCst),
        1,
        "8 threads asked at once: one load"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    // std's `Arc` for the cache: the models explore the cache's own steps, not its
    // reference count.
    use std::sync::Arc;

    use crate::sync::atomic::{AtomicUsize, Ordering};
    use crate::thread;
    use crate::under_loom::config_once::{Config, ConfigCache};

    fn counted(url: &'static str) -> (Arc<ConfigCache>, Arc<AtomicUsize>) {
        let loads = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&loads);
        let cache = ConfigCache::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Config { url: url.into() }
        });
        (Arc::new(cache), loads)
    }

    support::loom_test! {
        /// Two threads call `get` on a fresh cache at the same moment.
        fn two_threads_asking_at_once_load_once() {
            let (cache, loads) = counted("db://a");
            let other = Arc::clone(&cache);
            let worker = thread::spawn(move || other.get() as *const Config as usize);
            let mine = cache.get() as *const Config as usize;
            let theirs = worker.join().unwrap();
            let runs = loads.load(Ordering::SeqCst);
            assert_eq!(
                runs, 1,
                "two threads asked at once and the config was loaded {runs} times: a look \
                 (`get`) and a later store (`set`) let both threads load; one call must \
                 look and load"
            );
            assert_eq!(mine, theirs, "both threads must get the one stored config");
        }
    }

    support::loom_test! {
        /// A `preload` in one thread races a `get` in another: exactly one of them fills it.
        fn a_preload_racing_a_get_fills_it_once() {
            let (cache, loads) = counted("db://loaded");
            let other = Arc::clone(&cache);
            let worker = thread::spawn(move || other.preload(Config { url: "db://pre".into() }));
            let got = cache.get().url.clone();
            let preloaded = worker.join().unwrap();
            let runs = loads.load(Ordering::SeqCst);
            match preloaded {
                Ok(()) => {
                    assert_eq!(got, "db://pre", "the preload won: get returns it");
                    assert_eq!(runs, 0, "the preload won: load must not run");
                }
                Err(back) => {
                    assert_eq!(back.url, "db://pre", "a refused preload gives its config back");
                    assert_eq!((got.as_str(), runs), ("db://loaded", 1), "the get won: one load");
                }
            }
        }
    }
}
