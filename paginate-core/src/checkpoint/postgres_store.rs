//! The shared store: PostgreSQL, and leases on the listings of shared jobs.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

use super::{CheckpointError, CheckpointStore, Progress};

/// The tables, created by [`PostgresStore::connect`] if they do not exist.
/// The advisory lock keeps two workers that start at once from creating them
/// together (`CREATE TABLE IF NOT EXISTS` is not safe against itself).
const SCHEMA: &str = "
SELECT pg_advisory_xact_lock(7035561250437363020);
CREATE TABLE IF NOT EXISTS paginate_checkpoints (
    id text PRIMARY KEY,
    binding text NOT NULL,
    state text NOT NULL CHECK (state IN ('start', 'at', 'done')),
    token text,
    shared_job text,
    listing integer,
    worker text,
    lease_until timestamptz,
    position bigint
);
ALTER TABLE paginate_checkpoints ADD COLUMN IF NOT EXISTS position bigint;
CREATE INDEX IF NOT EXISTS paginate_checkpoints_shared
    ON paginate_checkpoints (shared_job, listing) WHERE shared_job IS NOT NULL;
CREATE TABLE IF NOT EXISTS paginate_shared_jobs (
    job text PRIMARY KEY,
    binding text NOT NULL,
    listings integer NOT NULL
);
";

/// A checkpoint store in a PostgreSQL database, shared by workers in many
/// processes and on many machines; the only store that leases the listings
/// of a [`SharedJob`](crate::SharedJob) to workers.
///
/// # Tables
///
/// [`connect`](Self::connect) creates them if they do not exist:
///
/// - `paginate_checkpoints`: one row per job and per listing of a shared job
///   (`id`, `{job}/{n}` for listing `n`): what it is bound to (`binding`),
///   where it stands (`state`: `start`, `at` with the resume `token` and
///   the number of items before it if known, `position`, or `done`), and for a listing of a shared job, the shared job
///   (`shared_job`, `listing`) and its lease (`worker`, `lease_until`).
/// - `paginate_shared_jobs`: each shared job's binding and number of
///   listings.
///
/// # Leases
///
/// A worker is one store and its clones (one connection), named by a random id drawn when
/// it connects. [`SharedJob::next_listing`](crate::SharedJob::next_listing)
/// takes, in one statement, a listing not done whose lease is free or
/// expired (`SELECT ... FOR UPDATE SKIP LOCKED`, so two workers asking at once
/// get two listings), and leases it until the database's `now()` plus the
/// lease duration ([`with_lease`](Self::with_lease), 30 s by default); the
/// workers' clocks play no part. Every commit of the listing's progress
/// renews the lease, in the same transaction that checks the worker still
/// holds it: once another worker has taken the listing over, the commit
/// writes nothing and fails with [`CheckpointError::LeaseLost`], so two
/// workers never both advance one listing. A worker must therefore
/// acknowledge more often than the lease lasts. A listing done releases its
/// lease. A worker that dies leaves its listing leased until the lease
/// expires; the next worker resumes it from its last committed position,
/// repeating what the dead worker delivered after it (the window of
/// [`Checkpointed`](crate::Checkpointed)).
///
/// # Durability
///
/// Each commit is one transaction, durable when it returns as far as the
/// server's `synchronous_commit` and `fsync` settings promise (on by
/// default: the WAL is flushed to disk before the commit returns).
///
/// The connection has no TLS (`NoTls`): use it on loopback, a private
/// network, or through a tunnel.
///
/// # Example: a worker
///
/// ```no_run
/// # use paginate::{Paginated, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { region: usize, #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// # fn service(_: Req) -> Result<Resp, std::io::Error> { Ok(Resp { items: vec![], next_token: None }) }
/// use std::time::Duration;
/// use paginate::{Checkpoints, Listing, PostgresStore};
///
/// // Run this on as many machines as you like: each takes the next free listing.
/// let store = PostgresStore::connect("postgres://worker:secret@db.internal/jobs")?.with_lease(Duration::from_secs(30));
/// let checkpoints = Checkpoints::new(store)?;
/// let shared = checkpoints.shared_job::<Req>("inventory", "16 regions", 16)?;
/// while shared.remaining()? > 0 {
///     let Some((region, job)) = shared.next_listing()? else {
///         std::thread::sleep(Duration::from_secs(1)); // every listing left is leased: wait for one to free up
///         continue;
///     };
///     let listing = Listing::new(service, Req { region, next_token: None }, PaginationConfig::default());
///     let Some(listing) = job.start(listing) else { continue };
///     let mut items = job.track(listing.items());
///     while let Some(item) = items.next() {
///         println!("{region}: {}", item?);
///         items.ack()?; // a LeaseLost here: another worker has this listing now, stop
///     }
///     items.flush()?;
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
    lease: Duration,
}

