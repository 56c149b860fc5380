//! The async side: [`AsyncClient`], and `futures::Stream`s over pages and
//! items driving a [`ListingState`]. Both are hand-written (no generator, no
//! lock), `Unpin`, and can tell their resume token between any two items.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use crate::answer::answer;
use crate::error::Error;
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::page_items::PageItems;
use crate::state::ListingState;
use crate::trace::{self, RequestTrace, Tracer};

/// Sends one request asynchronously. Every `FnMut(Req) -> impl Future<Output =
/// Result<Req::Response, E>>` is one, and so is every `FnMut(&Req) -> impl
/// Future<Output = Result<Req::Response, E>>` wrapped in [`by_ref`](crate::by_ref)
/// (the future must not borrow the request), which spares the copy of the
/// request per page.
///
/// The streams call [`send_ref`](Self::send_ref): a client that can start its
/// call from a borrowed request overrides it and pays no copy; the default
/// clones the request into [`send`](Self::send).
///
/// ```
/// # use paginate::{AsyncClient, Paginated};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let mut client = |_req: Req| async { Ok::<_, std::io::Error>(Resp { items: vec![7], next_token: None }) };
/// let page = futures::executor::block_on(AsyncClient::send(&mut client, Req::default()))?;
/// assert_eq!(page.items, [7]);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait AsyncClient<Req: PaginatedRequest> {
    /// The client's error.
    type Error;
    /// The future of one call.
    type Future: Future<Output = Result<Req::Response, Self::Error>>;
    /// Sends `request`.
    fn send(&mut self, request: Req) -> Self::Future;

    /// Sends a borrowed request: what the streams call, once per page. The
    /// default is `self.send(request.clone())`.
    ///
    /// ```
    /// # use paginate::{AsyncClient, Paginated};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut client = |_req: Req| async { Ok::<_, std::io::Error>(Resp { items: vec![7], next_token: None }) };
    /// // A by-value client is sent a copy.
    /// let page = futures::executor::block_on(AsyncClient::send_ref(&mut client, &Req::default()))?;
    /// assert_eq!(page.items, [7]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn send_ref(&mut self, request: &Req) -> Self::Future {
        self.send(request.clone())
    }

    /// Whether `error` says the token sent has expired; see
    /// [`Client::expired`](crate::Client::expired). The default is `None`.
    fn expired(&self, error: &Self::Error) -> Option<crate::Expired> {
        let _ = error;
        None
    }
}

impl<F, Fut, Req, E> AsyncClient<Req> for F
where
    Req: PaginatedRequest,
    F: FnMut(Req) -> Fut,
    Fut: Future<Output = Result<Req::Response, E>>,
{
    type Error = E;
    type Future = Fut;
    fn send(&mut self, request: Req) -> Fut {
        self(request)
    }
}

/// Async stream over pages; see [`Listing::page_stream`](crate::Listing::page_stream).
///
/// It is `Unpin`, so `next().await` needs no pinning, and
/// [`PageStream::items`] can follow pages already taken. After an error the
/// stream ends; after a service error, [`retry`](Self::retry) sends the
/// failed request again. Dropping it drops the request in flight.
pub struct PageStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pub(crate) client: C,
    pub(crate) state: ListingState<Req>,
    /// The call in flight; allocated once, reused for every page.
    pub(crate) in_flight: Pin<Box<Option<C::Future>>>,
    tracer: Tracer,
    trace: Option<RequestTrace>,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> PageStream<C, Req> {
    pub(crate) fn new(client: C, state: ListingState<Req>) -> Self {
        PageStream {
            client,
            state,
            in_flight: Box::pin(None),
            tracer: Tracer::new::<Req>(),
            trace: None,
        }
    }

    /// The token to resume from after the pages yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.state.resume_token()
    }

    /// Items of the listing before [`resume_token`](Self::resume_token)'s place, when known.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn position(&self) -> Option<u64> {
        self.state.position()
    }

    /// The listing ended with the pages yielded, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.state.resume_point().is_end()
    }

    /// After a service error, lets the stream send the failed request again;
    /// false (and the stream stays ended) when the last thing it gave was not
    /// a service error.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// use futures::StreamExt;
    /// let calls = std::cell::Cell::new(0);
    /// let flaky = |_: Req| {
    ///     calls.set(calls.get() + 1);
    ///     let answer = if calls.get() == 1 { Err("throttled") } else { Ok(Resp { items: vec![1], next_token: None }) };
    ///     async move { answer }
    /// };
    /// futures::executor::block_on(async {
    ///     let mut items = Listing::new(flaky, Req::default(), PaginationConfig::default()).page_stream().items();
    ///     assert!(items.next().await.is_some_and(|item| item.is_err()));
    ///     assert!(items.next().await.is_none()); // no second call on its own
    ///     assert!(items.retry());
    ///     assert_eq!(items.next().await.transpose()?, Some(1));
    ///     Ok::<(), paginate::Error<&str>>(())
    /// })?;
    /// # Ok::<(), paginate::Error<&str>>(())
    /// ```
    pub fn retry(&mut self) -> bool {
        self.state.retry()
    }

    /// An async stream over the items of the primary result key, moved out of
    /// the pages. Pages already taken from this stream count as consumed.
    pub fn items(self) -> ItemStream<C, Req> {
        ItemStream {
            pages: self,
            items: PageItems::new(),
        }
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for PageStream<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.in_flight.is_none() {
                let request = match this.state.next_request_ref() {
                    None => return Poll::Ready(None),
                    Some(Err(stop)) => return Poll::Ready(Some(Err(stop.into()))),
                    Some(Ok(request)) => request,
                };
                let trace = this.tracer.start();
                this.in_flight
                    .set(Some(trace::in_scope(&trace, || this.client.send_ref(request))));
                this.trace = trace;
            }
            let Some(call) = this.in_flight.as_mut().as_pin_mut() else {
                return Poll::Ready(None);
            };
            let outcome = ready!(call.poll(cx));
            this.in_flight.set(None);
            let trace = this.trace.take();
            let client = &this.client;
            let answer = answer(&mut this.state, &mut this.tracer, trace, outcome, |e| client.expired(e));
            if let Some(item) = answer.into_item(&mut this.state) {
                return Poll::Ready(Some(item));
            }
        }
    }
}

