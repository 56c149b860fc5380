//! What every API of the catalogue shares: the wire between a listing and a
//! scripted server, and the checks run against each API.
//!
//! A scripted server sees a request only as the wire carries it: the request
//! struct serialized with `serde_json` (a JSON body, or query pairs made from
//! it by [`query`]). It answers with the JSON body the API would send, which
//! the wire deserializes into the model's response, or with the API's error
//! (status and body), deserialized into the API's typed error. Every answer
//! that is not a page is recorded as a refusal: a listing must never send
//! what the API refuses. Failures injected on chosen calls are the API's own
//! transient errors ([`Server::transient`]) and are not refusals.
//!
//! Adding an API is one file and one line (`slack.rs` is a short one to copy):
//!
//! 1. the model: request and response with `#[derive(Paginated)]`, serde
//!    names as the API spells them, and its typed error body;
//! 2. a [`Server`]: the API's rules on the serialized request ([`query`] for
//!    query-string APIs, [`follow`] for APIs paged by a next link), the
//!    page as the API writes it ([`with_link`] when a header comes with
//!    it), and its transient error;
//! 3. an [`Api`] impl tying them together (`expected` when the API's order
//!    is not `0..n`, as [`backward`] paging; `read` with [`read_link`] when
//!    the page has a `Link` header);
//! 4. its tests: `proptest!` over [`scenario`] calling [`exactly_once`]
//!    (over [`scenario_resizing`] too when a token is exact whatever
//!    `PageSize` resumes it: offsets, page numbers, and cursors that name
//!    a place in the API's order whatever the page size; and
//!    [`parallel_exactly_once`] when pages can be fetched ahead),
//!    [`item_stream_lists_everything`], [`full_result_lists_everything`],
//!    and what the server refuses ([`answer`],
//!    [`refused_page_size_sends_nothing`]);
//! 5. a `mod` line and a row of the table in `catalogue/mod.rs`.

use std::fmt::Debug;
use std::marker::PhantomData;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, MutexGuard};

use futures::executor::block_on;
use futures::TryStreamExt;
use paginate::{by_ref, Error, Listing, PaginatedRequest, PaginatedResponse, PaginationConfig};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::support::{config, ItemDriver, YieldOnce};

/// An answer of the API that is not a page: the HTTP status and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub body: Value,
}

impl Refusal {
    pub fn new(status: u16, body: Value) -> Self {
        Refusal { status, body }
    }
}

/// One real API's rules over a dataset: answers a request as the API would.
pub trait Server: Send {
    /// The page for `request`, or what the API answers when it refuses it.
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal>;
    /// The API's answer to a call that fails for a passing reason (a rate
    /// limit, an unavailable backend, an expired continuation).
    fn transient(&mut self, request: &Value) -> Refusal;
}

/// One API of the catalogue: its model and its server.
pub trait Api: 'static {
    type Req: PaginatedRequest<Response = Self::Resp> + Serialize + Unpin;
    type Resp: PaginatedResponse + DeserializeOwned + Unpin;
    /// The API's error body, typed.
    type Error: DeserializeOwned + Debug + Unpin;
    /// A server holding a dataset of `n` items (and whatever the listing starts from).
    fn server(n: u32) -> Box<dyn Server>;
    /// The first request of a listing over `n` items.
    fn request(n: u32) -> Self::Req;
    /// Where an item stands in the dataset (`0..n`).
    fn position(item: &<Self::Resp as PaginatedResponse>::Item) -> u32;
    /// The positions a complete listing yields, in order.
    fn expected(n: u32, _page_size: Option<u64>) -> Vec<u32> {
        (0..n).collect()
    }
    /// The response a client makes of a page as the server wrote it: the
    /// body deserialized. An API that pages by a header reads it here from
    /// [`with_link`]'s answer into the field the model keeps it in.
    fn read(page: Value) -> Result<Self::Resp, serde_json::Error> {
        serde_json::from_value(page)
    }
}

