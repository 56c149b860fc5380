//! The entry points: [`Paginator`], bound to a client like boto3's
//! `client.get_paginator(...)`, and [`Listing`], one listing of it like
//! `paginator.paginate(...)`, which becomes a blocking iterator, an async
//! stream or a full result.

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;

use crate::blocking::{Client, Items, Pages};
use crate::config::PaginationConfig;
use crate::error::Error;
use crate::expiry::{ExpiryPolicy, OnExpired};
use crate::full::{FullResult, FullResultBuilder};
use crate::model::PaginatedRequest;
use crate::state::ListingState;
use crate::stream::{AsyncClient, ItemStream, PageStream};

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
/// let config = PaginationConfig::default().with_max_items(5).with_page_size(3);
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
}

impl<C> Paginator<C> {
    /// A paginator sending requests with `client` (a [`Client`], an
    /// [`AsyncClient`], or both).
    pub fn new(client: C) -> Self {
        Paginator { client }
    }

    /// A listing of `request` under `config`, with a clone of the client.
    /// Nothing is sent until it is iterated.
    pub fn paginate<Req: PaginatedRequest>(&self, request: Req, config: PaginationConfig) -> Listing<C, Req>
    where
        C: Clone,
    {
        Listing::new(self.client.clone(), request, config)
    }
}

/// One listing, not started yet, like boto3's `paginator.paginate(...)`: turn
/// it into blocking [`pages`](Self::pages), [`items`](Self::items) or a
/// [`full_result`](Self::full_result), or the async
/// [`page_stream`](Self::page_stream), [`item_stream`](Self::item_stream)
/// or [`full_result_async`](Self::full_result_async). Nothing is sent until
/// then. See [`Paginator`] for an example.
#[derive(Debug)]
pub struct Listing<C, Req: PaginatedRequest> {
    pub(crate) client: C,
    pub(crate) request: Req,
    pub(crate) config: PaginationConfig,
    pub(crate) expiry: Option<ExpiryPolicy<Req>>,
}

impl<C, Req: PaginatedRequest> Listing<C, Req> {
    /// A listing of `request` under `config`, sent with `client`.
    pub fn new(client: C, request: Req, config: PaginationConfig) -> Self {
        Listing {
            client,
            request,
            config,
            expiry: None,
        }
    }

    /// What the listing does when the service says its token has expired:
    /// `classify` reads each error of the client and says whether it means
    /// that (with the fresh token it may carry); `policy` says what then.
    /// Without it, an expired token is a service error as any other
    /// ([`ExpiryPolicy::fail`]). The listing's client becomes the client
    /// wrapped with `classify`, typed by the client's error.
    ///
    /// A Kubernetes `410 Gone` whose Status carries a fresh `continue`:
    ///
    /// ```
    /// use paginate::{Expired, ExpiryPolicy, Listing, Paginated, PaginationConfig};
    ///
    /// #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// #[paginated(response = PodList)]
    /// struct ListPods { #[serde(rename = "continue")] #[paginated(input_token)] continue_: Option<String> }
    /// #[derive(Debug, Paginated)]
    /// struct PodList { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = continue_)] continue_: Option<String> }
    ///
    /// #[derive(Debug)]
    /// struct Status { code: u16, continue_: Option<String> }
    ///
    /// // Pods 0..4, two a page; "rv1:2" has been compacted away, "rv2:2" is its fresh form.
    /// let api = |req: ListPods| match req.continue_.as_deref() {
    ///     None => Ok(PodList { items: vec![0, 1], continue_: Some("rv1:2".into()) }),
    ///     Some("rv1:2") => Err(Status { code: 410, continue_: Some("rv2:2".into()) }),
    ///     Some(_) => Ok(PodList { items: vec![2, 3], continue_: None }),
    /// };
    /// let gone = |s: &Status| (s.code == 410).then(|| s.continue_.clone().map_or_else(Expired::new, Expired::with_fresh_token));
    /// let pods: Vec<u32> = Listing::new(api, ListPods::default(), PaginationConfig::default())
    ///     .on_expired_token(gone, ExpiryPolicy::fresh_token())
    ///     .items()
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(pods, [0, 1, 2, 3]);
    /// # Ok::<(), paginate::Error<Status>>(())
    /// ```
    pub fn on_expired_token<F>(self, classify: F, policy: ExpiryPolicy<Req>) -> Listing<OnExpired<C, F>, Req> {
        Listing {
            client: OnExpired {
                client: self.client,
                classify,
            },
            request: self.request,
            config: self.config,
            expiry: Some(policy),
        }
    }

    fn into_parts(self) -> (C, ListingState<Req>) {
        let state = ListingState::new(self.request, self.config);
        let state = match self.expiry {
            Some(policy) => state.with_expiry_policy(policy),
            None => state,
        };
        (self.client, state)
    }

    /// A blocking iterator over pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let mut pages = Listing::new(service, Req::default(), PaginationConfig::default()).pages();
    /// assert_eq!(pages.next().transpose()?.map(|p| p.items), Some(vec![1, 2]));
    /// let token = pages.resume_token().expect("a page remains");
    /// assert_eq!(pages.next().transpose()?.map(|p| p.items), Some(vec![3]));
    /// assert!(pages.next().is_none() && pages.resume_token().is_none());
    ///
    /// // A new listing from the token yields the second page only.
    /// let rest = Listing::new(service, Req::default(), PaginationConfig::default().with_starting_token(token));
    /// assert_eq!(rest.full_result()?.result.items, [3]);
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn pages(self) -> Pages<C, Req> {
        let (client, state) = self.into_parts();
        Pages::new(client, state)
    }

