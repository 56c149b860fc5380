//! Prefetch: pages fetched ahead on a tokio task while the caller works.
//!
//! A token chain is sequential (the next request needs this page's token),
//! so being faster than the obvious loop means overlapping the caller's work
//! with the next request. The task drives the same [`ListingState`] and
//! hands each page over with its [`ResumePoint`], so resume tokens follow
//! what the caller has *received*, not what was fetched.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use tokio::sync::mpsc;

use crate::answer::{answer, Answer};
use crate::error::{Error, ListingError};
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::page_items::PageItems;
use crate::position::ResumePoint;
use crate::state::ListingState;
use crate::stream::{poll_items, AsyncClient, PageStream};
use crate::trace::{self, Tracer};

/// The most pages [`PageStream::prefetch`] fetches ahead; a larger depth is
/// taken as this one.
pub const MAX_PREFETCH_DEPTH: usize = 1024;

/// What the fetching task hands over, in order.
enum Message<Req: PaginatedRequest, E> {
    Page(Req::Response, ResumePoint),
    Failed(E, ResumePoint),
    Stopped(ListingError),
}

#[cfg_attr(docsrs, doc(cfg(feature = "prefetch")))]
impl<C, Req> PageStream<C, Req>
where
    C: AsyncClient<Req> + Send + 'static,
    C::Future: Send,
    C::Error: Send + 'static,
    Req: PaginatedRequest + Send + 'static,
    Req::Response: Send + 'static,
{
    /// Fetches up to `depth` pages ahead (at least one, at most
    /// [`MAX_PREFETCH_DEPTH`]) on a task of the current tokio runtime, while
    /// the caller works on the pages it has. Order, `MaxItems`, resume tokens
    /// and errors (in order, with the token of the caller's position; the
    /// stream ends after one, and [`PrefetchStream::retry`] sends a failed
    /// request again) are as without it; memory is bounded by `depth` pages;
    /// dropping the stream cancels the request in flight.
    ///
    /// Must be called within a tokio runtime.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// use futures::TryStreamExt;
    /// let service = |req: Req| async move {
    ///     Ok::<_, std::io::Error>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let items: Vec<u32> = runtime.block_on(async {
    ///     Listing::new(service, Req::default(), PaginationConfig::default())
    ///         .page_stream()
    ///         .prefetch(4)
    ///         .items()
    ///         .try_collect()
    ///         .await
    /// })?;
    /// assert_eq!(items, [1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prefetch(self, depth: usize) -> PrefetchStream<C, Req> {
        let PageStream {
            client,
            state,
            in_flight,
            ..
        } = self;
        let point = state.resume_point();
        // A page stream that gave a service error ends until `retry`: so does this one.
        let failed = state.is_interrupted();
        let (pages, receiver) = mpsc::channel(depth.clamp(1, MAX_PREFETCH_DEPTH));
        let (retry, retries) = mpsc::channel(1);
        let tracer = Tracer::new::<Req>();
        let task = tokio::spawn(fetch(client, state, in_flight, tracer, pages, retries));
        PrefetchStream {
            receiver,
            retry,
            point,
            failed,
            task,
        }
    }
}

