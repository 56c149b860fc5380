//! The async side: [`AsyncClient`], a `futures::Stream` over pages built with
//! `async-stream` around the same [`Engine`] as the blocking iterators, and a
//! stream over items that flattens it (by hand: no per-item generator hop).

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::blocking::Pagination;
use crate::engine::Engine;
use crate::error::Error;
use crate::full::{FullResult, FullResultBuilder};
use crate::model::{PaginatedRequest, PaginatedResponse};

/// Sends one request asynchronously. Every `FnMut(Req) -> impl Future<Output =
/// Result<Req::Response, E>>` is one.
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

struct Shared<Req: PaginatedRequest> {
    engine: Mutex<Engine<Req>>,
}

impl<Req: PaginatedRequest> Shared<Req> {
    fn engine(&self) -> MutexGuard<'_, Engine<Req>> {
        // The engine holds no invariant a panicking caller could break halfway.
        self.engine.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<C, Req: PaginatedRequest> Pagination<C, Req> {
    /// An async stream over pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Pagination, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// use futures::StreamExt;
    ///
    /// let service = |req: Req| async move {
    ///     Ok::<_, String>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// futures::executor::block_on(async {
    ///     let mut pages = Pagination::new(service, Req::default(), PaginationConfig::default()).into_stream();
    ///     let first = pages.next().await.expect("a first page")?;
    ///     assert_eq!(first.items, [1, 2]);
    ///     assert!(pages.resume_token().is_some());
    ///     // The rest, item by item.
    ///     let items: Vec<u32> = pages.items().map(|i| i.expect("no error")).collect().await;
    ///     assert_eq!(items, [3]);
    ///     Ok::<(), paginate::Error<String>>(())
    /// })?;
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn into_stream(self) -> PageStream<impl Stream<Item = Result<Req::Response, Error<C::Error>>>, Req>
    where
        C: AsyncClient<Req>,
    {
        let (mut client, engine) = self.into_parts();
        let shared = Arc::new(Shared {
            engine: Mutex::new(engine),
        });
        let state = Arc::clone(&shared);
        let inner = async_stream::stream! {
            loop {
                let step = state.engine().begin();
                let request = match step {
                    None => break,
                    Some(Ok(request)) => request,
                    Some(Err(e)) => {
                        yield Err(e);
                        continue;
                    }
                };
                let outcome = client.send(request).await;
                let page = state.engine().complete(outcome);
                yield page;
            }
        };
        PageStream {
            inner: Box::pin(inner),
            shared,
        }
    }

    /// Every page merged, like botocore's `build_full_result()`, asynchronously.
    pub async fn full_result_async(self) -> Result<FullResult<Req::Response>, Error<C::Error>>
    where
        C: AsyncClient<Req>,
    {
        let mut pages = self.into_stream();
        let mut full = FullResultBuilder::new();
        while let Some(page) = poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
            full.push(page?);
        }
        full.finish(pages.resume_token()).ok_or(Error::NoPage)
    }
}

/// Async stream over pages; see [`Pagination::into_stream`].
///
/// It is `Unpin` (the generator inside is boxed), so `next().await` needs no
/// pinning and [`PageStream::items`] can follow pages already taken.
/// After a service error, polling again retries the failed request.
pub struct PageStream<S, Req: PaginatedRequest> {
    inner: Pin<Box<S>>,
    shared: Arc<Shared<Req>>,
}

impl<S, Req: PaginatedRequest> PageStream<S, Req> {
    /// The token to resume from after the pages yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.shared.engine().resume_token()
    }

    /// An async stream over the items of the primary result key, moved out of
    /// the pages. Pages already taken from this stream count as consumed.
    pub fn items(self) -> ItemStream<S, Req> {
        ItemStream {
            pages: self,
            current: Vec::new().into_iter(),
            consumed: None,
        }
    }
}

impl<S: Stream, Req: PaginatedRequest> Stream for PageStream<S, Req> {
    type Item = S::Item;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Async stream over items; see [`PageStream::items`]. `Unpin`, like [`PageStream`].
pub struct ItemStream<S, Req: PaginatedRequest> {
    pages: PageStream<S, Req>,
    current: std::vec::IntoIter<<Req::Response as PaginatedResponse>::Item>,
    /// Items handed out from the last page; `None` before this stream took a page.
    consumed: Option<usize>,
}

// No field is ever pinned in place: the page generator lives in its own `Pin<Box>`.
impl<S, Req: PaginatedRequest> Unpin for ItemStream<S, Req> {}

impl<S, Req: PaginatedRequest> ItemStream<S, Req> {
    /// The token to resume from after the items yielded so far; `None` when nothing is left.
    ///
    /// ```
    /// # use paginate::{Paginated, Pagination, PaginationConfig};
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
    ///     let mut items = Pagination::new(service, Req::default(), PaginationConfig::default()).into_stream().items();
    ///     assert_eq!(items.next().await.transpose()?, Some(1));
    ///     let token = items.resume_token().expect("more to come");
    ///     let rest = Pagination::new(service, Req::default(), PaginationConfig::default().with_starting_token(token));
    ///     let rest: Vec<u32> = rest.into_stream().items().map(|i| i.expect("no error")).collect().await;
    ///     assert_eq!(rest, [2, 3]);
    ///     Ok::<(), paginate::Error<String>>(())
    /// })?;
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn resume_token(&self) -> Option<String> {
        let engine = self.pages.shared.engine();
        match self.consumed {
            Some(consumed) => engine.resume_token_at(consumed),
            None => engine.resume_token(),
        }
    }
}

impl<S, E, Req> Stream for ItemStream<S, Req>
where
    S: Stream<Item = Result<Req::Response, Error<E>>>,
    Req: PaginatedRequest,
{
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the page generator is boxed).
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.next() {
                this.consumed = Some(this.consumed.map_or(1, |n| n + 1));
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(mut page)) => {
                    this.current = page.take_items().into_iter();
                    this.consumed = Some(0);
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
