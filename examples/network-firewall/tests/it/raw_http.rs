//! HTTP to the local endpoint below the client, for the tests and the flood
//! bench: the `ListFlowOperations` request (as the client sends it, and as
//! its JSON body), headers signed with the demo credentials or forged with
//! the public demo key id, a request head written by hand, the client they
//! are compared with (one attempt, a bounded wait), and whether the server
//! has closed a connection.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use network_firewall::server::demo_credentials;
use network_firewall::{
    ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient, RetryConfig, DEMO_FIREWALL_ARN,
};
use tokio::net::TcpStream;

/// The `x-amz-target` of `ListFlowOperations`.
pub const TARGET: &str = "NetworkFirewall_20201112.ListFlowOperations";

/// The demo firewall's operations, two a page.
pub fn request() -> ListFlowOperationsRequest {
    ListFlowOperationsRequest {
        firewall_arn: DEMO_FIREWALL_ARN.to_owned(),
        max_results: Some(2),
        ..Default::default()
    }
}

/// [`request`] as the JSON body the client sends.
pub fn body() -> String {
    format!(r#"{{"FirewallArn":"{DEMO_FIREWALL_ARN}","MaxResults":2}}"#)
}

/// How to sign a hand-made request.
pub struct Signing<'a> {
    pub time: SystemTime,
    pub region: &'a str,
    pub service: &'a str,
    /// Send (and sign) `x-amz-content-sha256`.
    pub content_sha256: bool,
}

impl Default for Signing<'_> {
    fn default() -> Self {
        Signing {
            time: SystemTime::now(),
            region: "us-east-1",
            service: "network-firewall",
            content_sha256: false,
        }
    }
}

/// The headers of a `ListFlowOperations` request over `body`, signed with
/// the demo credentials (`host`, `content-type`, `x-amz-target` included).
pub fn signed_headers(host: &str, body: &[u8], signing: &Signing<'_>) -> Vec<(String, String)> {
    let identity = demo_credentials().into();
    let mut settings = SigningSettings::default();
    if signing.content_sha256 {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(signing.region)
        .name(signing.service)
        .time(signing.time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let mut headers = vec![
        ("host".to_owned(), host.to_owned()),
        ("content-type".to_owned(), "application/x-amz-json-1.0".to_owned()),
        ("x-amz-target".to_owned(), TARGET.to_owned()),
    ];
    let url = format!("http://{host}/");
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (added, _) = instructions.into_parts();
    headers.extend(added.iter().map(|h| (h.name().to_owned(), h.value().to_owned())));
    headers
}

/// The same headers with the signature replaced by a made-up one: what
/// anyone who knows the (public) demo access key id can send.
pub fn forged_headers(host: &str, signing: &Signing<'_>) -> Vec<(String, String)> {
    let mut headers = signed_headers(host, b"{}", signing);
    for (name, value) in &mut headers {
        if name == "authorization" {
            let (head, _) = value.rsplit_once("Signature=").unwrap();
            *value = format!("{head}Signature={}", "0".repeat(64));
        }
    }
    headers
}

/// A request head (no body) with the given headers plus `extra` lines.
pub fn head(headers: &[(String, String)], extra: &str) -> String {
    let mut text = String::from("POST / HTTP/1.1\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str(extra);
    text.push_str("\r\n");
    text
}

/// The client for `url` signing for `region`, with one attempt a call and
/// `timeout` to wait.
pub fn client(url: &str, region: &str, timeout: Duration) -> NetworkFirewallClient {
    NetworkFirewallClient::new(
        ClientConfig::new()
            .region(region)
            .endpoint_url(url)
            .credentials(demo_credentials())
            .retry(RetryConfig {
                max_attempts: 1,
                base_delay: Duration::from_millis(1),
                max_backoff: Duration::from_millis(1),
            })
            .timeout(timeout),
    )
    .expect("client builds")
}

/// Whether the server has closed the connection, from what has arrived so
/// far (anything it sent first is read and discarded); never waits.
pub fn is_closed(stream: &TcpStream) -> bool {
    let mut chunk = [0u8; 1024];
    loop {
        match stream.try_read(&mut chunk) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}
