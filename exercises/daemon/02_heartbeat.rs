//! # heartbeat: a background worker that stops when told
//!
//! The tutorials' timer thread loops until a stop event is set: check the event, sleep one
//! second, print how long the user has been logged in. A stop request that arrives during
//! the sleep waits for the sleep to end; with a one-hour interval, stopping takes an hour.
//!
//! Write `spawn_heartbeat`: it starts a thread that beats at once (`beat(1)`), then once per
//! `interval` (`beat(2)`, `beat(3)`, ...), until `stop` is set. Setting `stop` ends it at
//! once, however long the interval: no beat after that, and no waiting out the rest of the
//! interval. A heartbeat whose `stop` is already set never beats. The thread returns how
//! many beats it made.
//!
//! This exercise uses your `Event` from `01_event.rs`: finish that one first.

use std::time::Duration;

use super::event::Event;
use crate::sync::Arc;
use crate::thread::{self, JoinHandle};

/// Starts the heartbeat thread. Joining the handle gives the number of beats made.
pub fn spawn_heartbeat<F>(stop: Arc<Event>, interval: Duration, beat: F) -> JoinHandle<u64>
where
    F: FnMut(u64) + Send + 'static,
{
    todo!()
}
