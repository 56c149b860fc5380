//! The client against the local endpoint, over real loopback HTTP.

use std::time::Duration;

use crate::support::{serve, FAST_RETRY};
use network_firewall::server::{
    demo_credentials, FaultConfig, FlowOperationRecord, DEMO_EGRESS_FIREWALL_ARN, DEMO_EMPTY_FIREWALL_ARN,
};
use network_firewall::{
    ClientConfig, Credentials, Dataset, Error, FlowOperationMetadata, FlowOperationType, ListFlowOperationsRequest,
    ListFlowOperationsResponse, NetworkFirewallClient, RetryConfig, ServerConfig, DEMO_FIREWALL_ARN,
};

fn client_with(url: &str, credentials: Credentials, retry: RetryConfig) -> NetworkFirewallClient {
    NetworkFirewallClient::new(
        ClientConfig::new()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials(credentials)
            .retry(retry)
            .timeout(Duration::from_secs(5)),
    )
    .expect("client builds")
}

fn client(url: &str) -> NetworkFirewallClient {
    client_with(url, demo_credentials(), FAST_RETRY)
}

fn request(arn: &str) -> ListFlowOperationsRequest {
    ListFlowOperationsRequest {
        firewall_arn: arn.to_owned(),
        ..Default::default()
    }
}

/// Follows NextToken to the end; returns the items and the page count.
async fn list_all(
    client: &NetworkFirewallClient,
    mut req: ListFlowOperationsRequest,
) -> Result<(Vec<FlowOperationMetadata>, usize), Error> {
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let page: ListFlowOperationsResponse = client.list_flow_operations(&req).await?;
        pages += 1;
        let ops = page.flow_operations.unwrap_or_default();
        if let Some(max) = req.max_results {
            assert!(ops.len() <= max as usize);
        }
        items.extend(ops);
        match page.next_token {
            Some(token) => {
                assert!(!token.is_empty() && token.len() <= 4096);
                assert!(
                    token.bytes().all(|b| b.is_ascii_alphanumeric() || b":/+=".contains(&b)),
                    "token {token} must match the service pattern"
                );
                req.next_token = Some(token);
            }
            None => return Ok((items, pages)),
        }
    }
}

fn expected(arn: &str) -> Vec<FlowOperationMetadata> {
    Dataset::demo()
        .flow_operations(arn)
        .expect("demo firewall")
        .iter()
        .map(|r| r.to_metadata())
        .collect()
}

#[tokio::test]
async fn full_listing_at_several_page_sizes() {
    let server = serve(ServerConfig::demo()).await;
    let client = client(&server.url());
    assert_eq!(server.firewall_arns()[0], DEMO_FIREWALL_ARN);
    for arn in server.firewall_arns().to_vec() {
        let want = expected(&arn);
        for size in [None, Some(1), Some(7), Some(50), Some(100)] {
            let mut req = request(&arn);
            req.max_results = size;
            let (got, pages) = list_all(&client, req).await.unwrap();
            assert_eq!(got, want, "{arn} page size {size:?}");
            let per_page = size.unwrap_or(100) as usize;
            assert_eq!(pages, want.len().div_ceil(per_page).max(1), "{arn} {size:?}");
        }
    }
    // Page sizes may change between pages.
    let first = client
        .list_flow_operations(&ListFlowOperationsRequest {
            max_results: Some(10),
            ..request(DEMO_FIREWALL_ARN)
        })
        .await
        .unwrap();
    let second = client
        .list_flow_operations(&ListFlowOperationsRequest {
            max_results: Some(3),
            next_token: first.next_token.clone(),
            ..request(DEMO_FIREWALL_ARN)
        })
        .await
        .unwrap();
    assert_eq!(
        second.flow_operations.unwrap(),
        expected(DEMO_FIREWALL_ARN)[10..13].to_vec()
    );
    let empty = client
        .list_flow_operations(&request(DEMO_EMPTY_FIREWALL_ARN))
        .await
        .unwrap();
    assert_eq!(empty.flow_operations, Some(vec![]));
    assert_eq!(empty.next_token, None);
    server.shutdown().await;
}

