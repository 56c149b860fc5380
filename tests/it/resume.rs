//! Resume tokens beyond botocore: a token can be read after ANY item or page,
//! from the blocking iterators and the async streams alike, and a new listing
//! started from it yields exactly what was not yet yielded (nothing lost,
//! nothing repeated). Tokens stay botocore-shaped.

use futures::executor::block_on;
use futures::{Stream, StreamExt};
use paginate::{Error, Listing, PaginationConfig, Paginator};
use serde_json::Value;

use crate::support::*;

/// Data sizes: empty, one item, a multiple of 3 and 7, and one that is not.
const NS: &[u32] = &[0, 1, 21, 23];
/// `None` is the service's default page (4); 60 is larger than every N.
const PAGE_SIZES: &[Option<u64>] = &[None, Some(1), Some(3), Some(7), Some(60)];
const MAX_ITEMS: &[Option<u64>] = &[None, Some(1), Some(4), Some(5), Some(22), Some(100)];

fn cases() -> impl Iterator<Item = (u32, Option<u64>, Option<u64>)> {
    NS.iter().flat_map(|&n| {
        PAGE_SIZES
            .iter()
            .flat_map(move |&p| MAX_ITEMS.iter().map(move |&m| (n, p, m)))
    })
}

/// How many items a listing of `n` items under MaxItems `m` yields.
fn visible(n: u32, m: Option<u64>) -> usize {
    m.map_or(n as usize, |m| (m as usize).min(n as usize))
}

/// Everything a new blocking listing started from `token` yields (same PageSize, no MaxItems).
fn rest_blocking(n: u32, page_size: Option<u64>, token: Option<String>) -> Vec<u32> {
    match token {
        None => Vec::new(),
        Some(token) => {
            let svc = Service::new(n);
            let listing = Listing::new(svc.blocking(), request(), config(page_size, None, Some(token)));
            drain(listing.items(), n as usize + 1)
        }
    }
}

async fn drain_stream<S>(stream: S, bound: usize) -> Vec<u32>
where
    S: Stream<Item = Result<Item, Error<SvcError>>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut out = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(Item(i)) => out.push(i),
            Err(e) => panic!("unexpected error after {out:?}: {e:?}"),
        }
        assert!(out.len() <= bound, "stream did not end within {bound} items: {out:?}");
    }
    out
}

/// Everything a new async listing started from `token` yields.
async fn rest_async(n: u32, page_size: Option<u64>, token: Option<String>) -> Vec<u32> {
    match token {
        None => Vec::new(),
        Some(token) => {
            let svc = Service::new(n);
            let listing = Listing::new(svc.asynchronous(), request(), config(page_size, None, Some(token)));
            drain_stream(listing.page_stream().items(), n as usize + 1).await
        }
    }
}

// ---------------------------------------------------------------------------
// 1. Resume at every item and every page boundary.
// ---------------------------------------------------------------------------