/// A page with a `Link` header, as a server of an API that pages by headers
/// answers: the header's value (none on a last page) and the body, which
/// the API's [`Api::read`] takes apart with [`read_link`].
pub fn with_link(link: Option<String>, body: Value) -> Value {
    serde_json::json!({"link": link, "body": body})
}

/// The response from [`with_link`]'s answer: the body deserialized, the
/// header's value given to `set`.
pub fn read_link<R: DeserializeOwned>(
    page: Value,
    set: impl FnOnce(&mut R, Option<String>),
) -> Result<R, serde_json::Error> {
    let link = page.get("link").and_then(Value::as_str).map(str::to_owned);
    let mut response: R = serde_json::from_value(page.get("body").cloned().unwrap_or(Value::Null))?;
    set(&mut response, link);
    Ok(response)
}

/// The API's error as a client types it.
#[derive(Debug)]
pub struct Failed<E> {
    pub status: u16,
    pub error: E,
}

const CALL_LIMIT: usize = 10_000;

struct WireState {
    server: Box<dyn Server>,
    calls: usize,
    failing: Vec<usize>,
    refusals: Vec<(Value, Refusal)>,
    sent: Vec<Value>,
}

/// The wire to one server; clones share it.
pub struct Wire<A> {
    state: Arc<Mutex<WireState>>,
    api: PhantomData<fn() -> A>,
}

impl<A> Clone for Wire<A> {
    fn clone(&self) -> Self {
        Wire {
            state: Arc::clone(&self.state),
            api: PhantomData,
        }
    }
}

impl<A: Api> Wire<A> {
    /// A wire to `A`'s server over `n` items.
    pub fn new(n: u32) -> Self {
        Wire {
            state: Arc::new(Mutex::new(WireState {
                server: A::server(n),
                calls: 0,
                failing: Vec::new(),
                refusals: Vec::new(),
                sent: Vec::new(),
            })),
            api: PhantomData,
        }
    }

    fn state(&self) -> MutexGuard<'_, WireState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Calls number `calls` (0-based, failed ones counted) fail once each with the API's transient error.
    pub fn failing(self, calls: impl IntoIterator<Item = usize>) -> Self {
        self.state().failing.extend(calls);
        self
    }

    /// One call: the request over the wire and the answer back.
    pub fn call(&self, request: &A::Req) -> Result<A::Resp, Failed<A::Error>> {
        let wire = serde_json::to_value(request).expect("a request serializes");
        let answer = {
            let mut state = self.state();
            let call = state.calls;
            state.calls += 1;
            assert!(call < CALL_LIMIT, "the listing does not end");
            state.sent.push(wire.clone());
            if let Some(at) = state.failing.iter().position(|c| *c == call) {
                state.failing.remove(at);
                Err(state.server.transient(&wire))
            } else {
                let answer = state.server.handle(&wire);
                if let Err(refusal) = &answer {
                    state.refusals.push((wire, refusal.clone()));
                }
                answer
            }
        };
        match answer {
            Ok(body) => {
                Ok(A::read(body.clone())
                    .unwrap_or_else(|e| panic!("the model does not read the API's page {body}: {e}")))
            }
            Err(Refusal { status, body }) => Err(Failed {
                status,
                error: serde_json::from_value(body.clone())
                    .unwrap_or_else(|e| panic!("the model does not read the API's error {body}: {e}")),
            }),
        }
    }

    /// A blocking client, sent each request borrowed.
    pub fn blocking(&self) -> impl paginate::Client<A::Req, Error = Failed<A::Error>> {
        let wire = self.clone();
        by_ref(move |request: &A::Req| wire.call(request))
    }

    /// An async client; every call is pending once before it completes.
    pub fn asynchronous(&self) -> impl paginate::AsyncClient<A::Req, Error = Failed<A::Error>> {
        let wire = self.clone();
        by_ref(move |request: &A::Req| YieldOnce::new(wire.call(request)))
    }

