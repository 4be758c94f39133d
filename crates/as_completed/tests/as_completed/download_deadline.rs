//! Exercise `download_deadline` (std only): the downloader with progress and a deadline.
//!
//! No test waits for time to pass to order threads. Each slow download blocks on a `Gate`
//! the test opens only after `download_all` has returned, so "unfinished at the deadline"
//! is certain whatever the deadline's length.

use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::Duration;

use ::as_completed::download_deadline::{DownloadReport, download_all, file_name};
use ::as_completed::futures::{Executor, TaskError};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

/// Short, because every test that reaches it has made sure something is still blocked.
const DEADLINE: Duration = Duration::from_millis(50);
/// Long enough for a worker to *start* a download, so the late-finisher test really has a
/// late finisher. A correct solution passes whatever the timing; only the mutant check
/// (`download_deadline_unwraps_late_send`) needs one download to have started by then, and
/// 2 s is orders of magnitude above the microseconds that takes, even on two saturated
/// cores. The test always waits out this deadline, so it is kept at 2 s, not more.
const LATE_DEADLINE: Duration = Duration::from_secs(2);

/// A door that starts closed; `pass` blocks until the test opens it.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    fn pass(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
    }
}

/// Opens its gates when dropped, also while a panic unwinds. Declared after the executor,
/// it is dropped first, so a worker blocked at a gate can finish and the executor's drop
/// can join it: a failing test then fails at once instead of hanging.
struct OpenOnDrop(Vec<Arc<Gate>>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        for gate in &self.0 {
            gate.open();
        }
    }
}

fn url(name: &str) -> String {
    format!("https://img.example/{name}")
}

/// A fetch of `photo-<i>` that waits at gate `i`, then gives `10 + i` bytes.
fn gated_fetch(gates: &Arc<Vec<Arc<Gate>>>) -> impl Fn(&str) -> Result<Vec<u8>, String> + use<> {
    let gates = Arc::clone(gates);
    move |url: &str| {
        let i: usize = url[url.len() - 1..].parse().unwrap();
        gates[i].pass();
        Ok(vec![0; 10 + i])
    }
}

#[rstest]
#[case::tutorial_url(
    "https://images.unsplash.com/photo-1516117172878-fd2c41f4a759",
    "photo-1516117172878-fd2c41f4a759.jpg"
)]
#[case::trailing_slash("https://img.example/cats/photo-2/", "photo-2.jpg")]
#[case::no_path("photo-3", "photo-3.jpg")]
fn file_names_come_from_the_last_path_segment(#[case] url: &str, #[case] expected: &str) {
    assert_eq!(
        file_name(url),
        expected,
        "the file name is the URL's last non-empty path segment followed by .jpg"
    );
}

#[test]
fn lines_follow_the_finishing_order() {
    let (report, lines) = finishes_within(GENEROUS, "download_all", || {
        let gates: Arc<Vec<Arc<Gate>>> = Arc::new((0..3).map(|_| Arc::default()).collect());
        let executor = Executor::new(3);
        let _open_on_drop = OpenOnDrop(gates.to_vec());
        let urls: Vec<String> = (0..3).map(|i| url(&format!("photo-{i}"))).collect();
        let fetch = gated_fetch(&gates);
        // Only one gate is open at a time: the next opens when a line is reported, so the
        // downloads can only finish in the order 2, 0, 1.
        let order = [2, 0, 1];
        gates[order[0]].open();
        let mut lines = Vec::new();
        let report = download_all(&executor, &urls, fetch, GENEROUS, |line: &str| {
            lines.push(line.to_string());
            if let Some(&next) = order.get(lines.len()) {
                gates[next].open();
            }
        });
        (report, lines)
    });
    assert_eq!(
        lines,
        [
            "[1/3] photo-2.jpg: 12 bytes",
            "[2/3] photo-0.jpg: 10 bytes",
            "[3/3] photo-1.jpg: 11 bytes"
        ],
        "downloads finished in the order 2, 0, 1: report each as it finishes, numbered in \
         that order"
    );
    assert_eq!(
        report,
        DownloadReport {
            saved: vec![
                ("photo-2.jpg".into(), 12),
                ("photo-0.jpg".into(), 10),
                ("photo-1.jpg".into(), 11)
            ],
            failed: vec![],
            timed_out: vec![],
        },
        "every download finished in time: all saved, in finishing order"
    );
}

#[test]
fn failed_and_panicking_downloads_are_reported_and_the_rest_go_on() {
    let (report, lines) = finishes_within(GENEROUS, "download_all", || {
        let executor = Executor::new(1); // one worker: finishing order = input order
        let urls = vec![url("missing"), url("broken"), url("photo-1")];
        let fetch = |url: &str| {
            if url.ends_with("missing") {
                Err("404".to_string())
            } else if url.ends_with("broken") {
                panic!("corrupt image")
            } else {
                Ok(vec![1, 2, 3])
            }
        };
        let mut lines = Vec::new();
        let report = download_all(&executor, &urls, fetch, GENEROUS, |line: &str| {
            lines.push(line.to_string())
        });
        (report, lines)
    });
    assert_eq!(
        report.failed,
        [
            (url("missing"), TaskError::Failed("404".into())),
            (url("broken"), TaskError::Panicked("corrupt image".into()))
        ],
        "a failed or panicking download goes to `failed` with its TaskError"
    );
    assert_eq!(
        report.saved,
        [("photo-1.jpg".to_string(), 3)],
        "the good one is still saved"
    );
    assert_eq!(
        lines,
        [
            "[1/3] missing.jpg: the task failed: 404",
            "[2/3] broken.jpg: the task panicked: corrupt image",
            "[3/3] photo-1.jpg: 3 bytes"
        ],
        "a failure is reported like a success, with the error's text instead of the size"
    );
}

