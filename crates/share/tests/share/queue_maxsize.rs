//! Exercise `queue_maxsize`: `queue.Queue(maxsize)` semantics on std's channels.

// The stub's handles hold a placeholder and have no drop glue yet; the tests drop them on
// purpose (a dropped side closes the queue once the learner's fields are real).
#![allow(clippy::drop_non_drop)]

use share::queue_maxsize::{Closed, PutError, queue};
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn put_nowait_refuses_once_maxsize_items_wait() {
    let (producer, _consumer) = queue(2);
    assert_eq!(producer.put_nowait(1), Ok(()), "room for item 1 of 2");
    assert_eq!(producer.put_nowait(2), Ok(()), "room for item 2 of 2");
    assert_eq!(
        producer.put_nowait(3),
        Err(PutError::Full(3)),
        "maxsize 2 and 2 items wait: put_nowait must refuse with Full and give the item back"
    );
}

#[test]
fn a_get_makes_room_again() {
    let (producer, consumer) = queue(1);
    producer.put_nowait("a").unwrap();
    assert_eq!(
        producer.put_nowait("b"),
        Err(PutError::Full("b")),
        "queue of 1 is full"
    );
    assert_eq!(consumer.get(), Some("a"), "get returns the waiting item");
    assert_eq!(
        producer.put_nowait("c"),
        Ok(()),
        "after a get there is room again"
    );
}

#[test]
fn maxsize_zero_means_no_limit_as_in_python() {
    let (producer, consumer) = queue(0);
    for i in 0..1000 {
        assert_eq!(
            producer.put_nowait(i),
            Ok(()),
            "Queue(maxsize=0) has no limit in Python; item {i} was refused"
        );
    }
    drop(producer);
    assert_eq!(
        consumer.get(),
        Some(0),
        "items come out in the order they were put"
    );
}

#[test]
fn get_ends_when_every_producer_is_gone() {
    let (producer, consumer) = queue(3);
    let second = producer.clone();
    producer.put(1).unwrap();
    second.put(2).unwrap();
    drop(producer);
    drop(second);
    let items = finishes_within(GENEROUS, "get after the producers left", move || {
        let mut items = Vec::new();
        while let Some(item) = consumer.get() {
            items.push(item);
        }
        items
    });
    assert_eq!(
        items,
        [1, 2],
        "every item, then None once every producer is dropped"
    );
}

#[test]
fn a_put_without_a_consumer_gives_the_item_back() {
    for maxsize in [0, 2] {
        let (producer, consumer) = queue(maxsize);
        drop(consumer);
        assert_eq!(
            producer.put(5),
            Err(Closed(5)),
            "maxsize {maxsize}: put, consumer gone"
        );
        assert_eq!(
            producer.put_nowait(6),
            Err(PutError::Closed(6)),
            "maxsize {maxsize}: put_nowait, consumer gone"
        );
    }
}

#[test]
fn a_producer_thread_blocked_on_a_full_queue_delivers_everything_in_order() {
    let (producer, consumer) = queue(2);
    let items = finishes_within(GENEROUS, "a producer thread and a consumer", move || {
        let worker = std::thread::spawn(move || {
            for i in 0..100 {
                producer.put(i).expect("the consumer is still there");
            }
        });
        let mut items = Vec::new();
        while let Some(item) = consumer.get() {
            items.push(item);
        }
        worker.join().unwrap();
        items
    });
    assert_eq!(
        items,
        (0..100).collect::<Vec<_>>(),
        "all 100 items, in order"
    );
}

/// Models: every interleaving of the learner's own file, compiled against loom.
mod models {
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicBool, Ordering};
    use crate::thread;
    use crate::under_loom::queue_maxsize::{PutError, queue};

    support::loom_test! {
        /// A producer puts two items into a queue of one; the consumer looks, then gets.
        fn a_put_on_a_full_queue_waits_for_a_get() {
            let (producer, consumer) = queue(1);
            let both_put = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&both_put);
            let worker = thread::spawn(move || {
                producer.put(1).unwrap();
                producer.put(2).unwrap();
                flag.store(true, Ordering::SeqCst);
            });
            assert!(
                !both_put.load(Ordering::SeqCst),
                "put(2) returned before any get, while the queue of maxsize 1 was full: \
                 put must wait until a get makes room"
            );
            assert_eq!(consumer.get(), Some(1), "the first item put");
            assert_eq!(consumer.get(), Some(2), "the producer blocked on put(2) is woken by the get");
            worker.join().unwrap();
        }
    }

    support::loom_test! {
        /// A consumer thread gets the one waiting item while the caller tries to put another.
        fn put_nowait_refuses_only_while_the_queue_is_full() {
            let (producer, consumer) = queue(1);
            assert_eq!(producer.put_nowait(1), Ok(()), "room for 1 of 1");
            let getter = thread::spawn(move || {
                let first = consumer.get();
                (first, consumer)
            });
            let second = producer.put_nowait(2);
            assert!(
                second == Ok(()) || second == Err(PutError::Full(2)),
                "put_nowait(2) on a queue of 1 said {second:?}: Ok if the get came first, \
                 else Full(2)"
            );
            let (first, consumer) = getter.join().unwrap();
            assert_eq!(first, Some(1));
            if second.is_err() {
                assert_eq!(producer.put_nowait(2), Ok(()), "the get made room");
            }
            drop(producer);
            assert_eq!(consumer.get(), Some(2));
            assert_eq!(consumer.get(), None, "empty, and every producer is gone");
        }
    }

    support::loom_test! {
        /// Two producers, one in another thread; the consumer gets until `None`.
        fn get_ends_only_when_every_producer_is_gone() {
            let (producer, consumer) = queue(2);
            let other = producer.clone();
            let worker = thread::spawn(move || other.put(1).unwrap());
            producer.put(2).unwrap();
            drop(producer);
            let mut items = Vec::new();
            while let Some(item) = consumer.get() {
                items.push(item);
            }
            items.sort_unstable();
            assert_eq!(
                items,
                [1, 2],
                "get returned None while a producer was still there: None means empty \
                 *and* every producer gone, not just empty right now"
            );
            worker.join().unwrap();
        }
    }
}
