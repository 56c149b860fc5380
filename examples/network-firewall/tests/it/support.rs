//! What several test modules share: the command under test (in a clean
//! environment), the local
//! endpoint, quick retries, the demo firewall's request, firewalls made up
//! for a test, and proptest runners.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use network_firewall::dataset::{FirewallData, FlowOperationRecord};
use network_firewall::server::FaultConfig;
use network_firewall::{ListFlowOperationsRequest, RetryConfig, ServerConfig, ServerHandle, DEMO_FIREWALL_ARN};
use proptest::test_runner::{Config, TestRunner};

/// The example binary `cargo test` built next to this test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_list_flow_operations"))
}

/// The binary with a clean environment: the demo credentials and region,
/// `home` as its home with no credentials or config file, and no instance
/// metadata lookups (the credential chain's last source).
pub fn clean_command(home: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .env_clear()
        .env("HOME", home)
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_ACCESS_KEY_ID", "AKIDPAGINATEDEMO")
        .env("AWS_SECRET_ACCESS_KEY", "paginate-demo-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}

/// Three attempts a call, a few milliseconds apart.
pub const FAST_RETRY: RetryConfig = RetryConfig {
    max_attempts: 3,
    base_delay: Duration::from_millis(1),
    max_backoff: Duration::from_millis(5),
};

/// The local endpoint with `config`.
pub async fn serve(config: ServerConfig) -> ServerHandle {
    network_firewall::start(config).await.expect("server starts")
}

/// The demo endpoint, throttling every `throttle_every`th request and
/// answering after `latency`.
pub async fn faulty_server(throttle_every: Option<u64>, latency: Duration) -> ServerHandle {
    serve(ServerConfig {
        faults: FaultConfig {
            throttle_every,
            latency,
            ..FaultConfig::default()
        },
        ..ServerConfig::demo()
    })
    .await
}

/// The demo firewall's listing, from the start, at the service's page size.
pub fn demo_request() -> ListFlowOperationsRequest {
    ListFlowOperationsRequest {
        firewall_arn: DEMO_FIREWALL_ARN.to_owned(),
        ..Default::default()
    }
}

/// A firewall whose operations carry their ids and nothing else.
pub fn firewall(arn: String, operation_ids: impl IntoIterator<Item = String>) -> FirewallData {
    FirewallData {
        firewall_arn: arn,
        flow_operations: operation_ids
            .into_iter()
            .map(|flow_operation_id| FlowOperationRecord {
                flow_operation_id,
                flow_operation_type: None,
                flow_request_timestamp: None,
                flow_operation_status: None,
                availability_zone: None,
                vpc_endpoint_association_arn: None,
                vpc_endpoint_id: None,
            })
            .collect(),
    }
}

/// The number in the environment variable `var`, or `default`.
pub fn cases(var: &str, default: u32) -> u32 {
    std::env::var(var).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// A proptest runner of `cases` cases that writes no failure files.
pub fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Reads one HTTP/1.1 request from `stream`: the head, then `content-length`
/// bytes of body (what the scripted servers of these tests answer).
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let complete = |request: &[u8]| {
        let text = String::from_utf8_lossy(request);
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            return false;
        };
        let length = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        body.len() >= length
    };
    let mut request = Vec::new();
    let mut chunk = [0u8; 8192];
    while !complete(&request) {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
    request
}
