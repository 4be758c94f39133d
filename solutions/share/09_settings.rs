//! # settings: many readers, one writer
//!
//! Python has no reader-writer lock in its standard library; a `Lock` around the settings
//! makes readers wait for each other. Rust's `RwLock` lets any number of readers in at
//! once, or one writer alone.
//!
//! `Settings` holds a `Config`. `read` calls `inspect` with the current config and returns
//! what it returns; any number of threads may be inside `read` at the same time (a reader
//! never waits for another reader). `rename` sets a new name and adds one to the version in
//! one step: no reader ever sees the new name with the old version or the other way round.
//! `snapshot` returns a copy of the current config.

use crate::sync::RwLock;

/// What the settings hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub name: String,
    pub version: u64,
}

/// A `Config` that many threads read and some threads change.
#[derive(Debug)]
pub struct Settings {
    current: RwLock<Config>,
}

impl Settings {
    /// Settings holding `config`.
    pub fn new(config: Config) -> Self {
        Self {
            current: RwLock::new(config),
        }
    }

    /// Calls `inspect` with the current config; readers run side by side.
    pub fn read<R>(&self, inspect: impl FnOnce(&Config) -> R) -> R {
        inspect(&self.current.read().unwrap())
    }

    /// Sets `name` and bumps the version, seen by readers as one change.
    pub fn rename(&self, name: &str) {
        let mut config = self.current.write().unwrap();
        config.name = name.to_owned();
        config.version += 1;
    }

    /// A copy of the current config.
    pub fn snapshot(&self) -> Config {
        self.read(Config::clone)
    }
}