struct Inner {
    /// Always `Some` until dropped (taken then, to be closed off any async runtime).
    client: Mutex<Option<Client>>,
    /// This worker's id, held in the `worker` column of the listings it leases.
    worker: String,
    /// Host and port, for errors.
    target: String,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`,
    /// or libpq's `key=value` form), without TLS, and creates the tables if
    /// they do not exist.
    ///
    /// Errors: [`CheckpointError::BadUrl`] (not a URL, or no such database),
    /// [`CheckpointError::Unreachable`] (nothing answers, within the URL's
    /// `connect_timeout` or 10 s), [`CheckpointError::Authentication`].
    ///
    /// ```no_run
    /// use paginate::{CheckpointError, PostgresStore};
    /// match PostgresStore::connect("postgres://worker:wrong@127.0.0.1:5432/jobs") {
    ///     Err(CheckpointError::Authentication { user, .. }) => eprintln!("{user}: wrong password"),
    ///     Err(CheckpointError::Unreachable { target, .. }) => eprintln!("nothing at {target}"),
    ///     other => { other?; }
    /// }
    /// # Ok::<(), CheckpointError>(())
    /// ```
    pub fn connect(url: &str) -> Result<Self, CheckpointError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| CheckpointError::BadUrl { reason: e.to_string() })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let target = target(&config);
        let user = config.get_user().unwrap_or_default().to_string();
        // On this thread, a client that fails after connecting is dropped off the caller's runtime too.
        let (client, worker) = off_runtime(|| {
            let mut client = config.connect(NoTls).map_err(|e| connect_error(e, &target, &user))?;
            let worker = client
                .batch_execute(SCHEMA)
                .and_then(|()| client.query_one("SELECT gen_random_uuid()::text", &[])?.try_get(0))
                .map_err(|e| store_error(e, &target))?;
            Ok::<_, CheckpointError>((client, worker))
        })?;
        Ok(PostgresStore {
            inner: Arc::new(Inner {
                client: Mutex::new(Some(client)),
                worker,
                target,
            }),
            lease: Duration::from_secs(30),
        })
    }

    /// The same store (and connection) with leases of `lease`: how long a
    /// listing stays with a worker that stopped committing before another
    /// worker may take it over.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// let store = paginate::PostgresStore::connect("postgres://localhost/jobs")?.with_lease(Duration::from_secs(5));
    /// assert_eq!(store.lease(), Duration::from_secs(5));
    /// # Ok::<(), paginate::CheckpointError>(())
    /// ```
    pub fn with_lease(self, lease: Duration) -> Self {
        PostgresStore { lease, ..self }
    }

    /// How long a lease lasts after it was taken or last renewed.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// This worker's id, as the `worker` column holds it.
    pub fn worker(&self) -> &str {
        &self.inner.worker
    }

    /// Runs `f` on the connection, off any async runtime of the calling thread.
    fn run<T: Send>(
        &self,
        f: impl FnOnce(&mut Client, &str, f64) -> Result<T, Outcome> + Send,
    ) -> Result<T, CheckpointError> {
        let mut guard = self.inner.client.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(client) = guard.as_mut() else {
            return Err(CheckpointError::Store("the connection is closed".into()));
        };
        let (worker, lease) = (self.inner.worker.as_str(), self.lease.as_secs_f64());
        off_runtime(|| f(client, worker, lease)).map_err(|outcome| match outcome {
            Outcome::Database(e) => store_error(e, &self.inner.target),
            Outcome::Refused(e) => e,
        })
    }
}

/// Closes the connection off the dropping thread: the client's own runtime
/// cannot block (nor be dropped) on a thread inside a tokio runtime.
impl Drop for Inner {
    fn drop(&mut self) {
        let client = self.client.get_mut().unwrap_or_else(PoisonError::into_inner).take();
        off_runtime(move || drop(client));
    }
}