// The call in flight is pinned in its own box; nothing else is pinned.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for PageStream<C, Req> {}

/// Async stream over items; see [`PageStream::items`]. `Unpin`, like [`PageStream`].
pub struct ItemStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pages: PageStream<C, Req>,
    items: PageItems<<Req::Response as PaginatedResponse>::Item>,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for ItemStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> ItemStream<C, Req> {
    /// The token to resume from after the items yielded so far; `None` when nothing is left.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// use futures::StreamExt;
    /// let service = |req: Req| async move {
    ///     Ok::<_, String>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// futures::executor::block_on(async {
    ///     let mut items = Listing::new(service, Req::default(), PaginationConfig::default()).page_stream().items();
    ///     assert_eq!(items.next().await.transpose()?, Some(1));
    ///     let token = items.resume_token().expect("more to come");
    ///     let rest = Listing::new(service, Req::default(), PaginationConfig::default().with_starting_token(token));
    ///     let rest: Vec<u32> = rest.page_stream().items().map(|i| i.expect("no error")).collect().await;
    ///     assert_eq!(rest, [2, 3]);
    ///     Ok::<(), paginate::Error<String>>(())
    /// })?;
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn resume_token(&self) -> Option<String> {
        self.items.resume_token(&self.pages.state.resume_point())
    }

    /// Items of the listing before [`resume_token`](Self::resume_token)'s place, when known.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn position(&self) -> Option<u64> {
        self.items.position(&self.pages.state)
    }

    /// The listing ended with the items yielded, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.items.is_end(&self.pages.state.resume_point())
    }

    /// After a service error, lets the stream send the failed request again;
    /// see [`PageStream::retry`].
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for ItemStream<C, Req> {
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        poll_items(&mut this.pages, &mut this.items, cx)
    }
}

/// The next item of a stream of pages: from the page being handed out, or
/// from the next page. The common case, an item of the page at hand, is kept
/// apart from loading the next page, so that it inlines into the caller's
/// loop.
#[inline]
pub(crate) fn poll_items<S, P, E>(
    pages: &mut S,
    items: &mut PageItems<P::Item>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<P::Item, Error<E>>>>
where
    S: Stream<Item = Result<P, Error<E>>> + Unpin,
    P: PaginatedResponse,
{
    loop {
        if let Some(item) = items.next() {
            return Poll::Ready(Some(Ok(item)));
        }
        match ready!(poll_next_page(pages, items, cx)) {
            NextPage::Loaded => {}
            NextPage::End => return Poll::Ready(None),
            NextPage::Failed(error) => return Poll::Ready(Some(Err(*error))),
        }
    }
}

/// What [`poll_next_page`] found.
enum NextPage<E> {
    /// The next page's items are loaded.
    Loaded,
    /// The stream has ended.
    End,
    /// The stream gave an error (boxed: the rare case, kept out of the
    /// two words every page returns).
    Failed(Box<Error<E>>),
}

/// Frees the exhausted page's buffer and loads the next page's items.
#[inline(never)]
fn poll_next_page<S, P, E>(pages: &mut S, items: &mut PageItems<P::Item>, cx: &mut Context<'_>) -> Poll<NextPage<E>>
where
    S: Stream<Item = Result<P, Error<E>>> + Unpin,
    P: PaginatedResponse,
{
    items.release();
    Poll::Ready(match ready!(Pin::new(pages).poll_next(cx)) {
        Some(Ok(mut page)) => {
            items.load(page.take_items());
            NextPage::Loaded
        }
        Some(Err(error)) => NextPage::Failed(Box::new(error)),
        None => NextPage::End,
    })
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for PageStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for ItemStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}