    /// Every request the API refused, with its answer.
    pub fn refusals(&self) -> Vec<(Value, Refusal)> {
        self.state().refusals.clone()
    }

    /// Every request sent, as the wire carried it.
    pub fn sent(&self) -> Vec<Value> {
        self.state().sent.clone()
    }

    /// Field `name` of every request sent, in order (`null` where it was left out).
    pub fn sent_field(&self, name: &str) -> Vec<Value> {
        self.state()
            .sent
            .iter()
            .map(|r| r.get(name).cloned().unwrap_or(Value::Null))
            .collect()
    }
}

/// A JSON request as query-string pairs, the way an HTTP client writes a
/// struct into a query: `null` left out, numbers and booleans as text. A list
/// or an object cannot be a query parameter.
pub fn query(request: &Value) -> Result<Vec<(String, String)>, String> {
    let Value::Object(fields) = request else {
        return Err(format!("a query is made of an object, not {request}"));
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => return Err(format!("{name}={other} cannot be a query parameter")),
        };
        pairs.push((name.clone(), text));
    }
    Ok(pairs)
}

/// The value of query parameter `name`.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The path and the query pairs of a URL (`https://host/path?a=1&b=2`); the
/// APIs here put only URL-safe text in their links.
pub fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect();
    (path.to_owned(), pairs)
}

/// The URL an HTTP client requests for `request` on a link-following API:
/// the link in field `link` as is when the request holds one (the API's
/// own next link, which carries every parameter), otherwise `base` with
/// the request's other fields as the query. Its path and query pairs.
pub fn follow(request: &Value, link: &str, base: &str) -> Result<(String, Vec<(String, String)>), String> {
    match request.get(link) {
        Some(Value::String(url)) => Ok(split_url(url)),
        Some(Value::Null) | None => {
            let mut fields = request.clone();
            if let Value::Object(map) = &mut fields {
                map.remove(link);
            }
            Ok((base.to_owned(), query(&fields)?))
        }
        Some(other) => Err(format!("a link is a URL, not {other}")),
    }
}

/// The positions a backward listing over `n` items yields with pages of
/// `size`: the page just before the anchor first (`n - size..n`, each page
/// in the API's own order), then the page before it, up to the first item.
pub fn backward(n: u32, size: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = end.saturating_sub(size);
        out.extend(start..end);
        end = start;
    }
    out
}

/// One property-test case: the data, the paging, and what goes wrong when.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub items: u32,
    pub page_size: Option<u64>,
    /// `MaxItems` of each run, cycling.
    pub max_items: Vec<Option<u64>>,
    /// Calls (0-based, over the whole scenario) that fail once.
    pub failing_calls: Vec<usize>,
    /// For each failure in turn: retry in place (`true`) or resume from the error's token.
    pub retry_in_place: Vec<bool>,
    /// Items each run takes before the caller stops and resumes from its token, cycling.
    pub stop_after: Vec<Option<usize>>,
    /// `PageSize` of each run after the first, cycling; empty: `page_size` throughout.
    pub resize: Vec<Option<u64>>,
}

impl Scenario {
    /// The `PageSize` of run `run`.
    pub fn page_size_of(&self, run: usize) -> Option<u64> {
        match run.checked_sub(1) {
            Some(later) if !self.resize.is_empty() => self.resize[later % self.resize.len()],
            _ => self.page_size,
        }
    }
}

/// Scenarios whose `PageSize` is drawn from `page_sizes` (`None`: the API has no page size).
pub fn scenario(page_sizes: Option<RangeInclusive<u64>>) -> impl Strategy<Value = Scenario> {
    let page_size = match page_sizes {
        Some(sizes) => prop::option::of(sizes).boxed(),
        None => Just(None).boxed(),
    };
    (
        0u32..60,
        page_size,
        prop::collection::vec(prop::option::of(1u64..30), 1..4),
        prop::collection::vec(0usize..30, 0..6),
        prop::collection::vec(any::<bool>(), 1..4),
        prop::collection::vec(prop::option::of(1usize..25), 1..4),
    )
        .prop_map(
            |(items, page_size, max_items, failing_calls, retry_in_place, stop_after)| Scenario {
                items,
                page_size,
                max_items,
                failing_calls,
                retry_in_place,
                stop_after,
                resize: Vec::new(),
            },
        )
}

