//! The entry points — [`Paginator`] and [`Pagination`] — and the blocking
//! iterators over pages and items.

use crate::config::{PaginationConfig, RepeatPolicy};
use crate::engine::Engine;
use crate::error::Error;
use crate::full::{FullResult, FullResultBuilder};
use crate::model::{PaginatedRequest, PaginatedResponse};

/// Sends one request and waits for its response: what the blocking iterators
/// need from a client. Every `FnMut(Req) -> Result<Req::Response, E>` is one.
///
/// ```
/// # use paginate::{Client, Paginated};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let mut client = |_req: Req| Ok::<_, std::io::Error>(Resp { items: vec![1], next_token: None });
/// let page = Client::send(&mut client, Req::default())?;
/// assert_eq!(page.items, [1]);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait Client<Req: PaginatedRequest> {
    /// The client's error.
    type Error;
    /// Sends `request`.
    fn send(&mut self, request: Req) -> Result<Req::Response, Self::Error>;
}

impl<F, Req, E> Client<Req> for F
where
    Req: PaginatedRequest,
    F: FnMut(Req) -> Result<Req::Response, E>,
{
    type Error = E;
    fn send(&mut self, request: Req) -> Result<Req::Response, E> {
        self(request)
    }
}

/// Makes listings with one client, like boto3's `client.get_paginator(...)`.
///
/// ```
/// use paginate::{Paginated, PaginationConfig, Paginator};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(response = ListResponse)]
/// struct ListRequest {
///     #[paginated(input_token)]
///     next_token: Option<String>,
///     #[paginated(limit_key, min = 1, max = 100)]
///     max_results: Option<u32>,
/// }
///
/// #[derive(Debug, Paginated)]
/// struct ListResponse {
///     #[paginated(result_key)]
///     values: Option<Vec<u32>>,
///     #[paginated(output_token = next_token)]
///     next_token: Option<String>,
/// }
///
/// // A service holding 0..10, serving pages of `MaxResults` items.
/// let service = |req: ListRequest| -> Result<ListResponse, String> {
///     let start: u32 = req.next_token.as_deref().unwrap_or("0").parse().map_err(|_| "bad token")?;
///     let end = (start + req.max_results.unwrap_or(100)).min(10);
///     let next_token = (end < 10).then(|| end.to_string());
///     Ok(ListResponse { values: Some((start..end).collect()), next_token })
/// };
///
/// let paginator = Paginator::new(service);
/// let config = PaginationConfig { max_items: Some(5), page_size: Some(3), starting_token: None };
/// let mut items = paginator.paginate(ListRequest::default(), config).items();
/// let first: Vec<u32> = items.by_ref().collect::<Result<_, _>>()?;
/// assert_eq!(first, [0, 1, 2, 3, 4]);
///
/// // Resume exactly where MaxItems stopped, as boto3 would.
/// let token = items.resume_token().expect("more items remain");
/// let rest = paginator.paginate(ListRequest::default(), PaginationConfig::default().with_starting_token(token));
/// let full = rest.full_result()?;
/// assert_eq!(full.result.values, Some(vec![5, 6, 7, 8, 9]));
/// # Ok::<(), paginate::Error<String>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Paginator<C> {
    client: C,
    policy: RepeatPolicy,
}

impl<C> Paginator<C> {
    /// A paginator sending requests with `client` (a [`Client`], an
    /// [`AsyncClient`](crate::AsyncClient), or both).
    pub fn new(client: C) -> Self {
        Paginator {
            client,
            policy: RepeatPolicy::default(),
        }
    }

    /// Sets what happens when the service repeats a token (default: [`RepeatPolicy::RejectCycles`]).
    ///
    /// ```
    /// let p = paginate::Paginator::new(()).repeat_policy(paginate::RepeatPolicy::Allow);
    /// # let _ = p;
    /// ```
    pub fn repeat_policy(mut self, policy: RepeatPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// A listing of `request` under `config`, with a clone of the client.
    /// Nothing is sent until it is iterated.
    pub fn paginate<Req: PaginatedRequest>(&self, request: Req, config: PaginationConfig) -> Pagination<C, Req>
    where
        C: Clone,
    {
        Pagination::new(self.client.clone(), request, config).repeat_policy(self.policy)
    }
}

/// One listing, not started yet: turn it into [`Pagination::pages`],
/// [`Pagination::items`], [`Pagination::full_result`], or the async
/// [`Pagination::into_stream`]. See [`Paginator`] for an example.
#[derive(Debug)]
pub struct Pagination<C, Req: PaginatedRequest> {
    client: C,
    request: Req,
    config: PaginationConfig,
    policy: RepeatPolicy,
}

impl<C, Req: PaginatedRequest> Pagination<C, Req> {
    /// A listing of `request` under `config`, sent with `client`.
    pub fn new(client: C, request: Req, config: PaginationConfig) -> Self {
        Pagination {
            client,
            request,
            config,
            policy: RepeatPolicy::default(),
        }
    }

