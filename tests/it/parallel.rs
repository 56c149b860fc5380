//! `page_stream().parallel(n)`: several pages of an offset or page-number
//! listing in flight, delivered in order, with `MaxItems`, resume tokens and
//! errors exactly as sequential, and predictions dropped when the service's
//! page size varies. The servers are `offset.rs`'s, which refuse what the
//! real APIs refuse; their answers are futures that finish after a number of
//! polls chosen per request, so later pages often finish first.

#![cfg(feature = "parallel")]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::executor::block_on;
use futures::StreamExt;
use paginate::{Error, Listing, PaginationConfig};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::offset::{IssuesPage, ListRepos, ReposPage, SearchIssues, Server};

/// An answer that is ready after `polls` polls, counted in flight meanwhile.
struct Delayed<T> {
    value: Option<T>,
    polls: usize,
    gauge: Gauge,
}

/// Calls in flight now, and the most seen at once.
#[derive(Clone, Default)]
struct Gauge(Arc<(AtomicUsize, AtomicUsize)>);

impl Gauge {
    fn enter(&self) {
        let now = self.0 .0.fetch_add(1, Ordering::SeqCst) + 1;
        self.0 .1.fetch_max(now, Ordering::SeqCst);
    }

    fn peak(&self) -> usize {
        self.0 .1.load(Ordering::SeqCst)
    }
}

impl<T> Delayed<T> {
    fn new(value: T, polls: usize, gauge: &Gauge) -> Self {
        gauge.enter();
        Delayed {
            value: Some(value),
            polls,
            gauge: gauge.clone(),
        }
    }
}

