//! Expired tokens: each `ExpiryPolicy` against a scripted server that expires
//! tokens when told to, after a number of uses, or after a time (a clock
//! that ticks once a call, or tokio's paused time), on every driver; a
//! Kubernetes-style `410 Gone` with a fresh `continue`; an Elasticsearch-style
//! point-in-time lost mid-listing while an item is added; the bound on
//! restarts; and exactly once (property) over random listings, expiry
//! points, `MaxItems` and resume chains.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::executor::block_on;
use futures::{StreamExt, TryStreamExt};
use paginate::{Error, Expired, ExpiryPolicy, FanOut, Listing, Paginated, PaginationConfig};
use proptest::prelude::*;

#[derive(Debug, Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = Page)]
struct ListReq {
    shard: u64,
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Obj {
    key: u64,
}

#[derive(Debug, Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<Obj>,
    #[paginated(output_token = next_token)]
    next_token: Option<String>,
}

/// The server's errors: the token has expired (with the fresh token a
/// Kubernetes Status carries, when the server gives one), or anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Gone { fresh: Option<String> },
    Throttled,
}

fn gone(e: &ApiError) -> Option<Expired> {
    match e {
        ApiError::Gone { fresh: Some(t) } => Some(Expired::with_fresh_token(t.clone())),
        ApiError::Gone { fresh: None } => Some(Expired::new()),
        ApiError::Throttled => None,
    }
}

/// Where the server reads the time.
enum Clock {
    /// One second a call: an injected clock, deterministic.
    Calls,
    /// tokio's clock (paused in the tests that use it).
    Tokio(tokio::time::Instant),
}

/// A listing server over keys in order. Tokens are `"{generation}:{offset}"`
/// (or `"after:{key}"`, always valid: a `search_after`); what expires them
/// is scripted.
struct Script {
    data: Vec<u64>,
    calls: usize,
    /// Calls (0-based) that answer `Gone` if they carry a token.
    expire_calls: Vec<usize>,
    /// Every token may be used this many times.
    max_uses: Option<u32>,
    uses: HashMap<String, u32>,
    /// A token lives this long after it was issued.
    ttl: Option<Duration>,
    issued: HashMap<String, Duration>,
    clock: Clock,
    /// `Gone` carries the fresh token of the same position.
    fresh: bool,
    /// An expiry kills every token issued so far (a lost point in time).
    lose_all: bool,
    generation: u64,
    /// Keys added to the data (at these indexes, in turn) when a token expires.
    insert_on_expiry: Vec<(usize, u64)>,
    /// Tokens refused.
    expiries: usize,
}

#[derive(Clone)]
struct Server(Arc<Mutex<Script>>);

impl Server {
    fn new(n: u64) -> Self {
        Self::of((0..n).collect())
    }

    fn of(data: Vec<u64>) -> Self {
        Server(Arc::new(Mutex::new(Script {
            data,
            calls: 0,
            expire_calls: Vec::new(),
            max_uses: None,
            uses: HashMap::new(),
            ttl: None,
            issued: HashMap::new(),
            clock: Clock::Calls,
            fresh: false,
            lose_all: false,
            generation: 0,
            insert_on_expiry: Vec::new(),
            expiries: 0,
        })))
    }

    fn with(self, f: impl FnOnce(&mut Script)) -> Self {
        f(&mut self.0.lock().unwrap());
        self
    }

    fn calls(&self) -> usize {
        self.0.lock().unwrap().calls
    }

    fn expiries(&self) -> usize {
        self.0.lock().unwrap().expiries
    }

    fn call(&self, req: &ListReq) -> Result<Page, ApiError> {
        let mut s = self.0.lock().unwrap();
        let call = s.calls;
        s.calls += 1;
        let now = match s.clock {
            Clock::Calls => Duration::from_secs(call as u64),
            Clock::Tokio(start) => start.elapsed(),
        };
        let offset = match req.next_token.as_deref() {
            None => 0,
            Some(token) => match s.check(token, call, now) {
                Ok(offset) => offset,
                Err(fresh_offset) => {
                    s.expiries += 1;
                    // A fresh token is a new one, as a lost point in time kills the old.
                    if s.lose_all || s.fresh {
                        s.generation += 1;
                    }
                    for (at, key) in std::mem::take(&mut s.insert_on_expiry) {
                        s.data.insert(at, key);
                    }
                    let fresh = s.fresh.then(|| format!("{}:{fresh_offset}", s.generation));
                    return Err(ApiError::Gone { fresh });
                }
            },
        };
        let limit = req.limit.unwrap_or(3) as usize;
        let end = (offset + limit).min(s.data.len());
        let items = s.data[offset.min(end)..end]
            .iter()
            .map(|k| Obj {
                key: req.shard * 1_000_000 + k,
            })
            .collect();
        let next_token = (end < s.data.len()).then(|| format!("{}:{end}", s.generation));
        if let Some(token) = &next_token {
            s.issued.insert(token.clone(), now);
        }
        Ok(Page { items, next_token })
    }
}