#[tokio::test]
async fn timestamps_keep_their_wire_form() {
    let server = serve(ServerConfig::demo()).await;
    let client = client(&server.url());
    let raw: serde_json::Value = client
        .call(
            "ListFlowOperations",
            &ListFlowOperationsRequest {
                max_results: Some(2),
                ..request(DEMO_FIREWALL_ARN)
            },
        )
        .await
        .unwrap();
    let ops = raw["FlowOperations"].as_array().unwrap();
    assert_eq!(ops[0]["FlowRequestTimestamp"].to_string(), "1733337353.759");
    assert!(ops[1]["FlowRequestTimestamp"].is_i64());
    let typed: ListFlowOperationsResponse = serde_json::from_value(raw.clone()).unwrap();
    let ts = typed.flow_operations.unwrap()[0].flow_request_timestamp.unwrap();
    assert_eq!(ts.to_iso8601(), "2024-12-04T18:35:53.759000+00:00");
    server.shutdown().await;
}

#[tokio::test]
async fn every_filter() {
    let server = serve(ServerConfig::demo()).await;
    let client = client(&server.url());
    let dataset = Dataset::demo();
    let records = dataset.flow_operations(DEMO_FIREWALL_ARN).unwrap();
    let assoc = records
        .iter()
        .find_map(|r| r.vpc_endpoint_association_arn.clone())
        .unwrap();
    type Keep = Box<dyn Fn(&FlowOperationRecord) -> bool>;
    let cases: Vec<(ListFlowOperationsRequest, Keep)> = vec![
        (
            ListFlowOperationsRequest {
                flow_operation_type: Some(FlowOperationType::FlowCapture),
                ..request(DEMO_FIREWALL_ARN)
            },
            Box::new(|r: &FlowOperationRecord| r.flow_operation_type == Some(FlowOperationType::FlowCapture)),
        ),
        (
            ListFlowOperationsRequest {
                availability_zone: Some("us-east-1b".into()),
                ..request(DEMO_FIREWALL_ARN)
            },
            Box::new(|r| r.availability_zone.as_deref() == Some("us-east-1b")),
        ),
        (
            ListFlowOperationsRequest {
                vpc_endpoint_association_arn: Some(assoc.clone()),
                ..request(DEMO_FIREWALL_ARN)
            },
            Box::new(move |r| r.vpc_endpoint_association_arn.as_deref() == Some(&assoc[..])),
        ),
        (
            ListFlowOperationsRequest {
                vpc_endpoint_id: Some("vpce-0a1b2c3d4e5f6071c".into()),
                ..request(DEMO_FIREWALL_ARN)
            },
            Box::new(|r| r.vpc_endpoint_id.as_deref() == Some("vpce-0a1b2c3d4e5f6071c")),
        ),
        (
            ListFlowOperationsRequest {
                flow_operation_type: Some(FlowOperationType::FlowFlush),
                availability_zone: Some("us-east-1a".into()),
                ..request(DEMO_FIREWALL_ARN)
            },
            Box::new(|r| {
                r.flow_operation_type == Some(FlowOperationType::FlowFlush)
                    && r.availability_zone.as_deref() == Some("us-east-1a")
            }),
        ),
    ];
    for (req, keep) in cases {
        let want: Vec<_> = records.iter().filter(|r| keep(r)).map(|r| r.to_metadata()).collect();
        assert!(!want.is_empty() && want.len() < records.len());
        for size in [Some(9), None] {
            let (got, _) = list_all(
                &client,
                ListFlowOperationsRequest {
                    max_results: size,
                    ..req.clone()
                },
            )
            .await
            .unwrap();
            assert_eq!(got, want, "{req:?}");
        }
    }
    // A filter nothing matches.
    let none = client
        .list_flow_operations(&ListFlowOperationsRequest {
            vpc_endpoint_id: Some("vpce-doesnotexist".into()),
            ..request(DEMO_FIREWALL_ARN)
        })
        .await
        .unwrap();
    assert_eq!(none.flow_operations, Some(vec![]));
    server.shutdown().await;
}

