//! The embedded store: one redb file.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use redb::{Database, DatabaseError, Durability, ReadableTable, StorageError, TableDefinition};

use super::error::panic_message;
use super::{CheckpointError, CheckpointStore, Progress};

/// What each job lists, by job id.
const BINDINGS: TableDefinition<&str, &str> = TableDefinition::new("bindings");
/// Where each job stands, by job id: `start`, `done`, `at <token>` or
/// `at@<position> <token>` (a token is base64, without `@` or spaces).
const PROGRESS: TableDefinition<&str, &str> = TableDefinition::new("progress");

/// A checkpoint store in one file, with [redb](https://docs.rs/redb) (a
/// pure-Rust ACID key-value store).
///
/// Durability: every [`commit`](CheckpointStore::commit) is a redb write transaction with
/// `Durability::Immediate` (redb's default), which redb guarantees to be
/// persistent as soon as `WriteTransaction::commit` returns: it writes the
/// new state with checksums into the inactive of two commit slots, flips the
/// header's bit to make it the active one, and calls `fsync`; after a crash,
/// the most recent commit slot with a valid checksum is used. So a commit is
/// all or nothing, and one that returned survives `kill -9` and, as far as
/// the disk honours `fsync`, a power loss. Opening a job commits without
/// `fsync` (`Durability::None`): a new job's binding becomes durable with its
/// first checkpoint, and a crash before that loses a job that had nothing
/// acknowledged, which starts from the beginning all the same.
///
/// The file is locked (`flock`) while the store is open: a second open, in
/// this process or another, is [`CheckpointError::Locked`]. A file damaged
/// in a way redb finds (when it opens the file, or reads a damaged entry,
/// where redb panics) is [`CheckpointError::Corrupt`].
///
/// ```
/// # use paginate::{CheckpointStore, Progress, RedbStore};
/// let dir = tempfile::tempdir()?;
/// let store = RedbStore::open(dir.path().join("jobs.redb"))?;
/// assert_eq!(store.open_job("firewalls", "all firewalls")?, Progress::Start);
/// let at = Progress::At { token: "t1".into(), position: Some(100) };
/// store.commit(&[("firewalls".to_string(), at.clone())].into())?;
/// assert_eq!(store.open_job("firewalls", "all firewalls")?, at);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RedbStore {
    db: Database,
    path: PathBuf,
}

impl RedbStore {
    /// Opens the store at `path`, creating the file if it does not exist.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CheckpointError> {
        let path = path.as_ref().to_path_buf();
        let db = caught(&path, || Database::create(&path).map_err(|e| database_error(&path, e)))?;
        let store = RedbStore { db, path };
        // Creates the tables, and finds a file that cannot be written now rather than at the first ack.
        store.write(Durability::Immediate, |_, _| Ok(()))?;
        Ok(store)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction and commits it with `durability`.
    fn write<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&mut redb::Table<&str, &str>, &mut redb::Table<&str, &str>) -> Result<T, CheckpointError>,
    ) -> Result<T, CheckpointError> {
        caught(&self.path, || self.write_now(durability, f))
    }

    fn write_now<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&mut redb::Table<&str, &str>, &mut redb::Table<&str, &str>) -> Result<T, CheckpointError>,
    ) -> Result<T, CheckpointError> {
        let storage = |e: StorageError| storage_error(&self.path, e);
        let mut tx = self.db.begin_write().map_err(|e| match e {
            redb::TransactionError::Storage(e) => storage(e),
            other => CheckpointError::Store(other.to_string()),
        })?;
        tx.set_durability(durability);
        let out = {
            let mut bindings = tx.open_table(BINDINGS).map_err(|e| self.table_error(e))?;
            let mut progress = tx.open_table(PROGRESS).map_err(|e| self.table_error(e))?;
            f(&mut bindings, &mut progress)?
        };
        tx.commit().map_err(|e| match e {
            redb::CommitError::Storage(e) => storage(e),
            other => CheckpointError::Store(other.to_string()),
        })?;
        Ok(out)
    }

    fn table_error(&self, e: redb::TableError) -> CheckpointError {
        match e {
            redb::TableError::Storage(e) => storage_error(&self.path, e),
            other => self.corrupt(other.to_string()),
        }
    }

    fn corrupt(&self, reason: String) -> CheckpointError {
        CheckpointError::Corrupt {
            path: self.path.clone(),
            reason,
        }
    }

    fn decode(&self, job: &str, text: &str) -> Result<Progress, CheckpointError> {
        match text {
            "start" => Ok(Progress::Start),
            "done" => Ok(Progress::Done),
            _ => {
                let at = match text.split_once(' ') {
                    Some(("at", token)) => Some((token, None)),
                    Some((at, token)) => at
                        .strip_prefix("at@")
                        .and_then(|n| n.parse().ok())
                        .map(|position| (token, Some(position))),
                    None => None,
                };
                match at {
                    Some((token, position)) if !token.is_empty() => Ok(Progress::At {
                        token: token.to_string(),
                        position,
                    }),
                    _ => Err(self.corrupt(format!("job {job:?} has the progress {text:?}"))),
                }
            }
        }
    }
}

