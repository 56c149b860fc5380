//! Parallel pages: for an offset or page-number listing whose end is known,
//! several requests in flight at once, their pages handed to the listing
//! strictly in order.
//!
//! The listing's state stays the truth. Each request sent ahead comes from
//! [`ListingState::request_ahead`], which assumes full pages; a page is
//! handed to the state only when its request is the state's next one
//! ([`ListingState::is_next`]). When the service served a shorter page on
//! the way, the predictions after it are wrong: they are dropped, with every
//! call in flight, and the listing goes on from the state.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{FuturesOrdered, StreamExt};

use crate::answer::answer;
use crate::error::Error;
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::page_items::PageItems;
use crate::state::ListingState;
use crate::stream::{poll_items, AsyncClient, PageStream};
use crate::trace::{self, RequestTrace, Tracer};

/// The most requests [`PageStream::parallel`] keeps in flight; a larger
/// number is taken as this one.
pub const MAX_PARALLEL_PAGES: usize = 64;

#[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
impl<C: AsyncClient<Req>, Req: PaginatedRequest> PageStream<C, Req> {
    /// Keeps up to `n` requests in flight (at least one, at most
    /// [`MAX_PARALLEL_PAGES`]) when the pages ahead are known: an `offset`
    /// or `page` listing whose page size is known (a `PageSize`, or the
    /// request's own limit key), once a page said where it ends (`total`,
    /// `total_pages`). Other listings, and the first page of these, go one
    /// request at a time, as [`PageStream`] does.
    ///
    /// Pages come in order; items, `MaxItems` (no request is sent for pages
    /// it does not need), resume tokens and errors are as without it: an
    /// error at a page comes after the pages before it, carries the token
    /// that resumes at that page, drops the calls in flight and ends the
    /// stream until [`ParallelStream::retry`]. No runtime is needed: the
    /// calls are futures polled by the stream.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use paginate::{Listing, Paginated, PaginationConfig};
    ///
    /// #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// #[serde(rename_all = "camelCase")]
    /// #[paginated(response = Issues)]
    /// struct Search {
    ///     #[paginated(offset)]
    ///     start_at: u64,
    ///     #[paginated(limit_key, min = 1, max = 100)]
    ///     max_results: Option<u32>,
    /// }
    ///
    /// #[derive(Debug, serde::Deserialize, Paginated)]
    /// struct Issues {
    ///     #[paginated(result_key)]
    ///     issues: Vec<u64>,
    ///     #[paginated(total)]
    ///     total: u64,
    /// }
    ///
    /// let jira = |req: Search| async move {
    ///     let size = u64::from(req.max_results.unwrap_or(50));
    ///     let issues = (req.start_at..(req.start_at + size).min(95)).collect();
    ///     Ok::<_, std::io::Error>(Issues { issues, total: 95 })
    /// };
    /// let config = PaginationConfig::default().with_page_size(10);
    /// let issues: Vec<u64> = futures::executor::block_on(
    ///     Listing::new(jira, Search::default(), config).page_stream().parallel(8).items().try_collect(),
    /// )?;
    /// assert_eq!(issues, (0..95).collect::<Vec<_>>());
    /// # Ok::<(), paginate::Error<std::io::Error>>(())
    /// ```
    pub fn parallel(self, n: usize) -> ParallelStream<C, Req> {
        let PageStream { client, state, .. } = self;
        ParallelStream {
            client,
            state,
            width: n.clamp(1, MAX_PARALLEL_PAGES),
            requests: VecDeque::new(),
            calls: FuturesOrdered::new(),
            tracer: Tracer::new::<Req>(),
        }
    }
}

