//! The client against hostile or broken endpoints and bad local settings:
//! oversized responses, values that cannot go into a request, credentials in
//! endpoint URLs, non-AWS HTTP errors, and the error classes callers map to
//! exit codes. Every server here is a tiny raw HTTP/1.1 server on 127.0.0.1.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::{demo_request, FAST_RETRY};
use network_firewall::credentials::Environment;
use network_firewall::error::{ErrorKind, Setting};
use network_firewall::server::demo_credentials;
use network_firewall::{
    ClientConfig, Credentials, Error, ListFlowOperationsRequest, NetworkFirewallClient, ServerConfig, DEMO_FIREWALL_ARN,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Every test call is bounded by this, whatever the client does.
const CALL_BOUND: Duration = Duration::from_secs(10);

const GIB: u64 = 1024 * 1024 * 1024;

/// A raw HTTP/1.1 server on 127.0.0.1 handing every connection to `handler`;
/// returns its URL and its connection count.
async fn raw_server<F, Fut>(handler: F) -> (String, Arc<AtomicU64>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicU64::new(0));
    let count = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handler(stream));
        }
    });
    (url, connections)
}

/// Reads one request (head and `Content-Length` body); returns the head.
async fn read_request(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&buf).into_owned(),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        assert!(buf.len() < 1 << 20, "request head too large");
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    head
}

