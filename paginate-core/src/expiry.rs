//! Expired tokens: what a listing does when the service says the token it
//! was sent is no longer valid (Kubernetes' `410 Gone`, AWS's
//! `ExpiredNextTokenException`, a lost Elasticsearch point-in-time).
//!
//! Only the user can tell such an error from any other of their error type,
//! so the client says it ([`Client::expired`](crate::Client::expired),
//! answered by [`Listing::on_expired_token`](crate::Listing::on_expired_token));
//! what to do then is an [`ExpiryPolicy`], applied by the
//! [`ListingState`](crate::ListingState) every driver shares.
//!
//! The classifier wraps the client ([`OnExpired`]) rather than sitting in
//! the listing, so that it is typed by the client's error without an error
//! type parameter on `Listing`, `ListingState` or any driver; the policy,
//! typed by the request and its items only, sits in the state.

use std::collections::HashSet;
use std::hash::Hash;

use crate::model::{PaginatedRequest, PaginatedResponse};
use crate::token_set::TokenSet;

/// What a client says of an error that means "this token has expired": the
/// answer of the classifier given to
/// [`Listing::on_expired_token`](crate::Listing::on_expired_token), with the
/// fresh token the error may carry (the `metadata.continue` of a Kubernetes
/// `410 Gone` Status).
///
/// ```
/// use paginate::Expired;
/// assert_eq!(Expired::new().fresh_token(), None);
/// assert_eq!(Expired::with_fresh_token("eyJ2Ijo").fresh_token(), Some("eyJ2Ijo"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expired {
    fresh_token: Option<String>,
}

impl Expired {
    /// The token expired, and the error carries no other.
    pub fn new() -> Self {
        Expired { fresh_token: None }
    }

    /// The token expired, and the error carries `token`, which goes on from
    /// where the expired one stood ([`ExpiryPolicy::fresh_token`]).
    pub fn with_fresh_token(token: impl Into<String>) -> Self {
        Expired {
            fresh_token: Some(token.into()),
        }
    }

    /// The fresh token the error carries, if any.
    pub fn fresh_token(&self) -> Option<&str> {
        self.fresh_token.as_deref()
    }

    pub(crate) fn into_fresh_token(self) -> Option<String> {
        self.fresh_token
    }
}

/// The restarts a listing makes at most, unless
/// [`ExpiryPolicy::with_max_restarts`] says otherwise.
pub const DEFAULT_MAX_RESTARTS: u32 = 3;

type Item<Req> = <<Req as PaginatedRequest>::Response as PaginatedResponse>::Item;
type Last<Req> = Box<dyn Held<Item<Req>>>;
type Seek<Req> = Box<dyn FnMut(&Req, Option<&Item<Req>>) -> Option<Req> + Send + Sync>;

/// What a listing does when its token has expired; set with
/// [`Listing::on_expired_token`](crate::Listing::on_expired_token).
///
/// Every policy but [`fail`](Self::fail) recovers at most
/// [`DEFAULT_MAX_RESTARTS`] times in a listing (or
/// [`with_max_restarts`](Self::with_max_restarts)); the expiry after that is
/// the service error, as under `fail`, so a service that expires every token
/// cannot keep a listing going round for ever.
///
/// The rule holds for every driver, pages or items, blocking or async,
/// prefetched, `parallel` or in a [`FanOut`](crate::FanOut): it is applied by
/// the [`ListingState`](crate::ListingState) they all drive. After a restart
/// from the beginning, the pages listed again come without the items already
/// delivered (a page of only such items comes empty), so page drivers and
/// item drivers deliver the same items, and `MaxItems` counts each item once.
///
/// ```
/// use paginate::{Expired, ExpiryPolicy, Listing, Paginated, PaginationConfig};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[paginated(response = Resp)]
/// struct Req { #[paginated(input_token)] next_token: Option<String> }
/// #[derive(Debug, Paginated)]
/// struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
///
/// #[derive(Debug)]
/// enum ServiceError { ExpiredNextToken, Throttled }
///
/// // 0..6 in pages of two; the token of the second page is refused once.
/// let mut refused = false;
/// let service = move |req: Req| {
///     let at: u32 = req.next_token.as_deref().map_or(0, |t| t.parse().unwrap());
///     if at == 2 && !refused {
///         refused = true;
///         return Err(ServiceError::ExpiredNextToken);
///     }
///     Ok(Resp { items: vec![at, at + 1], next_token: (at + 2 < 6).then(|| (at + 2).to_string()) })
/// };
/// let expired = |e: &ServiceError| matches!(e, ServiceError::ExpiredNextToken).then(Expired::new);
/// let items: Vec<u32> = Listing::new(service, Req::default(), PaginationConfig::default())
///     .on_expired_token(expired, ExpiryPolicy::restart_by_count())
///     .items()
///     .collect::<Result<_, _>>()?;
/// assert_eq!(items, [0, 1, 2, 3, 4, 5]); // listed again from 0, 0 and 1 skipped
/// # Ok::<(), paginate::Error<ServiceError>>(())
/// ```
pub struct ExpiryPolicy<Req: PaginatedRequest> {
    pub(crate) kind: Kind<Req>,
    pub(crate) max_restarts: u32,
}

