//! Errors beyond botocore: service errors carry a resume token, end the
//! iterator and can be retried explicitly; repeated tokens and token cycles stop the listing; bad
//! configurations are typed errors raised before any request is sent.

use futures::executor::block_on;
use futures::{Stream, StreamExt};
use paginate::{
    ConfigError, Error, Listing, ListingError, PaginationConfig, Paginator, RepeatPolicy, ResumeToken, TokenError,
};

const MAX_TOKEN_LEN: usize = ResumeToken::MAX_LEN;
const MAX_TRUNCATE_AMOUNT: u64 = ResumeToken::MAX_TRUNCATE_AMOUNT;

use crate::support::*;

const N: u32 = 23;

/// Calls a clean listing makes (to choose where to inject failures).
fn calls_of(page_size: Option<u64>, max_items: Option<u64>, start: Option<String>) -> usize {
    let svc = Service::new(N);
    let got = drain(
        Listing::new(svc.blocking(), request(), config(page_size, max_items, start)).items(),
        N as usize,
    );
    let _ = got;
    svc.calls()
}

/// A starting point: the items already yielded and the token to resume from,
/// taken after `k` items of a listing with `page_size` (mid-page tokens included).
fn start_after(k: usize, page_size: Option<u64>) -> (Vec<u32>, Option<String>) {
    if k == 0 {
        return (Vec::new(), None);
    }
    let svc = Service::new(N);
    let mut items = Listing::new(svc.blocking(), request(), config(page_size, None, None)).items();
    let before: Vec<u32> = (0..k).map(|_| items.next().unwrap().unwrap().0).collect();
    (before, items.resume_token())
}

/// Outcome of a listing that hit errors.
#[derive(Debug, Default)]
struct Run {
    items: Vec<u32>,
    /// (items yielded before the error, the error's resume token, the iterator's resume token then)
    errors: Vec<(usize, Option<String>, Option<String>)>,
}

impl Run {
    /// Records one step of a listing (the items it yielded, or its error, and
    /// the listing's resume token right after); false once the run is over.
    fn record(
        &mut self,
        step: Option<Result<Vec<u32>, Error<SvcError>>>,
        token: Option<String>,
        stop_at_error: bool,
    ) -> bool {
        match step {
            None => false,
            Some(Ok(items)) => {
                self.items.extend(items);
                true
            }
            Some(Err(Error::Service {
                source: SvcError::Injected { .. },
                resume_token,
            })) => {
                self.errors.push((self.items.len(), resume_token, token));
                !stop_at_error
            }
            Some(Err(e)) => panic!("unexpected error {e:?}"),
        }
    }
}

/// Drives blocking items; on a service error records it and either retries
/// (`stop_at_error == false`) or stops. Without the explicit retry the
/// iterator ends after the error.
fn run_blocking(svc: &Service, cfg: PaginationConfig, stop_at_error: bool) -> Run {
    let mut items = Listing::new(svc.blocking(), request(), cfg).items();
    let mut run = Run::default();
    for _ in 0..1000 {
        let step = items.next().map(|r| r.map(|Item(i)| vec![i]));
        let failed = matches!(step, Some(Err(_)));
        if !run.record(step, items.resume_token(), stop_at_error) {
            return run;
        }
        if failed {
            assert!(items.next().is_none(), "the iterator ends after an error: {run:?}");
            assert!(items.retry(), "a service error can be retried");
        }
    }
    panic!("listing did not end: {run:?}");
}

async fn run_stream<S>(
    mut stream: S,
    resume: impl Fn(&S) -> Option<String>,
    retry: impl Fn(&mut S) -> bool,
    stop_at_error: bool,
) -> Run
where
    S: Stream<Item = Result<Item, Error<SvcError>>> + Unpin,
{
    let mut run = Run::default();
    for _ in 0..1000 {
        let step = stream.next().await.map(|r| r.map(|Item(i)| vec![i]));
        let failed = matches!(step, Some(Err(_)));
        if !run.record(step, resume(&stream), stop_at_error) {
            return run;
        }
        if failed {
            assert!(stream.next().await.is_none(), "the stream ends after an error: {run:?}");
            assert!(retry(&mut stream), "a service error can be retried");
        }
    }
    panic!("stream did not end: {run:?}");
}

/// Async items; same protocol as [`run_blocking`].
async fn run_async(svc: &Service, cfg: PaginationConfig, stop_at_error: bool) -> Run {
    let stream = Listing::new(svc.asynchronous(), request(), cfg).page_stream().items();
    run_stream(stream, |s| s.resume_token(), |s| s.retry(), stop_at_error).await
}

