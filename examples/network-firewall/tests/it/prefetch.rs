//! `PageStream::prefetch` against the local endpoint over loopback HTTP:
//! pages are fetched while the caller works, at most `depth` ahead, and
//! dropping the stream stops the fetching. (Exactly-once under faults with
//! prefetch is part of `exactly_once_http.rs`.)
//!
//! The tests run on a single-threaded runtime and count the client's calls
//! as they are made and as they complete: when this test's task runs again
//! after a call completed, the fetching task has done everything that
//! completion led it to do (put the page in the channel and sent the next
//! request, or waited on the full channel), so a count read then is where
//! the fetching stands, without waiting a fixed time.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::faulty_server;
use futures::StreamExt;
use network_firewall::server::demo_credentials;
use network_firewall::{
    ClientConfig, ListFlowOperationsRequest, ListFlowOperationsResponse, NetworkFirewallClient, DEMO_FIREWALL_ARN,
};
use paginate::{AsyncClient, Listing, PaginationConfig};
use tokio::sync::watch;

/// How long a test waits for a condition before it fails.
const DEADLINE: Duration = Duration::from_secs(30);

/// Pages of the demo firewall at 10 operations a page (237 operations).
const PAGES: usize = 24;

/// The client's calls: how many were made, and how many completed.
struct Calls {
    started: AtomicUsize,
    completed: watch::Sender<usize>,
}

impl Calls {
    fn new() -> Arc<Self> {
        Arc::new(Calls {
            started: AtomicUsize::new(0),
            completed: watch::Sender::new(0),
        })
    }

    fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Waits until `n` calls have completed.
    async fn completed(&self, n: usize) {
        let mut completed = self.completed.subscribe();
        let reached = tokio::time::timeout(DEADLINE, completed.wait_for(|&c| c >= n)).await;
        assert!(
            matches!(reached, Ok(Ok(_))),
            "{n} calls did not complete within {DEADLINE:?} ({} started, {} completed)",
            self.started(),
            *self.completed.borrow()
        );
    }
}

/// The SigV4 client as a paginate client whose calls are `Send` (prefetch
/// runs them on a task), counting them in `Calls`.
#[derive(Clone)]
struct Sender {
    client: NetworkFirewallClient,
    calls: Arc<Calls>,
}

type Call = Pin<Box<dyn Future<Output = Result<ListFlowOperationsResponse, network_firewall::Error>> + Send>>;

impl AsyncClient<ListFlowOperationsRequest> for Sender {
    type Error = network_firewall::Error;
    type Future = Call;
    fn send(&mut self, request: ListFlowOperationsRequest) -> Call {
        self.calls.started.fetch_add(1, Ordering::SeqCst);
        let client = self.client.clone();
        let calls = self.calls.clone();
        Box::pin(async move {
            let page = client.list_flow_operations(&request).await;
            calls.completed.send_modify(|n| *n += 1);
            page
        })
    }
}

fn listing(url: &str, calls: &Arc<Calls>) -> Listing<Sender, ListFlowOperationsRequest> {
    let config = ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(demo_credentials());
    let client = NetworkFirewallClient::new(config).expect("client");
    let request = ListFlowOperationsRequest {
        firewall_arn: DEMO_FIREWALL_ARN.into(),
        ..Default::default()
    };
    let sender = Sender {
        client,
        calls: calls.clone(),
    };
    Listing::new(sender, request, PaginationConfig::default().with_page_size(10))
}

/// A caller that pauses holds back the fetching after `depth` pages: memory
/// is bounded by the depth, not by the listing.
#[tokio::test]
async fn fetching_stops_depth_pages_ahead() {
    let endpoint = faulty_server(None, Duration::ZERO).await;
    for depth in [1usize, 3] {
        let before = endpoint.request_count();
        let calls = Calls::new();
        let mut pages = listing(&endpoint.url(), &calls).page_stream().prefetch(depth);
        let first = pages.next().await.expect("a page").expect("no error");
        assert_eq!(first.flow_operations.map(|o| o.len()), Some(10));
        // One page taken, `depth` waiting in the channel, one held by the
        // task, which cannot put it in the full channel.
        calls.completed(depth + 2).await;
        assert_eq!(
            calls.started(),
            depth + 2,
            "depth {depth}: the task went on fetching with the channel full"
        );
        assert_eq!(endpoint.request_count() - before, depth as u64 + 2, "depth {depth}");
        let rest: usize = pages
            .map(|p| p.expect("no error").flow_operations.map_or(0, |o| o.len()))
            .fold(0, |a, n| async move { a + n })
            .await;
        assert_eq!(10 + rest, 237);
        assert_eq!(calls.started(), PAGES, "depth {depth}: each page fetched once");
    }
    endpoint.shutdown().await;
}

/// Dropping the stream cancels the fetching: the task is gone, with the
/// client it sends requests with, long before the end of the listing.
#[tokio::test]
async fn dropping_the_stream_stops_the_fetching() {
    // Slow pages, so that a call is in flight when the stream is dropped.
    let endpoint = faulty_server(None, Duration::from_millis(50)).await;
    let calls = Calls::new();
    let mut pages = listing(&endpoint.url(), &calls).page_stream().prefetch(8);
    pages.next().await.expect("a page").expect("no error");
    drop(pages);
    // The task, its client and its call in flight each hold `calls`.
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while Arc::strong_count(&calls) > 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the fetching task still runs {DEADLINE:?} after the stream was dropped"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = calls.started();
    assert!(started < PAGES, "it stopped long before the end ({started} calls)");
    assert!(
        endpoint.request_count() <= started as u64,
        "the server saw {} requests, the client made {started}",
        endpoint.request_count()
    );
    endpoint.shutdown().await;
}

/// The next request goes out while the caller works on the page it has:
/// with prefetch, the requests for the next pages are sent while the caller
/// holds the first page; without it, nothing is sent until the caller asks.
/// Wall-clock figures are in `bash benches/run.sh` (`prefetch_vs_sequential`).
#[tokio::test]
async fn the_next_request_overlaps_the_callers_work() {
    let endpoint = faulty_server(None, Duration::ZERO).await;
    let (plain_calls, ahead_calls) = (Calls::new(), Calls::new());
    let mut plain = listing(&endpoint.url(), &plain_calls).page_stream();
    let mut ahead = listing(&endpoint.url(), &ahead_calls).page_stream().prefetch(1);
    plain.next().await.expect("a page").expect("no error");
    ahead.next().await.expect("a page").expect("no error");
    // The caller works on both first pages: the prefetching listing fetches
    // the next two (one for the channel, one in hand) meanwhile.
    ahead_calls.completed(3).await;
    assert_eq!(ahead_calls.started(), 3, "prefetch(1) fetched past its depth");
    assert_eq!(
        plain_calls.started(),
        1,
        "without prefetch, a request went out before the caller asked"
    );
    assert_eq!(endpoint.request_count(), 4);
    drop((plain, ahead));
    endpoint.shutdown().await;
}