pub(crate) enum Kind<Req: PaginatedRequest> {
    Fail,
    RestartByCount,
    RestartByKey(Box<dyn Delivered<Item<Req>>>),
    FreshToken,
    Reseek {
        seek: Seek<Req>,
        remember: fn(&Item<Req>) -> Last<Req>,
        last: Option<Last<Req>>,
    },
}

impl<Req: PaginatedRequest> ExpiryPolicy<Req> {
    fn of(kind: Kind<Req>) -> Self {
        ExpiryPolicy {
            kind,
            max_restarts: DEFAULT_MAX_RESTARTS,
        }
    }

    /// The listing ends with the service error and the token to resume from,
    /// as for any other error: what a listing does without a policy.
    pub fn fail() -> Self {
        Self::of(Kind::Fail)
    }

    /// Lists again from where the listing started (its request, or its
    /// starting token: if the service has expired that one too, the restart
    /// meets the expiry again, and the bound ends the listing) and skips as
    /// many items as it had delivered. A listing started from a token whose
    /// [`starting_position`](crate::PaginationConfig::starting_position) is
    /// known (a listing a checkpoint job resumes) goes back to its
    /// request instead, and skips the items before that position too. Exact
    /// where the order is stable and nothing is added or removed before the
    /// point reached (an item added there would be skipped, one removed
    /// would make an undelivered one skipped). Costs nothing but a counter.
    /// Resume tokens stay exact: until the listing is back where it stood,
    /// its resume token is the one it had when the token expired. A map
    /// result key, delivered whole, is skipped whole; a skip that would end
    /// inside one ends the listing with
    /// [`ListingError::Uncuttable`](crate::ListingError::Uncuttable), as
    /// `MaxItems` there does.
    pub fn restart_by_count() -> Self {
        Self::of(Kind::RestartByCount)
    }

    /// Lists again from where the listing started and skips the items whose
    /// `key` was already delivered: right whatever the service changed in
    /// between (an item added before the point reached is delivered, none
    /// is delivered twice). Keeps the key of every item delivered (a
    /// `HashSet<K>`: for a million `u64` keys, about 32 MB), from the first
    /// page on. Needs a primary result key whose items can be dropped one by
    /// one (a list or a string, [`ResultList::retain_items`](crate::ResultList::retain_items));
    /// with any other (a map), an expiry fails, as under [`fail`](Self::fail).
    ///
    /// After such a restart the resume token points into the new listing: a
    /// listing resumed from it, knowing no keys, may deliver again the items
    /// delivered before the restart that the new listing had not reached.
    /// How many items come before its place is no longer known
    /// ([`ListingState::position`](crate::ListingState::position) is `None`),
    /// so a checkpoint keeps none with it.
    pub fn restart_by_key<K, F>(key: F) -> Self
    where
        K: Hash + Eq + Send + Sync + 'static,
        F: Fn(&Item<Req>) -> K + Send + Sync + 'static,
        Item<Req>: 'static,
    {
        Self::of(Kind::RestartByKey(Box::new(Keys {
            key,
            seen: HashSet::new(),
        })))
    }

    /// Goes on with the fresh token the error carries
    /// ([`Expired::with_fresh_token`], Kubernetes' `410 Gone` body), in
    /// place of the expired one: nothing listed again, nothing skipped. An
    /// expiry whose error carries no token fails. For requests with one
    /// input token.
    pub fn fresh_token() -> Self {
        Self::of(Kind::FreshToken)
    }

    /// Goes on with the request `seek` makes from the expired request and
    /// the last item delivered (`None` before any): an Elasticsearch
    /// `search_after` from the last hit's sort values in a new point in time,
    /// say. Nothing is skipped, so `seek` must ask for what comes after that
    /// item; `None` from it fails. Keeps a clone of each page's last item.
    /// Needs a primary result key whose items can be read one by one (a
    /// list or a string); with any other (a map), an expiry after a page
    /// fails, as under [`fail`](Self::fail).
    pub fn reseek<F>(seek: F) -> Self
    where
        F: FnMut(&Req, Option<&Item<Req>>) -> Option<Req> + Send + Sync + 'static,
        Item<Req>: Clone + Send + Sync + 'static,
    {
        Self::of(Kind::Reseek {
            seek: Box::new(seek),
            remember: |item| Box::new(Copy(item.clone())),
            last: None,
        })
    }

