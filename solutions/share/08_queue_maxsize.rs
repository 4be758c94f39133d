//! # queue_maxsize: Python's `queue.Queue(maxsize)` on std's channels
//!
//! `queue.Queue(maxsize=n)` holds at most `n` items: `put` blocks while it is full and
//! `put_nowait` raises `queue.Full`. `maxsize <= 0` means no limit. std's `mpsc` has the
//! same two kinds of channel, but capacity 0 means something else there.
//!
//! `queue(maxsize)` returns a producer and a consumer. With `maxsize > 0`, at most
//! `maxsize` items wait: `put` blocks until there is room, `put_nowait` refuses with
//! `Full` and gives the item back. With `maxsize == 0` there is no limit: `put_nowait`
//! refuses only when the consumer is gone. Producers can be cloned (many threads may put);
//! `get` returns items in the order they were put and `None` once the queue is empty and
//! every producer has been dropped (the loop `while let Some(item) = consumer.get()` ends).
//! A `put` to a queue whose consumer is gone gives the item back as `Err(Closed(item))`.

use crate::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

/// Why `put_nowait` gave the item back.
#[derive(Debug, PartialEq, Eq)]
pub enum PutError<T> {
    /// `maxsize` items are waiting (Python's `queue.Full`).
    Full(T),
    /// The consumer is gone: nobody will ever `get` it.
    Closed(T),
}

/// The consumer is gone; here is the item back.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed<T>(pub T);

/// The putting end; clone it for every producing thread.
#[derive(Debug)]
pub struct Producer<T> {
    sender: Sender<T>,
}

#[derive(Debug)]
enum Sender<T> {
    Bounded(SyncSender<T>),
    Unbounded(mpsc::Sender<T>),
}

// By hand: a derive would demand `T: Clone`, which cloning a sender does not need.
impl<T> Clone for Producer<T> {
    fn clone(&self) -> Self {
        let sender = match &self.sender {
            Sender::Bounded(sender) => Sender::Bounded(sender.clone()),
            Sender::Unbounded(sender) => Sender::Unbounded(sender.clone()),
        };
        Self { sender }
    }
}

/// The getting end.
#[derive(Debug)]
pub struct Consumer<T> {
    receiver: Receiver<T>,
}

/// A queue holding at most `maxsize` items (`0`: no limit).
pub fn queue<T>(maxsize: usize) -> (Producer<T>, Consumer<T>) {
    let (sender, receiver) = if maxsize == 0 {
        let (sender, receiver) = mpsc::channel();
        (Sender::Unbounded(sender), receiver)
    } else {
        let (sender, receiver) = mpsc::sync_channel(maxsize);
        (Sender::Bounded(sender), receiver)
    };
    (Producer { sender }, Consumer { receiver })
}

impl<T> Producer<T> {
    /// Puts `item`, waiting while the queue is full.
    pub fn put(&self, item: T) -> Result<(), Closed<T>> {
        match &self.sender {
            Sender::Bounded(sender) => sender.send(item),
            Sender::Unbounded(sender) => sender.send(item),
        }
        .map_err(|error| Closed(error.0))
    }

    /// Puts `item` if there is room now.
    pub fn put_nowait(&self, item: T) -> Result<(), PutError<T>> {
        match &self.sender {
            Sender::Bounded(sender) => sender.try_send(item).map_err(|error| match error {
                TrySendError::Full(item) => PutError::Full(item),
                TrySendError::Disconnected(item) => PutError::Closed(item),
            }),
            Sender::Unbounded(sender) => {
                sender.send(item).map_err(|error| PutError::Closed(error.0))
            }
        }
    }
}

impl<T> Consumer<T> {
    /// The oldest item, waiting for one; `None` once empty with every producer gone.
    pub fn get(&self) -> Option<T> {
        self.receiver.recv().ok()
    }
}
