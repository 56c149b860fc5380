//! The reference implementation end to end over real loopback HTTP: the
//! derived `ListFlowOperations` paginator driving the SigV4 client against the
//! local Network Firewall endpoint. No mocks.

use std::collections::HashSet;
use std::time::Duration;

use crate::support::{demo_request, faulty_server};
use futures::StreamExt;
use network_firewall::server::demo_credentials;
use network_firewall::{
    ClientConfig, Credentials, FlowOperationType, ListFlowOperationsRequest, NetworkFirewallClient, RetryConfig,
    ServerConfig,
};
use paginate::{AsyncClient, Error, Listing, ListingError, PaginationConfig};

/// A client with quick retries (`max_attempts` attempts per call).
fn client_with_attempts(url: &str, credentials: Credentials, max_attempts: u32) -> NetworkFirewallClient {
    let retry = RetryConfig {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
    };
    let config = ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(credentials)
        .retry(retry);
    NetworkFirewallClient::new(config).expect("client config is valid")
}

fn client(url: &str, credentials: Credentials) -> NetworkFirewallClient {
    client_with_attempts(url, credentials, 3)
}

fn sender(
    client: NetworkFirewallClient,
) -> impl AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error> + Clone {
    move |req: ListFlowOperationsRequest| {
        let client = client.clone();
        async move { client.list_flow_operations(&req).await }
    }
}

async fn ids(
    listing: Listing<
        impl AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error>,
        ListFlowOperationsRequest,
    >,
) -> (Vec<String>, Option<String>) {
    let mut items = listing.page_stream().items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        let item = item.expect("listing succeeds");
        ids.push(item.flow_operation_id.expect("every operation has an id"));
    }
    (ids, items.resume_token())
}