impl Script {
    /// The offset a token stands for, or the offset of the expired one.
    fn check(&mut self, token: &str, call: usize, now: Duration) -> Result<usize, usize> {
        let (head, offset) = token.split_once(':').expect("a token of this server");
        if head == "after" {
            let key: u64 = offset.parse().expect("a key");
            return Ok(self.data.iter().position(|k| *k == key).map_or(0, |at| at + 1));
        }
        let offset: usize = offset.parse().expect("an offset");
        let generation: u64 = head.parse().expect("a generation");
        let uses = self.uses.entry(token.to_owned()).or_insert(0);
        *uses += 1;
        let expired = generation < self.generation
            || self.expire_calls.contains(&call)
            || self.max_uses.is_some_and(|max| *uses > max)
            || self
                .ttl
                .zip(self.issued.get(token))
                .is_some_and(|(ttl, issued)| now > *issued + ttl);
        if expired {
            Err(offset)
        } else {
            Ok(offset)
        }
    }
}

fn listing(
    server: &Server,
    config: PaginationConfig,
) -> Listing<impl FnMut(ListReq) -> Result<Page, ApiError> + Clone, ListReq> {
    let server = server.clone();
    Listing::new(move |req: ListReq| server.call(&req), ListReq::default(), config)
}

/// A call of the async server.
type Call = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page, ApiError>> + Send>>;

