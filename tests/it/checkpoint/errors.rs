//! A store that cannot be used is a typed error: corrupt, locked (by this
//! process or another), read-only, in a directory that cannot be written.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use paginate::{CheckpointError, Checkpoints};

use super::Numbers;

/// Set in a child process: the path of a store to open and hold until stdin closes.
const HOLD: &str = "PAGINATE_CHECKPOINT_HOLD";

/// Whether this process ignores file permissions (root does): then a
/// read-only file or directory cannot be made here.
fn permissions_bypassed(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o444)).unwrap();
    let bypassed = std::fs::OpenOptions::new().write(true).open(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    bypassed
}

#[test]
fn a_file_that_is_not_a_store_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    std::fs::write(&path, vec![0xAB; 16 * 1024]).unwrap();
    match Checkpoints::open(&path) {
        Err(CheckpointError::Corrupt { path: at, .. }) => assert_eq!(at, path),
        other => panic!("expected a corrupt store, got {other:?}"),
    }
}

#[test]
fn a_store_damaged_after_it_was_written_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        checkpoints.job::<Numbers>("n", "0..50").unwrap();
    }
    // Garbage over the header (both commit slots): nothing valid remains to recover.
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len().min(4096);
    bytes[..n].fill(0x5A);
    std::fs::write(&path, bytes).unwrap();
    let error = Checkpoints::open(&path).unwrap_err();
    assert!(matches!(error, CheckpointError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("corrupt"), "{error}");
}

#[test]
fn a_store_whose_entries_were_damaged_is_corrupt_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let description = "every number up to fifty";
    {
        let checkpoints = Checkpoints::open(&path).unwrap();
        checkpoints.job::<Numbers>("n", description).unwrap();
        checkpoints.flush().unwrap();
    }
    // A byte that is not UTF-8 in the middle of the stored binding (each copy
    // of it), the header left whole: redb opens the file, and finds the
    // damage when it reads the entry.
    let mut bytes = std::fs::read(&path).unwrap();
    let needle = description.as_bytes();
    let copies: Vec<usize> = (0..bytes.len() - needle.len())
        .filter(|&at| &bytes[at..at + needle.len()] == needle)
        .collect();
    assert!(!copies.is_empty());
    for at in copies {
        bytes[at + 5] = 0xFF;
    }
    std::fs::write(&path, bytes).unwrap();
    let checkpoints = Checkpoints::open(&path).unwrap();
    let error = checkpoints.job::<Numbers>("n", description).unwrap_err();
    assert!(matches!(error, CheckpointError::Corrupt { .. }), "{error:?}");
}

#[test]
fn a_store_open_in_this_process_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let first = Checkpoints::open(&path).unwrap();
    match Checkpoints::open(&path) {
        Err(CheckpointError::Locked { path: at }) => assert_eq!(at, path),
        other => panic!("expected a locked store, got {other:?}"),
    }
    drop(first);
    Checkpoints::open(&path).unwrap();
}

/// In the child of `a_store_open_in_another_process_is_locked`: holds the store open until stdin closes.
#[test]
fn lock_holder() {
    let Some(path) = std::env::var_os(HOLD) else {
        return;
    };
    let _checkpoints = Checkpoints::open(&path).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nopen").unwrap();
    out.flush().unwrap();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut rest).unwrap();
}

#[test]
fn a_store_open_in_another_process_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "checkpoint::errors::lock_holder",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HOLD, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.by_ref().map_while(Result::ok).any(|line| line == "open"),
        "the child never opened the store"
    );
    assert!(matches!(Checkpoints::open(&path), Err(CheckpointError::Locked { .. })));
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    Checkpoints::open(&path).unwrap();
}

