//! Fuzzing the local endpoint's request handling with proptest's byte and
//! string strategies (cargo-fuzz needs a nightly toolchain, which this
//! machine cannot fetch). The test prints how many inputs it ran;
//! `PAGINATE_FUZZ_CASES=N` runs more.

use std::cell::{Cell, RefCell};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::{cases, runner, serve};
use network_firewall::server::ServerLimits;
use network_firewall::{
    ClientConfig, FlowOperationType, ListFlowOperationsRequest, NetworkFirewallClient, RetryConfig, ServerConfig,
    DEMO_FIREWALL_ARN,
};
use proptest::prelude::*;

/// How long the raw-bytes server waits for a request's head or body before
/// it closes the connection: short, so that each input's connection ends soon.
const RAW_TIMEOUT: Duration = Duration::from_millis(100);

/// How long a connection may stay open before the test fails: the server
/// closes it after [`RAW_TIMEOUT`] at the latest, this is far past that.
const CLOSE_DEADLINE: Duration = Duration::from_secs(20);

/// Reads whatever the server sends until it closes the connection (end of
/// stream or a reset); `None` if it is still open at [`CLOSE_DEADLINE`].
fn drain(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let deadline = Instant::now() + CLOSE_DEADLINE;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        match stream.read(&mut buf) {
            Ok(0) => return Some(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return None,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Reset or aborted: the server closed the connection.
            Err(_) => return Some(out),
        }
    }
}

/// Bytes that look more or less like HTTP.
fn http_input() -> impl Strategy<Value = Vec<u8>> {
    let header = ("[A-Za-z-]{1,20}", "[ -~]{0,40}").prop_map(|(k, v)| format!("{k}: {v}\r\n"));
    let request = (
        prop_oneof![Just("POST".to_owned()), Just("GET".to_owned()), "[A-Z]{1,8}"],
        prop_oneof![Just("/".to_owned()), "/[ -~]{0,30}"],
        prop::collection::vec(header, 0..8),
        prop::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(method, path, headers, body)| {
            let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}", headers.concat()).into_bytes();
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend(body);
            out
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..2048), request]
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_under_arbitrary_bytes_and_requests() {
    let server = serve(ServerConfig::demo()).await;
    let raw_server = serve(ServerConfig {
        limits: ServerLimits {
            header_read_timeout: RAW_TIMEOUT,
            body_read_timeout: RAW_TIMEOUT,
            ..ServerLimits::default()
        },
        ..ServerConfig::demo()
    })
    .await;
    let addr = raw_server.addr();
    let url = server.url();
    let raw_total = cases("PAGINATE_FUZZ_CASES", 300);
    let signed_total = cases("PAGINATE_FUZZ_CASES", 400);
    let report = tokio::task::spawn_blocking(move || {
        // 1. Arbitrary bytes on fresh connections: answered or closed, never a crash.
        let mut runner = runner(raw_total);
        let answered = Cell::new(0u32);
        runner
            .run(&http_input(), |bytes| {
                let mut stream = TcpStream::connect(addr).expect("the endpoint still accepts connections");
                let _ = stream.write_all(&bytes);
                let Some(reply) = drain(&mut stream) else {
                    return Err(TestCaseError::fail(format!(
                        "the connection still open after {CLOSE_DEADLINE:?} for {bytes:?}"
                    )));
                };
                if reply.starts_with(b"HTTP/1.1 ") {
                    answered.set(answered.get() + 1);
                    prop_assert!(!reply.starts_with(b"HTTP/1.1 5"), "a server error for {bytes:?}");
                }
                Ok(())
            })
            .expect("the endpoint survives arbitrary bytes");
        answered.get()
    })
    .await
    .expect("no panic");

    // 2. Properly signed requests with arbitrary field values: a page or a typed
    //    client error (validation, not found), never a 5xx.
    let retry = RetryConfig {
        max_attempts: 1,
        base_delay: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let config = ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url.clone())
        .credentials(network_firewall::server::demo_credentials())
        .retry(retry);
    let client = NetworkFirewallClient::new(config).expect("client");
    let strategy = (
        prop_oneof![Just(DEMO_FIREWALL_ARN.to_owned()), any::<String>()],
        prop::option::of(any::<String>()),
        prop::option::of(prop_oneof![Just("FLOW_FLUSH".to_owned()), any::<String>()]),
        prop::option::of(any::<String>()),
        prop::option::of(any::<i32>()),
    );
    let mut runner = runner(signed_total);
    let outcomes = RefCell::new(std::collections::BTreeMap::<String, u32>::new());
    let handle = tokio::runtime::Handle::current();
    let result = tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |(arn, zone, kind, token, max)| {
                let request = ListFlowOperationsRequest {
                    firewall_arn: arn,
                    availability_zone: zone,
                    flow_operation_type: kind.map(|k| FlowOperationType::from(k.as_str())),
                    next_token: token,
                    max_results: max,
                    ..Default::default()
                };
                let outcome = handle.block_on(client.list_flow_operations(&request));
                let label = match &outcome {
                    Ok(_) => "page".to_owned(),
                    Err(e) => e.to_string().split(':').next().unwrap_or_default().to_owned(),
                };
                prop_assert!(
                    !matches!(outcome, Err(network_firewall::Error::InternalServerError { .. })),
                    "a server error for {request:?}"
                );
                *outcomes.borrow_mut().entry(label).or_default() += 1;
                Ok(())
            })
            .map_err(|e| e.to_string())
    });
    result.expect("every signed request gets a page or a client error");
    println!(
        "fuzz: endpoint ran {raw_total} raw inputs ({report} answered) and {signed_total} signed requests: {:?}",
        outcomes.borrow()
    );
    server.shutdown().await;
    raw_server.shutdown().await;
}