/// The fetching task: the page stream's loop, with the pages going into a
/// bounded channel.
async fn fetch<C, Req>(
    mut client: C,
    mut state: ListingState<Req>,
    mut in_flight: Pin<Box<Option<C::Future>>>,
    mut tracer: Tracer,
    pages: mpsc::Sender<Message<Req, C::Error>>,
    mut retries: mpsc::Receiver<()>,
) where
    C: AsyncClient<Req>,
    Req: PaginatedRequest,
{
    if state.is_interrupted() {
        // The stream's `retry` asks for the failed request again.
        if retries.recv().await.is_none() {
            return;
        }
        state.retry();
    }
    loop {
        let trace = tracer.start();
        if in_flight.is_none() {
            // The borrowed request (not `Send`) must not live across an await.
            let stopped = match state.next_request_ref() {
                None => return,
                Some(Err(stop)) => Some(stop),
                Some(Ok(request)) => {
                    in_flight.set(Some(trace::in_scope(&trace, || client.send_ref(request))));
                    None
                }
            };
            if let Some(stop) = stopped {
                let _ = pages.send(Message::Stopped(stop)).await;
                return;
            }
        }
        let Some(call) = in_flight.as_mut().as_pin_mut() else {
            return;
        };
        let outcome = call.await;
        in_flight.set(None);
        let message = match answer(&mut state, &mut tracer, trace, outcome, |e| client.expired(e)) {
            Answer::Page(page) => Message::Page(page, state.resume_point()),
            Answer::Stopped(stop) => {
                let _ = pages.send(Message::Stopped(stop)).await;
                return;
            }
            Answer::Restarted => continue,
            Answer::Failed(error) => Message::Failed(error, state.resume_point()),
        };
        let failed = matches!(message, Message::Failed(..));
        if pages.send(message).await.is_err() {
            return; // the stream was dropped
        }
        if failed && retries.recv().await.is_none() {
            return; // dropped after the error, without asking again
        }
    }
}

/// Async stream over pages fetched ahead; see [`PageStream::prefetch`].
pub struct PrefetchStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    receiver: mpsc::Receiver<Message<Req, C::Error>>,
    retry: mpsc::Sender<()>,
    /// Where the caller stands: the point of the last page it received.
    point: ResumePoint,
    /// The last message was a service error: the stream gives `None` until
    /// `retry` asks the task, which waits for it, to send the request again.
    failed: bool,
    task: tokio::task::JoinHandle<()>,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> PrefetchStream<C, Req> {
    /// The token to resume from after the pages received so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.point.resume_token()
    }

    /// The listing ended with the pages received, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.point.is_end()
    }

    /// After a service error, lets the stream send the failed request again;
    /// false (and the stream stays ended) when the last thing it gave was not
    /// a service error.
    pub fn retry(&mut self) -> bool {
        let failed = std::mem::take(&mut self.failed);
        if failed {
            // The task waits for this before it sends the failed request again.
            let _ = self.retry.try_send(());
        }
        failed
    }

    /// An async stream over the items of the pages not yet received.
    pub fn items(self) -> PrefetchItemStream<C, Req> {
        PrefetchItemStream {
            pages: self,
            items: PageItems::new(),
        }
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Drop for PrefetchStream<C, Req> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for PrefetchStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for PrefetchStream<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.failed {
            return Poll::Ready(None);
        }
        Poll::Ready(match ready!(this.receiver.poll_recv(cx)) {
            None => None,
            Some(Message::Page(page, point)) => {
                this.point = point;
                Some(Ok(page))
            }
            Some(Message::Failed(source, point)) => {
                this.point = point;
                this.failed = true;
                Some(Err(Error::Service {
                    source,
                    resume_token: this.point.resume_token(),
                }))
            }
            Some(Message::Stopped(stop)) => Some(Err(stop.into())),
        })
    }
}

/// Async stream over the items of prefetched pages; see [`PrefetchStream::items`].
pub struct PrefetchItemStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pages: PrefetchStream<C, Req>,
    items: PageItems<<Req::Response as PaginatedResponse>::Item>,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> PrefetchItemStream<C, Req> {
    /// The token to resume from after the items received so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.items.resume_token(&self.pages.point)
    }

    /// The listing ended with the items received, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.items.is_end(&self.pages.point)
    }

    /// After a service error, lets the stream send the failed request again;
    /// see [`PrefetchStream::retry`].
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for PrefetchItemStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for PrefetchItemStream<C, Req> {
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        poll_items(&mut this.pages, &mut this.items, cx)
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for PrefetchStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrefetchStream")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for PrefetchItemStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrefetchItemStream")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}
