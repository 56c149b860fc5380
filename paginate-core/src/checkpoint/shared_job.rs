//! `SharedJob`: a job of many listings, each leased to one worker at a time.

use std::marker::PhantomData;
use std::sync::Arc;

use super::job::Job;
use super::writer::Writer;
use super::CheckpointError;
use crate::model::PaginatedRequest;

/// A job of several listings shared by many workers, in this process or on
/// other machines, through a store that leases them (`PostgresStore`,
/// feature `postgres`): each listing is worked on by
/// one worker at a time, and a listing whose worker died is taken over, once
/// its lease expires, from its last acknowledged position.
///
/// Opened with [`Checkpoints::shared_job`](crate::Checkpoints::shared_job).
/// Listing `n` is a [`Job`] of its own, with the id `{job}/{n}`: start it,
/// track it and acknowledge what is finished as with any job; every commit
/// renews its lease. When a commit finds that another worker has taken the
/// lease over, `ack` and `flush` say [`CheckpointError::LeaseLost`]: stop
/// listing it, and take the next one on a new
/// [`Checkpoints`](crate::Checkpoints): the writer of the one that lost it
/// refuses every acknowledgement from then on, of any of its jobs, and the
/// commit that found the lease gone wrote none of its batch (a commit is all
/// or nothing). What that worker delivered after its last commit is
/// delivered again by the worker that took the listing over.
///
/// `PostgresStore`
/// (feature `postgres`) has an example of a worker.
pub struct SharedJob<Req> {
    id: String,
    listings: usize,
    writer: Arc<Writer>,
    request: PhantomData<fn() -> Req>,
}

impl<Req: PaginatedRequest> SharedJob<Req> {
    pub(crate) fn new(id: String, listings: usize, writer: Arc<Writer>) -> Self {
        SharedJob {
            id,
            listings,
            writer,
            request: PhantomData,
        }
    }

    /// The job id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// How many listings the job has.
    pub fn listings(&self) -> usize {
        self.listings
    }

    /// Leases the next listing to work on (not done, its lease free or
    /// expired): its index, and its [`Job`], which starts it where its last
    /// worker's acknowledgements left it. `None` when every listing not done
    /// is leased to a worker (see [`remaining`](Self::remaining) for whether
    /// any is left at all).
    pub fn next_listing(&self) -> Result<Option<(usize, Job<Req>)>, CheckpointError> {
        let Some((listing, progress)) = self.writer.store().lease_next(&self.id)? else {
            return Ok(None);
        };
        let id = format!("{}/{listing}", self.id);
        Ok(Some((listing, Job::new(id, progress, Arc::clone(&self.writer)))))
    }

    /// How many listings are not done, whichever worker they are leased to.
    pub fn remaining(&self) -> Result<usize, CheckpointError> {
        self.writer.store().remaining(&self.id)
    }
}

impl<Req> std::fmt::Debug for SharedJob<Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedJob")
            .field("id", &self.id)
            .field("listings", &self.listings)
            .finish_non_exhaustive()
    }
}