/// Scenarios whose every run after the first resumes under a `PageSize`
/// drawn anew from `sizes` (the first run's too): a resume token must be
/// exact whatever page size resumes it.
pub fn scenario_resizing(sizes: RangeInclusive<u64>) -> impl Strategy<Value = Scenario> {
    (
        scenario(Some(sizes.clone())),
        prop::option::of(sizes.clone()),
        prop::collection::vec(prop::option::of(sizes), 1..4),
    )
        .prop_map(|(s, first, resize)| Scenario {
            page_size: first,
            resize,
            ..s
        })
}

/// Proptest's configuration for the catalogue: 128 cases a property (a few tenths of a second for all)
/// (`PROPTEST_CASES=N` runs more).
pub fn cases() -> ProptestConfig {
    crate::support::proptest_cases(128)
}

/// A listing of `A` driven through a scenario: runs stopped by `MaxItems`
/// or by the caller, each resumed from its token; failures retried in place
/// or resumed from the error's token. Every item comes exactly once, in the
/// API's order, and the API refused nothing.
pub fn exactly_once<A: Api>(s: &Scenario) -> Result<(), TestCaseError> {
    let wire = Wire::<A>::new(s.items).failing(s.failing_calls.clone());
    drive(s, &wire, |config| {
        Listing::new(wire.blocking(), A::request(s.items), config).items()
    })
}

/// The loop of [`exactly_once`], over the items `open` lists under each run's config.
fn drive<A: Api, D>(s: &Scenario, wire: &Wire<A>, open: impl Fn(PaginationConfig) -> D) -> Result<(), TestCaseError>
where
    D: ItemDriver<Item = <A::Resp as PaginatedResponse>::Item>,
{
    let mut got = Vec::new();
    let mut failures = 0;
    let mut token: Option<String> = None;
    for run in 0.. {
        prop_assert!(run < 500, "runs do not converge");
        let max_items = s.max_items[run % s.max_items.len()];
        let stop = s.stop_after[run % s.stop_after.len()];
        let mut items = open(config(s.page_size_of(run), max_items, token.take()));
        let mut taken = 0;
        // `Some(token)`: resume from it (`None`: from the request's own start); `None`: done.
        let resume: Option<Option<String>> = loop {
            if stop == Some(taken) {
                break items.resume_token().map(Some);
            }
            match items.next_item() {
                Some(Ok(item)) => {
                    got.push(A::position(&item));
                    taken += 1;
                }
                Some(Err(Error::Service { resume_token, source })) => {
                    prop_assert!(
                        wire.refusals().is_empty(),
                        "refused: {:?} ({source:?})",
                        wire.refusals()
                    );
                    let in_place = s.retry_in_place[failures % s.retry_in_place.len()];
                    failures += 1;
                    if !in_place {
                        break Some(resume_token);
                    }
                    prop_assert!(items.retry(), "a service error can be retried in place");
                }
                Some(Err(other)) => return Err(TestCaseError::fail(format!("{other:?}"))),
                None => break items.resume_token().map(Some),
            }
        };
        match resume {
            Some(next) => token = next,
            None => break,
        }
    }
    prop_assert_eq!(wire.refusals(), Vec::new(), "the API refused what the listing sent");
    prop_assert_eq!(got, A::expected(s.items, s.page_size));
    Ok(())
}

/// The whole listing through the async item stream.
pub fn item_stream_lists_everything<A: Api>(n: u32, page_size: Option<u64>) {
    let wire = Wire::<A>::new(n);
    let listing = Listing::new(wire.asynchronous(), A::request(n), config(page_size, None, None));
    let items: Vec<_> = block_on(listing.item_stream().try_collect()).expect("the listing completes");
    let got: Vec<u32> = items.iter().map(A::position).collect();
    assert_eq!(wire.refusals(), Vec::new(), "the API refused what the listing sent");
    assert_eq!(got, A::expected(n, page_size));
}

