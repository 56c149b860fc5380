//! `--checkpoint`: the store a listing's acknowledged position is kept in,
//! the job a command line is in it, and the exit code of each store error.
//!
//! The job id is derived from what is listed: the operation, the endpoint
//! (the embedded one, whatever its port, or the URL), the region, the
//! `--firewall-arn`s in order, the filters and the page size. Another command
//! line is another job in the same store; `--max-items`, `--max-concurrency`
//! and the output options are not part of it (they change how much a run
//! prints, or how, not what is listed).

use std::path::PathBuf;
use std::time::Duration;

use paginate::{CheckpointError, Checkpoints, PostgresStore};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::failure::Failure;

/// An open `--checkpoint` store.
pub enum Store {
    /// The embedded store: one run at a time lists the job.
    Embedded(Checkpoints),
    /// The database: instances share the job, each firewall leased to one.
    Shared(PostgresStore),
}

/// Where `--checkpoint` keeps its jobs.
pub enum Target {
    /// The embedded store, one file.
    File(PathBuf),
    /// A database, by its URL (`postgres://...`).
    Database(String),
}

impl Target {
    /// The `--checkpoint` value: a database URL by its scheme, else a file path.
    pub fn parse(value: &str) -> Result<Target, Failure> {
        if value.is_empty() {
            return Err(Failure::Input("--checkpoint is empty: give a file path".into()));
        }
        let scheme = value.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => Ok(Target::Database(value.to_owned())),
            _ => Ok(Target::File(PathBuf::from(value))),
        }
    }

    /// Opens the store, or why it cannot be used: the embedded one, or a
    /// connection to the database whose leases last `lease`.
    pub fn open(&self, lease: Duration) -> Result<Store, Failure> {
        match self {
            Target::File(path) => Checkpoints::open(path).map(Store::Embedded).map_err(store_failure),
            Target::Database(url) => PostgresStore::connect(url)
                .map(|store| Store::Shared(store.with_lease(lease)))
                .map_err(store_failure),
        }
    }

    /// How the resume hint names the store.
    pub fn describe(&self) -> String {
        match self {
            Target::File(path) => path.display().to_string(),
            Target::Database(_) => "the database".into(),
        }
    }
}

/// A store error, on one line, with its exit code: a store that needs a
/// person to repair or replace it (corrupt, not writable, a job that does not
/// fit its listings, a database URL naming no database, a user or password
/// the database refuses) is invalid configuration (253); one busy with
/// another run, failing on I/O, or a database that cannot be reached, is
/// anything else (255). No error of the database repeats its URL's password.
pub fn store_failure(error: CheckpointError) -> Failure {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    match error {
        CheckpointError::Corrupt { .. }
        | CheckpointError::ReadOnly { .. }
        | CheckpointError::BindingMismatch { .. }
        | CheckpointError::Token { .. }
        | CheckpointError::BadUrl { .. }
        | CheckpointError::Authentication { .. } => Failure::Config(message),
        _ => Failure::Other(message),
    }
}

/// What a listing lists: the job's identity.
#[derive(Serialize)]
pub struct JobKey<'a> {
    pub operation: &'static str,
    /// `None` for the embedded endpoint (a new port every run).
    pub endpoint: Option<&'a str>,
    pub region: &'a str,
    pub firewall_arns: &'a [String],
    pub availability_zone: Option<&'a str>,
    pub vpc_endpoint_association_arn: Option<&'a str>,
    pub vpc_endpoint_id: Option<&'a str>,
    pub flow_operation_type: Option<&'a str>,
    pub page_size: Option<u64>,
}

impl JobKey<'_> {
    /// The job id and its description: `list-flow-operations-` and the first
    /// 16 bytes of the SHA-256 of the key as JSON; the description names the
    /// whole digest.
    pub fn id_and_description(&self) -> (String, String) {
        let json = serde_json::to_string(self).unwrap_or_default();
        let digest: String = Sha256::digest(json.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let id = format!("list-flow-operations-{}", &digest[..32]);
        let description = format!(
            "{} of {} firewall(s), listing sha256 {digest}",
            self.operation,
            self.firewall_arns.len()
        );
        (id, description)
    }
}
