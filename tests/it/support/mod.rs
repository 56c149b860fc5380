//! A small deterministic in-memory service for the integration tests in
//! `resume.rs` and `errors.rs`.
//!
//! The service holds items `0..n` in order and serves them in pages addressed
//! by an opaque offset token (`"cursor-007"` by default). It honours the limit
//! key, reports a secondary result key (the page's item count), logs every
//! request it receives, and can inject faults: fail chosen calls, hand back the
//! token it was just given (a repeated token), or send the listing back to an
//! earlier page (a token cycle A→B→A).
//!
//! Next to it: how many cases a property test runs (`cases.rs`), and one
//! interface over the item iterator and streams (`item_driver.rs`).
#![allow(dead_code)]

mod cases;
mod item_driver;

pub use cases::{env_cases, proptest_cases};
pub use item_driver::ItemDriver;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{Error, Paginated, PaginationConfig};
use serde::Serialize;

/// An item of the listing. Deliberately neither `Clone` nor `Copy`: the
/// iterators and streams must move items out of pages, never clone them.
#[derive(Debug, PartialEq, Eq)]
pub struct Item(pub u32);

/// The listing operation: one string token, `MaxResults` declared `1..=100`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListResp)]
pub struct ListReq {
    /// Not a token: must reach the service untouched on every call.
    pub owner: String,
    #[paginated(input_token)]
    pub next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    pub max_results: Option<i32>,
}

#[derive(Debug, Paginated)]
pub struct ListResp {
    #[paginated(result_key)]
    pub items: Vec<Item>,
    /// Secondary result key: the number of items in the page.
    #[paginated(result_key)]
    pub count: Option<u32>,
    #[paginated(output_token = next_token)]
    pub next_token: Option<String>,
}

/// The same listing without a limit key (PageSize is not supported).
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = NoLimitResp)]
pub struct NoLimitReq {
    #[paginated(input_token)]
    pub next_token: Option<String>,
}

#[derive(Debug, Paginated)]
pub struct NoLimitResp {
    #[paginated(result_key)]
    pub items: Vec<Item>,
    #[paginated(output_token = next_token)]
    pub next_token: Option<String>,
}

/// The same listing with a `u8` limit key and no declared range: a PageSize
/// above 255 cannot be put in the request.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = SmallLimitResp)]
pub struct SmallLimitReq {
    #[paginated(input_token)]
    pub next_token: Option<String>,
    #[paginated(limit_key)]
    pub limit: Option<u8>,
}

#[derive(Debug, Paginated)]
pub struct SmallLimitResp {
    #[paginated(result_key)]
    pub items: Vec<Item>,
    #[paginated(output_token = next_token)]
    pub next_token: Option<String>,
}

/// What the service returns on failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvcError {
    /// A fault injected at this (0-based) call number.
    Injected { call: usize },
    /// The request carried a token this service never issued.
    BadToken(String),
    /// A safety net: a test looped far beyond what it should need.
    TooManyCalls,
}

impl std::fmt::Display for SvcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SvcError::Injected { call } => write!(f, "injected failure at call {call}"),
            SvcError::BadToken(t) => write!(f, "unknown token {t:?}"),
            SvcError::TooManyCalls => write!(f, "too many calls"),
        }
    }
}

/// One request as the service saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub token: Option<String>,
    pub limit: Option<u64>,
    pub owner: String,
}

const CALL_LIMIT: usize = 10_000;

#[derive(Debug, Default)]
struct State {
    n: u32,
    default_page: u32,
    prefix: String,
    fail_calls: Vec<usize>,
    stuck_at: Option<u32>,
    cycle: Option<(u32, u32)>,
    cap: Option<u32>,
    log: Vec<Seen>,
}

/// The service; clones share state (the call log and the call counter).
#[derive(Debug, Clone)]
pub struct Service {
    state: Arc<Mutex<State>>,
}

/// The default page size when the request names none.
pub const DEFAULT_PAGE: u32 = 4;