/// A server answering every request with `response` (raw bytes).
async fn fixed_server(response: String) -> (String, Arc<AtomicU64>) {
    let response = Arc::new(response);
    raw_server(move |mut stream| {
        let response = response.clone();
        async move {
            read_request(&mut stream).await;
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

/// How much an endless server wrote, and whether it saw the client hang up.
#[derive(Default)]
struct Flood {
    written: AtomicU64,
    /// Set when a write failed: the client closed the connection.
    hung_up: tokio::sync::Notify,
}

/// A server answering with `head` and then a body of `x` bytes, in 64 KiB
/// pieces (as chunked-encoding chunks when `chunked`), until the client
/// hangs up or 1 GiB was written.
async fn flood_server(head: &'static str, chunked: bool) -> (String, Arc<AtomicU64>, Arc<Flood>) {
    let flood = Arc::new(Flood::default());
    let state = flood.clone();
    let (url, connections) = raw_server(move |mut stream| {
        let state = state.clone();
        async move {
            read_request(&mut stream).await;
            let piece = vec![b'x'; 64 * 1024];
            let mut framed = Vec::new();
            if chunked {
                framed.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                framed.extend_from_slice(&piece);
                framed.extend_from_slice(b"\r\n");
            } else {
                framed = piece;
            }
            let mut ok = stream.write_all(head.as_bytes()).await.is_ok();
            while ok && state.written.load(Ordering::SeqCst) < GIB {
                ok = stream.write_all(&framed).await.is_ok();
                if ok {
                    state.written.fetch_add(framed.len() as u64, Ordering::SeqCst);
                }
            }
            if !ok {
                state.hung_up.notify_one();
            }
        }
    })
    .await;
    (url, connections, flood)
}

fn config(url: &str) -> ClientConfig {
    ClientConfig::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(demo_credentials())
        .environment(Environment::empty())
        .retry(FAST_RETRY)
        .timeout(Duration::from_secs(5))
}

/// Calls `ListFlowOperations` once (with the client's retries), bounded in time.
async fn call(client: &NetworkFirewallClient) -> Result<(), Error> {
    tokio::time::timeout(CALL_BOUND, client.list_flow_operations(&demo_request()))
        .await
        .expect("the call ends in time")
        .map(|_| ())
}

/// Waits until the flood server saw the client hang up; returns the bytes it wrote.
async fn hang_up(flood: &Flood) -> u64 {
    tokio::time::timeout(Duration::from_secs(5), flood.hung_up.notified())
        .await
        .expect("the client closes the connection instead of reading on");
    flood.written.load(Ordering::SeqCst)
}

/// A `Content-Length: 1 GiB` response fails at once, before its body is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_length_over_the_limit_fails_fast() {
    let (url, connections, flood) = flood_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1073741824\r\n\r\n",
        false,
    )
    .await;
    let client = NetworkFirewallClient::new(config(&url)).unwrap();
    assert_eq!(
        client.max_response_bytes(),
        network_firewall::client::DEFAULT_MAX_RESPONSE_BYTES
    );
    let err = call(&client).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { limit, status, .. } => {
            assert_eq!(*limit, 8 * 1024 * 1024);
            assert_eq!(*status, 200);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("exceeded 8388608 bytes"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(err.kind(), ErrorKind::Other);
    assert_eq!(client.attempts(), 1);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    // Only what the socket buffers took was ever sent.
    let written = hang_up(&flood).await;
    assert!(written < 64 * 1024 * 1024, "server wrote {written} bytes");
}

/// An endless chunked body stops being read at the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_chunked_body_stops_at_the_limit() {
    let (url, connections, flood) = flood_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let limit = 256 * 1024;
    let client = NetworkFirewallClient::new(config(&url).max_response_bytes(limit)).unwrap();
    let err = call(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 262_144,
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("exceeded 262144 bytes"), "{err}");
    assert_eq!(client.attempts(), 1);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    let written = hang_up(&flood).await;
    assert!(written < 64 * 1024 * 1024, "server wrote {written} bytes");
}

/// An oversized error response (HTTP 500, normally retried) is not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_error_response_is_not_retried() {
    let (url, connections, flood) = flood_server(
        "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let client = NetworkFirewallClient::new(config(&url).max_response_bytes(64 * 1024)).unwrap();
    let err = call(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 500,
                limit: 65_536,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(client.attempts(), 1);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    hang_up(&flood).await;
}

/// A response exactly at the limit is accepted; one byte over is not.
#[tokio::test]
async fn limit_is_inclusive() {
    let body = r#"{"FlowOperations":[]}"#;
    let (url, _) = fixed_server(format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let exact = NetworkFirewallClient::new(config(&url).max_response_bytes(body.len() as u64)).unwrap();
    call(&exact).await.unwrap();
    let under = NetworkFirewallClient::new(config(&url).max_response_bytes(body.len() as u64 - 1)).unwrap();
    assert!(matches!(call(&under).await, Err(Error::ResponseTooLarge { .. })));
}

fn assert_invalid(result: Result<NetworkFirewallClient, Error>, setting: Setting, what: &str) -> Error {
    let err = result.expect_err(what);
    match &err {
        Error::InvalidSetting { setting: s, .. } => assert_eq!(*s, setting, "{what}: {err}"),
        other => panic!("{what}: expected InvalidSetting({setting:?}), got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Configuration, "{what}");
    assert!(
        err.is_configuration() && !err.is_service() && !err.is_retryable(),
        "{what}"
    );
    assert_eq!(err.kind().aws_cli_exit_code(), 253);
    err
}

/// A region that cannot be a host label is refused when the client is built.
#[tokio::test]
async fn bad_region_is_refused_before_sending() {
    let (url, connections) = fixed_server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".into()).await;
    for region in [
        "us-east-1\n",
        "us-east-1\r\nX-Injected: yes",
        "us east 1",
        "us-east-1/",
        "us_east_1",
        "-us-east-1",
        "us-east-1-",
        "12345",
        "ëu-west-1",
        &"a".repeat(64),
    ] {
        let err = assert_invalid(
            NetworkFirewallClient::new(config(&url).region(region).max_attempts(5)),
            Setting::Region,
            region,
        );
        let message = err.to_string();
        assert!(message.starts_with("invalid region: "), "{message}");
        assert!(!message.contains('\n'), "{message:?}");
    }
    // Same with the default endpoint, where the region goes into the host.
    assert_invalid(
        NetworkFirewallClient::new(
            ClientConfig::new()
                .region("us-east-1\n")
                .credentials(demo_credentials())
                .environment(Environment::empty()),
        ),
        Setting::Region,
        "default endpoint",
    );
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    // Region names that are fine.
    for region in ["us-east-1", "eu-central-1", "us-gov-west-1", "local", "US-EAST-1", "a"] {
        let client = NetworkFirewallClient::new(config(&url).region(region)).unwrap();
        assert_eq!(client.region(), region);
    }
}

/// Credentials that cannot go into a signed request are refused when the
/// client is built, naming the setting but never the value.
#[tokio::test]
async fn bad_credentials_are_refused_before_sending() {
    let (url, connections) = fixed_server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".into()).await;
    let cases: [(Credentials, Setting, &str); 8] = [
        (
            Credentials::new("AKIDSECRETVALUE\n", "s", None, None, "t"),
            Setting::AccessKeyId,
            "AKIDSECRETVALUE",
        ),
        (
            Credentials::new(" AKIDSECRETVALUE", "s", None, None, "t"),
            Setting::AccessKeyId,
            "AKIDSECRETVALUE",
        ),
        (
            Credentials::new("", "s", None, None, "t"),
            Setting::AccessKeyId,
            "is empty",
        ),
        (
            Credentials::new("AKID\u{e9}", "s", None, None, "t"),
            Setting::AccessKeyId,
            "AKID\u{e9}",
        ),
        (
            Credentials::new("AKID", "hunter2-secret\n", None, None, "t"),
            Setting::SecretAccessKey,
            "hunter2-secret",
        ),
        (
            Credentials::new("AKID", "hunter2 secret", None, None, "t"),
            Setting::SecretAccessKey,
            "hunter2",
        ),
        (
            Credentials::new("AKID", "", None, None, "t"),
            Setting::SecretAccessKey,
            "is empty",
        ),
        (
            Credentials::new("AKID", "s", Some("session-token\r\nX: y".into()), None, "t"),
            Setting::SessionToken,
            "session-token",
        ),
    ];
    for (credentials, setting, value) in cases {
        let err = assert_invalid(
            NetworkFirewallClient::new(config(&url).credentials(credentials).max_attempts(5)),
            setting,
            value,
        );
        let message = err.to_string();
        if value == "is empty" {
            assert!(message.ends_with("the value is empty"), "{message}");
        } else {
            assert!(!message.contains(value), "the value is echoed: {message}");
            assert!(!format!("{err:?}").contains(value), "the value is echoed: {err:?}");
        }
        let name = match setting {
            Setting::AccessKeyId => "AWS_ACCESS_KEY_ID",
            Setting::SecretAccessKey => "AWS_SECRET_ACCESS_KEY",
            _ => "AWS_SESSION_TOKEN",
        };
        assert!(message.contains(name), "{message}");
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

/// Endpoint URLs that are not `http(s)://host[:port][/path]` are refused.
#[test]
fn bad_endpoint_url_is_refused() {
    for url in [
        "127.0.0.1:8080",
        "localhost:8080",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "http://",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:1/\n",
        " http://127.0.0.1:1",
        "http://127.0.0.1:1/?a=b",
        "http://127.0.0.1:1/#frag",
        "",
    ] {
        let err = assert_invalid(NetworkFirewallClient::new(config(url)), Setting::EndpointUrl, url);
        assert!(err.to_string().starts_with("invalid endpoint URL: "), "{err}");
    }
    for url in ["http://127.0.0.1:1", "https://example.com/", "http://[::1]:8080/base/"] {
        NetworkFirewallClient::new(config(url)).unwrap();
    }
}

/// A password in the endpoint URL appears in no error message and no
/// `Debug` output.
#[tokio::test]
async fn endpoint_userinfo_is_redacted() {
    const SECRET: &str = "s3cr3t-pw";
    let check = |what: &str, text: &str| {
        assert!(!text.contains(SECRET), "{what} shows the password: {text}");
        assert!(!text.contains("alice"), "{what} shows the user: {text}");
    };
    // Connection refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://alice:{SECRET}@127.0.0.1:{port}/");
    let cfg = config(&url).max_attempts(1);
    check("ClientConfig Debug", &format!("{cfg:?}"));
    let client = NetworkFirewallClient::new(cfg).unwrap();
    check("client Debug", &format!("{client:?}"));
    check("endpoint()", client.endpoint());
    assert_eq!(client.endpoint(), format!("http://***@127.0.0.1:{port}"));
    let err = call(&client).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    check("Connect", &err.to_string());
    check("Connect Debug", &format!("{err:?}"));
    assert!(
        err.to_string().contains(&format!("http://***@127.0.0.1:{port}")),
        "{err}"
    );

    // Timed out: a server that never answers.
    let (silent, _) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        std::future::pending::<()>().await;
    })
    .await;
    let url = silent.replace("http://", &format!("http://alice:{SECRET}@"));
    let client = NetworkFirewallClient::new(config(&url).max_attempts(1).timeout(Duration::from_millis(200))).unwrap();
    let err = call(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    check("Timeout", &err.to_string());
    check("Timeout Debug", &format!("{err:?}"));

    // A non-AWS HTTP error, and an oversized response.
    let (not_found, _) = fixed_server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".into()).await;
    let url = not_found.replace("http://", &format!("http://alice:{SECRET}@"));
    let err = call(&NetworkFirewallClient::new(config(&url)).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    check("Http", &err.to_string());
    check("Http Debug", &format!("{err:?}"));
    let err = call(&NetworkFirewallClient::new(config(&url).max_response_bytes(0)).unwrap())
        .await
        .unwrap_err();
    check("Http", &err.to_string());
    let (big, _) = fixed_server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789".into()).await;
    let url = big.replace("http://", &format!("http://alice:{SECRET}@"));
    let err = call(&NetworkFirewallClient::new(config(&url).max_response_bytes(5)).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    check("ResponseTooLarge", &err.to_string());
    check("ResponseTooLarge Debug", &format!("{err:?}"));

    // Refused configuration.
    for url in [
        format!("ftp://alice:{SECRET}@127.0.0.1/"),
        format!("http://alice:{SECRET}@127.0.0.1:1/\n"),
        format!("http://alice:{SECRET}@127.0.0.1:1/?x"),
        format!("http://alice:{SECRET}@127.0.0.1:99999/"),
        format!("alice:{SECRET}@127.0.0.1:1"),
    ] {
        let err = NetworkFirewallClient::new(config(&url)).unwrap_err();
        assert!(matches!(err, Error::InvalidSetting { .. }), "{err:?}");
        check("InvalidSetting", &err.to_string());
        check("InvalidSetting Debug", &format!("{err:?}"));
    }
}

/// Userinfo in the endpoint URL is not sent: requests carry one
/// Authorization header, SigV4's.
#[tokio::test]
async fn endpoint_userinfo_is_not_sent() {
    let server = network_firewall::start(ServerConfig::demo()).await.unwrap();
    let url = server.url().replace("http://", "http://alice:s3cr3t-pw@");
    call(&NetworkFirewallClient::new(config(&url)).unwrap()).await.unwrap();
    server.shutdown().await;

    let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = heads.clone();
    let (url, _) = raw_server(move |mut stream| {
        let seen = seen.clone();
        async move {
            let head = read_request(&mut stream).await;
            seen.lock().unwrap().push(head);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                .await;
        }
    })
    .await;
    let url = url.replace("http://", "http://alice:s3cr3t-pw@");
    call(&NetworkFirewallClient::new(config(&url)).unwrap()).await.unwrap();
    let heads = heads.lock().unwrap();
    let authorization: Vec<&str> = heads[0]
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .collect();
    assert_eq!(authorization.len(), 1, "{}", heads[0]);
    assert!(authorization[0].contains("AWS4-HMAC-SHA256"), "{}", heads[0]);
    assert!(!heads[0].contains("Basic"), "{}", heads[0]);
}

/// An HTTP error that is not an AWS error says so, with the start of the body.
#[tokio::test]
async fn non_aws_http_errors_are_explained() {
    let (url, connections) = fixed_server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".into()).await;
    let client = NetworkFirewallClient::new(config(&url)).unwrap();
    let err = call(&client).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("HTTP 404 Not Found from {url}: the endpoint did not answer with an AWS error (body: empty)")
    );
    assert_eq!(err.kind(), ErrorKind::Other);
    assert_eq!(err.kind().aws_cli_exit_code(), 255);
    assert_eq!((err.code(), err.status()), (None, Some(404)));
    assert!(!err.is_retryable());
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    // A proxy's HTML page: the first 200 characters, quoted; a 502 is retried.
    let page = format!("<html>{}</html>", "é".repeat(500));
    let (url, connections) = fixed_server(format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    ))
    .await;
    let client = NetworkFirewallClient::new(config(&url)).unwrap();
    let err = call(&client).await.unwrap_err();
    let message = err.to_string();
    let shown: String = page.chars().take(200).collect();
    assert!(
        message.starts_with(&format!(
            "HTTP 502 Bad Gateway from {url}: the endpoint did not answer with an AWS error (body: \"{shown}…\")"
        )),
        "{message}"
    );
    assert!(matches!(&err, Error::Http { body, .. } if body.chars().count() == 201));
    assert!(err.is_retryable());
    assert_eq!(client.attempts(), 3);
    assert_eq!(connections.load(Ordering::SeqCst), 3);

    // JSON that is not an AWS error (no `__type`, no `code`, no header).
    let (url, _) = fixed_server(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 23\r\n\r\n{\"message\":\"Forbidden\"}"
            .into(),
    )
    .await;
    let err = call(&NetworkFirewallClient::new(config(&url)).unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "HTTP 403 Forbidden from {url}: the endpoint did not answer with an AWS error \
             (body: \"{{\\\"message\\\":\\\"Forbidden\\\"}}\")"
        )
    );

    // Still AWS errors: the `x-amzn-ErrorType` header alone, or `__type`.
    let (url, _) = fixed_server(
        "HTTP/1.1 400 Bad Request\r\nx-amzn-ErrorType: ValidationException:http://internal.amazon.com/\r\n\
         Content-Length: 0\r\n\r\n"
            .into(),
    )
    .await;
    let err = call(&NetworkFirewallClient::new(config(&url)).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"), "{err:?}");
    assert_eq!(err.to_string(), "ValidationException (HTTP 400)");
    assert_eq!(err.kind(), ErrorKind::Service);
    let body = r#"{"__type":"com.amazon#AccessDeniedException","Message":"no"}"#;
    let (url, _) = fixed_server(format!(
        "HTTP/1.1 403 Forbidden\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let err = call(&NetworkFirewallClient::new(config(&url)).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "AccessDeniedException (HTTP 403): no");
    assert!(err.is_service());
}

/// Errors fall into the AWS CLI v2's exit-code classes: 253 local
/// configuration, 254 service error, 255 anything else.
#[tokio::test]
async fn errors_are_classified_for_exit_codes() {
    // 253: no credentials anywhere (an empty environment, an empty HOME, no
    // instance metadata), found at the first call, before anything is sent.
    let home = tempfile::tempdir().unwrap();
    let empty = || {
        Environment::empty()
            .set("HOME", home.path().display().to_string())
            .set("AWS_EC2_METADATA_DISABLED", "true")
    };
    let (url, connections) = fixed_server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".into()).await;
    let client = NetworkFirewallClient::new(
        ClientConfig::new()
            .region("us-east-1")
            .endpoint_url(&url)
            .environment(empty()),
    )
    .unwrap();
    let err = call(&client).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert_eq!(err.kind().aws_cli_exit_code(), 253);
    assert_eq!((client.attempts(), connections.load(Ordering::SeqCst)), (0, 0));
    // 253: no region.
    let err = NetworkFirewallClient::load(ClientConfig::new().credentials(demo_credentials()).environment(empty()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration, "{err:?}");

    // 254: the service's own errors.
    let server = network_firewall::start(ServerConfig::demo()).await.unwrap();
    let client = NetworkFirewallClient::new(config(&server.url())).unwrap();
    let err = client
        .list_flow_operations(&ListFlowOperationsRequest {
            firewall_arn: "arn:aws:network-firewall:us-east-1:123456789012:firewall/nope".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResourceNotFoundException { .. }), "{err:?}");
    assert_eq!((err.kind(), err.kind().aws_cli_exit_code()), (ErrorKind::Service, 254));
    let err = client
        .list_flow_operations(&ListFlowOperationsRequest {
            max_results: Some(0),
            ..demo_request()
        })
        .await
        .unwrap_err();
    assert!(err.is_service(), "{err:?}");
    let wrong = Credentials::new(network_firewall::DEMO_ACCESS_KEY_ID, "wrong", None, None, "t");
    let err = call(&NetworkFirewallClient::new(config(&server.url()).credentials(wrong)).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert!(err.is_service());
    server.shutdown().await;
    for code in ["ThrottlingException", "InternalServerError", "InvalidRequestException"] {
        assert_eq!(Error::from_service(code, String::new(), 400).kind(), ErrorKind::Service);
    }

    // 255: nobody listening; an undecodable 200.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = call(&NetworkFirewallClient::new(config(&format!("http://127.0.0.1:{port}"))).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!((err.kind(), err.kind().aws_cli_exit_code()), (ErrorKind::Other, 255));
    let (url, _) = fixed_server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".into()).await;
    let err = call(&NetworkFirewallClient::new(config(&url)).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Other);
}

/// A request body over `MAX_REQUEST_BYTES` is refused before anything is
/// sent; one at the limit is sent.
#[tokio::test]
async fn oversized_request_is_not_sent() {
    use network_firewall::client::MAX_REQUEST_BYTES;
    let (url, connections) = raw_server(|mut stream: TcpStream| async move {
        let _ = read_request(&mut stream).await;
        let body = r#"{"FlowOperations": []}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
    })
    .await;
    let client = NetworkFirewallClient::new(config(&url)).unwrap();
    let overhead = serde_json::to_vec(&demo_request()).unwrap().len() - DEMO_FIREWALL_ARN.len();
    let sized = |len: usize| ListFlowOperationsRequest {
        firewall_arn: "a".repeat(len - overhead),
        ..Default::default()
    };
    let err = tokio::time::timeout(CALL_BOUND, client.list_flow_operations(&sized(MAX_REQUEST_BYTES + 1)))
        .await
        .expect("the call ends in time")
        .unwrap_err();
    assert!(matches!(err, Error::Request(_)), "{err:?}");
    assert!(err.to_string().contains("over the limit"), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 0, "nothing sent");
    tokio::time::timeout(CALL_BOUND, client.list_flow_operations(&sized(MAX_REQUEST_BYTES)))
        .await
        .expect("the call ends in time")
        .unwrap();
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