#[tokio::test]
async fn max_items_chains_cover_the_listing_exactly_once() {
    let server = network_firewall::start(ServerConfig::demo())
        .await
        .expect("server starts");
    let send = sender(client(&server.url(), demo_credentials()));
    let (all, end) = ids(Listing::new(send.clone(), demo_request(), PaginationConfig::default())).await;
    assert_eq!(end, None);
    assert!(all.len() > 200, "the demo firewall has a few hundred operations");
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        all.len(),
        "no duplicates in the full listing"
    );

    for (max_items, page_size) in [(1, Some(1)), (7, Some(3)), (50, Some(100)), (13, None), (100, Some(7))] {
        let mut chained = Vec::new();
        let mut token = None;
        loop {
            let mut config = PaginationConfig::default().with_max_items(max_items);
            config.page_size = page_size;
            config.starting_token = token.take();
            let (ids, next) = ids(Listing::new(send.clone(), demo_request(), config)).await;
            assert!(ids.len() as u64 <= max_items);
            chained.extend(ids);
            match next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(chained, all, "MaxItems {max_items}, PageSize {page_size:?}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn filters_reach_the_service() {
    let server = network_firewall::start(ServerConfig::demo())
        .await
        .expect("server starts");
    let send = sender(client(&server.url(), demo_credentials()));
    let req = ListFlowOperationsRequest {
        flow_operation_type: Some(FlowOperationType::FlowFlush),
        ..demo_request()
    };
    let full = Listing::new(send, req, PaginationConfig::default().with_page_size(9))
        .full_result_async()
        .await
        .expect("listing succeeds");
    let operations = full.result.flow_operations.expect("some operations");
    assert!(!operations.is_empty());
    assert!(operations
        .iter()
        .all(|op| op.flow_operation_type == Some(FlowOperationType::FlowFlush)));
    server.shutdown().await;
}

#[tokio::test]
async fn throttling_is_retried_and_nothing_is_lost() {
    let server = faulty_server(Some(2), Duration::ZERO).await;
    let nf = client(&server.url(), demo_credentials());
    let (ids, _) = ids(Listing::new(
        sender(nf.clone()),
        demo_request(),
        PaginationConfig::default().with_page_size(25),
    ))
    .await;
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    let pages = ids.len().div_ceil(25) as u64;
    assert_eq!(
        nf.attempts(),
        2 * pages - 1,
        "every second attempt was throttled and retried"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn service_errors_carry_a_resume_token_and_resuming_loses_nothing() {
    // Every attempt after the first is throttled, with a single attempt per call: the
    // second page fails, and the error says where to resume.
    let server = faulty_server(Some(2), Duration::ZERO).await;
    let one_shot = client_with_attempts(&server.url(), demo_credentials(), 1);
    let mut items = Listing::new(
        sender(one_shot),
        demo_request(),
        PaginationConfig::default().with_page_size(10),
    )
    .page_stream()
    .items();
    let mut seen = Vec::new();
    let error = loop {
        match items.next().await.expect("the listing does not end before the error") {
            Ok(item) => seen.push(item.flow_operation_id.expect("id")),
            Err(error) => break error,
        }
    };
    assert_eq!(seen.len(), 10, "the first page arrived");
    let Error::Service {
        source,
        resume_token: Some(token),
    } = error
    else {
        panic!("expected a service error with a resume token, got {error:?}");
    };
    assert!(source.is_throttling(), "{source}");
    assert_eq!(items.resume_token().as_deref(), Some(token.as_str()));

    // Resume on the same endpoint (its tokens are bound to it) with a client that retries.
    let send = sender(client(&server.url(), demo_credentials()));
    let (all, _) = ids(Listing::new(send.clone(), demo_request(), PaginationConfig::default())).await;
    let resumed = PaginationConfig::default()
        .with_page_size(10)
        .with_starting_token(token);
    let (rest, end) = ids(Listing::new(send, demo_request(), resumed)).await;
    assert_eq!(end, None);
    seen.extend(rest);
    assert_eq!(seen, all, "nothing lost, nothing repeated");
    server.shutdown().await;
}

#[tokio::test]
async fn errors_are_typed() {
    let server = network_firewall::start(ServerConfig::demo())
        .await
        .expect("server starts");
    let send = sender(client(&server.url(), demo_credentials()));
    let unknown = ListFlowOperationsRequest {
        firewall_arn: "arn:aws:network-firewall:us-east-1:123456789012:firewall/nope".into(),
        ..Default::default()
    };
    let err = Listing::new(send.clone(), unknown, PaginationConfig::default())
        .full_result_async()
        .await;
    match err {
        Err(Error::Service {
            source: network_firewall::Error::ResourceNotFoundException { .. },
            resume_token,
        }) => {
            assert!(
                resume_token.is_some(),
                "even the first request's error says where to resume"
            )
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let err = Listing::new(
        send.clone(),
        demo_request(),
        PaginationConfig::default().with_page_size(101),
    )
    .full_result_async()
    .await;
    assert!(
        matches!(err, Err(Error::Listing(ListingError::Config(_)))),
        "PageSize 101 is refused before any request: {err:?}"
    );
    let bad_token = PaginationConfig::default().with_starting_token("AAAAnot-a-token");
    let err = Listing::new(send, demo_request(), bad_token).full_result_async().await;
    assert!(
        matches!(
            err,
            Err(Error::Service {
                source: network_firewall::Error::InvalidRequestException { .. },
                ..
            })
        ),
        "a raw token the service does not know is its InvalidRequestException: {err:?}"
    );
    let wrong = Credentials::new(network_firewall::DEMO_ACCESS_KEY_ID, "wrong-secret", None, None, "test");
    let err = Listing::new(
        sender(client(&server.url(), wrong)),
        demo_request(),
        PaginationConfig::default(),
    )
    .full_result_async()
    .await;
    match err {
        Err(Error::Service { source, .. }) => assert_eq!(source.code(), Some("InvalidSignatureException")),
        other => panic!("expected InvalidSignatureException, got {other:?}"),
    }
    server.shutdown().await;
}