    pub(crate) fn restarts_by_count(&self) -> bool {
        matches!(self.kind, Kind::RestartByCount)
    }

    /// At most `max` recoveries in the listing; the expiry after them is the
    /// service error.
    pub fn with_max_restarts(mut self, max: u32) -> Self {
        self.max_restarts = max;
        self
    }
}

impl<Req: PaginatedRequest> std::fmt::Debug for ExpiryPolicy<Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.kind {
            Kind::Fail => "fail",
            Kind::RestartByCount => "restart_by_count",
            Kind::RestartByKey(_) => "restart_by_key",
            Kind::FreshToken => "fresh_token",
            Kind::Reseek { .. } => "reseek",
        };
        f.debug_struct("ExpiryPolicy")
            .field("kind", &kind)
            .field("max_restarts", &self.max_restarts)
            .finish()
    }
}

/// A copy of an item, kept so that the state stays `Send` and `Sync` (the
/// state of a prefetching stream lives on a task).
pub(crate) trait Held<T>: Send + Sync {
    fn item(&self) -> &T;
}

struct Copy<T>(T);

impl<T: Send + Sync> Held<T> for Copy<T> {
    fn item(&self) -> &T {
        &self.0
    }
}

/// The keys of the items delivered, with the function that reads them.
pub(crate) trait Delivered<T>: Send + Sync {
    fn record(&mut self, item: &T);
    fn contains(&self, item: &T) -> bool;
}

struct Keys<K, F> {
    key: F,
    seen: HashSet<K>,
}

impl<T, K: Hash + Eq + Send + Sync, F: Fn(&T) -> K + Send + Sync> Delivered<T> for Keys<K, F> {
    fn record(&mut self, item: &T) {
        self.seen.insert((self.key)(item));
    }
    fn contains(&self, item: &T) -> bool {
        self.seen.contains(&(self.key)(item))
    }
}

/// What a page's items went through after a restart.
pub(crate) enum Filtered {
    /// Nothing was dropped.
    None,
    /// The first `n` items were dropped.
    Prefix(usize),
    /// The items kept, by their index in the page as it came.
    Kept(Vec<usize>),
    /// The skip ends inside a result that cannot be cut (a map), after this many of its entries.
    Uncuttable(usize),
}

/// What the listing does about an expired token.
pub(crate) enum Action<Req> {
    Fail,
    /// Back to where the listing started.
    Restart,
    /// The same position, with this token for the first input token.
    Fresh(String),
    /// This request next.
    Seek(Req),
}

/// A listing's policy and what it has done: the listing state keeps one.
pub(crate) struct Recovery<Req: PaginatedRequest> {
    policy: ExpiryPolicy<Req>,
    /// Where the listing started: its request, tokens, and a starting token's skip.
    pub(crate) start: (Req, TokenSet, Option<usize>),
    restarts: u32,
    /// Items a restart by count still skips.
    skip: u64,
    /// Items of the listing before `start`, which a restart by count skips too.
    before: u64,
    /// A restart by key happened: every page is filtered from then on.
    keyed: bool,
    /// The result key cannot be read item by item: a restart by key, or a
    /// reseek, fails.
    unkeyable: bool,
    /// While a restart catches up, the resume token the listing had when
    /// its token expired.
    pub(crate) frozen: Option<Option<String>>,
}

impl<Req: PaginatedRequest> Recovery<Req> {
    pub(crate) fn new(policy: ExpiryPolicy<Req>, start: (Req, TokenSet, Option<usize>), before: u64) -> Self {
        Recovery {
            policy,
            start,
            restarts: 0,
            skip: 0,
            before,
            keyed: false,
            unkeyable: false,
            frozen: None,
        }
    }

    /// Whether a restart skips by count (the items delivered keep their
    /// places), not by key.
    pub(crate) fn counts(&self) -> bool {
        self.policy.restarts_by_count()
    }

