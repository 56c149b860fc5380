//! `Checkpoints`: a store and its writer thread, the handle jobs are opened on.

use std::path::Path;
use std::sync::Arc;

use super::job::Job;
use super::shared_job::SharedJob;
use super::writer::Writer;
use super::{CheckpointError, CheckpointStore, RedbStore};
use crate::model::PaginatedRequest;

/// A checkpoint store with its writer: opens jobs, and commits what their
/// consumers acknowledge, in the background.
///
/// Cloning gives another handle on the same store and writer. When the last
/// handle and the last [`Job`] and [`Checkpointed`](crate::Checkpointed) of
/// it are dropped, what was acknowledged is committed and the writer thread
/// stops (dropping waits for that commit).
///
/// ```
/// # use paginate::{Paginated, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// use paginate::{Checkpoints, Listing};
///
/// fn service(req: Req) -> Result<Resp, std::io::Error> {
///     Ok(match req.next_token.as_deref() {
///         None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
///         Some(_) => Resp { items: vec![3], next_token: None },
///     })
/// }
///
/// /// One run of a program: handles at most `n` items, acknowledging each.
/// fn run(path: &std::path::Path, n: usize) -> Result<Vec<u32>, Box<dyn std::error::Error>> {
///     let checkpoints = Checkpoints::open(path)?;
///     let job = checkpoints.job::<Req>("numbers", "all numbers")?;
///     let Some(listing) = job.start(Listing::new(service, Req::default(), PaginationConfig::default())) else {
///         return Ok(Vec::new()); // done
///     };
///     let mut items = job.track(listing.items());
///     let mut handled = Vec::new();
///     while handled.len() < n {
///         let Some(item) = items.next() else { break };
///         handled.push(item?);
///         items.ack()?;
///     }
///     Ok(handled) // dropping the last handle commits what was acknowledged
/// }
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("jobs.redb");
/// assert_eq!(run(&path, 2)?, [1, 2]);
/// assert_eq!(run(&path, 10)?, [3]); // resumed after the last acknowledged item
/// assert!(run(&path, 10)?.is_empty()); // the listing ended with everything acknowledged: done
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Checkpoints {
    writer: Arc<Writer>,
}

impl Checkpoints {
    /// Opens (or creates) the embedded store at `path`; see [`RedbStore`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CheckpointError> {
        Self::new(RedbStore::open(path)?)
    }

    /// Checkpoints kept in `store`, committed by a thread of their own.
    pub fn new(store: impl CheckpointStore) -> Result<Self, CheckpointError> {
        Ok(Checkpoints {
            writer: Arc::new(Writer::spawn(Arc::new(store))?),
        })
    }

    /// Opens the job `id`, for listings of `Req` that `description` tells
    /// apart from other listings of `Req` (the account, the filter, the
    /// number of listings of a fan-out: whatever makes a resume token of one
    /// meaningless for another). The job is created if it does not exist; if
    /// it exists for another request type or description, the error is
    /// [`CheckpointError::BindingMismatch`].
    ///
    /// One job is consumed by one listing (or fan-out) at a time.
    pub fn job<Req: PaginatedRequest>(&self, id: &str, description: &str) -> Result<Job<Req>, CheckpointError> {
        let binding = format!("{}: {description}", std::any::type_name::<Req>());
        let progress = self.writer.store().open_job(id, &binding)?;
        Ok(Job::new(id.to_string(), progress, Arc::clone(&self.writer)))
    }

    /// Opens the shared job `id` of `listings` listings of `Req`, each leased
    /// to one worker at a time (see [`SharedJob`]); `description` tells them
    /// apart as in [`job`](Self::job). The job is created if it does not
    /// exist; if it exists for another request type, description or number
    /// of listings, the error is [`CheckpointError::BindingMismatch`]. The
    /// store must lease listings (`PostgresStore`, feature `postgres`,
    /// does), or the error is [`CheckpointError::NoLeases`].
    pub fn shared_job<Req: PaginatedRequest>(
        &self,
        id: &str,
        description: &str,
        listings: usize,
    ) -> Result<SharedJob<Req>, CheckpointError> {
        let binding = format!("{}: {description}", std::any::type_name::<Req>());
        self.writer.store().open_shared_job(id, &binding, listings)?;
        Ok(SharedJob::new(id.to_string(), listings, Arc::clone(&self.writer)))
    }

    /// Waits until every position acknowledged so far, by any job of this
    /// store, is durable.
    pub fn flush(&self) -> Result<(), CheckpointError> {
        self.writer.flush()
    }
}

impl std::fmt::Debug for Checkpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpoints").finish_non_exhaustive()
    }
}
