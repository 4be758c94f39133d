//! What every topic crate shares, written once.
//!
//! - [`facade`]: the primitives an exercise file may use, in a std flavour and a loom
//!   flavour with the same names. Nothing else in the course names `std::sync` or `loom`.
//! - [`loom_test!`]: declares a loom model test that explores every interleaving in a child
//!   process, so a deadlock or abort is reported readably and never takes other tests down.
//! - [`hang_guard::finishes_within`]: the hang guard for std tests.
//! - [`clock`]: `crate::time::Instant`, and the [`clock::TestClock`] tests drive time with.
//! - [`an_early_exit_fails!`]: a test process that ends itself with status 0 fails.
//! - [`worker`]: the one program an exercise may start (`crate::process::Worker`).

pub mod clock;
pub mod early_exit;
pub mod facade;
pub mod hang_guard;
pub mod model;
pub mod report;
pub mod trace;
pub mod worker;

pub use hang_guard::finishes_within;

/// Declares a `#[test]` that model-checks its body with loom over *every* interleaving.
///
/// ```ignore
/// support::loom_test! {
///     /// Two threads increment once each; no interleaving may lose an increment.
///     fn no_increment_is_lost() {
///         let counter = Arc::new(Counter::new());
///         // ...
///     }
/// }
/// ```
///
/// The body runs in a child process (see [`model::explore`]); its test path (`counter::x`)
/// names the exercise in every report.
#[macro_export]
macro_rules! loom_test {
    ($(#[$meta:meta])* fn $name:ident() $body:block) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            $crate::model::explore(
                env!("CARGO_PKG_NAME"),
                concat!(module_path!(), "::", stringify!($name)),
                || $body,
            );
        }
    };
}