fn encode(progress: &Progress) -> String {
    match progress {
        Progress::Start => "start".into(),
        Progress::Done => "done".into(),
        Progress::At { token, position: None } => format!("at {token}"),
        Progress::At {
            token,
            position: Some(position),
        } => format!("at@{position} {token}"),
    }
}

impl CheckpointStore for RedbStore {
    fn open_job(&self, job: &str, binding: &str) -> Result<Progress, CheckpointError> {
        let storage = |e: StorageError| storage_error(&self.path, e);
        // Not fsynced: a new job's binding becomes durable with its first
        // checkpoint, and a crash before that loses a job that had nothing
        // acknowledged, which starts from the beginning all the same.
        self.write(Durability::None, |bindings, progress| {
            let stored = bindings.get(job).map_err(storage)?.map(|v| v.value().to_string());
            match stored {
                None => {
                    bindings.insert(job, binding).map_err(storage)?;
                    progress.insert(job, "start").map_err(storage)?;
                    Ok(Progress::Start)
                }
                Some(stored) if stored != binding => Err(CheckpointError::BindingMismatch {
                    job: job.to_string(),
                    stored,
                    given: binding.to_string(),
                }),
                Some(_) => {
                    let text = progress.get(job).map_err(storage)?.map(|v| v.value().to_string());
                    match text {
                        Some(text) => self.decode(job, &text),
                        None => Err(self.corrupt(format!("job {job:?} has a binding and no progress"))),
                    }
                }
            }
        })
    }

    fn commit(&self, batch: &BTreeMap<String, Progress>) -> Result<(), CheckpointError> {
        let storage = |e: StorageError| storage_error(&self.path, e);
        self.write(Durability::Immediate, |_, progress| {
            for (job, at) in batch {
                progress.insert(job.as_str(), encode(at).as_str()).map_err(storage)?;
            }
            Ok(())
        })
    }
}

/// Runs `f`, a call into redb: redb panics on some damage to the pages it
/// reads (a value that is not UTF-8, a length past its page), which is a
/// corrupt store.
fn caught<T>(path: &Path, f: impl FnOnce() -> Result<T, CheckpointError>) -> Result<T, CheckpointError> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        Err(CheckpointError::Corrupt {
            path: path.into(),
            reason: format!("redb failed reading it: {}", panic_message(&*panic)),
        })
    })
}

fn database_error(path: &Path, e: DatabaseError) -> CheckpointError {
    match e {
        DatabaseError::DatabaseAlreadyOpen => CheckpointError::Locked { path: path.into() },
        DatabaseError::Storage(e) => storage_error(path, e),
        other => CheckpointError::Corrupt {
            path: path.into(),
            reason: other.to_string(),
        },
    }
}

fn storage_error(path: &Path, e: StorageError) -> CheckpointError {
    match e {
        StorageError::Corrupted(reason) => CheckpointError::Corrupt {
            path: path.into(),
            reason,
        },
        // redb reads a file that is not one of its own as invalid data.
        StorageError::Io(source) if source.kind() == std::io::ErrorKind::InvalidData => CheckpointError::Corrupt {
            path: path.into(),
            reason: source.to_string(),
        },
        StorageError::Io(source) if is_read_only(&source) => CheckpointError::ReadOnly {
            path: path.into(),
            source,
        },
        StorageError::Io(source) => CheckpointError::Io {
            path: path.into(),
            source,
        },
        other => CheckpointError::Store(other.to_string()),
    }
}

fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}