impl<T> Drop for Delayed<T> {
    fn drop(&mut self) {
        self.gauge.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<T: Unpin> Future for Delayed<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.polls == 0 {
            return Poll::Ready(self.value.take().expect("polled after ready"));
        }
        self.polls -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Later offsets answer sooner: the reverse of the order they were sent in.
fn polls_for(position: u64) -> usize {
    40usize.saturating_sub(position as usize % 40)
}

fn jira(server: &Server, gauge: &Gauge) -> impl FnMut(SearchIssues) -> Delayed<Result<IssuesPage, String>> {
    let (server, gauge) = (server.clone(), gauge.clone());
    move |r: SearchIssues| Delayed::new(server.jira(&r), polls_for(r.start_at.unwrap_or(0)), &gauge)
}

fn config(page_size: u64, max_items: Option<u64>) -> PaginationConfig {
    let mut config = PaginationConfig::default().with_page_size(page_size);
    config.max_items = max_items;
    config
}

use crate::support::token_text as decode;

fn offsets(server: &Server) -> Vec<Value> {
    server
        .requests()
        .iter()
        .map(|r| r.get("startAt").cloned().unwrap_or(Value::Null))
        .collect()
}

#[test]
fn pages_come_in_order_with_several_in_flight() {
    let (server, gauge) = (Server::new(205), Gauge::default());
    let listing = Listing::new(jira(&server, &gauge), SearchIssues::default(), config(10, None));
    let items: Vec<u64> = block_on(listing.page_stream().parallel(8).items().map(|i| i.unwrap()).collect());
    assert_eq!(items, (0..205).collect::<Vec<_>>());
    assert_eq!(gauge.peak(), 8);
    // Each page asked for once: 21 pages, no empty page after the total.
    assert_eq!(server.requests().len(), 21);
}

#[test]
fn max_items_sends_no_request_it_does_not_need() {
    let (server, gauge) = (Server::new(1000), Gauge::default());
    let listing = Listing::new(jira(&server, &gauge), SearchIssues::default(), config(10, Some(35)));
    let mut items = listing.page_stream().parallel(8).items();
    let got: Vec<u64> = block_on(items.by_ref().map(|i| i.unwrap()).collect());
    assert_eq!(got, (0..35).collect::<Vec<_>>());
    assert_eq!(offsets(&server), [Value::Null, json!(10), json!(20), json!(30)]);
    assert_eq!(decode(&items.resume_token().unwrap()), r#"{"startAt": 35}"#);
}

#[test]
fn an_error_at_page_k_comes_after_the_pages_before_it_and_resumes_at_k() {
    let (server, gauge) = (Server::new(100), Gauge::default());
    let failed = Arc::new(AtomicUsize::new(0));
    let mut inner = jira(&server, &gauge);
    let flaky = {
        let failed = failed.clone();
        move |r: SearchIssues| {
            let mut answer = inner(r.clone());
            if r.start_at == Some(40) && failed.fetch_add(1, Ordering::SeqCst) == 0 {
                answer.value = Some(Err("503".to_owned()));
            }
            answer
        }
    };
    let mut pages = Listing::new(flaky, SearchIssues::default(), config(10, None))
        .page_stream()
        .parallel(8);
    block_on(async {
        let mut got = Vec::new();
        let token = loop {
            match pages.next().await {
                Some(Ok(page)) => got.extend(page.issues),
                Some(Err(Error::Service { source, resume_token })) => {
                    assert_eq!(source, "503");
                    break resume_token.unwrap();
                }
                other => panic!("expected the service error, got {other:?}"),
            }
        };
        assert_eq!(got, (0..40).collect::<Vec<_>>());
        assert_eq!(decode(&token), r#"{"startAt": 40}"#);
        assert_eq!(pages.in_flight(), 0, "the calls in flight are dropped");
        assert_eq!(gauge.0 .0.load(Ordering::SeqCst), 0);
        assert!(pages.next().await.is_none(), "the stream ends until retry");
        assert!(pages.retry());
        while let Some(page) = pages.next().await {
            got.extend(page.unwrap().issues);
        }
        assert_eq!(got, (0..100).collect::<Vec<_>>());
        // A new listing from the error's token goes on at 40 too.
        let again = Server::new(100);
        let mut config = config(25, None);
        config.starting_token = Some(token);
        let rest: Vec<u64> = Listing::new(jira(&again, &gauge), SearchIssues::default(), config)
            .page_stream()
            .parallel(8)
            .items()
            .map(|i| i.unwrap())
            .collect()
            .await;
        assert_eq!(rest, (40..100).collect::<Vec<_>>());
    });
}

#[test]
fn a_service_that_serves_shorter_pages_loses_and_repeats_nothing() {
    // Jira caps maxResults at 7: every prediction from a 10-item page is off.
    let (server, gauge) = (
        Server {
            cap: Some(7),
            ..Server::new(100)
        },
        Gauge::default(),
    );
    let listing = Listing::new(jira(&server, &gauge), SearchIssues::default(), config(10, None));
    let items: Vec<u64> = block_on(listing.page_stream().parallel(8).items().map(|i| i.unwrap()).collect());
    assert_eq!(items, (0..100).collect::<Vec<_>>());
    // One short page in the middle: the predictions after it are dropped, the listing goes on.
    let (server, gauge) = (Server::new(100), Gauge::default());
    let mut inner = jira(&server, &gauge);
    let short_once = move |r: SearchIssues| {
        let mut answer = inner(r.clone());
        if r.start_at == Some(30) {
            if let Some(Ok(page)) = answer.value.as_mut() {
                page.issues.truncate(4);
            }
        }
        answer
    };
    let listing = Listing::new(short_once, SearchIssues::default(), config(10, None));
    let items: Vec<u64> = block_on(listing.page_stream().parallel(8).items().map(|i| i.unwrap()).collect());
    assert_eq!(items, (0..100).collect::<Vec<_>>());
    assert!(
        offsets(&server).contains(&json!(34)),
        "the listing went on from the short page"
    );
}

#[test]
fn page_numbers_in_parallel() {
    let (server, gauge) = (Server::new(95), Gauge::default());
    let client = {
        let (server, gauge) = (server.clone(), gauge.clone());
        move |r: ListRepos| -> Delayed<Result<ReposPage, String>> {
            Delayed::new(server.github(&r, 1), polls_for(u64::from(r.page.unwrap_or(1))), &gauge)
        }
    };
    let listing = Listing::new(client, ListRepos::default(), config(10, None));
    let items: Vec<u64> = block_on(listing.page_stream().parallel(4).items().map(|i| i.unwrap()).collect());
    assert_eq!(items, (0..95).collect::<Vec<_>>());
    assert_eq!(gauge.peak(), 4);
    assert_eq!(server.requests().len(), 10);
}

#[test]
fn a_cursor_listing_goes_one_request_at_a_time() {
    use crate::support::{request, Item, Service};
    let svc = Service::new(30);
    let listing = Listing::new(
        svc.asynchronous(),
        request(),
        PaginationConfig::default().with_page_size(5),
    );
    let mut pages = listing.page_stream().parallel(8);
    let first = block_on(pages.next()).unwrap().unwrap();
    assert_eq!(first.items.first(), Some(&Item(0)));
    assert!(pages.in_flight() <= 1);
    assert_eq!(block_on(pages.items().count()), 25);
}

proptest! {
    #![proptest_config(crate::support::proptest_cases(128))]

    #[test]
    fn parallel_offset_listings_yield_every_item_once_in_order(
        items in 0u64..120,
        cap in prop::option::of(1u64..12),
        page_size in 1u64..=15,
        width in 1usize..10,
        max_items in prop::option::of(1u64..60),
        stop in prop::option::of(1usize..40),
    ) {
        let (server, gauge) = (Server { cap, ..Server::new(items) }, Gauge::default());
        let mut got = Vec::new();
        let mut token = None;
        for _ in 0..200 {
            let mut config = config(page_size, max_items);
            config.starting_token = token.take();
            let mut stream = Listing::new(jira(&server, &gauge), SearchIssues::default(), config)
                .page_stream()
                .parallel(width)
                .items();
            block_on(async {
                let mut taken = 0;
                while stop != Some(taken) {
                    match stream.next().await {
                        Some(item) => got.push(item.unwrap()),
                        None => break,
                    }
                    taken += 1;
                }
            });
            token = stream.resume_token();
            if token.is_none() {
                break;
            }
        }
        prop_assert_eq!(got, (0..items).collect::<Vec<_>>());
    }
}
