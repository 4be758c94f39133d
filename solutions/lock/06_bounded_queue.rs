//! # bounded_queue: producers, consumers and the missed wake-up
//!
//! Python's `queue.Queue(maxsize)` blocks `put` while full and `get` while empty. Build the
//! same from one `Mutex<VecDeque<T>>` and two `Condvar`s: `not_empty` wakes consumers,
//! `not_full` wakes producers.
//!
//! The classic bugs: waiting with `if` instead of `while` (another thread took the item
//! between the notification and your wake-up), and one condition variable for both kinds of
//! waiter with `notify_one` (the one wake-up goes to the wrong kind, and everyone sleeps).

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
        assert!(
            capacity > 0,
            "a bounded queue needs a capacity of at least 1"
        );
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Appends `item`, waiting while the queue is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        // `while`: a wake-up only says "maybe"; re-check after every one.
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        // Only consumers wait on `not_empty`, so waking one of them is enough.
        self.not_empty.notify_one();
    }

    /// Removes the oldest item, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        loop {
            if let Some(item) = items.pop_front() {
                self.not_full.notify_one();
                return item;
            }
            items = self.not_empty.wait(items).unwrap();
        }
    }

    /// Appends `item` if there is room now; gives it back otherwise.
    pub fn try_push(&self, item: T) -> Result<(), T> {
        let mut items = self.items.lock().unwrap();
        if items.len() == self.capacity {
            return Err(item);
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Removes the oldest item if there is one now; a producer waiting in `push` for room
    /// is woken, as after `pop`.
    pub fn try_pop(&self) -> Option<T> {
        let item = self.items.lock().unwrap().pop_front();
        if item.is_some() {
            self.not_full.notify_one();
        }
        item
    }

    /// How many items are queued now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the queue is empty now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most items the queue holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