#[test]
fn blocking_items_resume_at_every_item() {
    let mut checked = 0;
    for (n, page_size, max_items) in cases() {
        for k in 0..=visible(n, max_items) {
            let ctx = format!("n={n} page_size={page_size:?} max_items={max_items:?} k={k}");
            let svc = Service::new(n);
            let mut items = Listing::new(svc.blocking(), request(), config(page_size, max_items, None)).items();
            let mut prefix = Vec::new();
            for _ in 0..k {
                match items.next() {
                    Some(Ok(Item(i))) => prefix.push(i),
                    other => panic!("{ctx}: expected an item, got {other:?}"),
                }
            }
            let token = items.resume_token();
            if k == n as usize && n > 0 {
                assert_eq!(token, None, "{ctx}: nothing is left, so there is no resume token");
            }
            // Reading the token has no side effect: the listing itself carries on.
            let continued = drain(items.by_ref(), n as usize);
            assert_eq!(
                concat(&prefix, &continued),
                all(n)[..visible(n, max_items)],
                "{ctx}: original listing"
            );
            let rest = rest_blocking(n, page_size, token.clone());
            assert_eq!(concat(&prefix, &rest), all(n), "{ctx}: token {token:?}");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} cases ran");
}

#[test]
fn async_items_resume_at_every_item() {
    block_on(async {
        for (n, page_size, max_items) in cases() {
            for k in 0..=visible(n, max_items) {
                let ctx = format!("n={n} page_size={page_size:?} max_items={max_items:?} k={k}");
                let svc = Service::new(n);
                let listing = Listing::new(svc.asynchronous(), request(), config(page_size, max_items, None));
                let mut items = Box::pin(listing.page_stream().items());
                let mut prefix = Vec::new();
                for _ in 0..k {
                    match items.next().await {
                        Some(Ok(Item(i))) => prefix.push(i),
                        other => panic!("{ctx}: expected an item, got {other:?}"),
                    }
                }
                let token = items.resume_token();
                if k == n as usize && n > 0 {
                    assert_eq!(token, None, "{ctx}: nothing is left, so there is no resume token");
                }
                let continued = drain_stream(items.as_mut(), n as usize).await;
                assert_eq!(
                    concat(&prefix, &continued),
                    all(n)[..visible(n, max_items)],
                    "{ctx}: original listing"
                );
                let rest = rest_async(n, page_size, token.clone()).await;
                assert_eq!(concat(&prefix, &rest), all(n), "{ctx}: token {token:?}");
            }
        }
    });
}

#[test]
fn blocking_and_async_item_tokens_are_identical() {
    block_on(async {
        for (n, page_size, max_items) in cases() {
            for k in 0..=visible(n, max_items) {
                let cfg = config(page_size, max_items, None);
                let svc = Service::new(n);
                let mut blocking = Listing::new(svc.blocking(), request(), cfg.clone()).items();
                let svc = Service::new(n);
                let mut stream = Box::pin(Listing::new(svc.asynchronous(), request(), cfg).page_stream().items());
                for _ in 0..k {
                    assert!(matches!(blocking.next(), Some(Ok(_))));
                    assert!(matches!(stream.next().await, Some(Ok(_))));
                }
                assert_eq!(
                    blocking.resume_token(),
                    stream.resume_token(),
                    "n={n} page_size={page_size:?} max_items={max_items:?} k={k}"
                );
            }
        }
    });
}

/// Items of the first `pages` pages yielded, and the resume token then.
fn blocking_pages_prefix(
    n: u32,
    page_size: Option<u64>,
    max_items: Option<u64>,
    pages: usize,
) -> Option<(Vec<u32>, Option<String>, Vec<u32>)> {
    let svc = Service::new(n);
    let mut it = Listing::new(svc.blocking(), request(), config(page_size, max_items, None)).pages();
    let mut prefix = Vec::new();
    for _ in 0..pages {
        match it.next() {
            Some(Ok(page)) => prefix.extend(page.items.into_iter().map(|Item(i)| i)),
            Some(Err(e)) => panic!("unexpected error {e:?}"),
            None => return None,
        }
    }
    let token = it.resume_token();
    let mut continued = Vec::new();
    for page in it.by_ref() {
        continued.extend(page.expect("no error").items.into_iter().map(|Item(i)| i));
    }
    Some((prefix, token, continued))
}

#[test]
fn blocking_pages_resume_at_every_page_boundary() {
    for (n, page_size, max_items) in cases() {
        for pages in 0.. {
            let Some((prefix, token, continued)) = blocking_pages_prefix(n, page_size, max_items, pages) else {
                break;
            };
            let ctx = format!("n={n} page_size={page_size:?} max_items={max_items:?} pages={pages}");
            assert_eq!(
                concat(&prefix, &continued),
                all(n)[..visible(n, max_items)],
                "{ctx}: original listing"
            );
            // Resume with pages, too.
            let rest = match token.clone() {
                None => Vec::new(),
                Some(t) => {
                    let svc = Service::new(n);
                    let it = Listing::new(svc.blocking(), request(), config(page_size, None, Some(t))).pages();
                    it.flat_map(|p| p.expect("no error").items.into_iter().map(|Item(i)| i))
                        .collect()
                }
            };
            assert_eq!(concat(&prefix, &rest), all(n), "{ctx}: token {token:?}");
            assert!(pages <= n as usize + 1, "{ctx}: too many pages");
        }
    }
}

#[test]
fn async_pages_resume_at_every_page_boundary() {
    block_on(async {
        for (n, page_size, max_items) in cases() {
            for pages in 0..=n as usize + 1 {
                let ctx = format!("n={n} page_size={page_size:?} max_items={max_items:?} pages={pages}");
                let svc = Service::new(n);
                let listing = Listing::new(svc.asynchronous(), request(), config(page_size, max_items, None));
                let mut stream = Box::pin(listing.page_stream());
                let mut prefix = Vec::new();
                let mut ended = false;
                for _ in 0..pages {
                    match stream.next().await {
                        Some(Ok(page)) => prefix.extend(page.items.into_iter().map(|Item(i)| i)),
                        Some(Err(e)) => panic!("{ctx}: unexpected error {e:?}"),
                        None => ended = true,
                    }
                }
                if ended {
                    break;
                }
                let token = stream.resume_token();
                let rest = rest_async(n, page_size, token.clone()).await;
                assert_eq!(concat(&prefix, &rest), all(n), "{ctx}: token {token:?}");
                // The original stream carries on.
                let mut continued = Vec::new();
                while let Some(page) = stream.next().await {
                    continued.extend(page.expect("no error").items.into_iter().map(|Item(i)| i));
                }
                assert_eq!(
                    concat(&prefix, &continued),
                    all(n)[..visible(n, max_items)],
                    "{ctx}: original listing"
                );
            }
        }
    });
}

/// boto3's pattern: list with MaxItems, resume from the token with the same
/// MaxItems, until no token is left. Every item exactly once, in order.
#[test]
fn chained_max_items_listings_cover_everything() {
    for &n in NS {
        for &page_size in PAGE_SIZES {
            for m in 1..=8u64 {
                let ctx = format!("n={n} page_size={page_size:?} max_items={m}");
                // Blocking items.
                let mut got = Vec::new();
                let mut token = None;
                for round in 0.. {
                    assert!(round <= n as usize + 1, "{ctx}: too many rounds");
                    let svc = Service::new(n);
                    let mut items =
                        Listing::new(svc.blocking(), request(), config(page_size, Some(m), token.clone())).items();
                    let batch = drain(items.by_ref(), m as usize);
                    assert!(batch.len() as u64 <= m, "{ctx}: MaxItems exceeded");
                    got.extend(batch);
                    token = items.resume_token();
                    if token.is_none() {
                        break;
                    }
                }
                assert_eq!(got, all(n), "{ctx}: blocking items");

                // Blocking full_result.
                let mut got = Vec::new();
                let mut token = None;
                for round in 0.. {
                    assert!(round <= n as usize + 1, "{ctx}: too many rounds");
                    let svc = Service::new(n);
                    let full = Listing::new(svc.blocking(), request(), config(page_size, Some(m), token.clone()))
                        .full_result()
                        .expect("no error");
                    got.extend(full.result.items.iter().map(|Item(i)| *i));
                    token = full.resume_token;
                    if token.is_none() {
                        break;
                    }
                }
                assert_eq!(got, all(n), "{ctx}: full_result");

                // Async full_result.
                let mut got = Vec::new();
                let mut token = None;
                for round in 0.. {
                    assert!(round <= n as usize + 1, "{ctx}: too many rounds");
                    let svc = Service::new(n);
                    let full = block_on(
                        Listing::new(svc.asynchronous(), request(), config(page_size, Some(m), token.clone()))
                            .full_result_async(),
                    )
                    .expect("no error");
                    got.extend(full.result.items.iter().map(|Item(i)| *i));
                    token = full.resume_token;
                    if token.is_none() {
                        break;
                    }
                }
                assert_eq!(got, all(n), "{ctx}: full_result_async");
            }
        }
    }
}

/// Resume after every single item, each time from the token of the previous
/// resumed listing (tokens of tokens: the truncate amount accumulates).
#[test]
fn resume_one_item_at_a_time() {
    for &n in &[1u32, 21, 23] {
        for &page_size in PAGE_SIZES {
            let ctx = format!("n={n} page_size={page_size:?}");
            let mut got = Vec::new();
            let mut token: Option<String> = None;
            let mut first = true;
            while first || token.is_some() {
                first = false;
                assert!(got.len() <= n as usize, "{ctx}: too many items {got:?}");
                let svc = Service::new(n);
                let mut items = Listing::new(svc.blocking(), request(), config(page_size, None, token.clone())).items();
                match items.next() {
                    Some(Ok(Item(i))) => got.push(i),
                    Some(Err(e)) => panic!("{ctx}: {e:?}"),
                    None => {}
                }
                token = items.resume_token();
            }
            assert_eq!(got, all(n), "{ctx}: blocking");

            let mut got = Vec::new();
            let mut token: Option<String> = None;
            let mut first = true;
            block_on(async {
                while first || token.is_some() {
                    first = false;
                    assert!(got.len() <= n as usize, "{ctx}: too many items {got:?}");
                    let svc = Service::new(n);
                    let listing = Listing::new(svc.asynchronous(), request(), config(page_size, None, token.clone()));
                    let mut items = Box::pin(listing.page_stream().items());
                    match items.next().await {
                        Some(Ok(Item(i))) => got.push(i),
                        Some(Err(e)) => panic!("{ctx}: {e:?}"),
                        None => {}
                    }
                    token = items.resume_token();
                }
            });
            assert_eq!(got, all(n), "{ctx}: async");
        }
    }
}

/// Resuming from a mid-page token skips exactly the items already handed out,
/// and only on the first page; it sends the token's value to the service.
#[test]
fn resumed_listing_sends_the_token_and_skips_only_on_the_first_page() {
    let n = 23;
    let probe = Service::new(n);
    let token = make_token(&format!(
        r#"{{"NextToken": "{}", "boto_truncate_amount": 2}}"#,
        probe.token(6)
    ));
    let svc = Service::new(n);
    let got = drain(
        Paginator::new(svc.blocking())
            .paginate(request(), config(Some(3), None, Some(token)))
            .items(),
        n as usize,
    );
    assert_eq!(got, (8..n).collect::<Vec<_>>());
    let log = svc.log();
    assert_eq!(log[0].token.as_deref(), Some("cursor-006"));
    assert!(log.iter().all(|s| s.limit == Some(3) && s.owner == "alice"), "{log:?}");
}

// ---------------------------------------------------------------------------
// A PageStream turned into an ItemStream after some pages were taken
// (supported since the streams are Unpin).
// ---------------------------------------------------------------------------

/// Converting a PageStream whose pages were already taken into an ItemStream
/// must not move the resume position back to the start of the last page:
/// those items were already handed out (as a page).
///
/// Regression test: `PageStream::items` used to leave the shared `consumed`
/// counter at 0, so `ItemStream::resume_token` pointed at the start of the
/// page already yielded until the next page arrived (and for good if the next
/// request failed). It now marks the pages taken so far as fully consumed.
#[test]
fn page_stream_converted_to_items_keeps_its_position() {
    block_on(async {
        let n = 23;
        let svc = Service::new(n);
        let mut pages = Listing::new(svc.asynchronous(), request(), config(Some(3), None, None)).page_stream();
        let first = pages.next().await.expect("a page").expect("no error");
        assert_eq!(first.items, [Item(0), Item(1), Item(2)]);
        let page_token = pages.resume_token();
        assert_eq!(
            page_token.as_deref().map(token_text).as_deref(),
            Some(r#"{"NextToken": "cursor-003"}"#)
        );
        let mut items = pages.items();
        let item_token = items.resume_token();
        let rest = rest_async(n, Some(3), item_token.clone()).await;
        assert_eq!(
            rest,
            (3..n).collect::<Vec<_>>(),
            "resuming from the converted ItemStream's token {:?} repeats the page already yielded",
            item_token.as_deref().map(token_text)
        );
        assert_eq!(
            item_token, page_token,
            "the ItemStream's token points back into the page already yielded"
        );
        // The items themselves continue correctly.
        let continued = drain_stream(&mut items, n as usize).await;
        assert_eq!(continued, (3..n).collect::<Vec<_>>());
    });
}

/// The same conversion when the very next request fails: the ItemStream's
/// token must agree with the error's token.
///
/// Regression test (fixed): see `page_stream_converted_to_items_keeps_its_position`.
#[test]
fn page_stream_converted_to_items_then_error_keeps_its_position() {
    block_on(async {
        let n = 23;
        let svc = Service::new(n).fail_calls([1]);
        let mut pages = Listing::new(svc.asynchronous(), request(), config(Some(3), None, None)).page_stream();
        let _first = pages.next().await.expect("a page").expect("no error");
        let mut items = pages.items();
        let error_token = match items.next().await {
            Some(Err(Error::Service {
                source: SvcError::Injected { call: 1 },
                resume_token,
            })) => resume_token,
            other => panic!("expected the injected error, got {other:?}"),
        };
        assert_eq!(
            error_token.as_deref().map(token_text).as_deref(),
            Some(r#"{"NextToken": "cursor-003"}"#)
        );
        assert_eq!(
            items.resume_token().as_deref().map(token_text),
            error_token.as_deref().map(token_text),
            "the ItemStream's token disagrees with the error's"
        );
    });
}

// ---------------------------------------------------------------------------
// 5. Resume tokens are botocore-shaped.
// ---------------------------------------------------------------------------

#[test]
fn mid_page_tokens_are_botocore_json() {
    let n = 23;
    let svc = Service::new(n);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(5), None, None)).items();
    let before = items.resume_token().expect("a token before anything");
    assert_eq!(token_text(&before), r#"{"NextToken": null}"#);
    items.next().unwrap().unwrap();
    items.next().unwrap().unwrap();
    // Mid first page: the request had no token.
    let t = items.resume_token().expect("a token");
    assert_eq!(token_text(&t), r#"{"NextToken": null, "boto_truncate_amount": 2}"#);
    assert_eq!(t, "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==");
    for _ in 0..3 {
        items.next().unwrap().unwrap();
    }
    // Page boundary: the service's token, no truncate amount.
    let t = items.resume_token().expect("a token");
    assert_eq!(token_text(&t), r#"{"NextToken": "cursor-005"}"#);
    for _ in 0..4 {
        items.next().unwrap().unwrap();
    }
    let t = items.resume_token().expect("a token");
    assert_eq!(
        token_text(&t),
        r#"{"NextToken": "cursor-005", "boto_truncate_amount": 4}"#
    );
    // The JSON really is an object with exactly these keys, in this order.
    let value: Value = serde_json::from_str(&token_text(&t)).unwrap();
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["NextToken", "boto_truncate_amount"]);

    // Resumed 4 items into the page, the one item left ends the page: the next page's token.
    let svc = Service::new(n);
    let mut resumed = Listing::new(svc.blocking(), request(), config(Some(5), None, Some(t))).items();
    assert_eq!(resumed.next().unwrap().unwrap(), Item(9));
    let t = resumed.resume_token().expect("a token");
    assert_eq!(token_text(&t), r#"{"NextToken": "cursor-010"}"#);
    // A token of a token: resumed 2 items into a page, 1 more item taken; the amount accumulates.
    let start = make_token(r#"{"NextToken": "cursor-005", "boto_truncate_amount": 2}"#);
    let svc = Service::new(n);
    let mut resumed = Listing::new(svc.blocking(), request(), config(Some(5), None, Some(start))).items();
    assert_eq!(resumed.next().unwrap().unwrap(), Item(7));
    let t = resumed.resume_token().expect("a token");
    assert_eq!(
        token_text(&t),
        r#"{"NextToken": "cursor-005", "boto_truncate_amount": 3}"#
    );
    // Read before the first page arrives, the starting token is handed back as it was.
    let svc = Service::new(n);
    let start = make_token(r#"{"NextToken": "cursor-005", "boto_truncate_amount": 3}"#);
    let fresh = Listing::new(svc.blocking(), request(), config(Some(5), None, Some(start.clone()))).items();
    assert_eq!(fresh.resume_token(), Some(start));
    assert_eq!(svc.calls(), 0);
}

#[test]
fn max_items_tokens_are_botocore_json() {
    let n = 23;
    // Cut mid-page by MaxItems.
    let svc = Service::new(n);
    let full = Listing::new(svc.blocking(), request(), config(Some(5), Some(7), None))
        .full_result()
        .unwrap();
    assert_eq!(full.result.items.len(), 7);
    assert_eq!(
        token_text(full.resume_token.as_deref().expect("a token")),
        r#"{"NextToken": "cursor-005", "boto_truncate_amount": 2}"#
    );
    // Cut at a page boundary.
    let svc = Service::new(n);
    let full = Listing::new(svc.blocking(), request(), config(Some(5), Some(10), None))
        .full_result()
        .unwrap();
    assert_eq!(
        token_text(full.resume_token.as_deref().expect("a token")),
        r#"{"NextToken": "cursor-010"}"#
    );
    // Async gives the same text.
    let svc = Service::new(n);
    let full =
        block_on(Listing::new(svc.asynchronous(), request(), config(Some(5), Some(7), None)).full_result_async())
            .unwrap();
    assert_eq!(
        token_text(full.resume_token.as_deref().expect("a token")),
        r#"{"NextToken": "cursor-005", "boto_truncate_amount": 2}"#
    );
}

/// Service tokens with characters JSON must escape are written as Python's
/// `json.dumps` writes them (`ensure_ascii`, `\"`, `\t`, `/` left alone), and
/// resuming from such a token hands the service its exact original string.
#[test]
fn escaped_service_tokens_round_trip() {
    let n = 23;
    let prefix = "\u{e7}/\"\t\u{1F600}#";
    let svc = Service::new(n).token_prefix(prefix);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(3), None, None)).items();
    for _ in 0..4 {
        items.next().unwrap().unwrap();
    }
    let t = items.resume_token().unwrap();
    assert_eq!(
        token_text(&t),
        r#"{"NextToken": "\u00e7/\"\t\ud83d\ude00#003", "boto_truncate_amount": 1}"#
    );
    let svc2 = Service::new(n).token_prefix(prefix);
    let rest = drain(
        Listing::new(svc2.blocking(), request(), config(Some(3), None, Some(t))).items(),
        n as usize,
    );
    assert_eq!(rest, (4..n).collect::<Vec<_>>());
    assert_eq!(svc2.tokens()[0].as_deref(), Some(format!("{prefix}003").as_str()));
}

/// A default `PaginationConfig` lists everything, and items are moved out of
/// pages (the item type is not `Clone`; this would not compile otherwise).
#[test]
fn items_are_moved_not_cloned() {
    let svc = Service::new(10);
    let items: Vec<Item> = Paginator::new(svc.blocking())
        .paginate(request(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, (0..10).map(Item).collect::<Vec<_>>());
    assert_eq!(svc.calls(), 3);
}

#[test]
fn a_starting_position_near_the_largest_count_saturates() {
    // A position as a checkpoint store gives it back; no count can go past u64::MAX.
    let svc = Service::new(10);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(4), Some(3), None)).items();
    assert_eq!(items.by_ref().count(), 3);
    let token = items.resume_token().expect("items are left");
    let config = config(Some(4), None, Some(token)).with_starting_position(u64::MAX);
    let mut state = paginate::ListingState::new(request(), config);
    let request = state.next_request().expect("a request").expect("valid");
    let page = state.receive(svc.list(request).expect("a page")).expect("received");
    assert_eq!(page.items.len(), 1);
    assert_eq!(state.position_at(1), Some(u64::MAX));
    assert_eq!(state.position(), Some(u64::MAX));
}
