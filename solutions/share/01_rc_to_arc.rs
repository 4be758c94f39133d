//! # rc_to_arc: the first compile error
//!
//! In Python any thread can use any object. In Rust a value may move to another thread only
//! if its type is `Send`, and the compiler checks it. The first program a Python programmer
//! writes shares a list through `Rc`, the counted pointer of the Rust Book, and meets:
//!
//! ```text
//! error[E0277]: `Rc<Vec<String>>` cannot be sent between threads safely
//! ```
//!
//! `Rc` counts its clones with a plain integer: two threads cloning or dropping at once
//! could lose a count and free the list while a thread still reads it.
//!
//! `Words` below is that first attempt. Change it so that `Words` can cross threads, and
//! write `count_matches`: one thread per needle, each counting the words of the one shared
//! list that contain its needle. The strings are never copied: every thread reads the same
//! list. Results come in needle order, and when `count_matches` returns, no thread holds a
//! handle to the list any more (`Words::strong_count` is back to what the caller holds).

use crate::sync::Arc;
use crate::thread;

/// One list of words, shared by every thread that reads it.
pub type Words = Arc<Vec<String>>;

/// For each needle, how many of `words` contain it, counted on one thread per needle.
pub fn count_matches(words: Words, needles: Vec<String>) -> Vec<usize> {
    let handles: Vec<_> = needles
        .into_iter()
        .map(|needle| {
            let words = Arc::clone(&words);
            thread::spawn(move || words.iter().filter(|w| w.contains(&needle)).count())
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a counting thread panicked"))
        .collect()
}
