//! Whether a type is `Send` or `Sync`, as a `bool` at run time.
//!
//! A plain `fn assert_send<T: Send>()` would stop the whole test binary from compiling while
//! the learner's type is not `Send` yet, so no test of the topic could run. This probe
//! compiles either way and lets one named test fail with a readable message instead.
//!
//! How: for a concrete type, an inherent associated const (declared only where `T: Send`)
//! wins over a trait's const of the same name; where the bound does not hold, only the
//! trait's `false` is there. It works for concrete types only, which is all the tests need.

use std::marker::PhantomData;

pub struct Probe<T: ?Sized>(PhantomData<T>);

pub trait Fallback {
    const IS_SEND: bool = false;
    const IS_SYNC: bool = false;
}

impl<T: ?Sized> Fallback for Probe<T> {}

#[allow(dead_code)] // read through the macros below, which the compiler cannot see
impl<T: ?Sized + Send> Probe<T> {
    pub const IS_SEND: bool = true;
}

/// A second type, because one type cannot have two inherent impls with different bounds
/// that define consts of different names and still fall back per name.
pub struct SyncProbe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Fallback for SyncProbe<T> {}

#[allow(dead_code)]
impl<T: ?Sized + Sync> SyncProbe<T> {
    pub const IS_SYNC: bool = true;
}

/// `is_send!(Type)`: whether `Type` may move to another thread.
macro_rules! is_send {
    ($t:ty) => {{
        #[allow(unused_imports)]
        use $crate::probe::Fallback as _;
        $crate::probe::Probe::<$t>::IS_SEND
    }};
}

/// `is_sync!(Type)`: whether `&Type` may be used from several threads at once.
macro_rules! is_sync {
    ($t:ty) => {{
        #[allow(unused_imports)]
        use $crate::probe::Fallback as _;
        $crate::probe::SyncProbe::<$t>::IS_SYNC
    }};
}

pub(crate) use {is_send, is_sync};

// The probe checks itself when the test binary compiles: no run-time test to attribute.
const _: () = {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::{Arc, Mutex};
    assert!(is_send!(Arc<Vec<String>>) && is_sync!(Arc<Vec<String>>));
    assert!(!is_send!(Rc<Vec<String>>) && !is_sync!(Rc<Vec<String>>));
    assert!(is_send!(RefCell<u8>) && !is_sync!(RefCell<u8>));
    assert!(is_sync!(Mutex<u8>));
};
