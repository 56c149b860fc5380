//! `PageStream::prefetch` against the local endpoint over loopback HTTP:
//! pages are fetched while the caller works, at most `depth` ahead, and
//! dropping the stream stops the fetching. (Exactly-once under faults with
//! prefetch is part of `tests/exactly_once_http.rs`.)

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures::StreamExt;
use network_firewall::server::{demo_credentials, FaultConfig};
use network_firewall::{
    ClientConfig, ListFlowOperationsRequest, ListFlowOperationsResponse, NetworkFirewallClient, ServerConfig,
    DEMO_FIREWALL_ARN,
};
use paginate::{AsyncClient, Listing, PaginationConfig};

async fn server(latency: Duration) -> network_firewall::ServerHandle {
    network_firewall::start(ServerConfig {
        faults: FaultConfig {
            latency,
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await
    .expect("server")
}

/// The SigV4 client as a paginate client whose calls are `Send` (prefetch runs them on a task).
#[derive(Clone)]
struct Sender(NetworkFirewallClient);

type Call = Pin<Box<dyn Future<Output = Result<ListFlowOperationsResponse, network_firewall::Error>> + Send>>;

impl AsyncClient<ListFlowOperationsRequest> for Sender {
    type Error = network_firewall::Error;
    type Future = Call;
    fn send(&mut self, request: ListFlowOperationsRequest) -> Call {
        let client = self.0.clone();
        Box::pin(async move { client.list_flow_operations(&request).await })
    }
}

fn listing(url: &str) -> Listing<Sender, ListFlowOperationsRequest> {
    let config = ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(demo_credentials());
    let client = NetworkFirewallClient::new(config).expect("client");
    let request = ListFlowOperationsRequest {
        firewall_arn: DEMO_FIREWALL_ARN.into(),
        ..Default::default()
    };
    Listing::new(Sender(client), request, PaginationConfig::default().with_page_size(10))
}

/// A caller that pauses holds back the fetching after `depth` pages: memory
/// is bounded by the depth, not by the listing.
#[tokio::test(flavor = "multi_thread")]
async fn fetching_stops_depth_pages_ahead() {
    let endpoint = server(Duration::ZERO).await;
    for depth in [1usize, 3] {
        let before = endpoint.request_count();
        let mut pages = listing(&endpoint.url()).page_stream().prefetch(depth);
        let first = pages.next().await.expect("a page").expect("no error");
        assert_eq!(first.flow_operations.map(|o| o.len()), Some(10));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let fetched = endpoint.request_count() - before;
        // One page taken, `depth` waiting in the channel, one held by the task.
        assert!(fetched as usize <= depth + 2, "depth {depth}: {fetched} requests");
        assert!(
            fetched as usize > depth,
            "depth {depth}: it did fetch ahead ({fetched})"
        );
        let rest: usize = pages
            .map(|p| p.expect("no error").flow_operations.map_or(0, |o| o.len()))
            .fold(0, |a, n| async move { a + n })
            .await;
        assert_eq!(10 + rest, 237);
    }
    endpoint.shutdown().await;
}

/// Dropping the stream cancels the fetching: no request is sent afterwards.
#[tokio::test(flavor = "multi_thread")]
async fn dropping_the_stream_stops_the_fetching() {
    let endpoint = server(Duration::from_millis(50)).await;
    let mut pages = listing(&endpoint.url()).page_stream().prefetch(8);
    let _ = pages.next().await;
    drop(pages);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let at_drop = endpoint.request_count();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        endpoint.request_count(),
        at_drop,
        "requests after the stream was dropped"
    );
    assert!(at_drop < 10, "it stopped long before the end ({at_drop} requests)");
    endpoint.shutdown().await;
}

/// The next request goes out while the caller works on the page it has:
/// by the time the caller is done with the first page, the server has seen
/// the request for the second (without prefetch it has not). Wall-clock
/// figures are in `bash benches/run.sh` (`prefetch_vs_sequential`).
#[tokio::test(flavor = "multi_thread")]
async fn the_next_request_overlaps_the_callers_work() {
    let endpoint = server(Duration::ZERO).await;
    for prefetch in [false, true] {
        let before = endpoint.request_count();
        let listing = listing(&endpoint.url());
        let mut pages: Pin<Box<dyn futures::Stream<Item = _> + Send>> = if prefetch {
            Box::pin(listing.page_stream().prefetch(1))
        } else {
            Box::pin(listing.page_stream())
        };
        pages.next().await.expect("a page").expect("no error");
        tokio::time::sleep(Duration::from_millis(300)).await; // the caller's work
        let seen = endpoint.request_count() - before;
        assert_eq!(
            seen,
            if prefetch { 3 } else { 1 },
            "prefetch {prefetch}: {seen} requests seen"
        );
    }
    endpoint.shutdown().await;
}