/// Async pages flattened to items (the PageStream's own resume token is checked).
async fn run_async_pages(svc: &Service, cfg: PaginationConfig, stop_at_error: bool) -> Run {
    let mut pages = Listing::new(svc.asynchronous(), request(), cfg).page_stream();
    let mut run = Run::default();
    for _ in 0..1000 {
        let step = pages
            .next()
            .await
            .map(|r| r.map(|page| page.items.into_iter().map(|Item(i)| i).collect()));
        let failed = matches!(step, Some(Err(_)));
        if !run.record(step, pages.resume_token(), stop_at_error) {
            return run;
        }
        if failed {
            assert!(pages.next().await.is_none(), "the stream ends after an error: {run:?}");
            assert!(pages.retry(), "a service error can be retried");
        }
    }
    panic!("stream did not end: {run:?}");
}

#[derive(Clone, Copy, Debug)]
enum Driver {
    BlockingItems,
    AsyncItems,
    AsyncPages,
}

fn run(driver: Driver, svc: &Service, cfg: PaginationConfig, stop_at_error: bool) -> Run {
    match driver {
        Driver::BlockingItems => run_blocking(svc, cfg, stop_at_error),
        Driver::AsyncItems => block_on(run_async(svc, cfg, stop_at_error)),
        Driver::AsyncPages => block_on(run_async_pages(svc, cfg, stop_at_error)),
    }
}

const DRIVERS: [Driver; 3] = [Driver::BlockingItems, Driver::AsyncItems, Driver::AsyncPages];

// ---------------------------------------------------------------------------
// 2. Service errors mid-listing.
// ---------------------------------------------------------------------------

