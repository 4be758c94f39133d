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
//!
//! [`sync_channel`] (loom 0.7 has none) is a queue under a loom `Mutex` with two loom
//! `Condvar`s (see [`Bounded`]), so loom explores every lock and every wake-up of it; its
//! [`Receiver`] is the same type as the unbounded channel's, as in std.

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::trace;

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

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
            kind: Kind::Unbounded(Unbounded {
                inner: Some(rx),
                shared,
                closed: Cell::new(false),
            }),
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

/// The receiving half, of either kind of channel. Like std's, it can move to another thread
/// but not be shared.
pub struct Receiver<T> {
    kind: Kind<T>,
}

enum Kind<T> {
    Unbounded(Unbounded<T>),
    Bounded(Arc<Bounded<T>>),
}

/// The receiving half of [`channel`].
struct Unbounded<T> {
    /// `None` only while being dropped.
    inner: Option<LoomReceiver<T>>,
    shared: Arc<Shared<T>>,
    /// Set once `Closed` has been received.
    closed: Cell<bool>,
}

impl<T> Unbounded<T> {
    /// The channel's identity in the trace (shared by its senders and its receiver).
    fn channel(&self) -> usize {
        Arc::as_ptr(&self.shared).cast::<()>() as usize
    }

    fn loom(&self) -> &LoomReceiver<T> {
        self.inner.as_ref().expect("the receiver is in use")
    }

    fn recv(&self, at: &'static Location<'static>) -> Result<T, RecvError> {
        if self.closed.get() {
            return Err(RecvError);
        }
        let channel = self.channel();
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

    fn try_recv(&self) -> Result<T, TryRecvError> {
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
}

impl<T> Drop for Unbounded<T> {
    fn drop(&mut self) {
        self.shared.receiver_alive.store(false, Ordering::SeqCst);
        let parked = self.inner.take();
        *self.shared.parked.lock().unwrap_or_else(|e| e.into_inner()) = parked;
    }
}

impl<T> Receiver<T> {
    /// Waits for the next value; `Err(RecvError)` once every sender has been dropped and
    /// every value sent before that has been received.
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.recv_at(Location::caller())
    }

    /// [`Self::recv`], recorded at `at` (an iterator's: where the learner asked for it).
    fn recv_at(&self, at: &'static Location<'static>) -> Result<T, RecvError> {
        match &self.kind {
            Kind::Unbounded(unbounded) => unbounded.recv(at),
            Kind::Bounded(bounded) => bounded.recv(at),
        }
    }

    /// Takes a queued value without waiting.
    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        match &self.kind {
            Kind::Unbounded(unbounded) => unbounded.try_recv(),
            Kind::Bounded(bounded) => bounded.try_recv(),
        }
    }

    /// Under loom this never times out (there is no clock): it behaves like [`Self::recv`].
    #[track_caller]
    pub fn recv_timeout(&self, _timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.recv()
            .map_err(|RecvError| RecvTimeoutError::Disconnected)
    }

    /// Iterates over values until the channel disconnects, like std's `Receiver::iter`.
    #[track_caller]
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            receiver: self,
            at: Location::caller(),
        }
    }

    /// Iterates over the values queued right now, without waiting.
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receiver { .. }")
    }
}

/// Creates a bounded channel, like `std::sync::mpsc::sync_channel`: at most `bound` values
/// wait, and `send` blocks while they do. `bound == 0` is a rendezvous: no value waits, and
/// `send` returns only once the receiver has taken its value.
#[track_caller]
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let bounded = Arc::new(Bounded {
        state: loom::sync::Mutex::new(State {
            queue: VecDeque::new(),
            senders: 1,
            receiver_alive: true,
            receiver_waiting: false,
            taken: 0,
            put: 0,
        }),
        for_senders: loom::sync::Condvar::new(),
        for_receiver: loom::sync::Condvar::new(),
        bound,
    });
    (
        SyncSender {
            bounded: Arc::clone(&bounded),
        },
        Receiver {
            kind: Kind::Bounded(bounded),
        },
    )
}

/// What a [`sync_channel`]'s ends share: its queue and counts under one loom `Mutex`.
///
/// Senders wait on `for_senders` (for room, or in a rendezvous for the receiver to take
/// their value); the receiver waits on `for_receiver` (for a value or the last sender's
/// drop). Every wait is in a loop that re-checks the state, so several senders sharing one
/// condition variable (`notify_all`) is correct.
struct Bounded<T> {
    state: loom::sync::Mutex<State<T>>,
    for_senders: loom::sync::Condvar,
    for_receiver: loom::sync::Condvar,
    bound: usize,
}

struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver_alive: bool,
    /// The receiver sleeps in `recv` (a rendezvous `try_send` succeeds only then, as in std).
    receiver_waiting: bool,
    /// How many values the receiver has taken, and how many were queued: the `n`th value
    /// queued has been taken once `taken >= n` (a rendezvous sender waits for that).
    taken: u64,
    put: u64,
}

impl<T> Bounded<T> {
    fn channel(self: &Arc<Self>) -> usize {
        Arc::as_ptr(self).cast::<()>() as usize
    }

    fn lock(&self) -> loom::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Room for one more value: fewer than `bound` wait (a rendezvous holds its one value
    /// only while its sender waits for it to be taken).
    fn has_room(&self, state: &State<T>) -> bool {
        state.queue.len() < self.bound.max(1)
    }

    fn send(
        self: &Arc<Self>,
        value: T,
        at: &'static Location<'static>,
    ) -> Result<(), SendError<T>> {
        trace::record(trace::Op::Send, self.channel(), at);
        let mut state = self.lock();
        loop {
            if !state.receiver_alive {
                return Err(SendError(value));
            }
            if self.has_room(&state) {
                break;
            }
            state = self
                .for_senders
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        state.queue.push_back(value);
        state.put += 1;
        let mine = state.put;
        self.for_receiver.notify_one();
        if self.bound > 0 {
            return Ok(());
        }
        // A rendezvous: wait until the receiver has taken this value.
        loop {
            if state.taken >= mine {
                return Ok(());
            }
            if !state.receiver_alive {
                // Not taken, and the queue holds only this one value: take it back.
                let value = state.queue.pop_back().expect("the untaken value waits");
                return Err(SendError(value));
            }
            state = self
                .for_senders
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    fn try_send(
        self: &Arc<Self>,
        value: T,
        at: &'static Location<'static>,
    ) -> Result<(), TrySendError<T>> {
        trace::record(trace::Op::Send, self.channel(), at);
        let mut state = self.lock();
        if !state.receiver_alive {
            return Err(TrySendError::Disconnected(value));
        }
        // A rendezvous hands over only to a receiver already waiting, as std's does.
        let room = if self.bound == 0 {
            state.receiver_waiting && state.queue.is_empty()
        } else {
            self.has_room(&state)
        };
        if !room {
            return Err(TrySendError::Full(value));
        }
        state.queue.push_back(value);
        state.put += 1;
        if self.bound == 0 {
            // The waiting receiver takes it; no other value may join it meanwhile.
            state.receiver_waiting = false;
        }
        self.for_receiver.notify_one();
        Ok(())
    }

    fn take(&self, state: &mut State<T>) -> Option<T> {
        let value = state.queue.pop_front()?;
        state.taken += 1;
        self.for_senders.notify_all();
        Some(value)
    }

    fn recv(self: &Arc<Self>, at: &'static Location<'static>) -> Result<T, RecvError> {
        let channel = self.channel();
        trace::record(trace::Op::Recv, channel, at);
        let mut state = self.lock();
        let received = loop {
            if let Some(value) = self.take(&mut state) {
                break Ok(value);
            }
            if state.senders == 0 {
                break Err(RecvError);
            }
            state.receiver_waiting = true;
            state = self
                .for_receiver
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
            state.receiver_waiting = false;
        };
        drop(state);
        trace::record(trace::Op::Received, channel, at);
        received
    }

    fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = self.lock();
        match self.take(&mut state) {
            Some(value) => Ok(value),
            None if state.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

/// The sending half of [`sync_channel`]; clone it for every producer. The channel
/// disconnects when the last clone is dropped.
pub struct SyncSender<T> {
    bounded: Arc<Bounded<T>>,
}

impl<T> SyncSender<T> {
    /// Queues `value`, waiting while `bound` values wait (in a rendezvous, until the
    /// receiver has taken it); fails, giving it back, if the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.bounded.send(value, Location::caller())
    }

    /// Queues `value` only if there is room now (in a rendezvous: only if the receiver is
    /// waiting in `recv`), else gives it back as `Full` or `Disconnected`.
    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.bounded.try_send(value, Location::caller())
    }
}

impl<T> Clone for SyncSender<T> {
    fn clone(&self) -> Self {
        self.bounded.lock().senders += 1;
        Self {
            bounded: Arc::clone(&self.bounded),
        }
    }
}

impl<T> Drop for SyncSender<T> {
    fn drop(&mut self) {
        let mut state = self.bounded.lock();
        state.senders -= 1;
        if state.senders == 0 {
            self.bounded.for_receiver.notify_one();
        }
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncSender { .. }")
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let Kind::Bounded(bounded) = &self.kind else {
            return; // `Unbounded`'s own drop parks loom's receiver
        };
        let mut state = bounded.lock();
        state.receiver_alive = false;
        // As in std, the values nobody will take are dropped now; a rendezvous sender still
        // waiting takes its own back (`send` above).
        let dropped = if bounded.bound > 0 {
            std::mem::take(&mut state.queue)
        } else {
            VecDeque::new()
        };
        bounded.for_senders.notify_all();
        drop(state);
        drop(dropped);
    }
}

/// Blocking iterator from [`Receiver::iter`].
#[derive(Debug)]
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
    /// Where the learner made the iterator (`rx.iter()`, `for x in &rx`): each `recv` of
    /// `next` is recorded there, since `next`'s own caller is std's iterator code.
    at: &'static Location<'static>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv_at(self.at).ok()
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
    /// Where the learner made it, as in [`Iter`].
    at: &'static Location<'static>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv_at(self.at).ok()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    #[track_caller]
    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            receiver: self,
            at: Location::caller(),
        }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    #[track_caller]
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

    #[test]
    fn a_bounded_send_waits_for_room_and_values_keep_their_order() {
        loom::model(|| {
            let (tx, rx) = sync_channel(1);
            let other = tx.clone();
            let worker = loom::thread::spawn(move || {
                other.send(1).unwrap();
                other.send(2).unwrap(); // waits until 1 was taken
            });
            drop(tx);
            let got: Vec<i32> = rx.iter().collect();
            assert_eq!(got, [1, 2]);
            assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
            worker.join().unwrap();
        });
    }

    #[test]
    fn try_send_says_full_then_disconnected() {
        loom::model(|| {
            let (tx, rx) = sync_channel(1);
            assert_eq!(tx.try_send(1), Ok(()));
            assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
            assert_eq!(rx.try_recv(), Ok(1));
            assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
            assert_eq!(tx.try_send(3), Ok(()));
            drop(rx);
            assert_eq!(tx.try_send(4), Err(TrySendError::Disconnected(4)));
            assert_eq!(tx.send(5), Err(SendError(5)));
        });
    }

    #[test]
    fn the_receivers_drop_wakes_a_sender_waiting_for_room() {
        loom::model(|| {
            let (tx, rx) = sync_channel(1);
            let worker = loom::thread::spawn(move || {
                let first = tx.send(1);
                (first, tx.send(2))
            });
            drop(rx);
            let (first, second) = worker.join().unwrap();
            assert!(first.is_ok() || first == Err(SendError(1)));
            assert_eq!(second, Err(SendError(2)), "nobody took 1: 2 never had room");
        });
    }

    #[test]
    fn a_rendezvous_send_returns_only_once_its_value_was_taken() {
        loom::model(|| {
            let (tx, rx) = sync_channel(0);
            // Nobody waits in `recv`: a rendezvous has no room.
            assert_eq!(tx.try_send(0), Err(TrySendError::Full(0)));
            let worker = loom::thread::spawn(move || tx.send(1));
            // The receiver leaves without taking anything: the send can never succeed.
            drop(rx);
            assert_eq!(worker.join().unwrap(), Err(SendError(1)));
        });
    }

    #[test]
    fn a_rendezvous_hands_every_value_over_in_order() {
        loom::model(|| {
            let (tx, rx) = sync_channel(0);
            let worker = loom::thread::spawn(move || {
                tx.send(1).unwrap();
                tx.send(2).unwrap();
            });
            assert_eq!(rx.recv(), Ok(1));
            assert_eq!(rx.recv(), Ok(2));
            assert_eq!(rx.recv(), Err(RecvError));
            worker.join().unwrap();
        });
    }

    #[test]
    fn a_rendezvous_try_send_reaches_a_waiting_receiver() {
        loom::model(|| {
            let (tx, rx) = sync_channel(0);
            let worker = loom::thread::spawn(move || rx.recv());
            // Refused while the receiver is not yet waiting; taken once it is.
            let mut value = 7;
            loop {
                match tx.try_send(value) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) => value = back,
                    Err(TrySendError::Disconnected(_)) => unreachable!("the receiver lives"),
                }
                loom::thread::yield_now();
            }
            assert_eq!(worker.join().unwrap(), Ok(7));
        });
    }
}
