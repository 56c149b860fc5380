//! `Checkpointed`: a driver whose consumer acknowledges what it has finished.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use super::writer::Writer;
use super::{CheckpointError, Progress};
use crate::model::PaginatedRequest;

/// A driver that gives the resume token at the caller's position: every
/// iterator and stream of a listing, and [`FanOut`](crate::FanOut).
/// Implement it for a driver of your own to track it with
/// [`Job::track`](crate::Job::track).
///
/// ```
/// # use paginate::{Paginated, Listing, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// use paginate::Resumable;
/// fn position(driver: &impl Resumable) -> Option<String> {
///     driver.resume_token()
/// }
/// let service = |_: Req| Ok::<_, std::io::Error>(Resp { items: vec![1], next_token: None });
/// let mut items = Listing::new(service, Req::default(), PaginationConfig::default()).items();
/// assert!(position(&items).is_some()); // not started: the token of the beginning
/// items.next();
/// assert_eq!(position(&items), None); // nothing left
/// ```
pub trait Resumable {
    /// The token to resume from after what was yielded so far; `None` when
    /// nothing is left (or after an error that ends the listing).
    fn resume_token(&self) -> Option<String>;

    /// How many items of the listing come before that token's place, when
    /// the driver knows it (the iterators and streams of one listing, not
    /// prefetched or parallel); a checkpoint keeps it with the token, for an
    /// [`ExpiryPolicy::restart_by_count`](crate::ExpiryPolicy::restart_by_count)
    /// of the resumed listing. `None` by default.
    fn position(&self) -> Option<u64> {
        None
    }

    /// Whether the listing has ended with what was yielded so far, no error
    /// to come: [`resume_token`](Self::resume_token) is `None` because
    /// nothing is left. A [`Checkpointed`] driver acknowledged there marks its
    /// job done at once, without waiting for the driver to give its end.
    /// `false` by default (the job is then done once the driver gives `None`).
    fn is_exhausted(&self) -> bool {
        false
    }
}

