//! How the learner started the CLI, so every command we suggest can be typed back as is:
//! `cargo tw hint counter` after `cargo tw ...` (the alias in .cargo/config.toml),
//! `threadwork hint counter` after running the binary itself.
//!
//! `cargo run` (and so the alias) replaces itself with the binary, so the parent process
//! says nothing; what stays is the environment cargo sets for the program it runs: `CARGO`
//! (the cargo that ran it) and `CARGO_PKG_NAME` (the package it ran, this one). A binary
//! started from a shell has neither, unless the shell itself runs under cargo.

use std::sync::OnceLock;

/// The alias of .cargo/config.toml (`tw = "run -q -p threadwork --"`).
const CARGO_ALIAS: &str = "cargo tw";
const BINARY: &str = "threadwork";

/// `cargo tw <args>` or `threadwork <args>`, as the learner invoked the CLI.
pub fn command(args: &str) -> String {
    static PREFIX: OnceLock<&'static str> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        prefix(
            std::env::var_os("CARGO").is_some(),
            std::env::var("CARGO_PKG_NAME").ok().as_deref(),
        )
    });
    format!("{prefix} {args}")
}

/// Run by cargo when cargo's variables name this very package.
fn prefix(cargo_set: bool, package: Option<&str>) -> &'static str {
    if cargo_set && package == Some(env!("CARGO_PKG_NAME")) {
        CARGO_ALIAS
    } else {
        BINARY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_running_this_package_means_the_alias() {
        assert_eq!(prefix(true, Some("threadwork")), "cargo tw");
    }

    #[test]
    fn anything_else_means_the_binary() {
        assert_eq!(prefix(false, None), "threadwork");
        assert_eq!(prefix(false, Some("threadwork")), "threadwork");
        // e.g. a build script or another package's test running us
        assert_eq!(prefix(true, Some("lock")), "threadwork");
    }
}
