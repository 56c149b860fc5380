//! The blocking side: [`Client`], and iterators over pages and items driving
//! a [`ListingState`].

use crate::answer::answer;
use crate::error::Error;
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::page_items::PageItems;
use crate::state::ListingState;
use crate::trace::{self, Tracer};

/// Sends one request and waits for its response: what the blocking iterators
/// need from a client. Every `FnMut(Req) -> Result<Req::Response, E>` is one,
/// and so is every `FnMut(&Req) -> Result<Req::Response, E>` wrapped in
/// [`by_ref`](crate::by_ref), which spares the copy of the request per page.
///
/// The iterators call [`send_ref`](Self::send_ref): a client that can build
/// its call from a borrowed request (any HTTP client can) overrides it and
/// pays no copy; the default clones the request into [`send`](Self::send).
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

    /// Sends a borrowed request: what the iterators call, once per page. The
    /// default is `self.send(request.clone())`.
    ///
    /// ```
    /// # use paginate::{Client, Paginated};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// struct Service;
    /// impl Client<Req> for Service {
    ///     type Error = std::io::Error;
    ///     fn send(&mut self, request: Req) -> Result<Resp, Self::Error> {
    ///         self.send_ref(&request)
    ///     }
    ///     fn send_ref(&mut self, request: &Req) -> Result<Resp, Self::Error> {
    ///         // Build the call from the borrow: no copy of the request.
    ///         let next_token = request.next_token.as_deref().map_or(Some("p2".to_owned()), |_| None);
    ///         Ok(Resp { items: vec![1], next_token })
    ///     }
    /// }
    /// let page = Service.send_ref(&Req::default())?;
    /// assert_eq!(page.next_token.as_deref(), Some("p2"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn send_ref(&mut self, request: &Req) -> Result<Req::Response, Self::Error> {
        self.send(request.clone())
    }

    /// Whether `error` says the token sent has expired, for the listing's
    /// [`ExpiryPolicy`](crate::ExpiryPolicy). The default is `None`: no
    /// error is; a client from
    /// [`Listing::on_expired_token`](crate::Listing::on_expired_token)
    /// answers with its classifier.
    fn expired(&self, error: &Self::Error) -> Option<crate::Expired> {
        let _ = error;
        None
    }
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

/// Blocking iterator over pages; see [`Listing::pages`](crate::Listing::pages).
///
/// After an error the iterator ends (`next` gives `None`): a loop that skips
/// errors stops rather than calling a failing service for ever. After a
/// service error, [`retry`](Self::retry) sends the failed request again.
#[derive(Debug)]
pub struct Pages<C, Req: PaginatedRequest> {
    client: C,
    state: ListingState<Req>,
    tracer: Tracer,
}

impl<C, Req: PaginatedRequest> Pages<C, Req> {
    pub(crate) fn new(client: C, state: ListingState<Req>) -> Self {
        Pages {
            client,
            state,
            tracer: Tracer::new::<Req>(),
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

    /// After a service error, lets `next` send the failed request again;
    /// false (and `next` still ends) when the last thing yielded was not a
    /// service error.
    ///
    /// ```
    /// # use paginate::{Paginated, Listing, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { #[paginated(input_token)] next_token: Option<String> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
    /// let mut calls = 0;
    /// let flaky = |_: Req| {
    ///     calls += 1;
    ///     if calls == 1 { Err("throttled") } else { Ok(Resp { items: vec![1], next_token: None }) }
    /// };
    /// let mut pages = Listing::new(flaky, Req::default(), PaginationConfig::default()).pages();
    /// assert!(pages.next().is_some_and(|page| page.is_err()));
    /// assert!(pages.next().is_none()); // no second call on its own
    /// assert!(pages.retry());
    /// assert_eq!(pages.next().transpose()?.map(|page| page.items), Some(vec![1]));
    /// # Ok::<(), paginate::Error<&str>>(())
    /// ```
    pub fn retry(&mut self) -> bool {
        self.state.retry()
    }

    /// An iterator over the items of the pages not yet taken.
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
    /// let first = pages.next().transpose()?.map(|p| p.items);
    /// let rest: Vec<u32> = pages.items().collect::<Result<_, _>>()?;
    /// assert_eq!((first, rest), (Some(vec![1, 2]), vec![3]));
    /// # Ok::<(), paginate::Error<String>>(())
    /// ```
    pub fn items(self) -> Items<C, Req> {
        Items {
            pages: self,
            items: PageItems::new(),
        }
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> Iterator for Pages<C, Req> {
    type Item = Result<Req::Response, Error<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let request = match self.state.next_request_ref()? {
                Ok(request) => request,
                Err(stop) => return Some(Err(stop.into())),
            };
            let trace = self.tracer.start();
            let outcome = trace::in_scope(&trace, || self.client.send_ref(request));
            let client = &self.client;
            let answer = answer(&mut self.state, &mut self.tracer, trace, outcome, |e| client.expired(e));
            if let Some(item) = answer.into_item(&mut self.state) {
                return Some(item);
            }
        }
    }
}

/// Blocking iterator over items; see [`Listing::items`](crate::Listing::items).
///
/// After an error the iterator ends (`next` gives `None`): a loop that skips
/// errors stops rather than calling a failing service for ever. After a
/// service error, [`retry`](Self::retry) sends the failed request again.
pub struct Items<C, Req: PaginatedRequest> {
    pages: Pages<C, Req>,
    items: PageItems<<Req::Response as PaginatedResponse>::Item>,
}

impl<C, Req: PaginatedRequest> Items<C, Req> {
    /// The token to resume from after the items yielded so far; `None` when nothing is left.
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

    /// After a service error, lets `next` send the failed request again; see
    /// [`Pages::retry`].
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> Iterator for Items<C, Req> {
    type Item = Result<<Req::Response as PaginatedResponse>::Item, Error<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            // The exhausted page's buffer is freed before the next page is asked for.
            self.items.release();
            match self.pages.next()? {
                Ok(mut page) => self.items.load(page.take_items()),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    // What `next` until `None` does, a page at a time: nothing can ask for a
    // resume token in between.
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Self::Item) -> B,
    {
        let mut acc = self.items.take_rest().map(Ok).fold(init, &mut f);
        for page in self.pages.by_ref() {
            acc = match page {
                Ok(mut page) => page.take_items().into_iter().map(Ok).fold(acc, &mut f),
                Err(e) => f(acc, Err(e)),
            };
        }
        acc
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C, Req: PaginatedRequest> std::fmt::Debug for Items<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}