fn async_listing(
    server: &Server,
    shard: u64,
    config: PaginationConfig,
) -> Listing<impl FnMut(ListReq) -> Call + Clone + Send, ListReq> {
    let server = server.clone();
    let service = move |req: ListReq| {
        let server = server.clone();
        Box::pin(async move {
            // A page takes a second of (paused, when tokio's) time.
            if tokio::runtime::Handle::try_current().is_ok() {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            server.call(&req)
        }) as Call
    };
    Listing::new(
        service,
        ListReq {
            shard,
            ..ListReq::default()
        },
        config,
    )
}

fn keys(items: &[Obj]) -> Vec<u64> {
    items.iter().map(|o| o.key).collect()
}

/// The keys of the listing through `client` under `policy`, its caller
/// retrying every throttled call in place; any other error fails the test.
fn keys_retrying_throttles(
    client: impl FnMut(ListReq) -> Result<Page, ApiError>,
    policy: ExpiryPolicy<ListReq>,
) -> Vec<u64> {
    let mut items = Listing::new(client, ListReq::default(), PaginationConfig::default())
        .on_expired_token(gone, policy)
        .items();
    let mut got = Vec::new();
    loop {
        match items.next() {
            Some(Ok(item)) => got.push(item.key),
            Some(Err(Error::Service {
                source: ApiError::Throttled,
                ..
            })) => assert!(items.retry()),
            Some(Err(e)) => panic!("{e:?}"),
            None => break,
        }
    }
    got
}

fn page_size(n: u64) -> PaginationConfig {
    PaginationConfig::default().with_page_size(n)
}

#[test]
fn without_a_policy_an_expired_token_is_the_typed_service_error_with_its_token() {
    for policy in [None, Some(ExpiryPolicy::fail())] {
        let server = Server::new(10).with(|s| s.expire_calls = vec![1]);
        let listing = listing(&server, PaginationConfig::default());
        let mut items: Box<dyn Iterator<Item = Result<Obj, Error<ApiError>>>> = match policy {
            None => Box::new(listing.items()),
            Some(policy) => Box::new(listing.on_expired_token(gone, policy).items()),
        };
        let first: Vec<Obj> = items.by_ref().take(3).collect::<Result<_, _>>().unwrap();
        assert_eq!(keys(&first), [0, 1, 2]);
        match items.next() {
            Some(Err(Error::Service { source, resume_token })) => {
                assert_eq!(source, ApiError::Gone { fresh: None });
                assert!(resume_token.is_some());
            }
            other => panic!("expected the expiry, got {other:?}"),
        }
        assert!(items.next().is_none());
        assert_eq!(server.calls(), 2);
    }
}

#[test]
fn restart_by_count_lists_again_and_skips_what_was_delivered_blocking() {
    let server = Server::new(20).with(|s| s.expire_calls = vec![2, 5]);
    let items: Vec<Obj> = listing(&server, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(keys(&items), (0..20).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 2);
}

#[test]
fn pages_after_a_restart_come_without_the_items_already_delivered() {
    let server = Server::new(10).with(|s| s.expire_calls = vec![3]);
    let pages: Vec<Vec<u64>> = listing(&server, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages()
        .map(|p| p.map(|p| keys(&p.items)))
        .collect::<Result<_, _>>()
        .unwrap();
    // Three pages, then the fourth's token expired: pages one to three come
    // again, empty, and the listing goes on.
    assert_eq!(
        pages,
        [
            vec![0, 1, 2],
            vec![3, 4, 5],
            vec![6, 7, 8],
            vec![],
            vec![],
            vec![],
            vec![9]
        ]
    );
    let full = listing(
        &Server::new(10).with(|s| s.expire_calls = vec![3]),
        PaginationConfig::default(),
    )
    .on_expired_token(gone, ExpiryPolicy::restart_by_count())
    .full_result()
    .unwrap();
    assert_eq!(keys(&full.result.items), (0..10).collect::<Vec<_>>());
}

#[test]
fn while_a_restart_catches_up_its_resume_token_is_the_one_it_had_when_the_token_expired() {
    // Pages of three; the fourth call's token expires; the restart's second
    // call is throttled. Both the empty pages of the catch-up and the
    // throttle's error carry a token that resumes at item 9.
    let server = Server::new(12).with(|s| s.expire_calls = vec![3]);
    let mut calls = 0;
    let client = {
        let server = server.clone();
        move |req: ListReq| {
            calls += 1;
            if calls == 6 {
                return Err(ApiError::Throttled);
            }
            server.call(&req)
        }
    };
    let mut pages = Listing::new(client, ListReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages();
    let mut delivered = 0;
    let mut tokens = Vec::new();
    loop {
        match pages.next() {
            Some(Ok(page)) => {
                delivered += page.items.len();
                tokens.push((delivered, pages.resume_token()));
            }
            Some(Err(Error::Service {
                source: ApiError::Throttled,
                resume_token,
            })) => {
                tokens.push((delivered, resume_token));
                assert!(pages.retry());
            }
            Some(Err(e)) => panic!("{e:?}"),
            None => break,
        }
    }
    assert_eq!(delivered, 12);
    for (delivered, token) in tokens {
        let rest: Vec<u64> = match token {
            Some(token) => keys(
                &listing(&Server::new(12), PaginationConfig::default().with_starting_token(token))
                    .items()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap(),
            ),
            None => Vec::new(),
        };
        assert_eq!(rest, (delivered as u64..12).collect::<Vec<_>>(), "after {delivered}");
    }
}

#[test]
fn a_restart_mid_page_skips_into_the_page_and_its_resume_tokens_stay_exact() {
    // Page size 4 after a restart with page size 4 too, MaxItems 6: the
    // restart's second page is half skipped, half delivered.
    let server = Server::new(12).with(|s| s.expire_calls = vec![2]);
    let mut items = listing(&server, page_size(4).with_max_items(10))
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .items();
    let mut got = Vec::new();
    let mut tokens = Vec::new();
    while let Some(item) = items.next() {
        got.push(item.unwrap().key);
        tokens.push((got.len(), items.resume_token()));
    }
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    // Every resume token, taken after any item, resumes exactly at the next.
    for (delivered, token) in tokens {
        let rest: Vec<Obj> = listing(&Server::new(12), page_size(4).with_starting_token(token.unwrap()))
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            keys(&rest),
            (delivered as u64..12).collect::<Vec<_>>(),
            "after {delivered}"
        );
    }
}

#[test]
fn tokens_expire_after_a_time_on_a_clock_that_ticks_each_call() {
    // A token lives 2.5 s; the caller retries throttled calls, so a token
    // waits past its time and expires.
    let server = Server::new(15).with(|s| s.ttl = Some(Duration::from_millis(2500)));
    let mut throttled = 0;
    let client = {
        let server = server.clone();
        move |req: ListReq| {
            if req.next_token.as_deref() == Some("0:6") && throttled < 3 {
                server.0.lock().unwrap().calls += 1; // the clock ticks
                throttled += 1;
                return Err(ApiError::Throttled);
            }
            server.call(&req)
        }
    };
    let got = keys_retrying_throttles(client, ExpiryPolicy::restart_by_count());
    assert_eq!(got, (0..15).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 1);
}

#[test]
fn a_restart_by_count_from_the_largest_position_saturates() {
    // A position as a checkpoint store gives it back: no item can stand past
    // u64::MAX, so the restart skips everything the service has.
    let server = Server::new(20);
    let mut first = listing(&server, PaginationConfig::default()).items();
    assert_eq!(first.by_ref().take(7).count(), 7);
    let token = first.resume_token().unwrap();
    let config = PaginationConfig::default()
        .with_starting_token(token)
        .with_starting_position(u64::MAX);
    let mut pages = listing(&server, config)
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages();
    assert!(pages.next().is_some_and(|page| page.is_ok()));
    // Every token issued so far dies: the next request's expires.
    server.0.lock().unwrap().generation += 1;
    let rest: Vec<u64> = pages.flat_map(|page| keys(&page.unwrap().items)).collect();
    assert_eq!(rest, Vec::<u64>::new());
}

#[test]
fn a_starting_token_at_a_known_position_restarts_from_the_request_when_it_has_expired_too() {
    let server = Server::new(20);
    let mut first = listing(&server, PaginationConfig::default()).items();
    let got: Vec<u64> = first.by_ref().take(7).map(|item| item.unwrap().key).collect();
    assert_eq!(got, (0..7).collect::<Vec<_>>());
    let (token, position) = (first.resume_token().unwrap(), 7);
    // Every token issued so far dies, the starting token with them (a lost point in time).
    server.0.lock().unwrap().generation += 1;
    let resumed = |position: Option<u64>| {
        let mut config = PaginationConfig::default().with_starting_token(token.clone());
        config.starting_position = position;
        listing(&server, config)
            .on_expired_token(gone, ExpiryPolicy::restart_by_count())
            .items()
            .collect::<Result<Vec<_>, _>>()
    };
    // From the request, skipping the 7 before the token: the rest, once.
    assert_eq!(keys(&resumed(Some(position)).unwrap()), (7..20).collect::<Vec<_>>());
    // Where the token stands unknown, the restart goes back to it, expired, and the bound ends the listing.
    let failed = resumed(None).unwrap_err();
    assert!(
        matches!(
            failed,
            Error::Service {
                source: ApiError::Gone { .. },
                ..
            }
        ),
        "{failed:?}"
    );
}

#[test]
fn a_page_number_listing_resumed_at_a_known_position_restarts_from_its_first_page() {
    use crate::offset::{ListReposPlain, Server as Pages};
    // Page numbers from 1 in a plain integer (0 until the listing sets it);
    // the server refuses page 0.
    let server = Pages::new(25);
    let config = PaginationConfig::default().with_page_size(10);
    let mut first = Listing::new(
        |r: ListReposPlain| server.github(&r, 1),
        ListReposPlain::default(),
        config.clone(),
    )
    .items();
    let got: Vec<u64> = first.by_ref().take(12).map(Result::unwrap).collect();
    assert_eq!(got, (0..12).collect::<Vec<_>>());
    let token = first.resume_token().unwrap();
    // Resumed at its known position, the listing's first request (page 2) is refused once as expired.
    let mut refused = false;
    let client = |r: ListReposPlain| {
        if r.page == 2 && !refused {
            refused = true;
            return Err("expired".to_string());
        }
        server.github(&r, 1)
    };
    let mut config = config.with_starting_token(token);
    config.starting_position = Some(12);
    let rest: Vec<u64> = Listing::new(client, ListReposPlain::default(), config)
        .on_expired_token(
            |e: &String| (e == "expired").then(Expired::new),
            ExpiryPolicy::restart_by_count(),
        )
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rest, (12..25).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn async_item_stream_restarts_when_a_token_outlives_its_time() {
    // Tokens live 2.5 s of paused time; a page takes 1 s; the caller takes
    // 2 s over each item 7: the token after it has expired.
    let server = Server::new(12).with(|s| {
        s.ttl = Some(Duration::from_millis(2500));
        s.clock = Clock::Tokio(tokio::time::Instant::now());
    });
    let mut items = async_listing(&server, 0, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .item_stream();
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        let key = item.unwrap().key;
        if key == 7 {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        got.push(key);
    }
    assert_eq!(got, (0..12).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 1);
}

#[cfg(feature = "prefetch")]
#[tokio::test(start_paused = true)]
async fn prefetch_restarts_on_its_task_and_the_caller_sees_each_item_once() {
    let server = Server::new(30).with(|s| s.expire_calls = vec![3, 9]);
    let mut items = async_listing(&server, 0, page_size(4))
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .page_stream()
        .prefetch(3)
        .items();
    let mut got = Vec::new();
    let mut tokens = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.unwrap().key);
        tokens.push((got.len(), items.resume_token()));
    }
    assert_eq!(got, (0..30).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 2);
    for (delivered, token) in tokens {
        let rest: Vec<u64> = match token {
            Some(token) => keys(
                &listing(&Server::new(30), page_size(4).with_starting_token(token))
                    .items()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap(),
            ),
            None => Vec::new(),
        };
        assert_eq!(rest, (delivered as u64..30).collect::<Vec<_>>(), "after {delivered}");
    }
}

#[tokio::test(start_paused = true)]
async fn fan_out_restarts_each_listing_on_its_own() {
    let servers: Vec<Server> = (0..4)
        .map(|i| Server::new(7 + 3 * i).with(|s| s.expire_calls = vec![1 + i as usize, 4]))
        .collect();
    let listings = servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            async_listing(server, i as u64, page_size(2)).on_expired_token(gone, ExpiryPolicy::restart_by_count())
        })
        .collect();
    let got: Vec<(usize, Obj)> = FanOut::new(listings, 2, None).try_collect().await.unwrap();
    for (i, _) in servers.iter().enumerate() {
        let mine: Vec<u64> = got.iter().filter(|(at, _)| *at == i).map(|(_, o)| o.key).collect();
        let want: Vec<u64> = (0..7 + 3 * i as u64).map(|k| i as u64 * 1_000_000 + k).collect();
        assert_eq!(mine, want, "listing {i}");
    }
    assert!(servers.iter().all(|s| s.expiries() >= 1));
}

#[cfg(feature = "parallel")]
#[derive(Debug, Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = OffsetPage)]
struct OffsetReq {
    #[paginated(offset)]
    offset: u64,
    #[paginated(limit_key)]
    limit: Option<u32>,
}

#[cfg(feature = "parallel")]
#[derive(Debug, Paginated)]
struct OffsetPage {
    #[paginated(result_key)]
    items: Vec<u64>,
    #[paginated(total)]
    total: u64,
}

#[cfg(feature = "parallel")]
#[test]
fn parallel_pages_restart_and_drop_the_requests_predicted_from_the_old_position() {
    // A search session whose offsets past 20 expire once, while pages ahead are in flight.
    let refused = Arc::new(Mutex::new(false));
    let service = move |req: OffsetReq| {
        let refused = Arc::clone(&refused);
        async move {
            let mut refused = refused.lock().unwrap();
            if req.offset >= 20 && !*refused {
                *refused = true;
                return Err(ApiError::Gone { fresh: None });
            }
            let end = (req.offset + u64::from(req.limit.unwrap_or(5))).min(47);
            Ok(OffsetPage {
                items: (req.offset..end).collect(),
                total: 47,
            })
        }
    };
    let items: Vec<u64> = block_on(
        Listing::new(service, OffsetReq::default(), page_size(5))
            .on_expired_token(gone, ExpiryPolicy::restart_by_count())
            .page_stream()
            .parallel(4)
            .items()
            .try_collect(),
    )
    .unwrap();
    assert_eq!(items, (0..47).collect::<Vec<_>>());
}

#[test]
fn kubernetes_410_gone_carries_a_fresh_continue_and_the_listing_goes_on() {
    // Each continue token may be used once (a retry of it, after a
    // throttle, is refused) and the 410 carries a fresh one for the same place.
    for throttle_at in 0..5 {
        let server = Server::new(14).with(|s| {
            s.max_uses = Some(1);
            s.fresh = true;
        });
        let mut throttled = false;
        let client = {
            let server = server.clone();
            move |req: ListReq| {
                if server.calls() == throttle_at + 1 && !throttled {
                    throttled = true;
                    // The call reached the server (the token is used) but the answer was lost.
                    let _ = server.call(&req);
                    return Err(ApiError::Throttled);
                }
                server.call(&req)
            }
        };
        let got = keys_retrying_throttles(client, ExpiryPolicy::fresh_token());
        assert_eq!(
            got,
            (0..14).collect::<Vec<_>>(),
            "throttled at call {}",
            throttle_at + 1
        );
        assert_eq!(server.expiries(), usize::from(throttle_at + 1 < 5));
    }
}

#[test]
fn a_fresh_token_policy_fails_when_the_error_carries_none() {
    let server = Server::new(9).with(|s| s.expire_calls = vec![1]);
    let result: Result<Vec<Obj>, _> = listing(&server, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::fresh_token())
        .items()
        .collect();
    assert!(matches!(
        result,
        Err(Error::Service {
            source: ApiError::Gone { fresh: None },
            ..
        })
    ));
}

#[test]
fn elasticsearch_point_in_time_lost_mid_listing_restart_by_key_adds_the_new_item_once() {
    // The point in time is lost at the fourth call, every token with it,
    // and a document appears at the front of the order meanwhile.
    let data: Vec<u64> = (10..30).collect();
    let run = |policy: ExpiryPolicy<ListReq>| {
        let server = Server::of(data.clone()).with(|s| {
            s.expire_calls = vec![3];
            s.lose_all = true;
            s.insert_on_expiry = vec![(0, 5)];
        });
        let items: Vec<Obj> = listing(&server, PaginationConfig::default())
            .on_expired_token(gone, policy)
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(server.expiries(), 1);
        keys(&items)
    };
    let by_key = run(ExpiryPolicy::restart_by_key(|o: &Obj| o.key));
    let mut want: Vec<u64> = (10..19).collect();
    want.push(5); // the new document, met when the listing is read again
    want.extend(19..30);
    assert_eq!(by_key, want);
    // By count, the new document pushes one delivered document past the
    // skip: delivered twice, as `restart_by_count` says.
    let by_count = run(ExpiryPolicy::restart_by_count());
    assert_eq!(by_count.len(), 21);
    assert_eq!(by_count.iter().filter(|k| **k == 18).count(), 2);
}

#[test]
fn a_key_restart_drops_items_from_the_middle_of_a_page_and_its_token_steps_over_them() {
    // After the restart the first page is [5, 10, 6]: 10 was delivered, 5
    // and 6 are new. The token after 5 must not bring 10 back.
    let server = Server::of((10..20).collect()).with(|s| {
        s.expire_calls = vec![1];
        s.insert_on_expiry = vec![(0, 5), (2, 6)];
    });
    let mut items = listing(&server, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_key(|o: &Obj| o.key))
        .items();
    let mut got = Vec::new();
    let mut tokens = Vec::new();
    while let Some(item) = items.next() {
        got.push(item.unwrap().key);
        tokens.push(items.resume_token());
    }
    assert_eq!(got, [10, 11, 12, 5, 6, 13, 14, 15, 16, 17, 18, 19]);
    let after_5 = tokens[3].clone().unwrap();
    let changed = Server::of([5, 10, 6].into_iter().chain(11..20).collect());
    let rest: Vec<Obj> = listing(&changed, PaginationConfig::default().with_starting_token(after_5))
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    // 10 is stepped over; 11 and 12, delivered before the restart and not
    // reached again yet, come again to a listing that knows no keys, as
    // `restart_by_key` says.
    assert_eq!(keys(&rest), [6, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
}

#[tokio::test(start_paused = true)]
async fn reseek_goes_on_after_the_last_item_delivered() {
    let server = Server::new(11).with(|s| {
        s.expire_calls = vec![2, 3];
        s.lose_all = true;
    });
    let seek = |req: &ListReq, last: Option<&Obj>| {
        Some(ListReq {
            next_token: last.map(|o| format!("after:{}", o.key)),
            ..req.clone()
        })
    };
    let got: Vec<Obj> = async_listing(&server, 0, PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::reseek(seek))
        .item_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys(&got), (0..11).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 1); // "after:" tokens do not expire
}

#[test]
fn a_restart_whose_listing_ends_before_it_caught_up_has_nothing_left_to_resume() {
    // Pages of three; the fourth call's token expires after nine items, and
    // the service has only six left then: the listing again ends at six,
    // three short of where it stood.
    let server = Server::new(12).with(|s| s.expire_calls = vec![3]);
    let client = {
        let server = server.clone();
        move |req: ListReq| {
            let page = server.call(&req);
            if page.is_err() {
                server.0.lock().unwrap().data.truncate(6);
            }
            page
        }
    };
    let mut pages = Listing::new(client, ListReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages();
    let got: Vec<u64> = pages.by_ref().flat_map(|page| keys(&page.unwrap().items)).collect();
    assert_eq!(got, (0..9).collect::<Vec<_>>());
    assert_eq!(server.expiries(), 1);
    // Nothing is left: no token, not the expired one the catch-up held.
    assert_eq!(pages.resume_token(), None);
}

#[test]
fn restarts_are_bounded_a_service_that_expires_every_token_ends_the_listing() {
    for max in [0, 1, 4] {
        // Every token is refused; the first page always comes.
        let server = Server::new(10).with(|s| s.max_uses = Some(0));
        let mut items = listing(&server, PaginationConfig::default())
            .on_expired_token(gone, ExpiryPolicy::restart_by_count().with_max_restarts(max))
            .items();
        let got: Vec<u64> = items.by_ref().map_while(Result::ok).map(|o| o.key).collect();
        assert_eq!(got, [0, 1, 2], "nothing twice, max {max}");
        assert_eq!(server.expiries(), max as usize + 1);
        assert!(items.next().is_none(), "the listing ended");
        // Its token resumes after the items delivered.
        let token = items.resume_token().unwrap();
        let rest: Vec<Obj> = listing(&Server::new(10), PaginationConfig::default().with_starting_token(token))
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys(&rest), (3..10).collect::<Vec<_>>());
    }
}

#[test]
fn a_policy_leaves_the_state_and_the_listing_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let seek = |req: &ListReq, _: Option<&Obj>| Some(req.clone());
    for policy in [
        ExpiryPolicy::restart_by_count(),
        ExpiryPolicy::restart_by_key(|o: &Obj| o.key),
        ExpiryPolicy::reseek(seek),
    ] {
        let state =
            paginate::ListingState::new(ListReq::default(), PaginationConfig::default()).with_expiry_policy(policy);
        send_sync(&state);
    }
    let items = listing(&Server::new(1), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_key(|o: &Obj| o.key))
        .items();
    send_sync(&items);
}

#[derive(Debug, Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = MapPage)]
struct MapReq {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Debug, Paginated)]
struct MapPage {
    #[paginated(result_key)]
    usage: std::collections::BTreeMap<String, u64>,
    #[paginated(output_token = next_token)]
    next_token: Option<String>,
}

