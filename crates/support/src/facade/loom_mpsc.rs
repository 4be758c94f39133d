//! The loom flavour of `crate::sync::mpsc`: loom's channel, plus std's disconnection.
//!
//! Why not `loom::sync::mpsc` as it is: in loom 0.7 a `Sender` has no `Drop`, so the
//! channel never disconnects. `recv` after the last sender is gone blocks forever (loom
//! reports a deadlock even for a correct program), and `Receiver` has no `iter`. The Rust
//! idiom "drop every sender, then `for item in rx` ends" could not be model-checked.
//!
//! How: values travel through loom's own channel (so loom still explores every send and
//! receive and tracks their happens-before), wrapped in [`Message::Value`]. The live
//! senders are counted; the last one to go sends [`Message::Closed`], which the receiver
//! turns into `Err(RecvError)`. Because each sender's values are queued before its count
//! drops, and the queue is FIFO, `Closed` always comes after every value.
//!
//! The count and flags are std atomics on purpose: they add no loom branch points (loom
//! runs one thread at a time between its own operations), so a model costs what it would
//! cost with loom's plain channel. The interleavings that matter (which send or receive
//! happens first) are all still loom operations.
//!
//! Like loom's `Condvar::wait_timeout`, `recv_timeout` never times out: under loom there
//! is no clock, so it waits for a value or the disconnection.

use std::cell::Cell;
use std::fmt;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::trace;

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError};

/// What travels through loom's channel.
enum Message<T> {
    Value(T),
    /// Sent once, by the last sender to be dropped.
    Closed,
}

type LoomReceiver<T> = loom::sync::mpsc::Receiver<Message<T>>;

struct Shared<T> {
    senders: AtomicUsize,
    receiver_alive: AtomicBool,
    /// A dropped receiver's loom half, kept until the last handle goes: loom reports
    /// values left in a channel as leaked, and loom's receiver drains them when dropped.
    /// Parking it here means a send that races with the receiver's drop cannot leak.
    parked: Mutex<Option<LoomReceiver<T>>>,
}

/// Creates an unbounded channel, like `std::sync::mpsc::channel`.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = loom::sync::mpsc::channel();
    let shared = Arc::new(Shared {
        senders: AtomicUsize::new(1),
        receiver_alive: AtomicBool::new(true),
        parked: Mutex::new(None),
    });
    (
        Sender {
            inner: tx,
            shared: Arc::clone(&shared),
        },
        Receiver {
            inner: Some(rx),
            shared,
            closed: Cell::new(false),
        },
    )
}

/// The sending half; clone it for every producer. The channel disconnects when the last
/// clone is dropped.
pub struct Sender<T> {
    inner: loom::sync::mpsc::Sender<Message<T>>,
    shared: Arc<Shared<T>>,
}

impl<T> Sender<T> {
    /// Queues `value`; fails (giving it back) only if the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let channel = Arc::as_ptr(&self.shared).cast::<()>() as usize;
        trace::record(trace::Op::Send, channel, Location::caller());
        if !self.shared.receiver_alive.load(Ordering::SeqCst) {
            return Err(SendError(value));
        }
        self.inner
            .send(Message::Value(value))
            .map_err(|SendError(message)| match message {
                Message::Value(value) => SendError(value),
                Message::Closed => unreachable!("only values are sent here"),
            })
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        // SeqCst, though loom runs one thread at a time here: the count must be exact.
        self.shared.senders.fetch_add(1, Ordering::SeqCst);
        Self {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let last = self.shared.senders.fetch_sub(1, Ordering::SeqCst) == 1;
        if last && self.shared.receiver_alive.load(Ordering::SeqCst) {
            // Our own values, and every other sender's, were queued before their counts
            // dropped: `Closed` lands behind all of them.
            let _ = self.inner.send(Message::Closed);
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sender { .. }")
    }
}

/// The receiving half. Like std's, it can move to another thread but not be shared.
pub struct Receiver<T> {
    /// `None` only while being dropped.
    inner: Option<LoomReceiver<T>>,
    shared: Arc<Shared<T>>,
    /// Set once `Closed` has been received.
    closed: Cell<bool>,
}

impl<T> Receiver<T> {
    /// The channel's identity in the trace (shared by its senders and its receiver).
    fn channel(&self) -> usize {
        Arc::as_ptr(&self.shared).cast::<()>() as usize
    }