impl Service {
    /// Items `0..n`, pages of `DEFAULT_PAGE` unless the request asks otherwise.
    pub fn new(n: u32) -> Self {
        Service {
            state: Arc::new(Mutex::new(State {
                n,
                default_page: DEFAULT_PAGE,
                prefix: "cursor-".to_owned(),
                ..State::default()
            })),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tokens are `prefix` followed by the offset (3 digits).
    pub fn token_prefix(self, prefix: &str) -> Self {
        self.state().prefix = prefix.to_owned();
        self
    }

    /// Calls number `calls` (0-based, counting failed calls too) fail once each.
    pub fn fail_calls(self, calls: impl IntoIterator<Item = usize>) -> Self {
        self.state().fail_calls.extend(calls);
        self
    }

    /// The page requested at `offset` returns, as next token, the very token
    /// it was requested with (the same token twice in a row).
    pub fn stuck_at(self, offset: u32) -> Self {
        self.state().stuck_at = Some(offset);
        self
    }

    /// The page requested at offset `from` returns the token for offset `to`
    /// (an earlier page): tokens A→B→A when `to` is the page before `from`.
    pub fn cycle(self, from: u32, to: u32) -> Self {
        self.state().cycle = Some((from, to));
        self
    }

    /// Pages hold at most `cap` items whatever the request asks for (a
    /// service whose pages shrank since a token was made).
    pub fn page_cap(self, cap: u32) -> Self {
        self.state().cap = Some(cap);
        self
    }

    /// The token this service issues for `offset`.
    pub fn token(&self, offset: u32) -> String {
        format!("{}{offset:03}", self.state().prefix)
    }

    /// Number of calls received so far (failed ones included).
    pub fn calls(&self) -> usize {
        self.state().log.len()
    }

    /// Every request received, in order.
    pub fn log(&self) -> Vec<Seen> {
        self.state().log.clone()
    }

    /// Tokens of every request received, in order.
    pub fn tokens(&self) -> Vec<Option<String>> {
        self.state().log.iter().map(|s| s.token.clone()).collect()
    }

    fn serve(
        &self,
        token: Option<&str>,
        limit: Option<u64>,
        owner: &str,
    ) -> Result<(Vec<Item>, Option<String>), SvcError> {
        let mut state = self.state();
        let call = state.log.len();
        state.log.push(Seen {
            token: token.map(str::to_owned),
            limit,
            owner: owner.to_owned(),
        });
        if call >= CALL_LIMIT {
            return Err(SvcError::TooManyCalls);
        }
        if let Some(at) = state.fail_calls.iter().position(|c| *c == call) {
            state.fail_calls.remove(at);
            return Err(SvcError::Injected { call });
        }
        let offset = match token {
            None => 0,
            Some(t) => t
                .strip_prefix(state.prefix.as_str())
                .and_then(|rest| rest.parse::<u32>().ok())
                .filter(|o| *o <= state.n)
                .ok_or_else(|| SvcError::BadToken(t.to_owned()))?,
        };
        let size = limit.map_or(state.default_page, |l| l.min(1000) as u32);
        let size = state.cap.map_or(size, |cap| size.min(cap));
        let end = (offset + size).min(state.n);
        let items = (offset..end).map(Item).collect();
        let tok = |o: u32| format!("{}{o:03}", state.prefix);
        let next = if token.is_some() && state.stuck_at == Some(offset) {
            token.map(str::to_owned)
        } else if let Some((from, to)) = state.cycle.filter(|(from, _)| *from == offset) {
            let _ = from;
            Some(tok(to))
        } else {
            (end < state.n).then(|| tok(end))
        };
        Ok((items, next))
    }

    /// Serves the main operation.
    pub fn list(&self, req: ListReq) -> Result<ListResp, SvcError> {
        let limit = req
            .max_results
            .map(|l| u64::try_from(l).expect("the library sent a negative MaxResults"));
        let (items, next_token) = self.serve(req.next_token.as_deref(), limit, &req.owner)?;
        let count = Some(items.len() as u32);
        Ok(ListResp {
            items,
            count,
            next_token,
        })
    }

    /// A blocking client for the main operation.
    pub fn blocking(&self) -> impl FnMut(ListReq) -> Result<ListResp, SvcError> + Clone {
        let svc = self.clone();
        move |req: ListReq| svc.list(req)
    }

    /// An async client for the main operation; every call is pending once before it completes.
    pub fn asynchronous(&self) -> impl FnMut(ListReq) -> YieldOnce<Result<ListResp, SvcError>> + Clone {
        let svc = self.clone();
        move |req: ListReq| YieldOnce::new(svc.list(req))
    }

    /// A blocking client for the operation without a limit key.
    pub fn no_limit(&self) -> impl FnMut(NoLimitReq) -> Result<NoLimitResp, SvcError> + Clone {
        let svc = self.clone();
        move |req: NoLimitReq| {
            let (items, next_token) = svc.serve(req.next_token.as_deref(), None, "")?;
            Ok(NoLimitResp { items, next_token })
        }
    }

    /// A blocking client for the operation with a `u8` limit key.
    pub fn small_limit(&self) -> impl FnMut(SmallLimitReq) -> Result<SmallLimitResp, SvcError> + Clone {
        let svc = self.clone();
        move |req: SmallLimitReq| {
            let (items, next_token) = svc.serve(req.next_token.as_deref(), req.limit.map(u64::from), "")?;
            Ok(SmallLimitResp { items, next_token })
        }
    }

    /// An async client for the operation without a limit key.
    pub fn no_limit_async(&self) -> impl FnMut(NoLimitReq) -> YieldOnce<Result<NoLimitResp, SvcError>> + Clone {
        let mut client = self.no_limit();
        move |req: NoLimitReq| YieldOnce::new(client(req))
    }

    /// An async client for the operation with a `u8` limit key.
    pub fn small_limit_async(
        &self,
    ) -> impl FnMut(SmallLimitReq) -> YieldOnce<Result<SmallLimitResp, SvcError>> + Clone {
        let mut client = self.small_limit();
        move |req: SmallLimitReq| YieldOnce::new(client(req))
    }
}

/// A future that is pending once (waking itself) and then ready with its value,
/// so the async paths really suspend on every call.
pub struct YieldOnce<T> {
    value: Option<T>,
    yielded: bool,
}

impl<T> YieldOnce<T> {
    pub fn new(value: T) -> Self {
        YieldOnce {
            value: Some(value),
            yielded: false,
        }
    }
}

impl<T: Unpin> Future for YieldOnce<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if !self.yielded {
            self.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.value.take().expect("YieldOnce polled after completion"))
    }
}

