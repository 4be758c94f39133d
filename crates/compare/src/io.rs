//! I/O-bound work: `requests` requests that each wait `latency` for their answer.
//!
//! The wait stands in for the network (a sleep of `latency`, as a download spends its time
//! waiting for bytes); what differs between the ways is how many waits overlap.

use std::time::Duration;

/// The answer to request `i`, after waiting on a blocking call.
fn blocking_request(i: u64, latency: Duration) -> u64 {
    std::thread::sleep(latency);
    i * i
}

/// One request after another: `requests × latency`.
pub fn sequential(requests: u64, latency: Duration) -> Vec<u64> {
    (0..requests)
        .map(|i| blocking_request(i, latency))
        .collect()
}

/// A thread per request: every wait overlaps (the tutorials' downloader; Python's threads
/// do this well too, since a waiting thread lets go of the GIL).
pub fn threads(requests: u64, latency: Duration) -> Vec<u64> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..requests)
            .map(|i| scope.spawn(move || blocking_request(i, latency)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// rayon's pool has one thread per core, and a blocked thread is a lost core: only that
/// many waits overlap. rayon is for computing, not for waiting.
pub fn rayon(requests: u64, latency: Duration) -> Vec<u64> {
    use rayon::prelude::*;
    (0..requests)
        .into_par_iter()
        .map(|i| blocking_request(i, latency))
        .collect()
}

/// One task per request on a runtime with *one* thread: every wait is an `.await` on tokio's
/// timer, so they all overlap without a thread each.
pub fn async_tasks(requests: u64, latency: Duration) -> Vec<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let tasks: Vec<_> = (0..requests)
            .map(|i| {
                tokio::spawn(async move {
                    tokio::time::sleep(latency).await;
                    i * i
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(task.await.expect("a request task"));
        }
        answers
    })
}
