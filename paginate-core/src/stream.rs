//! The async side: [`AsyncClient`], and `futures::Stream`s over pages and
//! items driving a [`ListingState`]. Both are hand-written (no generator, no
//! lock), `Unpin`, and can tell their resume token between any two items.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use crate::error::Error;
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::position::PageItems;
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

/// Async stream over pages; see [`Listing::into_stream`](crate::Listing::into_stream).
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
    ///     let mut items = Listing::new(flaky, Req::default(), PaginationConfig::default()).into_stream().items();
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
    pub fn items(mut self) -> ItemStream<C, Req> {
        self.state.take_output_tokens();
        ItemStream {
            pages: self,
            items: PageItems::new(),
        }
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> PageStream<C, Req> {
    /// The next page, handed to `take` (with `with`) where it lies:
    /// [`Stream::poll_next`] moves it out, an item stream moves only its items
    /// out.
    ///
    /// `before_poll` runs once, after the next call's future is made and put
    /// in its box, before it is polled: an item stream frees the exhausted
    /// page's buffer there. The future is written to the box and read back
    /// by its first poll straight after; with that work in between, the
    /// stores have reached the cache by the time they are read, and the read
    /// no longer waits on store forwarding (`perf annotate` of the overhead
    /// bench's async row at page size 10: the read was a quarter of
    /// `load_page`'s time, and `load_page` went from 4.0% to 2.5% of the
    /// run). A future does its work when polled (an `async fn`, an HTTP
    /// client's), so the buffer is still freed before the next page is asked
    /// for; a client that builds its page when called (a `ready` future)
    /// holds two pages for that moment.
    #[inline]
    fn poll_page<X, T>(
        &mut self,
        cx: &mut Context<'_>,
        mut with: X,
        before_poll: impl FnOnce(&mut X),
        take: impl FnOnce(X, Req::Response) -> T,
    ) -> Poll<Option<Result<T, Error<C::Error>>>> {
        if self.in_flight.is_none() {
            let request = match self.state.next_request_ref() {
                None => {
                    before_poll(&mut with);
                    return Poll::Ready(None);
                }
                Some(Err(stop)) => {
                    before_poll(&mut with);
                    return Poll::Ready(Some(Err(stop.into())));
                }
                Some(Ok(request)) => request,
            };
            let trace = self.tracer.start();
            self.in_flight
                .set(Some(trace::in_scope(&trace, || self.client.send_ref(request))));
            self.trace = trace;
        }
        before_poll(&mut with);
        let Some(call) = self.in_flight.as_mut().as_pin_mut() else {
            return Poll::Ready(None);
        };
        let outcome = ready!(call.poll(cx));
        self.in_flight.set(None);
        let trace = self.trace.take();
        Poll::Ready(Some(match outcome {
            Ok(mut page) => match self.state.receive_in_place(&mut page) {
                Ok(()) => {
                    self.tracer.page(trace, &page, || self.state.is_finished());
                    Ok(take(with, page))
                }
                Err(stop) => {
                    self.tracer.failed(trace);
                    Err(stop.into())
                }
            },
            Err(source) => {
                self.tracer.failed(trace);
                self.state.interrupt();
                Err(Error::Service {
                    source,
                    resume_token: self.state.resume_token(),
                })
            }
        }))
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for PageStream<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_page(cx, (), |()| {}, |(), page| page)
    }
}

/// A stream of pages that an item stream takes its items from: the next
/// page's items are loaded into the item stream's [`PageItems`] where the
/// page lies, not moved out inside the stream's `Poll<Option<Result<..>>>`
/// first.
pub(crate) trait PageSource<P: PaginatedResponse, E> {
    /// Frees the exhausted page's buffer (`items.release()`) before the next
    /// page is asked for, and loads that page's items into `items`
    /// (`Some(Ok(()))`), or gives the stream's error or end.
    fn poll_load(&mut self, items: &mut PageItems<P::Item>, cx: &mut Context<'_>)
        -> Poll<Option<Result<(), Error<E>>>>;
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> PageSource<Req::Response, C::Error> for PageStream<C, Req> {
    #[inline]
    fn poll_load(
        &mut self,
        items: &mut PageItems<<Req::Response as PaginatedResponse>::Item>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(), Error<C::Error>>>> {
        self.poll_page(
            cx,
            items,
            |items| items.release(),
            |items, mut page| items.load(page.take_items()),
        )
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
    ///     let mut items = Listing::new(service, Req::default(), PaginationConfig::default()).into_stream().items();
    ///     assert_eq!(items.next().await.transpose()?, Some(1));
    ///     let token = items.resume_token().expect("more to come");
    ///     let rest = Listing::new(service, Req::default(), PaginationConfig::default().with_starting_token(token));
    ///     let rest: Vec<u32> = rest.into_stream().items().map(|i| i.expect("no error")).collect().await;
    ///     assert_eq!(rest, [2, 3]);
    ///     Ok::<(), paginate::Error<String>>(())
    /// })?;
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn resume_token(&self) -> Option<String> {
        match self.items.consumed() {
            Some(consumed) => self.pages.state.resume_token_at(consumed),
            None => self.pages.state.resume_token(),
        }
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

/// The next item of a stream of pages: from the page being handed out
/// (inline), or from the next page, which [`load_page`] fetches out of line.
///
/// The item is returned only from here, never from the out-of-line call, so
/// that once this is inlined into the caller's loop the item goes to it in
/// registers: were the call to return the item too, both paths would write it
/// to one slot in memory, which the caller would read back (`perf annotate`
/// showed that round trip at every item). For the same reason the call
/// returns a [`Loaded`], two words, with an error (the rare case) boxed:
/// `Poll<Option<Result<(), Error>>>` was written to memory, the whole size of
/// an error, on every page.
#[inline]
pub(crate) fn poll_items<S, P, E>(
    pages: &mut S,
    items: &mut PageItems<P::Item>,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<P::Item, Error<E>>>>
where
    S: PageSource<P, E>,
    P: PaginatedResponse,
{
    loop {
        if let Some(item) = items.next() {
            return Poll::Ready(Some(Ok(item)));
        }
        match ready!(load_page(pages, items, cx)) {
            Loaded::Page => {}
            Loaded::End => return Poll::Ready(None),
            Loaded::Failed(error) => return Poll::Ready(Some(Err(*error))),
        }
    }
}

/// What [`load_page`] did.
pub(crate) enum Loaded<E> {
    /// The next page's items are loaded.
    Page,
    /// The stream has ended.
    End,
    /// The stream gave an error.
    Failed(Box<Error<E>>),
}

/// Loads the next page's items into `items` (the source frees the exhausted
/// page's buffer first), or gives the stream's end or error.
#[inline(never)]
fn load_page<S, P, E>(pages: &mut S, items: &mut PageItems<P::Item>, cx: &mut Context<'_>) -> Poll<Loaded<E>>
where
    S: PageSource<P, E>,
    P: PaginatedResponse,
{
    Poll::Ready(match ready!(pages.poll_load(items, cx)) {
        Some(Ok(())) => Loaded::Page,
        None => Loaded::End,
        Some(Err(error)) => Loaded::Failed(Box::new(error)),
    })
}
