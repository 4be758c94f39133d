//! # config_once: loaded once, however many threads ask first
//!
//! Python's lazy singleton checks, locks, and checks again:
//!
//! ```python
//! _lock = threading.Lock()
//! _config = None
//! def get_config():
//!     global _config
//!     if _config is None:
//!         with _lock:
//!             if _config is None:
//!                 _config = load()
//!     return _config
//! ```
//!
//! Rust's `OnceLock<T>` is that whole pattern in one type: a cell written at most once.
//!
//! `ConfigCache::new(load)` keeps the loader and loads nothing yet. `get` returns the config,
//! calling `load` on the first call only: when many threads call `get` at once on a fresh
//! cache, `load` runs exactly once, the others wait for it, and every caller gets a
//! reference to that one config. If `load` panics, the panic reaches that caller and the
//! cache stays unloaded (the next `get` calls `load` again). `loaded` returns the config if
//! it is loaded, without loading it or waiting. `preload(config)` stores `config` if nothing
//! is loaded yet (then `get` never calls `load`), and gives it back as `Err` otherwise.
//!
//! Keep the cell in a field (as here), not in a `static`: the loom flavour's `OnceLock::new`
//! is not `const`, so a `static OnceLock` compiles only against std.

use crate::sync::OnceLock;

/// What the loader produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub url: String,
}

/// A config loaded on first use.
pub struct ConfigCache {
    load: Box<dyn Fn() -> Config + Send + Sync>,
    config: OnceLock<Config>,
}

impl ConfigCache {
    /// A cache that will call `load` when the config is first needed.
    pub fn new(load: impl Fn() -> Config + Send + Sync + 'static) -> Self {
        Self {
            load: Box::new(load),
            config: OnceLock::new(),
        }
    }

    /// The config, loaded by the first caller; every caller gets the same one.
    pub fn get(&self) -> &Config {
        self.config.get_or_init(|| (self.load)())
    }

    /// The config if it is loaded; never loads, never waits.
    pub fn loaded(&self) -> Option<&Config> {
        self.config.get()
    }

    /// Stores `config` if nothing is loaded yet; otherwise gives it back.
    pub fn preload(&self, config: Config) -> Result<(), Config> {
        self.config.set(config)
    }
}

// By hand: the loader has no `Debug`.
impl std::fmt::Debug for ConfigCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigCache")
            .field("config", &self.loaded())
            .finish_non_exhaustive()
    }
}
