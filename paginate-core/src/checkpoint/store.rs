//! What a checkpoint store keeps, and the trait a store implements.

use std::collections::BTreeMap;

use super::CheckpointError;

/// Where a job stands: what a store keeps for each job id.
///
/// ```
/// use paginate::Progress;
/// let job = Progress::At { token: "eyJOZXh0VG9rZW4iOiAicDIifQ==".into(), position: Some(40) };
/// assert_eq!(job.starting_token(), Some("eyJOZXh0VG9rZW4iOiAicDIifQ=="));
/// assert_eq!(job.position(), Some(40));
/// assert_eq!(Progress::Start.starting_token(), None);
/// assert!(Progress::Done.is_done());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Nothing acknowledged yet: the listing starts from the beginning.
    Start,
    /// The last acknowledged position.
    At {
        /// The resume token there.
        token: String,
        /// How many items of the listing came before it, when the driver
        /// knew ([`Resumable::position`](crate::Resumable::position)).
        position: Option<u64>,
    },
    /// Every item was acknowledged and the listing ended: nothing to list.
    Done,
}

impl Progress {
    /// The token a resumed listing starts from (`None` for [`Progress::Start`]
    /// and [`Progress::Done`]).
    pub fn starting_token(&self) -> Option<&str> {
        match self {
            Progress::At { token, .. } => Some(token),
            Progress::Start | Progress::Done => None,
        }
    }

    /// How many items of the listing come before where it resumes: 0 for
    /// [`Progress::Start`], the position recorded with the token (if any)
    /// for [`Progress::At`], `None` for [`Progress::Done`].
    pub fn position(&self) -> Option<u64> {
        match self {
            Progress::Start => Some(0),
            Progress::At { position, .. } => *position,
            Progress::Done => None,
        }
    }

    /// Whether the job is finished.
    pub fn is_done(&self) -> bool {
        matches!(self, Progress::Done)
    }
}

/// A place that keeps jobs: [`RedbStore`](crate::RedbStore) is the embedded
/// one; implement it for another database. [`Checkpoints`](crate::Checkpoints)
/// calls `open_job` when a job is opened and `commit` from its writer thread.
///
/// ```
/// use std::collections::BTreeMap;
/// use std::sync::Mutex;
/// use paginate::{CheckpointError, CheckpointStore, Checkpoints, Progress};
///
/// /// Keeps jobs in memory: survives nothing, as an illustration.
/// #[derive(Default)]
/// struct Memory(Mutex<BTreeMap<String, (String, Progress)>>);
///
/// impl CheckpointStore for Memory {
///     fn open_job(&self, job: &str, binding: &str) -> Result<Progress, CheckpointError> {
///         let mut jobs = self.0.lock().map_err(|e| CheckpointError::Store(e.to_string()))?;
///         let (stored, progress) = jobs.entry(job.into()).or_insert_with(|| (binding.into(), Progress::Start));
///         if stored != binding {
///             return Err(CheckpointError::BindingMismatch { job: job.into(), stored: stored.clone(), given: binding.into() });
///         }
///         Ok(progress.clone())
///     }
///     fn commit(&self, progress: &BTreeMap<String, Progress>) -> Result<(), CheckpointError> {
///         let mut jobs = self.0.lock().map_err(|e| CheckpointError::Store(e.to_string()))?;
///         for (job, at) in progress {
///             if let Some(entry) = jobs.get_mut(job) {
///                 entry.1 = at.clone();
///             }
///         }
///         Ok(())
///     }
/// }
///
/// let checkpoints = Checkpoints::new(Memory::default())?;
/// # Ok::<(), CheckpointError>(())
/// ```
pub trait CheckpointStore: Send + Sync + 'static {
    /// The progress of `job`, creating it (at [`Progress::Start`]) bound to
    /// `binding` if it does not exist; [`CheckpointError::BindingMismatch`]
    /// if it exists with another binding.
    fn open_job(&self, job: &str, binding: &str) -> Result<Progress, CheckpointError>;

    /// Writes the progress of every job in `progress` atomically (all or
    /// none) and durably: when it returns `Ok`, the writes survive a crash of
    /// the process and of the machine, as far as the store can promise it.
    /// A panic here fails the commit as an error would
    /// ([`CheckpointError::Store`], given by the next `ack` or `flush`).
    fn commit(&self, progress: &BTreeMap<String, Progress>) -> Result<(), CheckpointError>;

    /// Creates the shared job `job` of `listings` listings bound to `binding`
    /// if it does not exist; [`CheckpointError::BindingMismatch`] if it exists
    /// with another binding or another number of listings. Listing `n` of it
    /// is kept as the job `{job}/{n}`, leased to one worker at a time.
    ///
    /// A store without leases (the default) says [`CheckpointError::NoLeases`].
    fn open_shared_job(&self, job: &str, binding: &str, listings: usize) -> Result<(), CheckpointError> {
        let _ = (job, binding, listings);
        Err(CheckpointError::NoLeases)
    }

    /// Leases to this store's worker a listing of the shared job `job` that is
    /// not done and whose lease is free or expired, and says which one and
    /// where it stands; `None` when every listing not done is leased to a
    /// worker. From then on, [`commit`](Self::commit) of `{job}/{n}` renews
    /// the lease, and fails with [`CheckpointError::LeaseLost`] once another
    /// worker has taken it over.
    fn lease_next(&self, job: &str) -> Result<Option<(usize, Progress)>, CheckpointError> {
        let _ = job;
        Err(CheckpointError::NoLeases)
    }

    /// How many listings of the shared job `job` are not done.
    fn remaining(&self, job: &str) -> Result<usize, CheckpointError> {
        let _ = job;
        Err(CheckpointError::NoLeases)
    }
}