    /// A blocking iterator over the items of the primary result key, moved out of the pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let mut items = Listing::new(service, Req::default(), PaginationConfig::default()).items();
    /// assert_eq!(items.next().transpose()?, Some(1));
    /// // Mid-page: the token says "page 1, one item already handed out".
    /// let token = items.resume_token().expect("items remain");
    /// let rest: Vec<u32> = Listing::new(service, Req::default(), PaginationConfig::default().with_starting_token(token))
    ///     .items()
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(rest, [2, 3]);
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn items(self) -> Items<C, Req> {
        self.pages().items()
    }

    /// Every page merged, like botocore's `build_full_result()`.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// # let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
    /// #     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    /// #     Some(_) => Resp { items: vec![3], next_token: None },
    /// # });
    /// let full = Listing::new(service, Req::default(), PaginationConfig::default().with_max_items(1)).full_result()?;
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
        Ok(full.finish(pages.resume_token()))
    }

    /// An async stream over pages.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
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
    ///     let mut pages = Listing::new(service, Req::default(), PaginationConfig::default()).page_stream();
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
    pub fn page_stream(self) -> PageStream<C, Req>
    where
        C: AsyncClient<Req>,
    {
        let (client, state) = self.into_parts();
        PageStream::new(client, state)
    }

    /// An async stream over the items of the primary result key; the same as
    /// `page_stream().items()`.
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
    ///     Ok::<_, String>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// let items = Listing::new(service, Req::default(), PaginationConfig::default()).item_stream();
    /// let items: Vec<u32> = futures::executor::block_on(items.try_collect())?;
    /// assert_eq!(items, [1, 2, 3]);
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn item_stream(self) -> ItemStream<C, Req>
    where
        C: AsyncClient<Req>,
    {
        self.page_stream().items()
    }

    /// Every page merged, like botocore's `build_full_result()`, asynchronously.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let service = |req: Req| async move {
    ///     Ok::<_, String>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// let listing = Listing::new(service, Req::default(), PaginationConfig::default());
    /// let full = futures::executor::block_on(listing.full_result_async())?;
    /// assert_eq!((full.result.items, full.resume_token), (vec![1, 2, 3], None));
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub async fn full_result_async(self) -> Result<FullResult<Req::Response>, Error<C::Error>>
    where
        C: AsyncClient<Req>,
    {
        let mut pages = self.page_stream();
        let mut full = FullResultBuilder::new();
        while let Some(page) = poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
            full.push(page?);
        }
        Ok(full.finish(pages.resume_token()))
    }
}

#[cfg(feature = "search")]
#[cfg_attr(docsrs, doc(cfg(feature = "search")))]
impl<C, Req: PaginatedRequest> Listing<C, Req> {
    /// botocore's `search(expression)`: a JMESPath expression over each page,
    /// list results flattened, other results (`null` too) yielded as they
    /// are. The expression is compiled before any request.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[serde(rename_all = "PascalCase")]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// #[derive(serde::Serialize, Paginated)]
    /// #[serde(rename_all = "PascalCase")]
    /// struct Resp {
    ///     #[paginated(result_key)]
    ///     items: Vec<u32>,
    ///     #[paginated(output_token)]
    ///     next_token: Option<String>,
    /// }
    /// let service = |req: Req| Ok::<_, std::io::Error>(match req.next_token.as_deref() {
    ///     None => Resp { items: vec![1, 5, 2], next_token: Some("p2".into()) },
    ///     Some(_) => Resp { items: vec![7], next_token: None },
    /// });
    /// let listing = Listing::new(service, Req::default(), PaginationConfig::default());
    /// let found: Vec<serde_json::Value> = listing.search("Items[?@ > `1`]")?.collect::<Result<_, _>>()?;
    /// assert_eq!(found, [5, 2, 7]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search(self, expression: &str) -> Result<crate::search::Search<C, Req>, crate::search::InvalidExpression>
    where
        C: Client<Req>,
        Req::Response: serde::Serialize,
    {
        crate::search::Search::new(self.pages(), expression)
    }

    /// [`search`](Self::search) as an async stream.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[serde(rename_all = "PascalCase")]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(serde::Serialize, Paginated)]
    /// # #[serde(rename_all = "PascalCase")]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token)] next_token: Option<String> }
    /// use futures::TryStreamExt;
    /// let service = |req: Req| async move {
    ///     Ok::<_, std::io::Error>(match req.next_token.as_deref() {
    ///         None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
    ///         Some(_) => Resp { items: vec![3], next_token: None },
    ///     })
    /// };
    /// let listing = Listing::new(service, Req::default(), PaginationConfig::default());
    /// let lengths: Vec<serde_json::Value> = futures::executor::block_on(listing.search_stream("length(Items)")?.try_collect())?;
    /// assert_eq!(lengths, [2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search_stream(
        self,
        expression: &str,
    ) -> Result<crate::search::SearchStream<C, Req>, crate::search::InvalidExpression>
    where
        C: AsyncClient<Req>,
        Req::Response: serde::Serialize,
    {
        crate::search::SearchStream::new(self.page_stream(), expression)
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> IntoIterator for Listing<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;
    type IntoIter = Pages<C, Req>;
    fn into_iter(self) -> Pages<C, Req> {
        self.pages()
    }
}