/// Async stream over pages fetched several at a time; see [`PageStream::parallel`].
pub struct ParallelStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    client: C,
    state: ListingState<Req>,
    width: usize,
    /// The request of each call in flight, in order, with its trace.
    requests: VecDeque<(Req, Option<RequestTrace>)>,
    /// The calls in flight, first the state's next request, then the ones ahead.
    calls: FuturesOrdered<C::Future>,
    tracer: Tracer,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> ParallelStream<C, Req> {
    /// The token to resume from after the pages yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.state.resume_token()
    }

    /// The listing ended with the pages yielded, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.state.resume_point().is_end()
    }

    /// After a service error, lets the stream send the failed request again;
    /// false (and the stream stays ended) when the last thing it gave was not
    /// a service error.
    pub fn retry(&mut self) -> bool {
        self.state.retry()
    }

    /// Calls in flight now, for tests and metrics.
    pub fn in_flight(&self) -> usize {
        self.calls.len()
    }

    /// An async stream over the items of the pages not yet yielded.
    pub fn items(self) -> ParallelItemStream<C, Req> {
        ParallelItemStream {
            pages: self,
            items: PageItems::new(),
        }
    }

    fn drop_calls(&mut self) {
        self.requests.clear();
        self.calls = FuturesOrdered::new();
    }

    /// Sends the state's next request if nothing is in flight, then the
    /// requests ahead of it up to the width.
    fn fill(&mut self) -> Option<Result<(), Error<C::Error>>> {
        if self.calls.is_empty() {
            match self.state.next_request_ref()? {
                Err(stop) => return Some(Err(stop.into())),
                Ok(request) => {
                    let trace = self.tracer.start();
                    self.calls
                        .push_back(trace::in_scope(&trace, || self.client.send_ref(request)));
                    self.requests.push_back((request.clone(), trace));
                }
            }
        }
        while self.calls.len() < self.width {
            let ahead = self.calls.len();
            let Some(request) = self.state.request_ahead(ahead) else {
                break;
            };
            let trace = self.tracer.start_ahead(ahead);
            self.calls
                .push_back(trace::in_scope(&trace, || self.client.send_ref(&request)));
            self.requests.push_back((request, trace));
        }
        Some(Ok(()))
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for ParallelStream<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match this.fill() {
                None => return Poll::Ready(None),
                Some(Err(stop)) => return Poll::Ready(Some(Err(stop))),
                Some(Ok(())) => {}
            }
            let outcome = match this.calls.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(outcome)) => outcome,
            };
            let Some((request, trace)) = this.requests.pop_front() else {
                return Poll::Ready(None);
            };
            if !this.state.is_next(&request) {
                // A shorter page on the way: every prediction from here is off.
                this.drop_calls();
                continue;
            }
            let client = &this.client;
            let answer = answer(&mut this.state, &mut this.tracer, trace, outcome, |e| client.expired(e));
            let Some(item) = answer.into_item(&mut this.state) else {
                // Restarted: every request ahead was predicted from the old position.
                this.drop_calls();
                continue;
            };
            if item.is_err() || this.state.is_finished() {
                this.drop_calls();
            }
            return Poll::Ready(Some(item));
        }
    }
}

// The calls in flight are boxed by `FuturesOrdered`; nothing else is pinned.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for ParallelStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for ParallelStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParallelStream")
            .field("width", &self.width)
            .field("in_flight", &self.calls.len())
            .finish_non_exhaustive()
    }
}

/// Async stream over the items of [`ParallelStream`]'s pages; see [`ParallelStream::items`].
pub struct ParallelItemStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pages: ParallelStream<C, Req>,
    items: PageItems<<Req::Response as PaginatedResponse>::Item>,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> ParallelItemStream<C, Req> {
    /// The token to resume from after the items yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.items.resume_token(&self.pages.state.resume_point())
    }

    /// The listing ended with the items yielded, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.items.is_end(&self.pages.state.resume_point())
    }

    /// After a service error, lets the stream send the failed request again.
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for ParallelItemStream<C, Req> {
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        poll_items(&mut this.pages, &mut this.items, cx)
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for ParallelItemStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for ParallelItemStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParallelItemStream")
            .field("pages", &self.pages)
            .finish()
    }
}
