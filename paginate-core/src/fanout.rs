//! Fan-out: many independent listings at once, with bounded concurrency,
//! merged into one stream of `(listing index, item)`, with one resume token
//! for the whole set and one `MaxItems` across them.
//!
//! Each listing keeps its own [`ListingState`](crate::ListingState) (through
//! its [`PageStream`]); the set's token records, for every listing, where the
//! caller stands in it, so resuming finishes every listing, nothing twice.

use std::pin::Pin;
use std::task::{Context, Poll};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use futures_core::Stream;

use crate::error::Error;
use crate::error::TokenError;
use crate::listing::Listing;
use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::page_items::PageItems;
use crate::position::ResumePoint;
use crate::stream::{AsyncClient, PageStream};
use crate::PaginationConfig;

/// The key of a fan-out token's JSON object.
const SET_KEY: &str = "paginate_fan_out";

/// One listing of the set, as the caller stands in it.
struct Member<C: AsyncClient<Req>, Req: PaginatedRequest> {
    pages: PageStream<C, Req>,
    /// The items of the last page taken, being handed out.
    items: PageItems<<Req::Response as PaginatedResponse>::Item>,
    /// Where the last page taken ends.
    point: ResumePoint,
    /// The listing has ended (and its last page was handed out: a listing is
    /// polled only when no page has items left).
    done: bool,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Member<C, Req> {
    /// The listing's place in the set's token: `Some(None)` when it is done;
    /// `None` when no token resumes it (it stopped on a repeated token, a
    /// cycle or an output token that cannot be read: resuming would repeat
    /// pages or lose the rest of its last page).
    fn resume_token(&self) -> Option<Option<String>> {
        if self.done {
            return Some(None);
        }
        match self.items.resume_token(&self.point) {
            None if !self.items.is_end(&self.point) => None,
            token => Some(token),
        }
    }

    /// The listing ended with the items handed out, and no error is to come.
    #[cfg(feature = "checkpoint")]
    fn is_exhausted(&self) -> bool {
        self.done || self.items.is_end(&self.point)
    }
}

/// Many listings at once; see [`FanOut::new`].
pub struct FanOut<C: AsyncClient<Req>, Req: PaginatedRequest> {
    members: Vec<Member<C, Req>>,
    concurrency: usize,
    /// Items still allowed (`MaxItems` across the set).
    remaining: Option<u64>,
    /// Where the next poll starts, so no listing starves the others.
    next: usize,
    /// The set gave an error and gives nothing more until `retry`.
    halted: bool,
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> FanOut<C, Req> {
    /// Runs `listings` with at most `concurrency` requests in flight (at least
    /// one), handing out their items as pages arrive, at most `max_items` in
    /// all. Within a listing, items keep their order.
    ///
    /// ```
    /// # use paginate::{FanOut, Listing, Paginated, PaginationConfig};
    /// # #[derive(Clone, Default, serde::Serialize, Paginated)]
    /// # #[paginated(response = Resp)]
    /// # struct Req { shard: u32, #[paginated(input_token)] next_token: Option<u32> }
    /// # #[derive(Debug, Paginated)]
    /// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<u32> }
    /// use futures::StreamExt;
    /// // Each shard holds 10 * shard + 0..4, served two at a time.
    /// let service = |req: Req| async move {
    ///     let at = req.next_token.unwrap_or(0);
    ///     let items = (at..(at + 2).min(4)).map(|i| 10 * req.shard + i).collect();
    ///     Ok::<_, std::io::Error>(Resp { items, next_token: (at + 2 < 4).then_some(at + 2) })
    /// };
    /// let listings = (1..=3).map(|shard| Listing::new(service, Req { shard, next_token: None }, PaginationConfig::default()));
    /// let mut set = FanOut::new(listings.collect(), 3, Some(7));
    /// let first: Vec<(usize, u32)> = futures::executor::block_on(set.by_ref().map(|r| r.expect("no error")).collect());
    /// assert_eq!(first.len(), 7); // MaxItems across the set
    /// // One token resumes every listing where the caller stands in it.
    /// let token = set.resume_token().expect("items remain");
    /// let listings = (1..=3).map(|shard| Listing::new(service, Req { shard, next_token: None }, PaginationConfig::default()));
    /// let rest = FanOut::resume(listings.collect(), 3, None, &token)?;
    /// let rest: Vec<(usize, u32)> = futures::executor::block_on(rest.map(|r| r.expect("no error")).collect());
    /// let mut all: Vec<u32> = first.iter().chain(&rest).map(|(_, v)| *v).collect();
    /// all.sort();
    /// assert_eq!(all, [10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]);
    /// # Ok::<(), paginate::TokenError>(())
    /// ```
    pub fn new(listings: Vec<Listing<C, Req>>, concurrency: usize, max_items: Option<u64>) -> Self {
        let members = listings
            .into_iter()
            .map(|listing| {
                let pages = listing.page_stream();
                let point = pages.state.resume_point();
                Member {
                    pages,
                    items: PageItems::new(),
                    point,
                    done: false,
                }
            })
            .collect();
        FanOut {
            members,
            concurrency: concurrency.max(1),
            remaining: max_items,
            next: 0,
            halted: false,
        }
    }

    /// Resumes a set from [`FanOut::resume_token`]: each listing starts where
    /// the token says it stood (a listing it says is done is not run again).
    /// The listings must be the same, in the same order.
    pub fn resume(
        listings: Vec<Listing<C, Req>>,
        concurrency: usize,
        max_items: Option<u64>,
        token: &str,
    ) -> Result<Self, TokenError> {
        let tokens = decode_set(token, listings.len())?;
        let (listings, done): (Vec<_>, Vec<bool>) = listings
            .into_iter()
            .zip(tokens)
            .map(|(listing, token)| match token {
                Some(token) => (listing.starting_at(token), false),
                None => (listing, true),
            })
            .unzip();
        let mut set = Self::new(listings, concurrency, max_items);
        for (member, done) in set.members.iter_mut().zip(done) {
            member.done = done;
        }
        Ok(set)
    }

    /// One token for the whole set, where the caller stands in every listing;
    /// `None` when every listing is done, or once a listing has met a token
    /// problem no token resumes from (a repeated token, a cycle: the set then
    /// ends with that error).
    pub fn resume_token(&self) -> Option<String> {
        let tokens: Vec<Option<String>> = self.members.iter().map(Member::resume_token).collect::<Option<_>>()?;
        if tokens.iter().all(Option::is_none) {
            return None;
        }
        let json = serde_json::json!({ SET_KEY: tokens });
        Some(STANDARD.encode(json.to_string()))
    }

    /// Every listing ended with the items handed out, and no error is to come.
    #[cfg(feature = "checkpoint")]
    pub(crate) fn is_exhausted(&self) -> bool {
        self.members.iter().all(Member::is_exhausted)
    }

    /// After a service error, lets the set send the failed request again and
    /// go on; false (and the set stays ended) when the last thing it gave was
    /// not a service error. After any error the set gives nothing more until
    /// then, so a loop that skips errors ends.
    pub fn retry(&mut self) -> bool {
        let mut retried = false;
        for member in &mut self.members {
            retried |= member.pages.retry();
        }
        self.halted &= !retried;
        retried
    }

    fn active(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.members.len())
            .filter(|i| !self.members[*i].done)
            .take(self.concurrency)
    }
}

/// The listings' tokens in a set token (`None`: that listing is done).
fn decode_set(token: &str, count: usize) -> Result<Vec<Option<String>>, TokenError> {
    let invalid = || TokenError::NotAFanOutToken { listings: count };
    let bytes = STANDARD.decode(token).map_err(|_| invalid())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let tokens: Vec<Option<String>> = value
        .get(SET_KEY)
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(invalid)?;
    if tokens.len() != count {
        return Err(invalid());
    }
    Ok(tokens)
}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Unpin for FanOut<C, Req> {}

impl<C: AsyncClient<Req>, Req: PaginatedRequest> Stream for FanOut<C, Req> {
    type Item = Result<(usize, <Req::Response as PaginatedResponse>::Item), Error<C::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        'deliver: loop {
            if this.halted || this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            // Items of a page already received go first.
            for (index, member) in this.members.iter_mut().enumerate() {
                if let Some(item) = member.items.next() {
                    if let Some(remaining) = &mut this.remaining {
                        *remaining -= 1;
                    }
                    return Poll::Ready(Some(Ok((index, item))));
                }
            }
            let active: Vec<usize> = this.active().collect();
            if active.is_empty() {
                return Poll::Ready(None);
            }
            let start = this.next % active.len();
            for offset in 0..active.len() {
                let index = active[(start + offset) % active.len()];
                let member = &mut this.members[index];
                match Pin::new(&mut member.pages).poll_next(cx) {
                    Poll::Pending => {}
                    Poll::Ready(None) => {
                        member.done = true;
                        continue 'deliver; // another listing may start now
                    }
                    Poll::Ready(Some(Err(error))) => {
                        this.next = index + 1;
                        this.halted = true;
                        // The set's token, where the error carries one: a
                        // listing's own would resume that listing alone.
                        let resume_token = this.resume_token();
                        return Poll::Ready(Some(Err(error.with_resume_token(resume_token))));
                    }
                    Poll::Ready(Some(Ok(mut page))) => {
                        this.next = index + 1;
                        let mut items = page.take_items();
                        if let Some(remaining) = this.remaining {
                            items.truncate(usize::try_from(remaining).unwrap_or(usize::MAX));
                        }
                        member.point = member.pages.state.resume_point();
                        member.items.load(items);
                        continue 'deliver;
                    }
                }
            }
            return Poll::Pending;
        }
    }
}

impl<C, Req: PaginatedRequest> Listing<C, Req> {
    /// The same listing, started from `token`.
    fn starting_at(self, token: String) -> Self {
        let config = PaginationConfig {
            starting_token: Some(token),
            starting_position: None,
            ..self.config.clone()
        };
        Listing { config, ..self }
    }
}

// Shows where the listing stands; the client and the request in flight need not be `Debug`.
impl<C: AsyncClient<Req>, Req: PaginatedRequest> std::fmt::Debug for FanOut<C, Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FanOut")
            .field("resume_token", &self.resume_token())
            .finish_non_exhaustive()
    }
}
