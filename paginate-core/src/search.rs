//! `search(expression)`: botocore's `PageIterator.search`. A JMESPath
//! expression is applied to each page; a list result is flattened into the
//! results, anything else (`null` included) is one result. An expression that
//! fails on a page ends the search with an error, as botocore raises.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use serde::Serialize;
use serde_json::Value;

use crate::blocking::{Client, Pages};
use crate::error::{Error, ListingError};
use crate::model::PaginatedRequest;
use crate::stream::{AsyncClient, PageStream};

/// A JMESPath expression that does not compile.
///
/// ```
/// # use paginate::{Listing, Paginated, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(serde::Serialize, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let service = |_: Req| Ok::<_, String>(Resp { items: vec![], next_token: None });
/// let listing = Listing::new(service, Req::default(), PaginationConfig::default());
/// let error = listing.search("items[").err().expect("not an expression");
/// assert_eq!(error.expression, "items[");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("invalid JMESPath expression {expression:?}: {message}")]
#[non_exhaustive]
pub struct InvalidExpression {
    /// The expression given.
    pub expression: String,
    /// What the JMESPath parser said.
    pub message: String,
}

/// A compiled expression and the results of the page last searched.
struct Searcher {
    expression: jmespath::Expression<'static>,
    pending: VecDeque<Value>,
    /// The expression failed on a page: the search has ended.
    failed: bool,
}

impl Searcher {
    fn compile(expression: &str) -> Result<Self, InvalidExpression> {
        let compiled = crate::py_jmespath::compile(expression).map_err(|e| InvalidExpression {
            expression: expression.to_owned(),
            message: e.to_string(),
        })?;
        Ok(Searcher {
            expression: compiled,
            pending: VecDeque::new(),
            failed: false,
        })
    }

    /// Searches `page`, queueing its results. A failure (a JMESPath runtime
    /// error, or a page that does not serialize) ends the search.
    fn search<P: Serialize>(&mut self, page: &P) -> Result<(), ListingError> {
        let found = self
            .expression
            .search(page)
            .map_err(|e| e.to_string())
            .and_then(|v| serde_json::to_value(&*v).map_err(|e| e.to_string()));
        match found {
            Ok(Value::Array(items)) => self.pending.extend(items),
            Ok(other) => self.pending.push_back(other),
            Err(message) => {
                self.failed = true;
                return Err(ListingError::SearchFailed {
                    expression: self.expression.as_str().to_owned(),
                    message,
                });
            }
        }
        Ok(())
    }
}

/// Blocking iterator over search results; see [`Listing::search`](crate::Listing::search).
pub struct Search<C, Req: PaginatedRequest> {
    pages: Pages<C, Req>,
    searcher: Searcher,
}

impl<C, Req: PaginatedRequest> Search<C, Req> {
    pub(crate) fn new(pages: Pages<C, Req>, expression: &str) -> Result<Self, InvalidExpression> {
        Ok(Search {
            pages,
            searcher: Searcher::compile(expression)?,
        })
    }

    /// The token to resume from after the pages searched so far.
    pub fn resume_token(&self) -> Option<String> {
        self.pages.resume_token()
    }

    /// After a service error (which ends the search), lets it send the failed
    /// request again; see [`Pages::retry`].
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: Client<Req>, Req: PaginatedRequest> Iterator for Search<C, Req>
where
    Req::Response: Serialize,
{
    type Item = Result<Value, Error<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(found) = self.searcher.pending.pop_front() {
                return Some(Ok(found));
            }
            if self.searcher.failed {
                return None;
            }
            match self.pages.next()? {
                Ok(page) => {
                    if let Err(stop) = self.searcher.search(&page) {
                        return Some(Err(Error::Listing(stop)));
                    }
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Async stream of search results; see [`Listing::search_stream`](crate::Listing::search_stream).
pub struct SearchStream<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pages: PageStream<C, Req>,
    searcher: Searcher,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> SearchStream<C, Req> {
    pub(crate) fn new(pages: PageStream<C, Req>, expression: &str) -> Result<Self, InvalidExpression> {
        Ok(SearchStream {
            pages,
            searcher: Searcher::compile(expression)?,
        })
    }

    /// The token to resume from after the pages searched so far.
    pub fn resume_token(&self) -> Option<String> {
        self.pages.resume_token()
    }

    /// After a service error (which ends the search), lets it send the failed
    /// request again; see [`PageStream::retry`].
    pub fn retry(&mut self) -> bool {
        self.pages.retry()
    }
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for SearchStream<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for SearchStream<C, Req>
where
    Req::Response: Serialize,
{
    type Item = Result<Value, Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(found) = this.searcher.pending.pop_front() {
                return Poll::Ready(Some(Ok(found)));
            }
            if this.searcher.failed {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => {
                    if let Err(stop) = this.searcher.search(&page) {
                        return Poll::Ready(Some(Err(Error::Listing(stop))));
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C, Req: PaginatedRequest> std::fmt::Debug for Search<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for SearchStream<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchStream")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}