#[test]
fn a_key_restart_of_a_map_result_fails_rather_than_deliver_twice() {
    let mut calls = 0;
    let service = |req: MapReq| {
        calls += 1;
        match req.next_token {
            None => Ok(MapPage {
                usage: [("a".to_owned(), 1)].into(),
                next_token: Some("2".into()),
            }),
            Some(_) => Err(ApiError::Gone { fresh: None }),
        }
    };
    let mut pages = Listing::new(service, MapReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_key(|(k, _): &(String, u64)| k.clone()))
        .pages();
    assert!(pages.next().is_some_and(|p| p.is_ok()));
    assert!(matches!(
        pages.next(),
        Some(Err(Error::Service {
            source: ApiError::Gone { .. },
            ..
        }))
    ));
    drop(pages);
    assert_eq!(calls, 2);
}

#[test]
fn a_count_restart_of_a_map_result_drops_the_maps_delivered_whole_and_cuts_none() {
    // Three pages of maps; the third page's token expires once. The
    // restart's first two pages were delivered whole: they come empty.
    let service = |expire: &'static str| {
        let mut refused = false;
        move |req: MapReq| {
            let (usage, next): (&[&str], _) = match req.next_token.as_deref() {
                None => (&["a", "b"], Some("2")),
                Some("2") => (&["c"], Some("3")),
                Some(t) if t == expire && !refused => {
                    refused = true;
                    return Err(ApiError::Gone { fresh: None });
                }
                Some(_) => (&["d", "e"], None),
            };
            Ok(MapPage {
                usage: usage.iter().map(|k| (k.to_string(), 1)).collect(),
                next_token: next.map(str::to_string),
            })
        }
    };
    let pages: Vec<Vec<String>> = Listing::new(service("3"), MapReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages()
        .map(|page| page.unwrap().usage.into_keys().collect())
        .collect();
    let keys = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    assert_eq!(
        pages,
        [keys(&["a", "b"]), keys(&["c"]), keys(&[]), keys(&[]), keys(&["d", "e"])]
    );

    // A restart whose skip would cut into a map (the service's first page
    // grew by one in between) ends the listing as MaxItems there would,
    // rather than deliver the map again.
    let mut grown = false;
    let client = move |req: MapReq| match req.next_token.as_deref() {
        None => {
            let mut usage: std::collections::BTreeMap<String, u64> = [("a".to_owned(), 1)].into();
            if grown {
                usage.insert("0".to_owned(), 1);
            }
            Ok(MapPage {
                usage,
                next_token: Some("2".into()),
            })
        }
        Some(_) if !grown => {
            grown = true;
            Err(ApiError::Gone { fresh: None })
        }
        Some(_) => Ok(MapPage {
            usage: [("b".to_owned(), 1)].into(),
            next_token: None,
        }),
    };
    let mut pages = Listing::new(client, MapReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .pages();
    assert_eq!(pages.next().unwrap().unwrap().usage.len(), 1);
    match pages.next() {
        Some(Err(Error::Listing(paginate::ListingError::Uncuttable { entries: 2, at: 1, .. }))) => {}
        other => panic!("expected the map refused, got {other:?}"),
    }
    assert!(pages.next().is_none());
}

#[test]
fn a_reseek_of_a_map_result_fails_rather_than_seek_from_before_the_first_entry() {
    // A map's entries cannot be told apart one by one: no last item is
    // known to seek after, and `None` would mean "before any".
    type Seen = Arc<Mutex<Vec<Option<(String, u64)>>>>;
    let seeks: Seen = Arc::default();
    let service = |req: MapReq| match req.next_token.as_deref() {
        None => Ok(MapPage {
            usage: [("a".to_owned(), 1)].into(),
            next_token: Some("2".into()),
        }),
        Some("2") => Err(ApiError::Gone { fresh: None }),
        Some(_) => Ok(MapPage {
            usage: [("b".to_owned(), 1)].into(),
            next_token: None,
        }),
    };
    let seek = {
        let seeks = Arc::clone(&seeks);
        move |_: &MapReq, last: Option<&(String, u64)>| {
            seeks.lock().unwrap().push(last.cloned());
            Some(MapReq {
                next_token: last.map(|(k, _)| format!("after:{k}")),
            })
        }
    };
    let mut pages = Listing::new(service, MapReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::reseek(seek))
        .pages();
    assert_eq!(pages.next().unwrap().unwrap().usage.len(), 1);
    assert!(matches!(
        pages.next(),
        Some(Err(Error::Service {
            source: ApiError::Gone { .. },
            ..
        }))
    ));
    drop(pages);
    assert_eq!(*seeks.lock().unwrap(), [], "no seek from before the entry delivered");
}

#[test]
fn a_throttle_is_not_an_expiry() {
    let mut calls = 0;
    let client = |_: ListReq| {
        calls += 1;
        Err::<Page, _>(ApiError::Throttled)
    };
    let mut items = Listing::new(client, ListReq::default(), PaginationConfig::default())
        .on_expired_token(gone, ExpiryPolicy::restart_by_count())
        .items();
    assert!(matches!(
        items.next(),
        Some(Err(Error::Service {
            source: ApiError::Throttled,
            ..
        }))
    ));
    assert!(items.next().is_none());
    drop(items);
    assert_eq!(calls, 1);
}

/// One exactly-once scenario.
#[derive(Debug, Clone)]
struct Scenario {
    items: u64,
    page_size: Option<u64>,
    /// Calls that answer `Gone`.
    expire_calls: Vec<usize>,
    /// `MaxItems` of each run in the resume chain, cycling.
    max_items: Vec<Option<u64>>,
    /// Items each run takes before it stops and hands its resume token on.
    stop_after: Vec<Option<usize>>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0u64..80,
        prop::option::of(1u64..=9),
        prop::collection::vec(0usize..40, 0..6),
        prop::collection::vec(prop::option::of(1u64..25), 1..4),
        prop::collection::vec(prop::option::of(1usize..20), 1..4),
    )
        .prop_map(|(items, page_size, expire_calls, max_items, stop_after)| Scenario {
            items,
            page_size,
            expire_calls,
            max_items,
            stop_after,
        })
}