#[test]
fn a_store_in_a_directory_that_cannot_exist_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let path = file.join("jobs.redb");
    match Checkpoints::open(&path) {
        Err(CheckpointError::Io { path: at, .. }) => assert_eq!(at, path),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn a_read_only_store_or_directory_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    if permissions_bypassed(dir.path()) {
        // Root opens a 0444 file for writing: nothing read-only can be made here.
        eprintln!("skipped: this process ignores file permissions (root)");
        return;
    }
    let path = dir.path().join("jobs.redb");
    drop(Checkpoints::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert!(matches!(
        Checkpoints::open(&path),
        Err(CheckpointError::ReadOnly { .. })
    ));

    let locked_dir = dir.path().join("ro");
    std::fs::create_dir(&locked_dir).unwrap();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let error = Checkpoints::open(locked_dir.join("jobs.redb")).unwrap_err();
    assert!(matches!(error, CheckpointError::ReadOnly { .. }), "{error:?}");
}

#[test]
fn a_stored_position_past_any_count_does_not_panic() {
    use paginate::{CheckpointStore, Expired, ExpiryPolicy, Listing, PaginationConfig, Progress, RedbStore};

    #[derive(Debug)]
    struct Gone;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let description = "0..50";
    // Two jobs at the token after item 2, with a position no listing reaches (a hand-edited store).
    {
        let mut first = super::numbers(50).items();
        for item in first.by_ref().take(3) {
            item.unwrap();
        }
        let at = Progress::At {
            token: first.resume_token().unwrap(),
            position: Some(u64::MAX),
        };
        let store = RedbStore::open(&path).unwrap();
        let binding = format!("{}: {description}", std::any::type_name::<Numbers>());
        for job in ["n", "m"] {
            store.open_job(job, &binding).unwrap();
            store.commit(&[(job.to_string(), at.clone())].into()).unwrap();
        }
    }
    let checkpoints = Checkpoints::open(&path).unwrap();
    let job = checkpoints.job::<Numbers>("n", description).unwrap();
    assert_eq!(job.progress().position(), Some(u64::MAX));
    let mut items = job.track(job.start(super::numbers(50)).unwrap().items());
    assert_eq!(super::acks::ack_rest(&mut items), (3..50).collect::<Vec<_>>());
    items.flush().unwrap();
    assert!(checkpoints
        .job::<Numbers>("n", description)
        .unwrap()
        .progress()
        .is_done());

    // Nor does a restart by count of such a listing, which skips that many.
    let job = checkpoints.job::<Numbers>("m", description).unwrap();
    let mut refused = false;
    let service = move |req: Numbers| {
        if req.next_token.as_deref() == Some("14") && !std::mem::replace(&mut refused, true) {
            return Err(Gone);
        }
        Ok(super::serve(&req))
    };
    let listing = Listing::new(
        service,
        Numbers {
            upto: 50,
            next_token: None,
        },
        PaginationConfig::default(),
    )
    .on_expired_token(|_: &Gone| Some(Expired::new()), ExpiryPolicy::restart_by_count());
    let got: Vec<u32> = job
        .track(job.start(listing).unwrap().items())
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, (3..14).collect::<Vec<_>>());
}

#[test]
fn a_store_whose_commit_panics_fails_the_flush_rather_than_hang_it() {
    use paginate::{CheckpointStore, Progress};
    use std::collections::BTreeMap;
    use std::error::Error as _;
    use std::time::Duration;

    /// Opens every job at its start, and panics in every commit.
    struct Panicking;
    impl CheckpointStore for Panicking {
        fn open_job(&self, _: &str, _: &str) -> Result<Progress, CheckpointError> {
            Ok(Progress::Start)
        }
        fn commit(&self, _: &BTreeMap<String, Progress>) -> Result<(), CheckpointError> {
            panic!("the store's own bug");
        }
    }
    let (done, flushed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let checkpoints = Checkpoints::new(Panicking).unwrap();
        let job = checkpoints.job::<Numbers>("n", "0..50").unwrap();
        let mut items = job.track(job.start(super::numbers(50)).unwrap().items());
        items.next().unwrap().unwrap();
        items.ack().unwrap();
        let _ = done.send(items.flush());
    });
    let error = flushed
        .recv_timeout(Duration::from_secs(60))
        .expect("the flush returns")
        .unwrap_err();
    assert!(matches!(error, CheckpointError::CommitFailed(_)), "{error:?}");
    assert!(
        error.source().unwrap().to_string().contains("the store's own bug"),
        "{error}"
    );
}