/// The whole listing as one full result (blocking and async), its primary
/// result key read by `items` (the response's field, as the model names it).
pub fn full_result_lists_everything<A: Api>(n: u32, page_size: Option<u64>, items: impl Fn(&A::Resp) -> Vec<u32>) {
    let wire = Wire::<A>::new(n);
    let cfg = || config(page_size, None, None);
    let full = Listing::new(wire.blocking(), A::request(n), cfg())
        .full_result()
        .expect("the listing completes");
    assert_eq!(full.resume_token, None);
    assert_eq!(items(&full.result), A::expected(n, page_size));
    let listing = Listing::new(wire.asynchronous(), A::request(n), cfg());
    let full = block_on(listing.full_result_async()).expect("the listing completes");
    assert_eq!(items(&full.result), A::expected(n, page_size));
    assert_eq!(wire.refusals(), Vec::new(), "the API refused what the listing sent");
}

/// A `PageSize` the API would refuse is refused before any request: nothing is sent.
pub fn refused_page_size_sends_nothing<A: Api>(page_size: u64) {
    let wire = Wire::<A>::new(5);
    let result = Listing::new(wire.blocking(), A::request(5), config(Some(page_size), None, None)).full_result();
    assert!(
        matches!(
            &result,
            Err(Error::Listing(paginate::ListingError::Config(paginate::ConfigError::PageSizeOutOfRange { page_size: p, .. }))) if *p == page_size
        ),
        "{:?}",
        result.err()
    );
    assert_eq!(wire.sent(), Vec::<Value>::new());
}

/// What the server answers to `request` sent as is.
pub fn answer<A: Api>(n: u32, request: Value) -> Result<Value, Refusal> {
    A::server(n).handle(&request)
}

/// The default configuration.
pub fn default_config() -> PaginationConfig {
    PaginationConfig::default()
}

/// [`exactly_once`] through `page_stream().parallel(width)`'s items: up to
/// `width` requests in flight, each answered after being pending once, so
/// a later page may be ready first. Stops and failures resume from the
/// stream's token or retry in place, as sequentially; every item comes
/// exactly once, in the API's order, and the API refused nothing.
#[cfg(feature = "parallel")]
pub fn parallel_exactly_once<A: Api>(s: &Scenario, width: usize) -> Result<(), TestCaseError> {
    let wire = Wire::<A>::new(s.items).failing(s.failing_calls.clone());
    drive(s, &wire, |config| {
        Listing::new(wire.asynchronous(), A::request(s.items), config)
            .page_stream()
            .parallel(width)
            .items()
    })
}

/// The whole listing through `page_stream().parallel(width)`: the
/// sequential listing's items, in the same order, with more than one
/// request in flight at some point (when `width` and the pages allow).
#[cfg(feature = "parallel")]
pub fn parallel_lists_everything<A: Api>(n: u32, page_size: u64, width: usize) {
    use futures::StreamExt as _;
    let wire = Wire::<A>::new(n);
    let listing = Listing::new(wire.asynchronous(), A::request(n), config(Some(page_size), None, None));
    let mut pages = listing.page_stream().parallel(width);
    let (mut got, mut peak) = (Vec::new(), 0);
    while let Some(page) = block_on(pages.next()) {
        peak = peak.max(pages.in_flight());
        let mut page = page.expect("the listing completes");
        got.extend(page.take_items().iter().map(A::position));
    }
    assert_eq!(wire.refusals(), Vec::new(), "the API refused what the listing sent");
    assert_eq!(got, A::expected(n, Some(page_size)));
    if width > 1 && u64::from(n) > 2 * page_size {
        assert!(peak > 1, "one request at a time");
    }
}