impl Scenario {
    fn config(&self, run: usize, token: Option<String>) -> PaginationConfig {
        let mut config = PaginationConfig::default();
        if let Some(n) = self.page_size {
            config = config.with_page_size(n);
        }
        if let Some(n) = self.max_items[run % self.max_items.len()] {
            config = config.with_max_items(n);
        }
        if let Some(token) = token {
            config = config.with_starting_token(token);
        }
        config
    }

    fn stop_after(&self, run: usize) -> Option<usize> {
        self.stop_after[run % self.stop_after.len()]
    }

    fn policy(&self) -> ExpiryPolicy<ListReq> {
        ExpiryPolicy::restart_by_count().with_max_restarts(100)
    }
}

/// The blocking chain: each run takes items until its stop, then hands its
/// resume token to the next run.
fn chain_blocking(s: &Scenario) -> Vec<u64> {
    let server = Server::new(s.items).with(|x| x.expire_calls = s.expire_calls.clone());
    let (mut got, mut token, mut run) = (Vec::new(), None, 0);
    loop {
        let mut items = listing(&server, s.config(run, token.take()))
            .on_expired_token(gone, s.policy())
            .items();
        let stop = s.stop_after(run);
        let mut taken = 0;
        while stop.is_none_or(|stop| taken < stop) {
            match items.next() {
                Some(item) => got.push(item.expect("no error").key),
                None => break,
            }
            taken += 1;
        }
        token = items.resume_token();
        run += 1;
        if token.is_none() || run > 200 {
            return got;
        }
    }
}

