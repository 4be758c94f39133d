//! # bounded_queue: producers, consumers and the missed wake-up
//!
//! Python's `queue.Queue(maxsize)` blocks `put` while full and `get` while empty. Build the
//! same from one `Mutex<VecDeque<T>>` and two `Condvar`s: `not_empty` wakes consumers,
//! `not_full` wakes producers.
//!
//! With any number of producers and consumers, every pushed item reaches exactly one
//! consumer, items come out in the order they went in, and no thread stays asleep while it
//! could go on (a blocked producer wakes once there is room, a consumer once there is an
//! item).

use std::collections::VecDeque;

use crate::sync::{Condvar, Mutex};

/// A first-in first-out queue holding at most `capacity` items.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    /// An empty queue. Panics if `capacity` is 0: such a queue could never accept an item.
    pub fn new(capacity: usize) -> Self {
        todo!()
    }

    /// Appends `item`, waiting while the queue is full.
    pub fn push(&self, item: T) {
        todo!()
    }

    /// Removes the oldest item, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        todo!()
    }

    /// Appends `item` if there is room now; gives it back otherwise.
    pub fn try_push(&self, item: T) -> Result<(), T> {
        todo!()
    }

    /// Removes the oldest item if there is one now; a producer waiting in `push` for room
    /// is woken, as after `pop`.
    pub fn try_pop(&self) -> Option<T> {
        todo!()
    }

    /// How many items are queued now.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// Whether the queue is empty now.
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// The most items the queue holds.
    pub fn capacity(&self) -> usize {
        todo!()
    }
}
