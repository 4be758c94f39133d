//! A test process that ends itself with status 0 never passes.
//!
//! nextest and cargo judge a test process by its exit status. Code under test that ends the
//! process in the middle of a test (`signal_hook::low_level::exit(0)`, `std::process::exit(0)`)
//! would exit 0 before any assertion ran: a pass for no work, whatever it printed. Each topic's
//! test binary therefore defines `exit` and `_exit` itself ([`an_early_exit_fails!`]): the
//! executable's own definitions win over the C library's for every call from Rust code, while
//! the normal end of a test run (returning from `main`) goes through the C library's internal
//! path and is untouched. libtest never calls `exit(0)` itself: a passing run returns from
//! `main`, a failing one exits 101. The one legitimate `exit(0)` is a loom model's child
//! process after it explored every interleaving (rusty-fork ends the child so), which
//! [`crate::model`] announces first through a crate-private flag that no exercise file can
//! reach. Any other status 0 through these functions is an early end, and it becomes
//! [`EARLY_EXIT_STATUS`], decided by the process's own structure, not by text.

use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of a test process that tried to end itself with status 0.
pub const EARLY_EXIT_STATUS: c_int = 86;

/// Set once the course's own harness has finished its work in this process.
static HARNESS_FINISHED: AtomicBool = AtomicBool::new(false);

/// The course's harness (a model's child process) is done: its own `exit(0)` may follow.
pub(crate) fn harness_finished() {
    HARNESS_FINISHED.store(true, Ordering::SeqCst);
}

const MESSAGE: &[u8] = b"\n[threadwork] the code under test ended the test process with \
status 0 before the test finished, so its checks never ran: counted as a failure.\n";

/// Defines `exit` and `_exit` in the calling test binary (call once, at the top level of
/// `tests/<topic>/main.rs`). The definitions must be in the binary's own crate: the linker
/// takes a library's only when something else needs it first.
#[macro_export]
macro_rules! an_early_exit_fails {
    () => {
        /// `exit(3)` for this test binary: see `support::early_exit`.
        #[unsafe(no_mangle)]
        pub extern "C" fn exit(status: ::std::ffi::c_int) -> ! {
            $crate::early_exit::exit(status)
        }

        /// `_exit(2)` for this test binary: see `support::early_exit`.
        #[unsafe(no_mangle)]
        pub extern "C" fn _exit(status: ::std::ffi::c_int) -> ! {
            $crate::early_exit::exit_now(status)
        }
    };
}

/// `exit(status)`: an early 0 becomes [`EARLY_EXIT_STATUS`]; any other status goes to the C
/// library's `exit` (atexit handlers, flushed streams), as libtest's failing exit expects.
pub fn exit(status: c_int) -> ! {
    if status == 0 && !HARNESS_FINISHED.load(Ordering::SeqCst) {
        exit_now(0);
    }
    // SAFETY: RTLD_NEXT with a NUL-terminated name; the symbol found is the C library's
    // `exit`, whose signature is `void exit(int)`.
    unsafe {
        let real = libc::dlsym(libc::RTLD_NEXT, c"exit".as_ptr());
        if !real.is_null() {
            let real: extern "C" fn(c_int) -> ! = std::mem::transmute(real);
            real(status);
        }
    }
    exit_now(status)
}

/// `_exit(status)`: ends the process at once, an early 0 as [`EARLY_EXIT_STATUS`].
pub fn exit_now(status: c_int) -> ! {
    let status = if status == 0 && !HARNESS_FINISHED.load(Ordering::SeqCst) {
        // SAFETY: write(2) of a static buffer to stderr; a failed write changes nothing.
        unsafe { libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len()) };
        EARLY_EXIT_STATUS
    } else {
        status
    };
    // SAFETY: exit_group(2) takes a status and never returns.
    unsafe { libc::syscall(libc::SYS_exit_group, status as libc::c_long) };
    // exit_group cannot fail; if it did, never return into code that thinks it exited.
    loop {
        std::hint::spin_loop();
    }
}
