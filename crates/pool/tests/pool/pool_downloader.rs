//! Exercise `pool_downloader`: the tutorials' concurrent downloader, against a real (local)
//! HTTP server started by each test on 127.0.0.1.

pub mod server;

use pool::pool_downloader::{DownloadError, download_all, save_all};
use rstest::rstest;
use support::finishes_within;
use support::hang_guard::GENEROUS;

use server::{FileServer, Options, sample_files};

#[rstest]
#[case::one_worker(1)]
#[case::three_workers(3)]
#[case::more_workers_than_files(8)]
fn downloads_come_back_in_url_order(#[case] workers: usize) {
    let files = sample_files(6, 2_000);
    let expected: Vec<_> = (0..6)
        .map(|i| Ok(files[&format!("file-{i}.bin")].clone()))
        .collect();
    let (got, requested) = finishes_within(GENEROUS, "download_all of 6 files", move || {
        let server = FileServer::start(files, 6, Options::default());
        let urls: Vec<_> = (0..6)
            .map(|i| server.url(&format!("file-{i}.bin")))
            .collect();
        (download_all(&urls, workers), server.finish())
    });
    assert!(
        got == expected,
        "download_all with {workers} workers: result i must be the bytes of URL i (got {} \
         results, {} matching)",
        got.len(),
        got.iter().zip(&expected).filter(|(a, b)| a == b).count()
    );
    let mut unique = requested.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        6,
        "every file must be requested exactly once: {requested:?}"
    );
}

#[test]
fn a_missing_file_fails_only_its_own_url() {
    let files = sample_files(2, 10);
    let (a, b) = (files["file-0.bin"].clone(), files["file-1.bin"].clone());
    let got = finishes_within(GENEROUS, "download_all with a missing file", move || {
        let server = FileServer::start(files, 3, Options::default());
        let urls = [
            server.url("file-0.bin"),
            server.url("nope.bin"),
            server.url("file-1.bin"),
        ];
        let got = download_all(&urls, 2);
        server.finish();
        got
    });
    assert_eq!(
        got,
        vec![Ok(a), Err(DownloadError::Status(404)), Ok(b)],
        "a 404 must become that URL's Err(Status(404)); the other downloads still succeed"
    );
}

#[test]
fn a_malformed_url_fails_only_its_own_entry() {
    let files = sample_files(1, 10);
    let body = files["file-0.bin"].clone();
    let got = finishes_within(GENEROUS, "download_all with a bad URL", move || {
        let server = FileServer::start(files, 1, Options::default());
        let urls = ["ftp://example/file".to_string(), server.url("file-0.bin")];
        let got = download_all(&urls, 2);
        server.finish();
        got
    });
    assert_eq!(
        got,
        vec![
            Err(DownloadError::BadUrl("ftp://example/file".into())),
            Ok(body)
        ],
        "fetch's error for one URL must be returned in its place, next to the others' bytes"
    );
}

#[test]
fn with_four_workers_four_downloads_are_in_flight_at_once() {
    let files = sample_files(4, 100);
    let got = finishes_within(
        GENEROUS,
        "4 downloads the server answers together",
        move || {
            // The server answers nobody until all 4 requests are open at the same time, so
            // this finishes only if the pool really downloads concurrently.
            let together = Options {
                together: 4,
                ..Options::default()
            };
            let server = FileServer::start(files, 4, together);
            let urls: Vec<_> = (0..4)
                .map(|i| server.url(&format!("file-{i}.bin")))
                .collect();
            let got = download_all(&urls, 4);
            server.finish();
            got
        },
    );
    assert!(
        got.iter().all(Result::is_ok),
        "with 4 workers the 4 downloads must overlap (one task per URL on the pool): {:?}",
        got.iter()
            .map(|r| r.as_ref().map(Vec::len))
            .collect::<Vec<_>>()
    );
}

#[test]
fn save_all_writes_each_file_under_its_name() {
    let files = sample_files(3, 500);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let target = dir.path().to_path_buf();
    let expected = files.clone();
    let paths = finishes_within(GENEROUS, "save_all of 3 files", move || {
        let server = FileServer::start(files, 3, Options::default());
        let urls: Vec<_> = (0..3)
            .map(|i| server.url(&format!("file-{i}.bin")))
            .collect();
        let paths = save_all(&urls, &target, 2);
        server.finish();
        paths
    });
    for (i, path) in paths.iter().enumerate() {
        let name = format!("file-{i}.bin");
        assert_eq!(
            path.as_ref(),
            Ok(&dir.path().join(&name)),
            "save_all result {i} must be the path it wrote: dir/<last URL segment>"
        );
        let written = std::fs::read(dir.path().join(&name)).expect("the saved file exists");
        assert!(
            written == expected[&name],
            "{name} must hold exactly the downloaded bytes"
        );
    }
}

#[test]
fn save_all_writes_nothing_for_a_missing_file() {
    let files = sample_files(1, 10);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let target = dir.path().to_path_buf();
    let got = finishes_within(GENEROUS, "save_all with a missing file", move || {
        let server = FileServer::start(files, 2, Options::default());
        let urls = [server.url("gone.jpg"), server.url("file-0.bin")];
        let got = save_all(&urls, &target, 2);
        server.finish();
        got
    });
    assert_eq!(
        got[0],
        Err(DownloadError::Status(404)),
        "a 404 must be that URL's error"
    );
    assert!(
        got[1].is_ok(),
        "the other file must still be saved: {:?}",
        got[1]
    );
    assert!(
        !dir.path().join("gone.jpg").exists(),
        "no file may be written for a failed download"
    );
}