/// `Resumable` for each driver, forwarding to its own methods; those of one
/// listing, not prefetched or parallel, know their position. The blocking
/// drivers need no client bound for their tokens.
macro_rules! resumable {
    ($($(#[$cfg:meta])* $driver:ident<C $(: $bound:ident)?> $(+ $position:ident)?),* $(,)?) => {$(
        $(#[$cfg])*
        impl<C $(: crate::$bound<Req>)?, Req: PaginatedRequest> Resumable for crate::$driver<C, Req> {
            fn resume_token(&self) -> Option<String> {
                crate::$driver::resume_token(self)
            }
            fn is_exhausted(&self) -> bool {
                crate::$driver::is_exhausted(self)
            }
            $(
                fn $position(&self) -> Option<u64> {
                    crate::$driver::$position(self)
                }
            )?
        }
    )*};
}

resumable!(
    Pages<C> + position,
    Items<C> + position,
    PageStream<C: AsyncClient> + position,
    ItemStream<C: AsyncClient> + position,
    FanOut<C: AsyncClient>,
    #[cfg(feature = "prefetch")]
    PrefetchStream<C: AsyncClient>,
    #[cfg(feature = "prefetch")]
    PrefetchItemStream<C: AsyncClient>,
    #[cfg(feature = "parallel")]
    ParallelStream<C: AsyncClient>,
    #[cfg(feature = "parallel")]
    ParallelItemStream<C: AsyncClient>,
);

/// A driver tracked by a job: it yields what the driver yields, and
/// [`ack`](Self::ack) records the position after everything yielded so far.
///
/// Made by [`Job::track`](crate::Job::track); see
/// [`Checkpoints`](crate::Checkpoints) and [`Job`](crate::Job) for examples,
/// and [`Job::start_fan_out`](crate::Job::start_fan_out) for a stream.
///
/// # What a crash repeats
///
/// `ack` hands the position to the store's writer thread and returns at once;
/// the writer commits the latest position of each job, one transaction at a
/// time, and acknowledgements that arrive during a commit go together into
/// the next one. A resumed job starts at the last *durable* position, so
/// after `kill -9` it repeats at most what was yielded since that position:
/// the items acknowledged while the last commit was in flight (or not yet
/// picked up by the writer), plus the items yielded but not acknowledged.
/// [`flush`](Self::flush) waits until every acknowledgement is durable, which
/// leaves only the unacknowledged items. Nothing is lost: only positions the
/// consumer acknowledged are ever written, so no item is skipped that was not
/// finished. A consumer that dedupes by a key it keeps with its own output
/// sees every item exactly once.
pub struct Checkpointed<D> {
    driver: D,
    id: String,
    /// The position last handed to the writer (or read from the store).
    last: Progress,
    /// What the driver said last: an error, its end, and whether an item
    /// came since the last `ack`. A token of `None` means done only at an
    /// end that no error came before; otherwise (a listing error pending or
    /// given) nothing can resume from there, and the last position stays.
    failed: bool,
    ended: bool,
    unacked: bool,
    writer: Arc<Writer>,
}

impl<D: Resumable> Checkpointed<D> {
    pub(crate) fn new(driver: D, id: String, last: Progress, writer: Arc<Writer>) -> Self {
        Checkpointed {
            driver,
            id,
            last,
            failed: false,
            ended: false,
            unacked: false,
            writer,
        }
    }

    /// Acknowledges everything yielded so far: the consumer is finished with
    /// it, and a resumed job starts after it. The job is marked done when the
    /// listing ends (the driver gives `None`, or says it is
    /// [exhausted](Resumable::is_exhausted); no error before it) with
    /// everything acknowledged, here or at that end. Returns at once (the write
    /// happens on the writer thread); the error is that of an earlier commit
    /// that failed.
    pub fn ack(&mut self) -> Result<(), CheckpointError> {
        self.unacked = false;
        let progress = match self.driver.resume_token() {
            Some(token) => Progress::At {
                token,
                position: self.driver.position(),
            },
            None if !self.failed && (self.ended || self.driver.is_exhausted()) => Progress::Done,
            None => return Ok(()),
        };
        if progress == self.last {
            return Ok(());
        }
        self.writer.submit(&self.id, progress.clone())?;
        self.last = progress;
        Ok(())
    }

    /// Waits until everything acknowledged so far is durable (a blocking
    /// wait for one commit: in async code, call it where blocking is fine).
    pub fn flush(&self) -> Result<(), CheckpointError> {
        self.writer.flush()
    }

    /// Notes what the driver gave: `Some(true)` an item, `Some(false)` an
    /// error, `None` its end, where a listing acknowledged up to its last
    /// item is marked done.
    fn observe(&mut self, item: Option<bool>) {
        match item {
            Some(ok) => {
                self.failed = !ok;
                self.ended = false;
                self.unacked |= ok;
            }
            None => {
                self.ended = true;
                if !self.unacked {
                    // An error of the writer is kept by it, and given by the next `ack` or `flush`.
                    let _ = self.ack();
                }
            }
        }
    }

    /// The job id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The driver (for its `resume_token`).
    pub fn get_ref(&self) -> &D {
        &self.driver
    }

    /// The driver (for its `retry`).
    pub fn get_mut(&mut self) -> &mut D {
        &mut self.driver
    }

    /// The driver, no longer tracked.
    pub fn into_inner(self) -> D {
        self.driver
    }
}

impl<D, T, E> Iterator for Checkpointed<D>
where
    D: Iterator<Item = Result<T, E>> + Resumable,
{
    type Item = Result<T, E>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.driver.next();
        self.observe(item.as_ref().map(Result::is_ok));
        item
    }
}

impl<D, T, E> Stream for Checkpointed<D>
where
    D: Stream<Item = Result<T, E>> + Unpin + Resumable,
{
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let item = ready!(Pin::new(&mut this.driver).poll_next(cx));
        this.observe(item.as_ref().map(Result::is_ok));
        Poll::Ready(item)
    }
}

impl<D: Resumable> std::fmt::Debug for Checkpointed<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpointed")
            .field("id", &self.id)
            .field("acked", &self.last)
            .field("resume_token", &self.driver.resume_token())
            .finish_non_exhaustive()
    }
}
