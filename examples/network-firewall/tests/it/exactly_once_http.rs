//! Exactly once over loopback HTTP (property test): the derived
//! `ListFlowOperations` paginator and the SigV4 client against the local
//! endpoint injecting throttling, 500s, dropped connections and slow answers.
//! A caller that retries some failures, restarts from the error's token after
//! others, and "crashes" mid-page to restart from its last resume token,
//! receives every flow operation exactly once, in order.
//!
//! `PROPTEST_CASES=N` runs more cases (default 16).

use std::time::Duration;

use crate::support::{cases, demo_request, runner};
use futures::StreamExt;
use network_firewall::server::{demo_credentials, FaultConfig};
use network_firewall::{ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient, RetryConfig, ServerConfig};
use paginate::{Error, Listing, PaginationConfig};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Scenario {
    faults: FaultConfig,
    /// Fetch this many pages ahead (`PageStream::prefetch`), or not at all.
    prefetch: Option<usize>,
    attempts: u32,
    page_size: Option<u64>,
    max_items: Vec<Option<u64>>,
    crash_after: Vec<Option<usize>>,
    retry_in_place: Vec<bool>,
}

fn every() -> impl Strategy<Value = Option<u64>> {
    prop::option::weighted(0.6, 2u64..9)
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (every(), every(), every(), 0u64..3, prop::option::of(1usize..5)),
        1u32..3,
        prop::option::of(5u64..=100),
        prop::collection::vec(prop::option::of(1u64..120), 1..4),
        prop::collection::vec(prop::option::of(1usize..150), 1..4),
        prop::collection::vec(any::<bool>(), 1..4),
    )
        .prop_map(
            |(
                (throttle, error, reset, latency, prefetch),
                attempts,
                page_size,
                max_items,
                crash_after,
                retry_in_place,
            )| {
                Scenario {
                    prefetch,
                    faults: FaultConfig {
                        throttle_every: throttle,
                        error_every: error,
                        reset_every: reset,
                        latency: Duration::from_millis(latency),
                    },
                    attempts,
                    page_size,
                    max_items,
                    crash_after,
                    retry_in_place,
                }
            },
        )
}

fn client(url: &str, attempts: u32) -> NetworkFirewallClient {
    let config = ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(demo_credentials())
        .retry(RetryConfig {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        });
    NetworkFirewallClient::new(config).expect("client")
}

type Op = network_firewall::FlowOperationMetadata;
type Failure = Error<network_firewall::Error>;

/// An item stream, prefetching or not, with its resume token.
trait Items: futures::Stream<Item = Result<Op, Failure>> + Unpin + Send {
    fn resume_token(&self) -> Option<String>;
}

impl<S> Items for paginate::ItemStream<S, ListFlowOperationsRequest>
where
    S: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error> + Send,
    S::Future: Send,
{
    fn resume_token(&self) -> Option<String> {
        paginate::ItemStream::resume_token(self)
    }
}

impl<C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error>> Items
    for paginate::PrefetchItemStream<C, ListFlowOperationsRequest>
{
    fn resume_token(&self) -> Option<String> {
        paginate::PrefetchItemStream::resume_token(self)
    }
}

/// Lists with restarts and retries; returns the operation ids received and the faults met.
async fn list(url: &str, s: &Scenario) -> (Vec<String>, usize) {
    let client = client(url, s.attempts);
    let send = move |req: ListFlowOperationsRequest| {
        let client = client.clone();
        async move { client.list_flow_operations(&req).await }
    };
    let (mut got, mut token, mut runs, mut failures) = (Vec::new(), None::<String>, 0usize, 0usize);
    loop {
        assert!(runs < 2_000 && failures < 5_000, "does not converge");
        let mut config = PaginationConfig::default();
        config.max_items = s.max_items[runs % s.max_items.len()];
        config.page_size = s.page_size;
        config.starting_token = token.clone();
        let crash = s.crash_after[runs % s.crash_after.len()];
        runs += 1;
        let listing = Listing::new(send.clone(), demo_request(), config);
        let mut items: Box<dyn Items> = match s.prefetch {
            Some(depth) => Box::new(listing.page_stream().prefetch(depth).items()),
            None => Box::new(listing.item_stream()),
        };
        let mut taken = 0;
        let next_token = loop {
            if crash == Some(taken) {
                break items.resume_token();
            }
            match items.next().await {
                Some(Ok(op)) => {
                    got.push(op.flow_operation_id.unwrap_or_default());
                    taken += 1;
                }
                Some(Err(Error::Service { resume_token, .. })) => {
                    let in_place = s.retry_in_place[failures % s.retry_in_place.len()];
                    failures += 1;
                    if !in_place {
                        break resume_token;
                    }
                }
                Some(Err(other)) => panic!("unexpected error: {other}"),
                None => break items.resume_token(),
            }
        };
        match next_token {
            Some(t) => token = Some(t),
            None => return (got, failures),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_exactly_once_through_faults() {
    let clean = network_firewall::start(ServerConfig::demo()).await.expect("server");
    let (expected, _) = list(
        &clean.url(),
        &Scenario {
            faults: FaultConfig::default(),
            prefetch: None,
            attempts: 1,
            page_size: Some(100),
            max_items: vec![None],
            crash_after: vec![None],
            retry_in_place: vec![true],
        },
    )
    .await;
    clean.shutdown().await;
    assert_eq!(expected.len(), 237);

    let cases = cases("PROPTEST_CASES", 16);
    let mut runner = runner(cases);
    let handle = tokio::runtime::Handle::current();
    let total_failures = std::cell::Cell::new(0usize);
    let outcome = tokio::task::block_in_place(|| {
        runner
            .run(&scenario(), |s| {
                let (got, failures) = handle.block_on(async {
                    let server = network_firewall::start(ServerConfig {
                        faults: s.faults,
                        ..ServerConfig::demo()
                    })
                    .await
                    .expect("server");
                    let outcome = list(&server.url(), &s).await;
                    server.shutdown().await;
                    outcome
                });
                total_failures.set(total_failures.get() + failures);
                prop_assert_eq!(&got, &expected, "{:?}", s);
                Ok(())
            })
            .map_err(|e| e.to_string())
    });
    outcome.expect("exactly once");
    println!(
        "exactly once over HTTP: {cases} cases, {} faults surfaced to the caller",
        total_failures.get()
    );
}
