//! What can go wrong with a checkpoint store, one variant per thing a caller
//! can act on.

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::TokenError;

/// A checkpoint store could not be opened, read or written, or a job was
/// opened for something else than it lists.
///
/// ```
/// # use paginate::{Checkpoints, CheckpointError};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("jobs.redb");
/// let _first = Checkpoints::open(&path)?;
/// // The store holds a lock on its file while it is open.
/// assert!(matches!(Checkpoints::open(&path), Err(CheckpointError::Locked { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// Another handle, in this process or another, has the store open.
    #[error("the checkpoint store {} is locked by another process or handle", path.display())]
    Locked {
        /// The store's file.
        path: PathBuf,
    },
    /// The file is not a store, or its contents are damaged.
    #[error("the checkpoint store {} is corrupt: {reason}", path.display())]
    Corrupt {
        /// The store's file.
        path: PathBuf,
        /// What was found wrong.
        reason: String,
    },
    /// The file or its directory may not be written.
    #[error("the checkpoint store {} cannot be written", path.display())]
    ReadOnly {
        /// The store's file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Any other failure to read or write the file.
    #[error("the checkpoint store {} failed", path.display())]
    Io {
        /// The store's file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A failure of the store that is none of the above (a store's own error, as text).
    #[error("the checkpoint store failed: {0}")]
    Store(String),
    /// The job was created for other listings than the ones it is opened for now.
    #[error("job {job:?} lists {stored:?}, not {given:?}; use another job id")]
    BindingMismatch {
        /// The job id.
        job: String,
        /// What the job was created for.
        stored: String,
        /// What it was opened for now.
        given: String,
    },
    /// The job's stored token is not one for the listings it is started with.
    #[error("job {job:?} holds a token that does not fit its listings")]
    Token {
        /// The job id.
        job: String,
        /// Why the token does not fit.
        #[source]
        source: TokenError,
    },
    /// An earlier commit failed: positions acknowledged since then are not durable.
    #[error("a checkpoint commit failed; acknowledgements since are not durable")]
    CommitFailed(#[source] Arc<CheckpointError>),
    /// The store's database cannot be reached: refused, timed out, or the
    /// connection dropped.
    #[error("the checkpoint database at {target} cannot be reached")]
    Unreachable {
        /// Where the database was looked for (host and port, never a password).
        target: String,
        /// What the connection said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database URL cannot be used: not a URL, or it names no database the server has.
    #[error("the checkpoint database URL cannot be used: {reason}")]
    BadUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The database refused the URL's user or password.
    #[error("the checkpoint database at {target} refused the user {user:?}: {reason}")]
    Authentication {
        /// Where the database is (host and port).
        target: String,
        /// The user the URL names.
        user: String,
        /// What the server said.
        reason: String,
    },
    /// Another worker took over the lease of this listing of a shared job
    /// (this worker's lease had expired): this worker must stop listing it;
    /// what it acknowledged since its last commit is not written.
    #[error("the lease of {job:?} was taken over by another worker; stop listing it")]
    LeaseLost {
        /// The listing's job id (`{job}/{n}`).
        job: String,
    },
    /// The store cannot lease listings to workers (only a shared database can).
    #[error("this checkpoint store cannot lease listings to workers")]
    NoLeases,
    /// The writer thread could not be started.
    #[error("the checkpoint writer thread could not be started")]
    Writer(#[source] std::io::Error),
}

/// What a panic said, when it said it in text: a store's panic becomes an error.
pub(super) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}
