//! Exercise `bounded_queue`: FIFO, blocking at the bounds, and no missed wake-up.

use std::collections::VecDeque;
use std::sync::Arc;

use lock::bounded_queue::BoundedQueue;
use proptest::prelude::*;
use support::finishes_within;
use support::hang_guard::GENEROUS;

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = BoundedQueue::new(3);
    for i in 1..=3 {
        queue.push(i);
    }
    let out: Vec<i32> = (0..3).map(|_| queue.pop()).collect();
    assert_eq!(out, [1, 2, 3], "a queue is first-in first-out");
}

#[test]
fn try_push_refuses_when_full_and_gives_the_item_back() {
    let queue = BoundedQueue::new(1);
    assert_eq!(queue.try_push("a"), Ok(()), "room for one");
    assert_eq!(
        queue.try_push("b"),
        Err("b"),
        "full: the item must come back"
    );
    assert_eq!(
        (queue.len(), queue.capacity()),
        (1, 1),
        "len 1 of capacity 1"
    );
}

#[test]
fn is_empty_and_capacity_say_what_the_queue_holds() {
    let queue = BoundedQueue::new(3);
    assert!(
        queue.is_empty(),
        "a new queue is empty: is_empty() must be true"
    );
    assert_eq!(queue.try_push('a'), Ok(()), "room for three");
    assert!(
        !queue.is_empty(),
        "one item is queued: is_empty() must be false"
    );
    assert_eq!(
        queue.capacity(),
        3,
        "capacity() is the capacity given to new(), whatever is queued"
    );
    assert_eq!(queue.try_pop(), Some('a'), "the one item comes back");
    assert!(
        queue.is_empty(),
        "its one item was popped: is_empty() must be true again"
    );
}

#[test]
fn many_producers_and_consumers_deliver_every_item_once() {
    let queue = Arc::new(BoundedQueue::new(4));
    let shared = Arc::clone(&queue);
    let mut got = finishes_within(GENEROUS, "3 producers and 3 consumers", move || {
        let producers: Vec<_> = (0..3)
            .map(|p| {
                let q = Arc::clone(&shared);
                std::thread::spawn(move || (0..1_000).for_each(|i| q.push(p * 1_000 + i)))
            })
            .collect();
        let consumers: Vec<_> = (0..3)
            .map(|_| {
                let q = Arc::clone(&shared);
                std::thread::spawn(move || (0..1_000).map(|_| q.pop()).collect::<Vec<_>>())
            })
            .collect();
        producers
            .into_iter()
            .for_each(|h| h.join().expect("a producer panicked"));
        consumers
            .into_iter()
            .flat_map(|h| h.join().expect("a consumer panicked"))
            .collect::<Vec<_>>()
    });
    got.sort_unstable();
    assert_eq!(
        got,
        (0..3_000).collect::<Vec<_>>(),
        "items were lost or duplicated"
    );
    assert!(queue.is_empty(), "everything pushed was popped");
}

#[derive(Debug, Clone)]
enum Op {
    TryPush(u8),
    TryPop,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![any::<u8>().prop_map(Op::TryPush), Just(Op::TryPop)],
        0..100,
    )
}

proptest! {
    /// Any sequence of try_push/try_pop behaves like a `VecDeque` capped at the capacity.
    #[test]
    fn behaves_like_a_capped_vecdeque(capacity in 1usize..5, ops in ops()) {
        let queue = BoundedQueue::new(capacity);
        let mut model = VecDeque::new();
        for op in ops {
            match op {
                Op::TryPush(x) => {
                    let expected = if model.len() < capacity { model.push_back(x); Ok(()) } else { Err(x) };
                    prop_assert_eq!(queue.try_push(x), expected, "try_push({}) with {} queued", x, model.len());
                }
                Op::TryPop => prop_assert_eq!(queue.try_pop(), model.pop_front(), "try_pop is FIFO"),
            }
            prop_assert_eq!(queue.len(), model.len());
        }
    }
}

mod models {
    use crate::sync::Arc;
    use crate::thread;
    use crate::under_loom::bounded_queue::BoundedQueue;

    support::loom_test! {
        /// Capacity 1, one producer pushing two items, two consumers popping one each.
        /// `if` instead of `while`: a consumer is woken, but the other consumer took the
        /// item first, and the woken one pops an empty queue. One Condvar for both kinds of
        /// waiter with `notify_one`: a consumer's wake-up goes to the other consumer, the
        /// producer sleeps forever (DEADLOCK).
        fn two_consumers_one_producer_every_item_delivered() {
            // Spurious wake-ups off: they multiply this model's interleavings past the cost
            // budget; the consumers' stolen wake-ups still catch `if` in `pop` here, and
            // `a_full_queue_wakes_its_producer_and_keeps_order` catches it in `push`.
            support::model::without_spurious_wakeups();
            let queue = Arc::new(BoundedQueue::new(1));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let q = Arc::clone(&queue);
                    thread::spawn(move || q.pop())
                })
                .collect();
            queue.push(1);
            queue.push(2);
            let mut got: Vec<i32> = consumers.into_iter().map(|h| h.join().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2], "each pushed item must reach exactly one consumer");
        }
    }

    support::loom_test! {
        /// A producer blocked on a full queue is woken by the consumer's pop, and order holds;
        /// the queue never holds more than its capacity.
        fn a_full_queue_wakes_its_producer_and_keeps_order() {
            let queue = Arc::new(BoundedQueue::new(1));
            let producer = {
                let q = Arc::clone(&queue);
                thread::spawn(move || {
                    q.push(1);
                    q.push(2);
                })
            };
            let over_capacity = |queue: &BoundedQueue<i32>| {
                let held = queue.len();
                assert!(
                    held <= 1,
                    "a queue of capacity 1 held {held} items: push must wait until there is \
                     room, and re-check after every wake-up (`while`, not `if`)"
                );
            };
            over_capacity(&queue);
            let first = queue.pop();
            over_capacity(&queue);
            let second = queue.pop();
            producer.join().unwrap();
            assert_eq!((first, second), (1, 2), "items must come out in FIFO order");
        }
    }

    support::loom_test! {
        /// A producer blocked on a full queue, and the room made by `try_pop`: it must wake
        /// the producer like `pop` does, or the producer sleeps forever (DEADLOCK).
        fn try_pop_wakes_a_producer_blocked_on_a_full_queue() {
            let queue = Arc::new(BoundedQueue::new(1));
            queue.push(1);
            let producer = {
                let q = Arc::clone(&queue);
                thread::spawn(move || q.push(2))
            };
            assert_eq!(queue.try_pop(), Some(1), "the queue held 1");
            assert_eq!(queue.pop(), 2, "the producer's item comes next");
            producer.join().unwrap();
        }
    }
}