    /// What to do about an expiry, counted against the bound. `delivered`
    /// is how many items the listing has handed out, `resume_token` where
    /// it stands.
    pub(crate) fn expired(
        &mut self,
        expired: Expired,
        request: &Req,
        delivered: u64,
        resume_token: Option<String>,
    ) -> Action<Req> {
        if self.restarts >= self.policy.max_restarts {
            return Action::Fail;
        }
        let action = match &mut self.policy.kind {
            Kind::Fail => Action::Fail,
            Kind::RestartByCount => {
                // A restart during catch-up keeps the first frozen token.
                self.frozen = Some(self.frozen.take().unwrap_or(resume_token));
                self.skip = self.before.saturating_add(delivered);
                Action::Restart
            }
            Kind::RestartByKey(_) if self.unkeyable => Action::Fail,
            Kind::RestartByKey(_) => {
                self.frozen = Some(self.frozen.take().unwrap_or(resume_token));
                self.keyed = true;
                Action::Restart
            }
            Kind::FreshToken => expired.into_fresh_token().map_or(Action::Fail, Action::Fresh),
            // No last item is known to seek after: `None` would seek from before the first.
            Kind::Reseek { .. } if self.unkeyable => Action::Fail,
            Kind::Reseek { seek, last, .. } => {
                seek(request, last.as_deref().map(Held::item)).map_or(Action::Fail, Action::Seek)
            }
        };
        if !matches!(action, Action::Fail) {
            self.restarts += 1;
        }
        action
    }

    /// Drops from `page` (which came with `before` items already dropped by
    /// a starting token) the items delivered before a restart.
    pub(crate) fn filter(&mut self, page: &mut Req::Response, before: usize) -> Filtered {
        let filtered = match &mut self.policy.kind {
            Kind::RestartByCount if self.skip > 0 => {
                let len = page.result_len();
                let n = usize::try_from(self.skip).unwrap_or(usize::MAX).min(len);
                if <Req::Response as PaginatedResponse>::RESULTS_WHOLE {
                    // A map is delivered whole: dropped whole, or not cut at all.
                    if n < len {
                        return Filtered::Uncuttable(n);
                    }
                    drop(page.take_items());
                } else {
                    page.skip_results(n);
                }
                self.skip -= n as u64;
                Filtered::Prefix(n)
            }
            Kind::RestartByKey(delivered) if self.keyed => {
                let (mut index, mut kept, len) = (before, Vec::new(), page.result_len());
                let retained = page.retain_results(&mut |item| {
                    let keep = !delivered.contains(item);
                    if keep {
                        kept.push(index);
                    }
                    index += 1;
                    keep
                });
                if !retained || kept.len() == len {
                    Filtered::None
                } else {
                    Filtered::Kept(kept)
                }
            }
            _ => Filtered::None,
        };
        if self.skip == 0 {
            self.frozen = None;
        }
        filtered
    }

    /// Notes the items a page hands out: their keys, or the last of them.
    pub(crate) fn record(&mut self, page: &mut Req::Response) {
        match &mut self.policy.kind {
            Kind::RestartByKey(delivered) => {
                let recorded = page.retain_results(&mut |item| {
                    delivered.record(item);
                    true
                });
                self.unkeyable |= !recorded;
            }
            Kind::Reseek { remember, last, .. } => {
                let (len, mut index) = (page.result_len(), 0);
                let recorded = page.retain_results(&mut |item| {
                    index += 1;
                    if index == len {
                        *last = Some(remember(item));
                    }
                    true
                });
                self.unkeyable |= !recorded;
            }
            _ => {}
        }
    }
}

impl<Req: PaginatedRequest> std::fmt::Debug for Recovery<Req> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recovery")
            .field("policy", &self.policy)
            .field("restarts", &self.restarts)
            .finish_non_exhaustive()
    }
}

/// A client whose errors a classifier reads for expired tokens: what
/// [`Listing::on_expired_token`](crate::Listing::on_expired_token) makes.
/// It sends as the client it wraps.
#[derive(Clone)]
pub struct OnExpired<C, F> {
    pub(crate) client: C,
    pub(crate) classify: F,
}

impl<C, F> std::fmt::Debug for OnExpired<C, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnExpired").finish_non_exhaustive()
    }
}

impl<Req, C, F> crate::Client<Req> for OnExpired<C, F>
where
    Req: PaginatedRequest,
    C: crate::Client<Req>,
    F: Fn(&C::Error) -> Option<Expired>,
{
    type Error = C::Error;
    fn send(&mut self, request: Req) -> Result<Req::Response, C::Error> {
        self.client.send(request)
    }
    fn send_ref(&mut self, request: &Req) -> Result<Req::Response, C::Error> {
        self.client.send_ref(request)
    }
    fn expired(&self, error: &C::Error) -> Option<Expired> {
        (self.classify)(error)
    }
}

impl<Req, C, F> crate::AsyncClient<Req> for OnExpired<C, F>
where
    Req: PaginatedRequest,
    C: crate::AsyncClient<Req>,
    F: Fn(&C::Error) -> Option<Expired>,
{
    type Error = C::Error;
    type Future = C::Future;
    fn send(&mut self, request: Req) -> C::Future {
        self.client.send(request)
    }
    fn send_ref(&mut self, request: &Req) -> C::Future {
        self.client.send_ref(request)
    }
    fn expired(&self, error: &C::Error) -> Option<Expired> {
        (self.classify)(error)
    }
}