    fn loom(&self) -> &LoomReceiver<T> {
        self.inner.as_ref().expect("the receiver is in use")
    }

    /// Waits for the next value; `Err(RecvError)` once every sender has been dropped and
    /// every value sent before that has been received.
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        if self.closed.get() {
            return Err(RecvError);
        }
        let (channel, at) = (self.channel(), Location::caller());
        trace::record(trace::Op::Recv, channel, at);
        let received = self.loom().recv();
        trace::record(trace::Op::Received, channel, at);
        match received {
            Ok(Message::Value(value)) => Ok(value),
            Ok(Message::Closed) | Err(RecvError) => {
                self.closed.set(true);
                Err(RecvError)
            }
        }
    }

    /// Takes a queued value without waiting.
    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        if self.closed.get() {
            return Err(TryRecvError::Disconnected);
        }
        match self.loom().try_recv() {
            Ok(Message::Value(value)) => Ok(value),
            Ok(Message::Closed) | Err(TryRecvError::Disconnected) => {
                self.closed.set(true);
                Err(TryRecvError::Disconnected)
            }
            Err(TryRecvError::Empty) => Err(TryRecvError::Empty),
        }
    }

    /// Under loom this never times out (there is no clock): it behaves like [`Self::recv`].
    #[track_caller]
    pub fn recv_timeout(&self, _timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.recv()
            .map_err(|RecvError| RecvTimeoutError::Disconnected)
    }

    /// Iterates over values until the channel disconnects, like std's `Receiver::iter`.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { receiver: self }
    }

    /// Iterates over the values queued right now, without waiting.
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.receiver_alive.store(false, Ordering::SeqCst);
        let parked = self.inner.take();
        *self.shared.parked.lock().unwrap_or_else(|e| e.into_inner()) = parked;
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receiver { .. }")
    }
}

/// Blocking iterator from [`Receiver::iter`].
#[derive(Debug)]
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
}

// No #[track_caller] on the blocking `next`s: their caller is std's iterator code, so a
// deadlock report would name a file in `alloc`. It names this line instead, which says why.
impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok() // rx.iter(): waits for a value or until every Sender is dropped
    }
}

/// Non-blocking iterator from [`Receiver::try_iter`].
#[derive(Debug)]
pub struct TryIter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.receiver.try_recv().ok()
    }
}

/// Owning blocking iterator (`for value in receiver`).
#[derive(Debug)]
pub struct IntoIter<T> {
    receiver: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok() // for x in rx: waits for a value or until every Sender is dropped
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { receiver: self }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_ends_after_every_value_once_all_senders_are_gone() {
        loom::model(|| {
            let (tx, rx) = channel();
            let other = tx.clone();
            let worker = loom::thread::spawn(move || {
                other.send(1).unwrap();
                other.send(2).unwrap();
            });
            tx.send(3).unwrap();
            drop(tx);
            let mut got: Vec<i32> = rx.iter().collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2, 3]);
            assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
            worker.join().unwrap();
        });
    }

    #[test]
    fn a_send_racing_with_the_receivers_drop_leaks_nothing() {
        loom::model(|| {
            let (tx, rx) = channel();
            let worker = loom::thread::spawn(move || {
                let _ = tx.send(1);
            });
            drop(rx);
            worker.join().unwrap();
        });
    }

    #[test]
    fn try_recv_tells_empty_from_disconnected() {
        loom::model(|| {
            let (tx, rx) = channel::<u8>();
            assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
            drop(tx);
            assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
            assert_eq!(rx.recv(), Err(RecvError));
        });
    }
}