    /// Sets what happens when the service repeats a token.
    pub fn repeat_policy(mut self, policy: RepeatPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub(crate) fn into_parts(self) -> (C, Engine<Req>) {
        (self.client, Engine::new(self.request, self.config, self.policy))
    }

    /// A blocking iterator over pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Pagination, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let mut pages = Pagination::new(service, Req::default(), PaginationConfig::default()).pages();
    /// assert_eq!(pages.next().transpose()?.map(|p| p.items), Some(vec![1, 2]));
    /// let token = pages.resume_token().expect("a page remains");
    /// assert_eq!(pages.next().transpose()?.map(|p| p.items), Some(vec![3]));
    /// assert!(pages.next().is_none() && pages.resume_token().is_none());
    ///
    /// // A new listing from the token yields the second page only.
    /// let rest = Pagination::new(service, Req::default(), PaginationConfig::default().with_starting_token(token));
    /// assert_eq!(rest.full_result()?.result.items, [3]);
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn pages(self) -> Pages<C, Req> {
        let (client, engine) = self.into_parts();
        Pages { client, engine }
    }

    /// A blocking iterator over the items of the primary result key, moved out of the pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Pagination, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let mut items = Pagination::new(service, Req::default(), PaginationConfig::default()).items();
    /// assert_eq!(items.next().transpose()?, Some(1));
    /// // Mid-page: the token says "page 1, one item already handed out".
    /// let token = items.resume_token().expect("items remain");
    /// let rest: Vec<u32> = Pagination::new(service, Req::default(), PaginationConfig::default().with_starting_token(token))
    ///     .items()
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(rest, [2, 3]);
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn items(self) -> Items<C, Req> {
        Items {
            pages: self.pages(),
            current: Vec::new().into_iter(),
            consumed: 0,
        }
    }

    /// Every page merged, like botocore's `build_full_result()`.
    ///
    /// ```
    /// # use paginate::{Paginated, Pagination, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let full = Pagination::new(service, Req::default(), PaginationConfig::default().with_max_items(1)).full_result()?;
    /// assert_eq!(full.result.items, [1]);
    /// assert!(full.resume_token.is_some()); // boto3's "NextToken"
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn full_result(self) -> Result<FullResult<Req::Response>, Error<C::Error>>
    where
        C: Client<Req>,
    {
        let mut pages = self.pages();
        let mut full = FullResultBuilder::new();
        for page in pages.by_ref() {
            full.push(page?);
        }
        full.finish(pages.resume_token()).ok_or(Error::NoPage)
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> IntoIterator for Pagination<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;
    type IntoIter = Pages<C, Req>;
    fn into_iter(self) -> Pages<C, Req> {
        self.pages()
    }
}

/// Blocking iterator over pages; see [`Pagination::pages`].
///
/// After a service error, calling `next` again retries the failed request.
#[derive(Debug)]
pub struct Pages<C, Req: PaginatedRequest> {
    client: C,
    engine: Engine<Req>,
}

impl<C, Req: PaginatedRequest> Pages<C, Req> {
    /// The token to resume from after the pages yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.engine.resume_token()
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> Iterator for Pages<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        let request = match self.engine.begin()? {
            Ok(request) => request,
            Err(e) => return Some(Err(e)),
        };
        let outcome = self.client.send(request);
        Some(self.engine.complete(outcome))
    }
}

/// Blocking iterator over items; see [`Pagination::items`].
pub struct Items<C, Req: PaginatedRequest> {
    pages: Pages<C, Req>,
    current: std::vec::IntoIter<<Req::Response as PaginatedResponse>::Item>,
    consumed: usize,
}

impl<C, Req: PaginatedRequest> Items<C, Req> {
    /// The token to resume from after the items yielded so far; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        self.pages.engine.resume_token_at(self.consumed)
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> Iterator for Items<C, Req> {
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                self.consumed += 1;
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(mut page) => {
                    self.current = page.take_items().into_iter();
                    self.consumed = 0;
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