/// A failed call: the database's error, or the store's own verdict.
enum Outcome {
    Database(postgres::Error),
    Refused(CheckpointError),
}

impl From<postgres::Error> for Outcome {
    fn from(e: postgres::Error) -> Self {
        Outcome::Database(e)
    }
}

impl CheckpointStore for PostgresStore {
    fn open_job(&self, job: &str, binding: &str) -> Result<Progress, CheckpointError> {
        self.run(|client, _, _| {
            let mut tx = client.transaction()?;
            tx.execute(
                "INSERT INTO paginate_checkpoints (id, binding, state) VALUES ($1, $2, 'start') ON CONFLICT DO NOTHING",
                &[&job, &binding],
            )?;
            let row = tx.query_one(
                "SELECT binding, state, token, position FROM paginate_checkpoints WHERE id = $1",
                &[&job],
            )?;
            let stored: String = row.try_get(0)?;
            if stored != binding {
                return Err(Outcome::Refused(mismatch(job, stored, binding)));
            }
            let progress = decode(job, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?)?;
            tx.commit()?;
            Ok(progress)
        })
    }

    fn commit(&self, batch: &BTreeMap<String, Progress>) -> Result<(), CheckpointError> {
        self.run(|client, worker, lease| {
            let mut tx = client.transaction()?;
            let update = tx.prepare(
                "UPDATE paginate_checkpoints SET state = $2::text, token = $3::text, position = $6::bigint,
                     worker = CASE WHEN $2::text = 'done' THEN NULL ELSE worker END,
                     lease_until = CASE WHEN shared_job IS NULL OR $2::text = 'done' THEN NULL
                                        ELSE now() + make_interval(secs => $5::float8) END
                 WHERE id = $1 AND (shared_job IS NULL OR worker = $4)",
            )?;
            for (job, progress) in batch {
                let (state, token, position) = encode(progress);
                if tx.execute(&update, &[job, &state, &token, &worker, &lease, &position])? == 0 {
                    // Nothing of this batch is written: the transaction is dropped, rolled back.
                    let shared = tx.query_opt(
                        "SELECT 1 FROM paginate_checkpoints WHERE id = $1 AND shared_job IS NOT NULL",
                        &[job],
                    )?;
                    return Err(Outcome::Refused(match shared {
                        Some(_) => CheckpointError::LeaseLost { job: job.clone() },
                        None => CheckpointError::Store(format!("job {job:?} is no longer in the database")),
                    }));
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn open_shared_job(&self, job: &str, binding: &str, listings: usize) -> Result<(), CheckpointError> {
        let count = i32::try_from(listings)
            .map_err(|_| CheckpointError::Store(format!("{listings} listings are more than a shared job holds")))?;
        self.run(|client, _, _| {
            let mut tx = client.transaction()?;
            tx.execute(
                "INSERT INTO paginate_shared_jobs (job, binding, listings) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&job, &binding, &count],
            )?;
            let row = tx.query_one(
                "SELECT binding, listings FROM paginate_shared_jobs WHERE job = $1",
                &[&job],
            )?;
            let (stored, stored_count): (String, i32) = (row.try_get(0)?, row.try_get(1)?);
            if stored != binding || stored_count != count {
                return Err(Outcome::Refused(mismatch(
                    job,
                    format!("{stored} ({stored_count} listings)"),
                    &format!("{binding} ({count} listings)"),
                )));
            }
            tx.execute(
                "INSERT INTO paginate_checkpoints (id, binding, state, shared_job, listing)
                 SELECT $1::text || '/' || n, $2::text || ', listing ' || n, 'start', $1::text, n
                 FROM generate_series(0, $3::int - 1) n
                 ON CONFLICT DO NOTHING",
                &[&job, &binding, &count],
            )?;
            let rows: i64 = tx
                .query_one(
                    "SELECT count(*) FROM paginate_checkpoints WHERE shared_job = $1",
                    &[&job],
                )?
                .try_get(0)?;
            if rows != i64::from(count) {
                return Err(Outcome::Refused(CheckpointError::Store(format!(
                    "the ids {job}/0 to {job}/{} of shared job {job:?}'s listings are taken by other jobs",
                    count - 1
                ))));
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn lease_next(&self, job: &str) -> Result<Option<(usize, Progress)>, CheckpointError> {
        self.run(|client, worker, lease| {
            let row = client.query_opt(
                "UPDATE paginate_checkpoints SET worker = $2, lease_until = now() + make_interval(secs => $3::float8)
                 WHERE id = (
                     SELECT id FROM paginate_checkpoints
                     WHERE shared_job = $1 AND state <> 'done' AND (worker IS NULL OR lease_until IS NULL OR lease_until < now())
                     ORDER BY listing LIMIT 1 FOR UPDATE SKIP LOCKED)
                 RETURNING id, listing, state, token, position",
                &[&job, &worker, &lease],
            )?;
            let Some(row) = row else { return Ok(None) };
            let id: String = row.try_get(0)?;
            let listing: i32 = row.try_get(1)?;
            let listing = usize::try_from(listing)
                .map_err(|_| Outcome::Refused(corrupt(&id, format!("the listing number {listing}"))))?;
            Ok(Some((
                listing,
                decode(&id, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?)?,
            )))
        })
    }

    fn remaining(&self, job: &str) -> Result<usize, CheckpointError> {
        self.run(|client, _, _| {
            let left: i64 = client
                .query_one(
                    "SELECT count(*) FROM paginate_checkpoints WHERE shared_job = $1 AND state <> 'done'",
                    &[&job],
                )?
                .try_get(0)?;
            Ok(usize::try_from(left).unwrap_or(0))
        })
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.inner.target)
            .field("worker", &self.inner.worker)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

/// Runs `f` on a thread of its own: the `postgres` client drives its
/// connection on a runtime of its own, which cannot start on a thread that
/// is already inside a tokio runtime (an async caller opening a job).
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

fn encode(progress: &Progress) -> (&'static str, Option<&str>, Option<i64>) {
    match progress {
        Progress::Start => ("start", None, None),
        // A position past i64::MAX items is not kept: the restart goes back to the token.
        Progress::At { token, position } => ("at", Some(token), position.and_then(|p| i64::try_from(p).ok())),
        Progress::Done => ("done", None, None),
    }
}

fn decode(job: &str, state: &str, token: Option<String>, position: Option<i64>) -> Result<Progress, Outcome> {
    match (state, token) {
        ("start", _) => Ok(Progress::Start),
        ("done", _) => Ok(Progress::Done),
        ("at", Some(token)) => Ok(Progress::At {
            token,
            position: position.and_then(|p| u64::try_from(p).ok()),
        }),
        (state, _) => Err(Outcome::Refused(corrupt(job, format!("the state {state:?}")))),
    }
}

fn corrupt(job: &str, what: String) -> CheckpointError {
    CheckpointError::Store(format!("job {job:?} has {what}, which no store writes"))
}

fn mismatch(job: &str, stored: String, given: &str) -> CheckpointError {
    CheckpointError::BindingMismatch {
        job: job.to_string(),
        stored,
        given: given.to_string(),
    }
}

/// Host and port of the URL, for errors (never its password).
fn target(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}")
}

fn connect_error(e: postgres::Error, target: &str, user: &str) -> CheckpointError {
    match e.code() {
        Some(code) if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
            CheckpointError::Authentication {
                target: target.to_string(),
                user: user.to_string(),
                reason: e
                    .as_db_error()
                    .map_or_else(|| e.to_string(), |db| db.message().to_string()),
            }
        }
        Some(code) if *code == SqlState::INVALID_CATALOG_NAME => CheckpointError::BadUrl {
            reason: e
                .as_db_error()
                .map_or_else(|| e.to_string(), |db| db.message().to_string()),
        },
        _ => store_error(e, target),
    }
}

/// A database error after connecting: a lost or refused connection is
/// [`CheckpointError::Unreachable`]; anything else, the server's message.
fn store_error(e: postgres::Error, target: &str) -> CheckpointError {
    if e.as_db_error().is_none() && (e.is_closed() || is_io(&e)) {
        return CheckpointError::Unreachable {
            target: target.to_string(),
            source: Box::new(e),
        };
    }
    CheckpointError::Store(match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    })
}

/// Whether an error came from the socket (refused, reset, timed out: tokio-postgres
/// gives each as an `io::Error`).
fn is_io(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    false
}