/// The keys of the next `stop` items of `items` (fewer if it ends first) onto `got`.
async fn take_keys<E: std::fmt::Debug>(
    items: &mut (impl futures::Stream<Item = Result<Obj, E>> + Unpin),
    stop: usize,
    got: &mut Vec<u64>,
) {
    for _ in 0..stop {
        match items.next().await {
            Some(item) => got.push(item.expect("no error").key),
            None => break,
        }
    }
}

/// The async chain, through prefetch or the plain stream by turns.
fn chain_async(s: &Scenario) -> Vec<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = Server::new(s.items).with(|x| x.expire_calls = s.expire_calls.clone());
        let (mut got, mut token, mut run) = (Vec::new(), None, 0);
        loop {
            let listing = async_listing(&server, 0, s.config(run, token.take())).on_expired_token(gone, s.policy());
            let stop = s.stop_after(run).unwrap_or(usize::MAX);
            token = if run % 2 == 0 {
                let mut items = listing.item_stream();
                take_keys(&mut items, stop, &mut got).await;
                items.resume_token()
            } else {
                let mut items = listing.page_stream().prefetch(2).items();
                take_keys(&mut items, stop, &mut got).await;
                items.resume_token()
            };
            run += 1;
            if token.is_none() || run > 200 {
                return got;
            }
        }
    })
}

