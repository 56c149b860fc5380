//! A database that cannot be used is a typed error: nothing listening, a URL
//! that is not one or names no database, a wrong password, a job id reused
//! for other listings, and a store that cannot lease.

use paginate::{CheckpointError, Checkpoints, PostgresStore};

use super::{fresh_job, server, Shard};

fn connect(url: &str) -> CheckpointError {
    match PostgresStore::connect(url) {
        Ok(store) => panic!("connected to {url}: {store:?}"),
        Err(e) => e,
    }
}

#[test]
fn nothing_listening_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://postgres:secret@127.0.0.1:{port}/postgres");
    match connect(&url) {
        CheckpointError::Unreachable { target, .. } => assert_eq!(target, format!("127.0.0.1:{port}")),
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[test]
fn a_url_that_is_not_one_is_a_bad_url() {
    for url in [
        "postgres://127.0.0.1:notaport/db",
        "postgresql://[::1/db",
        "host=127.0.0.1 port=",
    ] {
        let error = connect(url);
        assert!(matches!(error, CheckpointError::BadUrl { .. }), "{url}: {error:?}");
    }
}

#[test]
fn a_database_the_server_does_not_have_is_a_bad_url() {
    let url = server::url();
    let url = format!("{}/no_such_database", url.strip_suffix("/postgres").unwrap());
    let error = connect(&url);
    assert!(matches!(error, CheckpointError::BadUrl { .. }), "{error:?}");
    assert!(error.to_string().contains("no_such_database"), "{error}");
}

#[test]
fn a_wrong_password_is_an_authentication_failure_that_does_not_show_it() {
    let url = server::url().replace(":paginate@", ":wrong-secret@");
    let error = connect(&url);
    match &error {
        CheckpointError::Authentication { user, .. } => assert_eq!(user, "postgres"),
        other => panic!("expected Authentication, got {other:?}"),
    }
    assert!(!format!("{error} {error:?}").contains("wrong-secret"), "{error:?}");
}

#[test]
fn a_job_id_reused_for_other_listings_is_refused() {
    let url = server::url();
    let checkpoints = Checkpoints::new(PostgresStore::connect(&url).unwrap()).unwrap();
    let shared = fresh_job("binding");
    checkpoints.shared_job::<Shard>(&shared, "regions", 3).unwrap();
    for (description, listings) in [("regions", 4), ("accounts", 3)] {
        match checkpoints.shared_job::<Shard>(&shared, description, listings) {
            Err(CheckpointError::BindingMismatch { job, stored, given }) => {
                assert_eq!(job, shared);
                assert!(stored.ends_with("Shard: regions (3 listings)"), "{stored}");
                assert!(given.contains(description), "{given}");
            }
            other => panic!("expected a binding mismatch, got {other:?}"),
        }
    }
    // The job is unharmed, and a plain job is refused the same way.
    assert_eq!(
        checkpoints
            .shared_job::<Shard>(&shared, "regions", 3)
            .unwrap()
            .remaining()
            .unwrap(),
        3
    );
    let plain = fresh_job("plain");
    checkpoints.job::<Shard>(&plain, "one").unwrap();
    assert!(matches!(
        checkpoints.job::<Shard>(&plain, "two"),
        Err(CheckpointError::BindingMismatch { .. })
    ));
    // A listing of a shared job is not a plain job's to take.
    assert!(matches!(
        checkpoints.job::<Shard>(&format!("{shared}/0"), "regions"),
        Err(CheckpointError::BindingMismatch { .. })
    ));
}

#[test]
fn the_embedded_store_cannot_lease() {
    let dir = tempfile::tempdir().unwrap();
    let checkpoints = Checkpoints::open(dir.path().join("jobs.redb")).unwrap();
    assert!(matches!(
        checkpoints.shared_job::<Shard>("x", "1 listing", 1),
        Err(CheckpointError::NoLeases)
    ));
}

/// Runs `sql` on the database at `url` with `psql`, as a hand would.
fn psql(url: &str, sql: &str) {
    let out = std::process::Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .expect("psql, beside the server");
    assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_hand_edited_row_is_a_typed_error() {
    let url = server::url();
    let checkpoints = Checkpoints::new(PostgresStore::connect(&url).unwrap()).unwrap();
    let (plain, shared) = (fresh_job("edited"), fresh_job("edited-shared"));
    checkpoints.job::<Shard>(&plain, "one").unwrap();
    let job = checkpoints.shared_job::<Shard>(&shared, "two", 2).unwrap();
    // A checkpoint with no token; a listing with no number, and one with a negative number.
    psql(
        &url,
        &format!("UPDATE paginate_checkpoints SET state = 'at', token = NULL WHERE id = '{plain}'"),
    );
    psql(
        &url,
        &format!("UPDATE paginate_checkpoints SET listing = NULL WHERE id = '{shared}/0'"),
    );
    psql(
        &url,
        &format!("UPDATE paginate_checkpoints SET listing = -1 WHERE id = '{shared}/1'"),
    );
    let error = checkpoints.job::<Shard>(&plain, "one").unwrap_err();
    assert!(matches!(error, CheckpointError::Store(_)), "{error:?}");
    for _ in 0..2 {
        let error = job.next_listing().unwrap_err();
        assert!(matches!(error, CheckpointError::Store(_)), "{error:?}");
    }
}

/// A listing whose row names a worker but no lease end (a hand edit; the
/// store never writes one) is free to lease, not leased for ever: the job
/// can still finish.
#[test]
fn a_row_leased_without_an_end_can_be_leased() {
    let url = server::url();
    let checkpoints = Checkpoints::new(PostgresStore::connect(&url).unwrap()).unwrap();
    let shared = fresh_job("no-lease-end");
    let job = checkpoints.shared_job::<Shard>(&shared, "one", 1).unwrap();
    psql(
        &url,
        &format!("UPDATE paginate_checkpoints SET worker = 'gone', lease_until = NULL WHERE id = '{shared}/0'"),
    );
    let (listing, _) = job.next_listing().unwrap().expect("the listing is free to lease");
    assert_eq!(listing, 0);
}