#[tokio::test]
async fn service_errors() {
    let server = serve(ServerConfig::demo()).await;
    let client = client(&server.url());
    for max in [0, 101, -1] {
        let err = client
            .list_flow_operations(&ListFlowOperationsRequest {
                max_results: Some(max),
                ..request(DEMO_FIREWALL_ARN)
            })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequestException { .. }), "{max}: {err:?}");
        assert!(!err.is_retryable());
    }
    // Garbage, pattern-violating, and well-formed-but-forged tokens.
    for token in ["abc", "not a token!", "AQAAAAAAAAAK", ""] {
        let err = client
            .list_flow_operations(&ListFlowOperationsRequest {
                next_token: Some(token.into()),
                ..request(DEMO_FIREWALL_ARN)
            })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequestException { .. }), "{token}: {err:?}");
    }
    // A real token reused with other filters, or for another firewall.
    let page = client
        .list_flow_operations(&ListFlowOperationsRequest {
            max_results: Some(5),
            ..request(DEMO_FIREWALL_ARN)
        })
        .await
        .unwrap();
    let token = page.next_token.unwrap();
    for req in [
        ListFlowOperationsRequest {
            availability_zone: Some("us-east-1a".into()),
            next_token: Some(token.clone()),
            ..request(DEMO_FIREWALL_ARN)
        },
        ListFlowOperationsRequest {
            next_token: Some(token.clone()),
            ..request(DEMO_EGRESS_FIREWALL_ARN)
        },
    ] {
        let err = client.list_flow_operations(&req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequestException { .. }), "{err:?}");
    }
    // A token from another server instance.
    let other = serve(ServerConfig::demo()).await;
    let err = self::client(&other.url())
        .list_flow_operations(&ListFlowOperationsRequest {
            next_token: Some(token),
            ..request(DEMO_FIREWALL_ARN)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequestException { .. }));
    other.shutdown().await;

    let err = client
        .list_flow_operations(&request(
            "arn:aws:network-firewall:us-east-1:123456789012:firewall/nope",
        ))
        .await
        .unwrap_err();
    match &err {
        Error::ResourceNotFoundException { message } => assert!(message.contains("nope")),
        other => panic!("{other:?}"),
    }
    // Constraint violations.
    for req in [
        request("not-an-arn"),
        request(""),
        ListFlowOperationsRequest {
            vpc_endpoint_id: Some("vpc-123".into()),
            ..request(DEMO_FIREWALL_ARN)
        },
    ] {
        let err = client.list_flow_operations(&req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequestException { .. }), "{err:?}");
    }
    // Missing FirewallArn.
    let err = client
        .call::<_, serde_json::Value>("ListFlowOperations", &serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequestException { .. }), "{err:?}");
    // Wrong member type: the protocol's SerializationException, kept by name.
    let err = client
        .call::<_, serde_json::Value>(
            "ListFlowOperations",
            &serde_json::json!({"FirewallArn": DEMO_FIREWALL_ARN, "MaxResults": "ten"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SerializationException"));
    // Unknown operation: an error code the client does not model.
    let err = client
        .call::<_, serde_json::Value>("DescribeFirewall", &serde_json::json!({}))
        .await
        .unwrap_err();
    match &err {
        Error::Unknown { code, status, .. } => {
            assert_eq!(code, "UnknownOperationException");
            assert_eq!(*status, 400);
        }
        other => panic!("{other:?}"),
    }
    server.shutdown().await;
}

#[tokio::test]
async fn retries_under_throttling() {
    let server = serve(ServerConfig {
        faults: FaultConfig {
            throttle_every: Some(2),
            latency: Duration::ZERO,
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await;
    let client = client(&server.url());
    let req = ListFlowOperationsRequest {
        max_results: Some(25),
        ..request(DEMO_FIREWALL_ARN)
    };
    let (got, pages) = list_all(&client, req.clone()).await.unwrap();
    assert_eq!(got, expected(DEMO_FIREWALL_ARN));
    assert_eq!(pages, 10);
    // Every second request was throttled, so 10 pages took 19 attempts.
    assert_eq!(client.attempts(), 19);
    assert_eq!(server.request_count(), 19);

    // Without retries the throttling surfaces.
    let no_retry = client_with(
        &server.url(),
        demo_credentials(),
        RetryConfig {
            max_attempts: 1,
            ..FAST_RETRY
        },
    );
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        outcomes.push(no_retry.list_flow_operations(&req).await);
    }
    let throttled: Vec<_> = outcomes.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(throttled.len(), 1);
    assert!(matches!(throttled[0], Error::ThrottlingException { .. }));
    assert!(throttled[0].is_throttling() && throttled[0].is_retryable());
    assert_eq!(no_retry.attempts(), 2);
    server.shutdown().await;

    // Throttled every time: gives up after max_attempts.
    let server = serve(ServerConfig {
        faults: FaultConfig {
            throttle_every: Some(1),
            latency: Duration::ZERO,
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await;
    let client = self::client(&server.url());
    let err = client.list_flow_operations(&req).await.unwrap_err();
    assert!(matches!(err, Error::ThrottlingException { .. }));
    assert_eq!(client.attempts(), 3);
    assert_eq!(server.request_count(), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn transport_errors_are_retried_and_typed() {
    // A port nobody listens on: bind, read the port, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = client(&format!("http://127.0.0.1:{port}"));
    let err = client
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(client.attempts(), 3);

    let server = serve(ServerConfig {
        faults: FaultConfig {
            throttle_every: None,
            latency: Duration::from_millis(400),
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await;
    let slow = NetworkFirewallClient::new(
        ClientConfig::new()
            .region("us-east-1")
            .endpoint_url(server.url())
            .credentials(demo_credentials())
            .retry(RetryConfig {
                max_attempts: 2,
                ..FAST_RETRY
            })
            .timeout(Duration::from_millis(100)),
    )
    .unwrap();
    let err = slow
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(slow.attempts(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn signature_verification() {
    // Any region: this endpoint is configured not to check the credential scope.
    let server = serve(ServerConfig {
        region: None,
        ..ServerConfig::demo()
    })
    .await;
    let url = server.url();
    // Right credentials, any region.
    for region in ["us-east-1", "eu-central-1"] {
        let c = NetworkFirewallClient::new(
            ClientConfig::new()
                .region(region)
                .endpoint_url(&url)
                .credentials(demo_credentials()),
        )
        .unwrap();
        c.list_flow_operations(&request(DEMO_FIREWALL_ARN)).await.unwrap();
    }
    let wrong_secret = Credentials::new(
        network_firewall::DEMO_ACCESS_KEY_ID,
        "not-the-secret",
        None,
        None,
        "test",
    );
    let err = client_with(&url, wrong_secret, FAST_RETRY)
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap_err();
    match &err {
        Error::Unknown { code, message, status } => {
            assert_eq!(code, "InvalidSignatureException");
            assert_eq!(*status, 403);
            assert!(message.starts_with("The request signature we calculated does not match"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable());
    let unknown_key = Credentials::new("AKIDUNKNOWN", "whatever", None, None, "test");
    let err = client_with(&url, unknown_key, FAST_RETRY)
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap_err();
    match &err {
        Error::Unknown { code, message, status } => {
            assert_eq!(code, "UnrecognizedClientException");
            assert_eq!(message, "The security token included in the request is invalid.");
            assert_eq!(*status, 403);
        }
        other => panic!("{other:?}"),
    }

    // Unsigned, via reqwest.
    let resp = reqwest::Client::new()
        .post(format!("{url}/"))
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", "NetworkFirewall_20201112.ListFlowOperations")
        .body(format!(r#"{{"FirewallArn":"{DEMO_FIREWALL_ARN}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(resp.headers().contains_key("x-amzn-requestid"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["__type"], "MissingAuthenticationTokenException");
    assert_eq!(body["message"], "Missing Authentication Token");

    // Unsigned, via a raw TCP write.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let body = format!(r#"{{"FirewallArn":"{DEMO_FIREWALL_ARN}"}}"#);
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: NetworkFirewall_20201112.ListFlowOperations\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr(),
        body.len()
    );
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("MissingAuthenticationTokenException"));
    server.shutdown().await;
}

#[tokio::test]
async fn externally_signed_request_with_fixed_time() {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;

    // An endpoint with the clock-skew and region checks off (both are on by default).
    let server = serve(ServerConfig {
        max_clock_skew: None,
        region: None,
        ..ServerConfig::demo()
    })
    .await;
    let url = format!("{}/", server.url());
    let body = format!(r#"{{"FirewallArn":"{DEMO_FIREWALL_ARN}","MaxResults":3}}"#);
    // 2015-08-30T12:36:00Z, far from now.
    let time = std::time::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let identity = demo_credentials().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name("network-firewall")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let host = server.addr().to_string();
    let headers = [
        ("host", host.as_str()),
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "NetworkFirewall_20201112.ListFlowOperations"),
    ];
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (signed_headers, _) = instructions.into_parts();
    let send = |body: String| {
        let mut rb = reqwest::Client::new().post(&url).body(body);
        for (k, v) in headers {
            rb = rb.header(k, v);
        }
        for h in &signed_headers {
            rb = rb.header(h.name(), h.value());
        }
        rb.send()
    };
    let resp = send(body.clone()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/x-amz-json-1.0");
    let page: ListFlowOperationsResponse = resp.json().await.unwrap();
    assert_eq!(page.flow_operations.unwrap().len(), 3);
    // Same signature, tampered body.
    let resp = send(body.replace('3', "4")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let err: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(err["__type"], "InvalidSignatureException");
    server.shutdown().await;

    // With a clock-skew limit the same old signature is rejected.
    let strict = serve(ServerConfig {
        max_clock_skew: Some(Duration::from_secs(15 * 60)),
        region: None,
        ..ServerConfig::demo()
    })
    .await;
    let strict_url = format!("{}/", strict.url());
    let mut rb = reqwest::Client::new().post(&strict_url).body(body);
    for (k, v) in headers {
        rb = rb.header(k, v);
    }
    for h in &signed_headers {
        rb = rb.header(h.name(), h.value());
    }
    let resp = rb.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let err: serde_json::Value = resp.json().await.unwrap();
    assert!(err["message"].as_str().unwrap().starts_with("Signature expired"));
    strict.shutdown().await;
}

#[tokio::test]
async fn session_tokens() {
    let with_token = Credentials::new("ASIADEMOSESSION", "session-secret", Some("tok/en+1=".into()), None, "t");
    let server = serve(ServerConfig {
        credentials: vec![demo_credentials(), with_token.clone()],
        ..ServerConfig::demo()
    })
    .await;
    let url = server.url();
    client_with(&url, with_token.clone(), FAST_RETRY)
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap();
    for token in [None, Some("wrong".to_owned())] {
        let creds = Credentials::new("ASIADEMOSESSION", "session-secret", token, None, "t");
        let err = client_with(&url, creds, FAST_RETRY)
            .list_flow_operations(&request(DEMO_FIREWALL_ARN))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("UnrecognizedClientException"), "{err:?}");
    }
    // A session token sent for long-term credentials is signed and verified too.
    let demo_with_token = Credentials::new(
        network_firewall::DEMO_ACCESS_KEY_ID,
        network_firewall::DEMO_SECRET_ACCESS_KEY,
        Some("ignored-but-signed".into()),
        None,
        "t",
    );
    client_with(&url, demo_with_token, FAST_RETRY)
        .list_flow_operations(&request(DEMO_FIREWALL_ARN))
        .await
        .unwrap();
    server.shutdown().await;
}

#[test]
fn blocking_server_from_sync_code() {
    let server = network_firewall::start_blocking(ServerConfig::demo()).unwrap();
    assert_eq!(server.firewall_arns().len(), 3);
    let url = server.url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (items, _) = runtime
        .block_on(list_all(&client(&url), request(DEMO_EGRESS_FIREWALL_ARN)))
        .unwrap();
    assert_eq!(items, expected(DEMO_EGRESS_FIREWALL_ARN));
    assert_eq!(server.request_count(), 1);
    server.shutdown();
    // Stopped: connections are refused now.
    assert!(std::net::TcpStream::connect(url.trim_start_matches("http://")).is_err());
}

#[tokio::test]
async fn dataset_from_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(
        &path,
        r#"{"Firewalls":[{"FirewallArn":"arn:aws:network-firewall:eu-west-1:111122223333:firewall/f",
            "FlowOperations":[
              {"FlowOperationId":"a","FlowOperationType":"FLOW_MIRROR","FlowRequestTimestamp":1700000000,
               "FlowOperationStatus":"COMPLETED","AvailabilityZone":"eu-west-1a"},
              {"FlowOperationId":"b","FlowRequestTimestamp":1700000000.5}]}]}"#,
    )
    .unwrap();
    let dataset = Dataset::load(&path).unwrap();
    let server = serve(ServerConfig {
        dataset,
        ..ServerConfig::demo()
    })
    .await;
    let arn = server.firewall_arns()[0].clone();
    let (items, pages) = list_all(
        &client(&server.url()),
        ListFlowOperationsRequest {
            max_results: Some(1),
            ..request(&arn)
        },
    )
    .await
    .unwrap();
    assert_eq!(pages, 2);
    assert_eq!(
        items[0].flow_operation_type,
        Some(FlowOperationType::Unknown("FLOW_MIRROR".into()))
    );
    assert_eq!(items[1].flow_operation_type, None);
    assert_eq!(
        serde_json::to_string(&items[1].flow_request_timestamp).unwrap(),
        "1700000000.5"
    );
    assert!(Dataset::load(dir.path().join("missing.json")).is_err());
    server.shutdown().await;
}