proptest! {
    #[test]
    fn restart_by_count_delivers_every_item_exactly_once_in_order_across_resume_chains(s in scenario()) {
        let want: Vec<u64> = (0..s.items).collect();
        prop_assert_eq!(chain_blocking(&s), want.clone());
        prop_assert_eq!(chain_async(&s), want);
    }

    #[test]
    fn restart_by_key_delivers_every_item_once_under_random_expiries(
        n in 0u64..60,
        page in 1u64..=7,
        expire_calls in prop::collection::vec(0usize..30, 0..5),
        max_items in prop::option::of(1u64..70),
    ) {
        let server = Server::new(n).with(|x| x.expire_calls = expire_calls.clone());
        let mut config = page_size(page);
        if let Some(max) = max_items {
            config = config.with_max_items(max);
        }
        let got: Vec<Obj> = listing(&server, config)
            .on_expired_token(gone, ExpiryPolicy::restart_by_key(|o: &Obj| o.key).with_max_restarts(100))
            .items()
            .collect::<Result<_, _>>()
            .unwrap();
        let want: Vec<u64> = (0..max_items.map_or(n, |m| m.min(n))).collect();
        prop_assert_eq!(keys(&got), want);
        let distinct: HashSet<u64> = keys(&got).into_iter().collect();
        prop_assert_eq!(distinct.len(), got.len());
    }
}