/// Fail every call in turn (first, middle, last), in listings started from
/// every item position (so also mid-page, after items of earlier pages were
/// consumed): (a) `retry` after the error sends the same request again and the listing
/// completes with every item exactly once; (b) a new listing from the error's
/// resume token yields exactly the items not yet yielded.
#[test]
fn service_error_at_every_call_from_every_position() {
    let mut cases = 0;
    for page_size in [None, Some(3), Some(7)] {
        for max_items in [None, Some(5)] {
            for k in 0..=N as usize {
                let (before, start) = start_after(k, page_size);
                if k > 0 && start.is_none() {
                    continue;
                }
                let expected_tail = |m: Option<u64>| -> Vec<u32> {
                    let rest: Vec<u32> = (k as u32..N).collect();
                    rest[..m.map_or(rest.len(), |m| (m as usize).min(rest.len()))].to_vec()
                };
                let calls = calls_of(page_size, max_items, start.clone());
                for fail in 0..calls {
                    for driver in DRIVERS {
                        let ctx =
                            format!("{driver:?} page_size={page_size:?} max_items={max_items:?} k={k} fail={fail}");
                        let cfg = config(page_size, max_items, start.clone());

                        // (a) retry in place.
                        let svc = Service::new(N).fail_calls([fail]);
                        let got = run(driver, &svc, cfg.clone(), false);
                        assert_eq!(got.errors.len(), 1, "{ctx}: {got:?}");
                        assert_eq!(got.items, expected_tail(max_items), "{ctx}: retry");
                        let tokens = svc.tokens();
                        assert_eq!(tokens.len(), calls + 1, "{ctx}: one extra call, the retry");
                        assert_eq!(
                            tokens[fail],
                            tokens[fail + 1],
                            "{ctx}: the retry sends the same request"
                        );
                        let (_, error_token, iter_token) = &got.errors[0];
                        assert!(error_token.is_some(), "{ctx}: a service error carries a resume token");
                        assert_eq!(error_token, iter_token, "{ctx}: the iterator agrees with the error");

                        // (b) a new listing from the error's token.
                        let svc = Service::new(N).fail_calls([fail]);
                        let got = run(driver, &svc, cfg, true);
                        let (yielded, error_token, _) = got.errors[0].clone();
                        assert_eq!(yielded, got.items.len());
                        let fresh = Service::new(N);
                        let rest = drain(
                            Listing::new(
                                fresh.blocking(),
                                request(),
                                config(page_size, None, error_token.clone()),
                            )
                            .items(),
                            N as usize,
                        );
                        assert_eq!(
                            concat(&concat(&before, &got.items), &rest),
                            all(N),
                            "{ctx}: resumed from {error_token:?}"
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert!(cases > 500, "only {cases} cases ran");
}

/// Several failures in a row, including repeated failures of the same
/// request: each retry resends the same request, nothing is lost or repeated.
#[test]
fn repeated_failures_are_retried_until_success() {
    for driver in DRIVERS {
        let svc = Service::new(N).fail_calls([0, 1, 2, 4, 5, 9]);
        let got = run(driver, &svc, config(Some(3), None, None), false);
        assert_eq!(got.items, all(N), "{driver:?}");
        assert_eq!(got.errors.len(), 6, "{driver:?}");
        let tokens = svc.tokens();
        assert_eq!(tokens[..4], [None, None, None, None], "{driver:?}");
        assert_eq!(
            tokens[4..7],
            [
                Some("cursor-003".to_owned()),
                Some("cursor-003".to_owned()),
                Some("cursor-003".to_owned())
            ]
        );
        // The error token of the first failures is the listing's start.
        assert_eq!(
            got.errors[0].1.as_deref().map(token_text).as_deref(),
            Some(r#"{"NextToken": null}"#)
        );
        assert_eq!(
            got.errors[3].1.as_deref().map(token_text).as_deref(),
            Some(r#"{"NextToken": "cursor-003"}"#)
        );
    }
}

/// A listing resumed mid-page whose first call fails: the error's token is the
/// starting token itself (truncate amount kept), and a retry still skips the
/// items already handed out.
#[test]
fn first_call_of_a_mid_page_resume_fails() {
    let start = make_token(r#"{"NextToken": "cursor-006", "boto_truncate_amount": 2}"#);
    for driver in DRIVERS {
        let svc = Service::new(N).fail_calls([0]);
        let got = run(driver, &svc, config(Some(5), None, Some(start.clone())), false);
        assert_eq!(got.errors[0].1.as_deref(), Some(start.as_str()), "{driver:?}");
        assert_eq!(got.items, (8..N).collect::<Vec<_>>(), "{driver:?}");
    }
}

/// The request's other fields and the page size are sent unchanged on the
/// retry and on every later page.
#[test]
fn retries_resend_the_whole_request() {
    let svc = Service::new(N).fail_calls([2]);
    let got = run_blocking(&svc, config(Some(7), None, None), false);
    assert_eq!(got.items, all(N));
    for seen in svc.log() {
        assert_eq!((seen.owner.as_str(), seen.limit), ("alice", Some(7)));
    }
}

// ---------------------------------------------------------------------------
// 3. Repeated tokens and cycles.
// ---------------------------------------------------------------------------

fn pages_blocking(
    svc: &Service,
    cfg: PaginationConfig,
    policy: RepeatPolicy,
) -> (Vec<Vec<u32>>, Option<Error<SvcError>>) {
    let mut pages = Paginator::new(svc.blocking())
        .paginate(request(), cfg.with_repeat_policy(policy))
        .pages();
    let mut out = Vec::new();
    for _ in 0..100 {
        match pages.next() {
            None => return (out, None),
            Some(Ok(page)) => out.push(page.items.into_iter().map(|Item(i)| i).collect()),
            Some(Err(e)) => {
                assert!(pages.next().is_none(), "the listing is over after {e:?}");
                return (out, Some(e));
            }
        }
    }
    panic!("listing did not end: {out:?}");
}

fn pages_async(svc: &Service, cfg: PaginationConfig, policy: RepeatPolicy) -> (Vec<Vec<u32>>, Option<Error<SvcError>>) {
    block_on(async {
        let listing = Listing::new(svc.asynchronous(), request(), cfg.with_repeat_policy(policy));
        let mut pages = Box::pin(listing.page_stream());
        let mut out = Vec::new();
        for _ in 0..100 {
            match pages.next().await {
                None => return (out, None),
                Some(Ok(page)) => out.push(page.items.into_iter().map(|Item(i)| i).collect()),
                Some(Err(e)) => {
                    assert!(pages.next().await.is_none(), "the stream is over after {e:?}");
                    return (out, Some(e));
                }
            }
        }
        panic!("stream did not end: {out:?}");
    })
}

fn items_of(pages: &[Vec<u32>]) -> Vec<u32> {
    pages.concat()
}

#[test]
fn repeated_token_is_an_error_after_its_page() {
    for policy in [RepeatPolicy::RejectCycles, RepeatPolicy::RejectImmediateRepeat] {
        for asynchronous in [false, true] {
            let ctx = format!("{policy:?} async={asynchronous}");
            // The page at offset 3 hands back "cursor-003", the token it was requested with.
            let svc = Service::new(N).stuck_at(3);
            let cfg = config(Some(3), None, None);
            let (pages, error) = if asynchronous {
                pages_async(&svc, cfg, policy)
            } else {
                pages_blocking(&svc, cfg, policy)
            };
            assert_eq!(
                pages,
                [vec![0, 1, 2], vec![3, 4, 5]],
                "{ctx}: the page carrying the token is yielded"
            );
            match error {
                Some(Error::Listing(ListingError::RepeatedToken { tokens })) => {
                    assert_eq!(tokens, "{'NextToken': 'cursor-003'}", "{ctx}")
                }
                other => panic!("{ctx}: expected RepeatedToken, got {other:?}"),
            }
            assert_eq!(svc.calls(), 2, "{ctx}: no request is sent with the repeated token");
        }
    }
    // Items see the same: all items of the page, then the error.
    let svc = Service::new(N).stuck_at(3);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(3), None, None)).items();
    let got: Vec<u32> = (0..6).map(|_| items.next().unwrap().unwrap().0).collect();
    assert_eq!(got, [0, 1, 2, 3, 4, 5]);
    assert!(matches!(
        items.next(),
        Some(Err(Error::Listing(ListingError::RepeatedToken { .. })))
    ));
    assert!(items.next().is_none());
    assert_eq!(svc.calls(), 2);
}

#[test]
fn token_cycle_is_an_error_under_the_default_policy() {
    for asynchronous in [false, true] {
        // Tokens received: cursor-003 (A), cursor-006 (B), cursor-003 (A) again.
        let svc = Service::new(N).cycle(6, 3);
        let cfg = config(Some(3), None, None);
        let policy = RepeatPolicy::default();
        let (pages, error) = if asynchronous {
            pages_async(&svc, cfg, policy)
        } else {
            pages_blocking(&svc, cfg, policy)
        };
        assert_eq!(items_of(&pages), (0..9).collect::<Vec<_>>(), "async={asynchronous}");
        match error {
            Some(Error::Listing(ListingError::TokenCycle { tokens })) => {
                assert_eq!(tokens, "{'NextToken': 'cursor-003'}")
            }
            other => panic!("async={asynchronous}: expected TokenCycle, got {other:?}"),
        }
        assert_eq!(svc.calls(), 3, "async={asynchronous}: the cycle is not entered");
    }
    // A longer cycle A→B→C→D→A, and one entered from a starting token: both end.
    let svc = Service::new(N).cycle(12, 3);
    let (pages, error) = pages_blocking(&svc, config(Some(3), None, None), RepeatPolicy::RejectCycles);
    assert_eq!(items_of(&pages), (0..15).collect::<Vec<_>>());
    assert!(
        matches!(error, Some(Error::Listing(ListingError::TokenCycle { .. }))),
        "{error:?}"
    );
    let svc = Service::new(N).cycle(9, 6);
    let start = Some(make_token(r#"{"NextToken": "cursor-006"}"#));
    let (_pages, error) = pages_blocking(&svc, config(Some(3), None, start), RepeatPolicy::RejectCycles);
    assert!(
        matches!(
            error,
            Some(Error::Listing(ListingError::TokenCycle { .. }) | Error::Listing(ListingError::RepeatedToken { .. }))
        ),
        "{error:?}"
    );
    assert!(svc.calls() <= 4, "{} calls", svc.calls());
}

#[test]
fn token_cycle_is_followed_under_reject_immediate_repeat_and_allow() {
    for policy in [RepeatPolicy::RejectImmediateRepeat, RepeatPolicy::Allow] {
        for asynchronous in [false, true] {
            let ctx = format!("{policy:?} async={asynchronous}");
            let svc = Service::new(N).cycle(6, 3);
            // MaxItems bounds the otherwise endless listing.
            let cfg = config(Some(3), Some(17), None);
            let (pages, error) = if asynchronous {
                pages_async(&svc, cfg, policy)
            } else {
                pages_blocking(&svc, cfg, policy)
            };
            assert!(error.is_none(), "{ctx}: {error:?}");
            let expected: Vec<u32> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 3, 4, 5, 6, 7, 8, 3, 4].to_vec();
            assert_eq!(items_of(&pages), expected, "{ctx}");
            assert_eq!(svc.calls(), 6, "{ctx}");
        }
    }
}

#[test]
fn repeated_token_is_followed_under_allow() {
    for asynchronous in [false, true] {
        let svc = Service::new(N).stuck_at(3);
        let cfg = config(Some(3), Some(11), None);
        let (pages, error) = if asynchronous {
            pages_async(&svc, cfg, RepeatPolicy::Allow)
        } else {
            pages_blocking(&svc, cfg, RepeatPolicy::Allow)
        };
        assert!(error.is_none(), "{error:?}");
        assert_eq!(
            items_of(&pages),
            [0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4],
            "async={asynchronous}"
        );
        assert_eq!(
            svc.tokens()[1..],
            [
                Some("cursor-003".to_owned()),
                Some("cursor-003".to_owned()),
                Some("cursor-003".to_owned())
            ]
        );
    }
}

// ---------------------------------------------------------------------------
// 4. Bad input: a typed error before any request is sent.
// ---------------------------------------------------------------------------

/// Checks that every way of running the listing refuses `cfg` with an error
/// matching `check`, sends no request, and then ends.
fn assert_refused(cfg: PaginationConfig, check: impl Fn(&ConfigError) -> bool) {
    let ctx = format!("{cfg:?}");
    let config_error = |e: &Error<SvcError>| match e {
        Error::Listing(ListingError::Config(c)) => check(c),
        _ => false,
    };
    // Blocking pages.
    let svc = Service::new(N);
    let mut pages = Listing::new(svc.blocking(), request(), cfg.clone()).pages();
    match pages.next() {
        Some(Err(e)) => assert!(config_error(&e), "{ctx}: wrong error {e:?}"),
        other => panic!("{ctx}: expected a config error, got {other:?}"),
    }
    assert!(pages.next().is_none(), "{ctx}: the listing ends after a config error");
    assert_eq!(pages.resume_token(), None, "{ctx}");
    assert_eq!(svc.calls(), 0, "{ctx}: no request");
    // Blocking items.
    let svc = Service::new(N);
    let mut items = Listing::new(svc.blocking(), request(), cfg.clone()).items();
    match items.next() {
        Some(Err(e)) => assert!(config_error(&e), "{ctx}: wrong error {e:?}"),
        other => panic!("{ctx}: expected a config error, got {other:?}"),
    }
    assert!(items.next().is_none(), "{ctx}");
    assert_eq!(svc.calls(), 0, "{ctx}: no request");
    // Full result, blocking and async.
    let svc = Service::new(N);
    match Listing::new(svc.blocking(), request(), cfg.clone()).full_result() {
        Err(e) => assert!(config_error(&e), "{ctx}: wrong error {e:?}"),
        Ok(full) => panic!("{ctx}: expected a config error, got {} items", full.result.items.len()),
    }
    let svc = Service::new(N);
    match block_on(Listing::new(svc.asynchronous(), request(), cfg.clone()).full_result_async()) {
        Err(e) => assert!(config_error(&e), "{ctx}: wrong error {e:?}"),
        Ok(full) => panic!("{ctx}: expected a config error, got {} items", full.result.items.len()),
    }
    assert_eq!(svc.calls(), 0, "{ctx}: no request");
    // Async items.
    let svc = Service::new(N);
    block_on(async {
        let mut items = Box::pin(
            Listing::new(svc.asynchronous(), request(), cfg.clone())
                .page_stream()
                .items(),
        );
        match items.next().await {
            Some(Err(e)) => assert!(config_error(&e), "{ctx}: wrong error {e:?}"),
            other => panic!("{ctx}: expected a config error, got {other:?}"),
        }
        assert!(items.next().await.is_none(), "{ctx}");
        assert_eq!(items.resume_token(), None, "{ctx}");
    });
    assert_eq!(svc.calls(), 0, "{ctx}: no request");
}

fn starting(token: impl Into<String>) -> PaginationConfig {
    PaginationConfig::default().with_starting_token(token)
}

fn token_error(check: impl Fn(&TokenError) -> bool) -> impl Fn(&ConfigError) -> bool {
    move |e| matches!(e, ConfigError::StartingToken(t) if check(t))
}

#[test]
fn empty_token_is_refused() {
    assert_refused(starting(""), token_error(|t| matches!(t, TokenError::Empty)));
}

#[test]
fn oversized_token_is_refused() {
    assert_eq!(MAX_TOKEN_LEN, 64 * 1024);
    let long = "x".repeat(MAX_TOKEN_LEN + 1);
    assert_refused(
        starting(long),
        token_error(
            |t| matches!(t, TokenError::TooLong { len, max } if *len == MAX_TOKEN_LEN + 1 && *max == MAX_TOKEN_LEN),
        ),
    );
    // A valid botocore token padded with JSON whitespace beyond the limit is refused too.
    let padded = make_token(&format!(
        r#"{{"NextToken": "cursor-003"{}}}"#,
        " ".repeat(MAX_TOKEN_LEN)
    ));
    assert_refused(
        starting(padded),
        token_error(|t| matches!(t, TokenError::TooLong { .. })),
    );
    // Exactly at the limit, a raw token is passed through to the service.
    let svc = Service::new(N);
    let at_limit = "x".repeat(MAX_TOKEN_LEN);
    let mut items = Listing::new(svc.blocking(), request(), starting(at_limit.clone())).items();
    assert!(matches!(items.next(), Some(Err(Error::Service { source: SvcError::BadToken(t), .. })) if t == at_limit));
    assert_eq!(svc.tokens(), [Some(at_limit)]);
}

#[test]
fn unknown_keys_are_refused() {
    for json in [
        r#"{"Marker": "cursor-003"}"#,
        r#"{"NextToken": "cursor-003", "Marker": "x"}"#,
        r#"{"NextToken": "cursor-003", "boto_truncate_amount": 1, "nexttoken": "x"}"#,
    ] {
        assert_refused(
            starting(make_token(json)),
            token_error(|t| matches!(t, TokenError::UnknownKey { key, .. } if key == "Marker" || key == "nexttoken")),
        );
    }
}

#[test]
fn wrongly_typed_token_values_are_refused() {
    for value in ["5", "true", r#"["cursor-003"]"#, r#"{"a": "cursor-003"}"#] {
        let json = format!(r#"{{"NextToken": {value}}}"#);
        assert_refused(
            starting(make_token(&json)),
            token_error(|t| matches!(t, TokenError::InvalidValue { key, .. } if key == "NextToken")),
        );
    }
}

#[test]
fn bad_truncate_amounts_are_refused() {
    let huge = (MAX_TRUNCATE_AMOUNT + 1).to_string();
    for amount in [
        "-1",
        "1.5",
        "2.0",
        "1e3",
        "99999999999999999999999",
        huge.as_str(),
        r#""3""#,
        "null",
        "[1]",
        "true",
    ] {
        let json = format!(r#"{{"NextToken": "cursor-003", "boto_truncate_amount": {amount}}}"#);
        assert_refused(
            starting(make_token(&json)),
            token_error(|t| matches!(t, TokenError::InvalidTruncateAmount { .. })),
        );
    }
    // The legacy format checks its count too.
    assert_refused(
        starting("cursor-003___-2"),
        token_error(|t| matches!(t, TokenError::InvalidTruncateAmount { .. })),
    );
    // The largest accepted amount is accepted (and skips every item there is).
    let svc = Service::new(N);
    let json = format!(r#"{{"NextToken": "cursor-003", "boto_truncate_amount": {MAX_TRUNCATE_AMOUNT}}}"#);
    let got = drain(
        Listing::new(
            svc.blocking(),
            request(),
            config(Some(3), None, Some(make_token(&json))),
        )
        .items(),
        N as usize,
    );
    assert_eq!(got, Vec::<u32>::new());
}

#[test]
fn legacy_token_with_too_many_parts_is_refused() {
    assert_refused(
        starting("a___b___c"),
        token_error(|t| matches!(t, TokenError::TooManyParts { parts: 3, expected: 1 })),
    );
    assert_refused(
        starting("cursor-003___x___y___7"),
        token_error(|t| matches!(t, TokenError::TooManyParts { parts: 4, expected: 1 })),
    );
    // A legacy token of the right shape works: token, then the item count.
    let svc = Service::new(N);
    let got = drain(
        Listing::new(
            svc.blocking(),
            request(),
            config(Some(3), None, Some("cursor-003___2".into())),
        )
        .items(),
        N as usize,
    );
    assert_eq!(got, (5..N).collect::<Vec<_>>());
    assert_eq!(svc.tokens()[0].as_deref(), Some("cursor-003"));
}

#[test]
fn page_size_outside_the_declared_range_is_refused() {
    for page_size in [0, 101, 1000, u64::MAX] {
        assert_refused(
            PaginationConfig::default().with_page_size(page_size),
            |e| matches!(e, ConfigError::PageSizeOutOfRange { page_size: p, limit_key: "MaxResults", range } if *p == page_size && range == "1..=100"),
        );
    }
    // The bounds themselves are accepted and sent.
    for page_size in [1, 100] {
        let svc = Service::new(N);
        let got = drain(
            Listing::new(svc.blocking(), request(), config(Some(page_size), None, None)).items(),
            N as usize,
        );
        assert_eq!(got, all(N));
        assert_eq!(svc.log()[0].limit, Some(page_size));
    }
    // A bad page size is reported even with a valid starting token.
    assert_refused(
        config(Some(0), None, Some(make_token(r#"{"NextToken": "cursor-003"}"#))),
        |e| matches!(e, ConfigError::PageSizeOutOfRange { .. }),
    );
}

#[test]
fn page_size_without_a_limit_key_is_refused() {
    let svc = Service::new(N);
    let mut pages = Listing::new(
        svc.no_limit(),
        NoLimitReq::default(),
        PaginationConfig::default().with_page_size(5),
    )
    .pages();
    assert!(matches!(
        pages.next(),
        Some(Err(Error::Listing(ListingError::Config(
            ConfigError::PageSizeNotSupported
        ))))
    ));
    assert!(pages.next().is_none());
    let result = block_on(
        Listing::new(
            svc.no_limit_async(),
            NoLimitReq::default(),
            PaginationConfig::default().with_page_size(5),
        )
        .full_result_async(),
    );
    assert!(
        matches!(
            result,
            Err(Error::Listing(ListingError::Config(ConfigError::PageSizeNotSupported)))
        ),
        "{result:?}"
    );
    assert_eq!(svc.calls(), 0);
    // Without PageSize the operation lists fine.
    let got = drain(
        Listing::new(svc.no_limit(), NoLimitReq::default(), PaginationConfig::default()).items(),
        N as usize,
    );
    assert_eq!(got, all(N));
}

#[test]
fn page_size_too_large_for_the_limit_type_is_refused() {
    for page_size in [256, 1 << 40, u64::MAX] {
        let svc = Service::new(N);
        let cfg = PaginationConfig::default().with_page_size(page_size);
        let mut items = Listing::new(svc.small_limit(), SmallLimitReq::default(), cfg.clone()).items();
        match items.next() {
            Some(Err(Error::Listing(ListingError::Config(ConfigError::PageSizeOutOfRange {
                page_size: p,
                limit_key: "Limit",
                ..
            })))) => {
                assert_eq!(p, page_size)
            }
            other => panic!("page_size={page_size}: expected PageSizeOutOfRange, got {other:?}"),
        }
        assert!(items.next().is_none());
        let result = block_on(Listing::new(svc.small_limit_async(), SmallLimitReq::default(), cfg).full_result_async());
        assert!(
            matches!(
                result,
                Err(Error::Listing(ListingError::Config(
                    ConfigError::PageSizeOutOfRange { .. }
                )))
            ),
            "{result:?}"
        );
        assert_eq!(svc.calls(), 0, "page_size={page_size}");
    }
    // 255 fits in a u8 and is sent.
    let svc = Service::new(N);
    let got = drain(
        Listing::new(
            svc.small_limit(),
            SmallLimitReq::default(),
            PaginationConfig::default().with_page_size(255),
        )
        .items(),
        N as usize,
    );
    assert_eq!(got, all(N));
    assert_eq!(svc.log()[0].limit, Some(255));
}

/// A token that is neither botocore JSON nor a legacy token is a raw service
/// token: it goes to the service unchanged as the first input token.
#[test]
fn raw_tokens_reach_the_service_unchanged() {
    // One the service knows.
    for asynchronous in [false, true] {
        let svc = Service::new(N);
        let cfg = config(Some(3), None, Some("cursor-004".into()));
        let got = if asynchronous {
            block_on(async {
                let stream = Listing::new(svc.asynchronous(), request(), cfg).page_stream().items();
                let mut stream = Box::pin(stream);
                let mut got = Vec::new();
                while let Some(item) = stream.next().await {
                    got.push(item.unwrap().0);
                }
                got
            })
        } else {
            drain(Listing::new(svc.blocking(), request(), cfg).items(), N as usize)
        };
        assert_eq!(got, (4..N).collect::<Vec<_>>(), "async={asynchronous}");
        assert_eq!(svc.tokens()[0].as_deref(), Some("cursor-004"), "async={asynchronous}");
    }
    // Strange ones, including text that looks a little like base64 or a legacy
    // token: sent byte for byte (the service then refuses them).
    for raw in [
        "AAErDpBLUxWnEhwCigqH6ki1SsDKvyY1YCbX17XymFAH2wAAAAF",
        "a/b+c==",
        "eyJ4Ijog",
        "abc___x",
        "  spaced token  ",
        "{\"NextToken\": \"cursor-003\"}",
        "\u{e9}t\u{e9}",
    ] {
        let svc = Service::new(N);
        let mut items = Listing::new(svc.blocking(), request(), starting(raw)).items();
        match items.next() {
            Some(Err(Error::Service {
                source: SvcError::BadToken(t),
                resume_token,
            })) => {
                assert_eq!(t, raw);
                assert!(resume_token.is_some(), "{raw:?}");
            }
            other => panic!("{raw:?}: expected the service to refuse it, got {other:?}"),
        }
        assert_eq!(svc.tokens(), [Some(raw.to_owned())], "{raw:?}");
    }
}

// ---------------------------------------------------------------------------
// 5. A failing service is not called again unless asked.
// ---------------------------------------------------------------------------

/// The idioms that skip errors (`filter_map(Result::ok)`, `flatten`) against
/// a service that fails its first 50 calls: every driver makes one call and
/// ends, with the error's token left to resume from; none calls on until the
/// service recovers.
#[test]
fn skipping_errors_ends_after_one_failed_call_in_every_driver() {
    let failing = || Service::new(N).fail_calls(0..50);
    let cfg = || config(Some(3), None, None);

    let svc = failing();
    let got: Vec<Item> = Listing::new(svc.blocking(), request(), cfg())
        .items()
        .filter_map(Result::ok)
        .collect();
    assert_eq!((got.len(), svc.calls()), (0, 1), "blocking items");

    let svc = failing();
    let got = Listing::new(svc.blocking(), request(), cfg()).pages().flatten().count();
    assert_eq!((got, svc.calls()), (0, 1), "blocking pages");

    let svc = failing();
    let stream = Listing::new(svc.asynchronous(), request(), cfg()).page_stream().items();
    let got = block_on(stream.filter_map(|r| futures::future::ready(r.ok())).count());
    assert_eq!((got, svc.calls()), (0, 1), "async items");

    let svc = failing();
    let stream = Listing::new(svc.asynchronous(), request(), cfg()).page_stream();
    let got = block_on(stream.filter_map(|r| futures::future::ready(r.ok())).count());
    assert_eq!((got, svc.calls()), (0, 1), "async pages");

    let svc = failing();
    let listings = (0..3)
        .map(|_| Listing::new(svc.asynchronous(), request(), cfg()))
        .collect();
    let set = paginate::FanOut::new(listings, 3, None);
    let got = block_on(set.filter_map(|r| futures::future::ready(r.ok())).count());
    assert!(
        got == 0 && svc.calls() <= 3,
        "fan-out: {got} items, {} calls",
        svc.calls()
    );
}

/// After the error, `retry` sends the failed request again and the listing
/// completes; `retry` with nothing to retry says so and changes nothing.
#[test]
fn retry_after_an_error_completes_the_listing() {
    let svc = Service::new(N).fail_calls([1]);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(5), None, None)).items();
    assert!(!items.retry(), "nothing to retry yet");
    let first: Vec<u32> = items.by_ref().map_while(Result::ok).map(|Item(i)| i).collect();
    assert_eq!(first, (0..5).collect::<Vec<_>>());
    assert!(items.next().is_none());
    assert!(items.retry());
    assert!(!items.retry(), "one retry per error");
    let rest: Vec<u32> = items.map(|r| r.expect("no more errors").0).collect();
    assert_eq!(concat(&first, &rest), all(N));
    assert_eq!(svc.calls(), 6);
}

/// A fan-out whose listing fails gives nothing more, not even the other
/// listings' items, until `retry`; then every item comes exactly once.
#[test]
fn a_fan_out_halts_at_an_error_until_retry() {
    let svc = Service::new(N).fail_calls([3]);
    let listings = (0..3)
        .map(|_| Listing::new(svc.asynchronous(), request(), config(Some(4), None, None)))
        .collect();
    let mut set = paginate::FanOut::new(listings, 2, None);
    let mut got = Vec::new();
    let mut errors = 0;
    block_on(async {
        loop {
            match set.next().await {
                Some(Ok((index, Item(i)))) => got.push((index, i)),
                Some(Err(e)) => {
                    assert!(e.is_service(), "{e:?}");
                    errors += 1;
                    assert!(set.next().await.is_none(), "the set ends after an error");
                    assert!(set.retry());
                }
                None => break,
            }
        }
    });
    assert_eq!(errors, 1);
    for index in 0..3 {
        let items: Vec<u32> = got.iter().filter(|(l, _)| *l == index).map(|(_, i)| *i).collect();
        assert_eq!(items, all(N), "listing {index}");
    }
}

/// Prefetch follows the same rule, and takes any depth a caller computes
/// (`usize::MAX` panicked inside tokio's channel).
#[cfg(feature = "prefetch")]
#[test]
fn prefetch_ends_at_an_error_until_retry_at_any_depth() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let svc = Service::new(N).fail_calls(0..50);
        let stream = Listing::new(svc.asynchronous(), request(), config(Some(3), None, None))
            .page_stream()
            .prefetch(usize::MAX)
            .items();
        let got = stream.filter_map(|r| futures::future::ready(r.ok())).count().await;
        assert_eq!((got, svc.calls()), (0, 1), "prefetched items");

        for depth in [0, 1, 3, usize::MAX] {
            let svc = Service::new(N).fail_calls([2, 3]);
            let mut items = Listing::new(svc.asynchronous(), request(), config(Some(4), None, None))
                .page_stream()
                .prefetch(depth)
                .items();
            let mut got = Vec::new();
            let mut errors = 0;
            loop {
                match items.next().await {
                    Some(Ok(Item(i))) => got.push(i),
                    Some(Err(e)) => {
                        assert!(e.is_service(), "{e:?}");
                        errors += 1;
                        assert!(
                            items.next().await.is_none(),
                            "depth {depth}: the stream ends after an error"
                        );
                        assert!(items.retry());
                    }
                    None => break,
                }
            }
            assert_eq!((got, errors), (all(N), 2), "depth {depth}");
        }
    });
}

/// Each cause of an error is told once in its chain: an error whose source
/// is `source()` does not repeat it in its own message.
#[test]
fn an_error_chain_tells_each_cause_once() {
    fn check(error: &(dyn std::error::Error + 'static)) -> String {
        let mut line = error.to_string();
        let mut current = error;
        while let Some(cause) = current.source() {
            let (outer, inner) = (current.to_string(), cause.to_string());
            assert!(!outer.contains(&inner), "{outer:?} repeats its source {inner:?}");
            line.push_str(": ");
            line.push_str(&inner);
            current = cause;
        }
        line
    }
    let service: Error<std::io::Error> = Error::Service {
        source: std::io::Error::other("connection reset"),
        resume_token: None,
    };
    assert_eq!(check(&service), "the service call failed: connection reset");

    let svc = Service::new(N);
    let bad_value = config(None, None, Some(make_token(r#"{"NextToken": 5}"#)));
    let error = Listing::new(svc.blocking(), request(), bad_value)
        .pages()
        .next()
        .and_then(Result::err)
        .expect("the starting token is refused");
    let Error::Listing(stop) = error else {
        panic!("a listing error: {error:?}");
    };
    let line = check(&stop);
    assert!(
        line.starts_with("invalid StartingToken: the starting token's value for NextToken"),
        "{line}"
    );
    assert_eq!(line.matches("invalid type").count(), 1, "{line}");
}

/// A page stream that gave a service error keeps it when it becomes a
/// prefetching stream, as when it becomes a parallel one: the new stream
/// ends until `retry`, which sends the failed request again.
#[cfg(feature = "prefetch")]
#[test]
fn a_page_stream_that_failed_is_retried_after_prefetch() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let svc = Service::new(N).fail_calls([1]);
        let mut pages = Listing::new(svc.asynchronous(), request(), config(Some(4), None, None)).page_stream();
        let mut got: Vec<u32> = match pages.next().await {
            Some(Ok(page)) => page.items.into_iter().map(|Item(i)| i).collect(),
            other => panic!("the first page: {other:?}"),
        };
        assert!(pages.next().await.is_some_and(|page| page.is_err()));
        let mut items = pages.prefetch(2).items();
        assert!(items.next().await.is_none(), "the stream ends after an error");
        assert!(items.retry(), "the failed request can be sent again");
        while let Some(item) = items.next().await {
            let Item(i) = item.expect("no more errors");
            got.push(i);
        }
        assert_eq!(got, all(N));
    });
}