#[test]
fn downloads_queued_at_the_deadline_are_cancelled_and_never_run() {
    let (report, lines, fetched) = finishes_within(GENEROUS, "download_all", || {
        let gate = Arc::new(Gate::default());
        let executor = Executor::new(1);
        let _open_on_drop = OpenOnDrop(vec![Arc::clone(&gate)]);
        // Occupy the only worker until the test opens the gate, after download_all has
        // returned: both downloads are certainly still queued at the deadline.
        let blocker = {
            let gate = Arc::clone(&gate);
            executor.submit(move || {
                gate.pass();
                Ok(())
            })
        };
        let fetched = Arc::new(Mutex::new(Vec::new()));
        let fetch = {
            let fetched = Arc::clone(&fetched);
            move |url: &str| {
                fetched.lock().unwrap().push(url.to_string());
                Ok(vec![0])
            }
        };
        let urls = vec![url("photo-1"), url("photo-2")];
        let mut lines = Vec::new();
        let report = download_all(&executor, &urls, fetch, DEADLINE, |line: &str| {
            lines.push(line.to_string())
        });
        gate.open();
        blocker.result().unwrap();
        drop(executor); // runs (or skips) everything queued, then joins the worker
        let fetched = fetched.lock().unwrap().clone();
        (report, lines, fetched)
    });
    assert_eq!(
        report,
        DownloadReport {
            saved: vec![],
            failed: vec![],
            timed_out: vec![url("photo-1"), url("photo-2")],
        },
        "nothing could finish before the deadline: both URLs are timed out, in input order"
    );
    assert!(
        lines.is_empty(),
        "nothing finished, so no progress line: {lines:?}"
    );
    assert!(
        fetched.is_empty(),
        "{fetched:?} were fetched after download_all gave up on them: cancel() every \
         unfinished future, so queued downloads never start"
    );
}

#[test]
fn a_download_finishing_after_the_deadline_does_not_panic() {
    let (report, lines) = finishes_within(GENEROUS, "download_all", || {
        let gate = Arc::new(Gate::default());
        let (started_tx, started_rx) = mpsc::channel();
        let started_tx = Mutex::new(started_tx);
        let executor = Executor::new(2);
        let _open_on_drop = OpenOnDrop(vec![Arc::clone(&gate)]);
        let fetch = {
            let gate = Arc::clone(&gate);
            move |url: &str| {
                if url.ends_with("slow") {
                    started_tx.lock().unwrap().send(()).unwrap();
                    gate.pass();
                }
                Ok(vec![0; 4])
            }
        };
        let urls = vec![url("fast"), url("slow")];
        let mut lines = Vec::new();
        let report = download_all(&executor, &urls, fetch, LATE_DEADLINE, |line: &str| {
            lines.push(line.to_string());
            // Hold download_all here until the slow download is running, so at the
            // deadline it cannot be cancelled any more: it will finish late.
            if lines.len() == 1 {
                started_rx.recv().unwrap();
            }
        });
        gate.open();
        // The slow download now finishes and runs its done-callback, after download_all
        // returned. Dropping the executor joins its workers and re-raises a panic from
        // any callback.
        drop(executor);
        (report, lines)
    });
    // The fast download is normally reported in time; on a machine too busy to run it
    // within the deadline it is timed out too, which is just as correct.
    assert!(
        lines.is_empty() || lines == ["[1/2] fast.jpg: 4 bytes"],
        "only the fast download can finish in time, got {lines:?}"
    );
    assert!(
        report.timed_out.contains(&url("slow")),
        "the slow download was still running at the deadline: list it in timed_out"
    );
}

/// On the clock the test drives (`support::clock`), so "at 4 s" and "until 10 s" are exact.
#[test]
fn the_deadline_counts_from_the_call_not_from_each_result() {
    use support::clock::{Step, TestClock};
    let secs = Duration::from_secs;
    let gates: Arc<Vec<Arc<Gate>>> = Arc::new((0..3).map(|_| Arc::default()).collect());
    let urls: Vec<String> = (0..3).map(|i| url(&format!("photo-{i}"))).collect();
    let fetch = gated_fetch(&gates);
    let clock = TestClock::new();
    let run = {
        let gates = gates.to_vec();
        clock.run(move || {
            let executor = Executor::new(3);
            // Dropped before the executor: the downloads still running can then finish.
            let _open_on_drop = OpenOnDrop(gates);
            download_all(&executor, &urls, fetch, secs(10), |_: &str| {})
        })
    };
    let what = "download_all(timeout = 10 s) on three downloads";
    assert_eq!(
        run.next(what),
        Step::WaitsUntil(secs(10)),
        "{what}: wait for the first download at most until the deadline, 10 s"
    );
    clock.advance_to(secs(4));
    let step = run.next_after(what, || gates[0].open());
    assert_eq!(
        step,
        Step::WaitsUntil(secs(10)),
        "{what}: photo-0 finished at 4 s, and the deadline is still 10 s after the call; \
         {step:?} starts the timeout again for every result"
    );
    clock.advance_to(secs(10));
    assert_eq!(
        run.join(what),
        DownloadReport {
            saved: vec![("photo-0.jpg".into(), 10)],
            failed: vec![],
            timed_out: vec![url("photo-1"), url("photo-2")],
        },
        "at the deadline (10 s) only photo-0 had finished"
    );
}