/// The request every test lists with.
pub fn request() -> ListReq {
    ListReq {
        owner: "alice".to_owned(),
        next_token: None,
        max_results: None,
    }
}

/// `0..n`.
pub fn all(n: u32) -> Vec<u32> {
    (0..n).collect()
}

/// A `PaginationConfig` from its three parts.
pub fn config(page_size: Option<u64>, max_items: Option<u64>, starting_token: Option<String>) -> PaginationConfig {
    let mut config = PaginationConfig::default();
    config.max_items = max_items;
    config.page_size = page_size;
    config.starting_token = starting_token;
    config
}

/// The JSON text inside a botocore-style resume token.
pub fn token_text(token: &str) -> String {
    let bytes = STANDARD
        .decode(token)
        .unwrap_or_else(|e| panic!("token {token:?} is not base64: {e}"));
    String::from_utf8(bytes).expect("token JSON is UTF-8")
}

/// A botocore-style token around `json` (the JSON text, written by hand).
pub fn make_token(json: &str) -> String {
    STANDARD.encode(json)
}

/// Drains a blocking iterator of items; panics on any error or after `bound` items.
pub fn drain<I>(iter: I, bound: usize) -> Vec<u32>
where
    I: Iterator<Item = Result<Item, Error<SvcError>>>,
{
    let mut out = Vec::new();
    for item in iter {
        match item {
            Ok(Item(i)) => out.push(i),
            Err(e) => panic!("unexpected error after {out:?}: {e:?}"),
        }
        assert!(out.len() <= bound, "listing did not end within {bound} items: {out:?}");
    }
    out
}

/// `a` then `b`.
pub fn concat(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter().chain(b).copied().collect()
}
