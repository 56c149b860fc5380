//! A cursor's resume token under another page size: the token holds the
//! tokens of a page's request and how many of its items were handed out.
//! Resumed with pages smaller than that count, or from a service whose pages
//! shrank since, the count is skipped across as many pages as it takes:
//! every item still comes exactly once, in order, and a token taken while
//! skipping keeps what is left of the skip.

use futures::executor::block_on;
use futures::StreamExt;
use paginate::{Error, Listing};

use crate::support::*;

const N: u32 = 17;

/// The resume token after `taken` items of a listing with pages of `page_size`.
fn token_after(page_size: u64, taken: usize) -> Option<String> {
    let svc = Service::new(N);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(page_size), None, None)).items();
    for _ in 0..taken {
        assert!(matches!(items.next(), Some(Ok(_))), "an item");
    }
    items.resume_token()
}

/// Everything a blocking listing of `svc` from `token` with pages of `page_size` yields.
fn rest(svc: &Service, page_size: u64, token: &str) -> Vec<u32> {
    let cfg = config(Some(page_size), None, Some(token.to_owned()));
    drain(Listing::new(svc.blocking(), request(), cfg).items(), N as usize)
}

/// The same through the async item stream.
fn rest_async(svc: &Service, page_size: u64, token: &str) -> Vec<u32> {
    let cfg = config(Some(page_size), None, Some(token.to_owned()));
    let stream = Listing::new(svc.asynchronous(), request(), cfg).item_stream();
    block_on(stream.map(|item| item.map(|Item(i)| i)).collect::<Vec<_>>())
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("no error")
}

/// The items of each page a listing from `token` with pages of `page_size`
/// yields, each with the resume token read after it.
fn pages(page_size: u64, token: &str) -> Vec<(Vec<u32>, Option<String>)> {
    let svc = Service::new(N);
    let cfg = config(Some(page_size), None, Some(token.to_owned()));
    let mut pages = Listing::new(svc.blocking(), request(), cfg).pages();
    let mut out = Vec::new();
    while let Some(page) = pages.next() {
        let items = page.expect("no error").items.into_iter().map(|Item(i)| i).collect();
        out.push((items, pages.resume_token()));
        assert!(out.len() <= 2 * N as usize, "the listing does not end");
    }
    out
}

#[test]
fn a_mid_page_token_resumes_under_every_smaller_page_size() {
    for size in 1..=6u64 {
        for taken in 0..N as usize {
            let token = token_after(size, taken).expect("items are left");
            for resized in 1..=size {
                let ctx = format!("pages of {size}, {taken} taken, resumed with pages of {resized}");
                let expected: Vec<u32> = (taken as u32..N).collect();
                assert_eq!(rest(&Service::new(N), resized, &token), expected, "{ctx}");
                assert_eq!(rest_async(&Service::new(N), resized, &token), expected, "{ctx}: async");
                // Every page's token, skipping or not, resumes exactly under any page size.
                let mut seen = taken as u32;
                for (items, after) in pages(resized, &token) {
                    seen += items.len() as u32;
                    let Some(after) = after else {
                        assert_eq!(seen, N, "{ctx}: no token before the end");
                        continue;
                    };
                    for again in [1, resized, size] {
                        let got = rest(&Service::new(N), again, &after);
                        assert_eq!(
                            got,
                            (seen..N).collect::<Vec<_>>(),
                            "{ctx}: from {after} with pages of {again}"
                        );
                    }
                }
                assert_eq!(seen, N, "{ctx}: pages");
            }
        }
    }
}

#[test]
fn tokens_taken_while_skipping_keep_the_rest_of_the_skip() {
    let start = make_token(r#"{"NextToken": "cursor-006", "boto_truncate_amount": 5}"#);
    let got: Vec<(Vec<u32>, Option<String>)> = pages(2, &start)
        .into_iter()
        .take(4)
        .map(|(items, token)| (items, token.as_deref().map(token_text)))
        .collect();
    let token = |json: &str| Some(json.to_owned());
    assert_eq!(
        got,
        [
            (
                vec![],
                token(r#"{"NextToken": "cursor-008", "boto_truncate_amount": 3}"#)
            ),
            (
                vec![],
                token(r#"{"NextToken": "cursor-010", "boto_truncate_amount": 1}"#)
            ),
            (vec![11], token(r#"{"NextToken": "cursor-012"}"#)),
            (vec![12, 13], token(r#"{"NextToken": "cursor-014"}"#)),
        ]
    );
}

#[test]
fn a_failure_while_skipping_resumes_exactly() {
    let start = make_token(r#"{"NextToken": "cursor-006", "boto_truncate_amount": 5}"#);
    // The second call fails: the first page was skipped whole, three items are still to skip.
    let svc = Service::new(N).fail_calls([1]);
    let mut items = Listing::new(svc.blocking(), request(), config(Some(2), None, Some(start.clone()))).items();
    let token = match items.next() {
        Some(Err(Error::Service { resume_token, .. })) => resume_token.expect("a token"),
        other => panic!("expected the injected failure, got {other:?}"),
    };
    assert_eq!(
        token_text(&token),
        r#"{"NextToken": "cursor-008", "boto_truncate_amount": 3}"#
    );
    assert_eq!(rest(&Service::new(N), 2, &token), (11..N).collect::<Vec<_>>());
    assert_eq!(rest(&Service::new(N), 7, &token), (11..N).collect::<Vec<_>>());
    // Retried in place, the listing goes on skipping.
    assert!(items.retry());
    assert_eq!(drain(items, N as usize), (11..N).collect::<Vec<_>>());
}

#[test]
fn max_items_while_skipping_counts_the_whole_skip() {
    let start = make_token(r#"{"NextToken": "cursor-006", "boto_truncate_amount": 5}"#);
    let svc = Service::new(N);
    // Pages 6..10 (skipped whole) and 10..14, of which 10 is still to skip.
    let full = Listing::new(svc.blocking(), request(), config(Some(4), Some(1), Some(start)))
        .full_result()
        .expect("the listing completes");
    assert_eq!(full.result.items, [Item(11)]);
    let token = full.resume_token.expect("items are left");
    assert_eq!(
        token_text(&token),
        r#"{"NextToken": "cursor-010", "boto_truncate_amount": 2}"#
    );
    assert_eq!(rest(&Service::new(N), 2, &token), (12..N).collect::<Vec<_>>());
}

#[test]
fn a_page_that_shrank_since_the_token_skips_across_pages() {
    for size in 2..=6u64 {
        for taken in 0..N as usize {
            let token = token_after(size, taken).expect("items are left");
            for cap in 1..size as u32 {
                let ctx = format!("pages of {size}, {taken} taken, pages shrunk to {cap}");
                let expected: Vec<u32> = (taken as u32..N).collect();
                assert_eq!(rest(&Service::new(N).page_cap(cap), size, &token), expected, "{ctx}");
                let svc = Service::new(N).page_cap(cap);
                assert_eq!(rest_async(&svc, size, &token), expected, "{ctx}: async");
            }
        }
    }
}
