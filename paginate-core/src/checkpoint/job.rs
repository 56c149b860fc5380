//! `Job`: one listing or fan-out bound to a job id, where it starts.

use std::marker::PhantomData;
use std::sync::Arc;

use super::tracked::Checkpointed;
use super::writer::Writer;
use super::{CheckpointError, Progress};
use crate::fanout::FanOut;
use crate::listing::Listing;
use crate::model::PaginatedRequest;
use crate::stream::AsyncClient;

/// A job opened with [`Checkpoints::job`](crate::Checkpoints::job): where its
/// listing stands, what starts it there, and what tracks the consumer's
/// acknowledgements.
///
/// ```
/// # use paginate::{Paginated, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// use paginate::{Checkpoints, Listing, Progress};
/// let service = |_: Req| Ok::<_, std::io::Error>(Resp { items: vec![1, 2, 3], next_token: None });
/// let dir = tempfile::tempdir()?;
/// let checkpoints = Checkpoints::open(dir.path().join("jobs.redb"))?;
/// let job = checkpoints.job::<Req>("numbers", "all numbers")?;
/// assert_eq!((job.id(), job.progress()), ("numbers", &Progress::Start));
/// let listing = job.start(Listing::new(service, Req::default(), PaginationConfig::default())).expect("a new job");
/// let mut items = job.track(listing.pages());
/// assert_eq!(items.next().transpose()?.map(|page| page.items), Some(vec![1, 2, 3]));
/// items.ack()?;
/// assert!(items.next().is_none()); // the end, everything acknowledged: the job is done
/// items.flush()?;
/// assert!(checkpoints.job::<Req>("numbers", "all numbers")?.progress().is_done());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Job<Req> {
    id: String,
    progress: Progress,
    writer: Arc<Writer>,
    request: PhantomData<fn() -> Req>,
}

impl<Req: PaginatedRequest> Job<Req> {
    pub(crate) fn new(id: String, progress: Progress, writer: Arc<Writer>) -> Self {
        Job {
            id,
            progress,
            writer,
            request: PhantomData,
        }
    }

    /// The job id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Where the job stood when it was opened.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// `listing`, started where the job stands: from the beginning for a new
    /// job, from the last acknowledged position otherwise (the listing's own
    /// starting token is replaced); `None` when the job is done.
    ///
    /// See [`Checkpoints`](crate::Checkpoints) for an example.
    pub fn start<C>(&self, mut listing: Listing<C, Req>) -> Option<Listing<C, Req>> {
        match &self.progress {
            Progress::Done => None,
            Progress::Start => Some(listing),
            Progress::At { token, position } => {
                listing.config = listing.config.with_starting_token(token.clone());
                listing.config.starting_position = *position;
                Some(listing)
            }
        }
    }

    /// A [`FanOut`] of `listings` (see [`FanOut::new`]), resumed where the job
    /// stands: every listing at its last acknowledged position, the ones done
    /// not at all; `None` when the job is done. The listings must be the same,
    /// in the same order, on every run (say how many in the job's description).
    ///
    /// ```
    /// # use paginate::{Checkpoints, Listing, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { shard: u32, #[paginated(input_token)] next_token: Option<u32> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<u32> }
    /// use futures::StreamExt;
    /// let service = |req: Req| async move {
    ///     let at = req.next_token.unwrap_or(0);
    ///     let items = (at..(at + 2).min(4)).map(|i| 10 * req.shard + i).collect();
    ///     Ok::<_, std::io::Error>(Resp { items, next_token: (at + 2 < 4).then_some(at + 2) })
    /// };
    /// let listings = || (1..=3).map(|shard| Listing::new(service, Req { shard, next_token: None }, PaginationConfig::default())).collect();
    /// let dir = tempfile::tempdir()?;
    /// let checkpoints = Checkpoints::open(dir.path().join("jobs.redb"))?;
    ///
    /// let job = checkpoints.job::<Req>("shards", "shards 1 to 3")?;
    /// let mut set = job.track(job.start_fan_out(listings(), 3, None)?.expect("not done"));
    /// let first = futures::executor::block_on(set.next()).expect("an item")?;
    /// set.ack()?;
    /// set.flush()?;
    /// drop(set);
    ///
    /// let job = checkpoints.job::<Req>("shards", "shards 1 to 3")?;
    /// let set = job.track(job.start_fan_out(listings(), 3, None)?.expect("not done"));
    /// let rest: Vec<u32> = futures::executor::block_on(set.map(|r| r.expect("no error").1).collect());
    /// assert_eq!(rest.len(), 11);
    /// assert!(!rest.contains(&first.1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start_fan_out<C: AsyncClient<Req>>(
        &self,
        listings: Vec<Listing<C, Req>>,
        concurrency: usize,
        max_items: Option<u64>,
    ) -> Result<Option<FanOut<C, Req>>, CheckpointError> {
        match &self.progress {
            Progress::Done => Ok(None),
            Progress::Start => Ok(Some(FanOut::new(listings, concurrency, max_items))),
            Progress::At { token, .. } => FanOut::resume(listings, concurrency, max_items, token)
                .map(Some)
                .map_err(|source| CheckpointError::Token {
                    job: self.id.clone(),
                    source,
                }),
        }
    }

    /// Wraps `driver` (any of the listing's iterators or streams, or a
    /// fan-out) so that its consumer can [`ack`](Checkpointed::ack) what it
    /// has finished. Track one driver of a job at a time.
    pub fn track<D: super::Resumable>(&self, driver: D) -> Checkpointed<D> {
        Checkpointed::new(driver, self.id.clone(), self.progress.clone(), Arc::clone(&self.writer))
    }
}

impl<Req> std::fmt::Debug for Job<Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("id", &self.id)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}
