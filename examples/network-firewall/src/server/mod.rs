//! A local AWS Network Firewall endpoint serving `ListFlowOperations`.
//!
//! It speaks the service's wire protocol (AWS JSON 1.0 over HTTP/1.1,
//! SigV4-authenticated), so third-party clients can be pointed at it, e.g.
//! `aws network-firewall list-flow-operations --endpoint-url http://127.0.0.1:PORT --region us-east-1 ...`
//! with the demo credentials ([`DEMO_ACCESS_KEY_ID`] / [`DEMO_SECRET_ACCESS_KEY`]).
//!
//! # Behaviour
//!
//! * `POST /` with `X-Amz-Target: NetworkFirewall_20201112.ListFlowOperations`;
//!   any other target (or method/path) gets `UnknownOperationException` (400).
//! * Success: `200`, `Content-Type: application/x-amz-json-1.0`,
//!   `x-amzn-RequestId`. Errors: `{"__type":"<Code>","message":"..."}` plus
//!   an `x-amzn-ErrorType` header; HTTP 400 except `InternalServerError` (500)
//!   and the authentication errors (403).
//! * Authentication (checked first, from the headers alone, before any of the
//!   body is read): no `Authorization` header →
//!   `MissingAuthenticationTokenException` (403); a malformed one →
//!   `IncompleteSignatureException` (400); unknown access key, or a session
//!   token that does not match the configured one → `UnrecognizedClientException`
//!   (403, "The security token included in the request is invalid.");
//!   credential scope for another service or for a region other than
//!   [`ServerConfig::region`] (default `us-east-1`), an `X-Amz-Date` further
//!   than [`ServerConfig::max_clock_skew`] (default 5 minutes) from the
//!   server's clock ("Signature expired: ..."), or a wrong signature →
//!   `InvalidSignatureException` (403). The signature is verified by
//!   re-signing the received request with `aws-sigv4` over the same signed
//!   headers and `x-amz-date`, and comparing in constant time. When the
//!   request declares its payload hash (`x-amz-content-sha256`), the
//!   signature is verified before the body is read, and the body must then
//!   hash to the declared value; otherwise the body (at most
//!   [`ServerLimits::max_body_bytes`]) is read and hashed first.
//! * Limits ([`ServerLimits`]): a body declared larger than
//!   `max_body_bytes` (64 KiB) is refused at once, unread, with
//!   `RequestEntityTooLargeException` (413); a chunked body is cut off there
//!   too. A body not received within `body_read_timeout` →
//!   `RequestTimeoutException` (408). At most `max_connections` (512)
//!   connections are served at once: when full, the connection idle the
//!   longest is closed to make room, and if none is idle the new connection
//!   gets a `503` and is closed. Connections that do not send a complete
//!   request head within `header_read_timeout` (10 s; this also bounds the
//!   keep-alive wait between requests), or move no bytes for `idle_timeout`
//!   while no request is being handled, are closed. Bodies being read hold
//!   at most `max_pending_body_bytes` (8 MiB) in total; past that a request
//!   gets `ServiceUnavailableException` (503, retryable).
//! * Faults ([`FaultConfig`]): added latency for every request, and a
//!   `ThrottlingException` for every Nth authenticated request.
//! * Body errors: a body that is not a JSON object of the right member types
//!   → `SerializationException` (400, as the AWS JSON protocol does);
//!   missing `FirewallArn` or any member outside its model constraints
//!   (length, pattern, `MaxResults` 1..=100, a `FlowOperationType` outside
//!   the model's enum) → `InvalidRequestException`.
//! * Unknown firewall → `ResourceNotFoundException`.
//! * Paging: without `MaxResults` a page holds [`DEFAULT_PAGE_SIZE`] (100, the
//!   model maximum, as many AWS list APIs do) operations. `NextToken` is
//!   opaque base64 (so it matches `[0-9A-Za-z:\/+=]+$`) carrying a position
//!   and an HMAC-SHA256 over the firewall ARN, the filters and the position,
//!   keyed with [`ServerConfig::token_key`] (by default a random key drawn
//!   at each server start): a token altered, made up, issued by another
//!   server instance, or replayed with another firewall or other filters is
//!   rejected with `InvalidRequestException`. Changing only `MaxResults`
//!   between pages is allowed. A page costs the same whatever the size of
//!   the dataset (without filters; with filters, plus the records skipped).
//! * Filters (`FlowOperationType`, `AvailabilityZone`,
//!   `VpcEndpointAssociationArn`, `VpcEndpointId`) select the operations
//!   whose recorded attribute equals the given value; all given filters must
//!   match.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

mod auth;
mod body;
mod conn;
mod operation;

use conn::{ConnState, Tracker};
use operation::list_flow_operations;

use crate::client::{CONTENT_TYPE, TARGET_PREFIX};
pub use crate::dataset::{
    Dataset, DatasetError, FirewallData, FlowOperationRecord, DEMO_EGRESS_FIREWALL_ARN, DEMO_EMPTY_FIREWALL_ARN,
    DEMO_FIREWALL_ARN,
};
use crate::model::{FlowOperationType, ListFlowOperationsResponse};
use crate::sigv4::{format_amz_date, parse_amz_date, sign_request, HeaderPolicy, SIGNING_NAME};

/// Access key id of the demo credentials accepted by default.
pub const DEMO_ACCESS_KEY_ID: &str = "AKIDPAGINATEDEMO";

/// Secret access key of the demo credentials accepted by default.
pub const DEMO_SECRET_ACCESS_KEY: &str = "paginate-demo-secret";

/// Page size when a request has no `MaxResults`.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// Largest request body accepted by default (bytes), [`ServerLimits::max_body_bytes`].
/// A `ListFlowOperations` body is a few hundred bytes; its members' model
/// limits (ARNs of 256 characters, a token of 4096) keep it under 8 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The region a local endpoint serves by default ([`ServerConfig::region`]).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Largest difference between a request's `X-Amz-Date` and the server's
/// clock accepted by default ([`ServerConfig::max_clock_skew`]), as AWS does.
pub const DEFAULT_MAX_CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// Shortest [`ServerConfig::token_key`] accepted (bytes).
pub const MIN_TOKEN_KEY_BYTES: usize = 16;

/// The demo credentials ([`DEMO_ACCESS_KEY_ID`], [`DEMO_SECRET_ACCESS_KEY`], no session token).
pub fn demo_credentials() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, None, "paginate-demo")
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding `127.0.0.1:<port>` failed.
    #[error("cannot bind 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The background runtime or thread could not be created.
    #[error("cannot start server runtime: {0}")]
    Runtime(String),
    /// The [`ServerConfig`] is unusable (a token key too short, a zero limit, ...).
    #[error("invalid server configuration: {0}")]
    Config(String),
}

/// Fault injection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultConfig {
    /// Answer every Nth authenticated request (N, 2N, ...) with a
    /// `ThrottlingException`. `None` or `Some(0)`: never.
    pub throttle_every: Option<u64>,
    /// Answer every Nth authenticated request with a 500
    /// `InternalServerError` (unless it was throttled). `None` or `Some(0)`: never.
    pub error_every: Option<u64>,
    /// Close the connection of every Nth authenticated request without
    /// answering (unless it was throttled or failed). `None` or `Some(0)`: never.
    pub reset_every: Option<u64>,
    /// Delay added before answering each request.
    pub latency: Duration,
}

/// Resource limits of a local endpoint: what a client, signed or not, can
/// make it hold. The defaults ([`ServerLimits::default`]) suit any
/// well-behaved client; every value must be non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Connections served at once (default 512). When full, the
    /// connection idle the longest (no request being handled) is closed to
    /// make room for a new one; if every connection is busy the new one gets
    /// a `503` and is closed. Keep it well under the process's open-file
    /// limit (`ulimit -n`).
    pub max_connections: usize,
    /// Largest request body (default [`MAX_BODY_BYTES`], 64 KiB). A larger
    /// `Content-Length` is refused before the body is read (413).
    pub max_body_bytes: usize,
    /// Bytes of request bodies being read at once, over all connections
    /// (default 8 MiB; at least `max_body_bytes`). A request that would go
    /// past it gets `ServiceUnavailableException` (503).
    pub max_pending_body_bytes: usize,
    /// Time allowed to receive a request's head (request line and headers),
    /// counted from when the connection starts waiting for it: it also
    /// closes connections that send nothing, and keep-alive connections
    /// idle between requests (default 10 s).
    pub header_read_timeout: Duration,
    /// Time allowed to receive a request's body once its head is in
    /// (default 10 s); past it, `RequestTimeoutException` (408).
    pub body_read_timeout: Duration,
    /// A connection on which no request is being handled and no byte has
    /// moved either way for this long is closed, e.g. one whose client
    /// stopped reading its response (default 30 s).
    pub idle_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 512,
            max_body_bytes: MAX_BODY_BYTES,
            max_pending_body_bytes: 8 << 20,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
        }
    }
}

/// Configuration of a local endpoint.
///
/// Its `Debug` output shows neither the token key nor any secret key.
#[derive(Clone)]
pub struct ServerConfig {
    /// Port on 127.0.0.1; 0 picks an ephemeral port.
    pub port: u16,
    /// What to serve.
    pub dataset: Dataset,
    /// Credentials accepted. A credential with a session token is accepted
    /// only with that exact `x-amz-security-token`.
    pub credentials: Vec<Credentials>,
    /// Page size when `MaxResults` is absent.
    pub default_page_size: usize,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Reject signatures whose `x-amz-date` is further than this from the
    /// server's clock, either way, with `InvalidSignatureException`
    /// ("Signature expired: ..." / "Signature not yet current: ...").
    /// Default: [`DEFAULT_MAX_CLOCK_SKEW`] (5 minutes, as AWS). `None`: never
    /// (only for replaying requests signed at a fixed time).
    pub max_clock_skew: Option<Duration>,
    /// The region this endpoint serves: a request whose credential scope
    /// names another region is refused with `InvalidSignatureException`
    /// ("Credential should be scoped to a valid region, not '...'. ").
    /// Default: [`DEFAULT_REGION`] (`us-east-1`). `None`: any region.
    pub region: Option<String>,
    /// Key for NextToken MACs (at least [`MIN_TOKEN_KEY_BYTES`] bytes).
    /// `None` (default): 32 random bytes drawn at each server start, so
    /// tokens are valid only on the server instance that issued them. Give
    /// a fixed secret key (e.g. [`ServerConfig::with_token_key`]) for tokens
    /// that stay valid across restarts; anyone who knows the key can forge
    /// tokens.
    pub token_key: Option<Vec<u8>>,
    /// Resource limits (connections, body size, timeouts).
    pub limits: ServerLimits,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            port: 0,
            dataset: Dataset::demo(),
            credentials: vec![demo_credentials()],
            default_page_size: DEFAULT_PAGE_SIZE,
            faults: FaultConfig::default(),
            max_clock_skew: Some(DEFAULT_MAX_CLOCK_SKEW),
            region: Some(DEFAULT_REGION.to_owned()),
            token_key: None,
            limits: ServerLimits::default(),
        }
    }
}

impl ServerConfig {
    /// Demo dataset, demo credentials, ephemeral port, `us-east-1`, random token key.
    pub fn demo() -> Self {
        Self::default()
    }

    /// This configuration with a fixed NextToken key (see [`ServerConfig::token_key`]).
    pub fn with_token_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.token_key = Some(key.into());
        self
    }

    fn validate(&self) -> Result<(), ServerError> {
        let bad = |m: String| Err(ServerError::Config(m));
        if let Some(key) = &self.token_key {
            if key.len() < MIN_TOKEN_KEY_BYTES {
                return bad(format!(
                    "the token key must be at least {MIN_TOKEN_KEY_BYTES} bytes, got {}",
                    key.len()
                ));
            }
        }
        let l = &self.limits;
        if l.max_connections == 0 || l.max_connections > conn::MAX_CONNECTIONS {
            return bad(format!(
                "max_connections must be between 1 and {}, got {}",
                conn::MAX_CONNECTIONS,
                l.max_connections
            ));
        }
        if l.max_body_bytes == 0 || u32::try_from(l.max_body_bytes).is_err() {
            return bad(format!("max_body_bytes must be between 1 and {}", u32::MAX));
        }
        if l.max_pending_body_bytes < l.max_body_bytes || l.max_pending_body_bytes > Semaphore::MAX_PERMITS {
            return bad(format!(
                "max_pending_body_bytes must be between max_body_bytes ({}) and {}",
                l.max_body_bytes,
                Semaphore::MAX_PERMITS
            ));
        }
        for (name, d) in [
            ("header_read_timeout", l.header_read_timeout),
            ("body_read_timeout", l.body_read_timeout),
            ("idle_timeout", l.idle_timeout),
        ] {
            if d.is_zero() {
                return bad(format!("{name} must not be zero"));
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Redacted<'a>(&'a [Credentials]);
        impl std::fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|c| {
                        format!(
                            "{} (secret_access_key: ** redacted **{})",
                            c.access_key_id(),
                            if c.session_token().is_some() {
                                ", session_token: ** redacted **"
                            } else {
                                ""
                            }
                        )
                    }))
                    .finish()
            }
        }
        let operations: usize = self.dataset.firewalls.iter().map(|fw| fw.flow_operations.len()).sum();
        f.debug_struct("ServerConfig")
            .field("port", &self.port)
            .field(
                "dataset",
                &format_args!(
                    "{} firewalls, {operations} flow operations",
                    self.dataset.firewalls.len()
                ),
            )
            .field("credentials", &Redacted(&self.credentials))
            .field("default_page_size", &self.default_page_size)
            .field("faults", &self.faults)
            .field("max_clock_skew", &self.max_clock_skew)
            .field("region", &self.region)
            .field(
                "token_key",
                &format_args!(
                    "{}",
                    if self.token_key.is_some() {
                        "** redacted **"
                    } else {
                        "random per start"
                    }
                ),
            )
            .field("limits", &self.limits)
            .finish()
    }
}

struct State {
    dataset: Dataset,
    /// Firewall ARN → index in `dataset.firewalls`.
    firewall_index: HashMap<String, usize>,
    credentials: Vec<Credentials>,
    default_page_size: usize,
    faults: FaultConfig,
    max_clock_skew: Option<Duration>,
    region: Option<String>,
    token_key: Vec<u8>,
    limits: ServerLimits,
    /// Permits are bytes of request bodies being read.
    body_budget: Arc<Semaphore>,
    tracker: Tracker,
    requests: AtomicU64,
    authenticated: AtomicU64,
}

impl State {
    fn flow_operations(&self, firewall_arn: &str) -> Option<&[FlowOperationRecord]> {
        let index = *self.firewall_index.get(firewall_arn)?;
        self.dataset
            .firewalls
            .get(index)
            .map(|fw| fw.flow_operations.as_slice())
    }
}

/// Where a running endpoint listens and what it serves; both handles
/// dereference to it.
#[derive(Clone)]
pub struct Endpoint {
    addr: SocketAddr,
    firewall_arns: Vec<String>,
    state: Arc<State>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("addr", &self.addr)
            .field("firewall_arns", &self.firewall_arns)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// ARNs of the firewalls served, in dataset order.
    pub fn firewall_arns(&self) -> &[String] {
        &self.firewall_arns
    }

    /// HTTP requests received so far (all of them, including rejected ones).
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Connections open right now (at most [`ServerLimits::max_connections`]).
    pub fn open_connections(&self) -> usize {
        self.state.tracker.open()
    }

    /// Connections refused so far because [`ServerLimits::max_connections`]
    /// were open and none of them was idle.
    pub fn refused_connections(&self) -> u64 {
        self.state.tracker.refused()
    }

    /// Idle connections closed so far to make room for new ones.
    pub fn evicted_connections(&self) -> u64 {
        self.state.tracker.evicted()
    }
}

/// A running local endpoint. Dropping it without [`ServerHandle::shutdown`]
/// stops accepting connections too (the accept task ends when the handle's
/// shutdown channel closes).
#[derive(Debug)]
pub struct ServerHandle {
    endpoint: Endpoint,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::ops::Deref for ServerHandle {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl ServerHandle {
    /// Stops accepting, lets in-flight requests finish (up to 5 s), closes
    /// the remaining connections, and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Binds `127.0.0.1:<config.port>` and serves in the current tokio runtime.
pub async fn start(config: ServerConfig) -> Result<ServerHandle, ServerError> {
    config.validate()?;
    let listener = TcpListener::bind(("127.0.0.1", config.port))
        .await
        .map_err(|source| ServerError::Bind {
            port: config.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        port: config.port,
        source,
    })?;
    let token_key = config.token_key.unwrap_or_else(|| {
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        key
    });
    let firewall_arns = config.dataset.firewall_arns();
    let firewall_index = firewall_arns
        .iter()
        .enumerate()
        .rev() // the first of duplicate ARNs wins, as `Dataset::flow_operations` does
        .map(|(i, arn)| (arn.clone(), i))
        .collect();
    let state = Arc::new(State {
        dataset: config.dataset,
        firewall_index,
        credentials: config.credentials,
        default_page_size: config.default_page_size.clamp(1, 100),
        faults: config.faults,
        max_clock_skew: config.max_clock_skew,
        region: config.region,
        token_key,
        limits: config.limits,
        body_budget: Arc::new(Semaphore::new(config.limits.max_pending_body_bytes)),
        tracker: Tracker::new(config.limits.max_connections),
        requests: AtomicU64::new(0),
        authenticated: AtomicU64::new(0),
    });
    let (stop_tx, stop_rx) = oneshot::channel();
    let task = tokio::spawn(conn::accept_loop(listener, state.clone(), stop_rx));
    Ok(ServerHandle {
        endpoint: Endpoint {
            addr,
            firewall_arns,
            state,
        },
        stop: Some(stop_tx),
        task: Some(task),
    })
}

/// A running endpoint on its own thread and tokio runtime, for blocking code.
#[derive(Debug)]
pub struct BlockingServerHandle {
    endpoint: Endpoint,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for BlockingServerHandle {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl BlockingServerHandle {
    /// Stops the server and joins its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for BlockingServerHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Starts the endpoint on a new thread with its own single-threaded tokio
/// runtime; usable from code that has no runtime. Dropping the handle stops it.
pub fn start_blocking(config: ServerConfig) -> Result<BlockingServerHandle, ServerError> {
    config.validate()?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("network-firewall-server".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(ServerError::Runtime(e.to_string())));
                    return;
                }
            };
            runtime.block_on(async move {
                match start(config).await {
                    Ok(handle) => {
                        if ready_tx.send(Ok(handle.endpoint.clone())).is_err() {
                            handle.shutdown().await;
                            return;
                        }
                        let _ = stop_rx.await;
                        handle.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })
        .map_err(|e| ServerError::Runtime(e.to_string()))?;
    match ready_rx.recv() {
        Ok(Ok(endpoint)) => Ok(BlockingServerHandle {
            endpoint,
            stop: Some(stop_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => {
            let _ = thread.join();
            Err(ServerError::Runtime("server thread exited early".into()))
        }
    }
}

/// A service error response.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Close the connection after answering (the body was left unread).
    close: bool,
    /// Do not answer: drop the connection (fault injection).
    reset: bool,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            close: false,
            reset: false,
        }
    }

    fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidRequestException", message)
    }

    fn serialization(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "SerializationException", message)
    }

    fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "UnknownOperationException", message)
    }

    fn invalid_signature(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "InvalidSignatureException", message)
    }

    fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "IncompleteSignatureException", message)
    }

    fn unrecognized_client() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    }

    fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", message)
    }
}

fn request_id() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn respond(status: StatusCode, body: Vec<u8>, error_code: Option<&str>, close: bool) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-RequestId", request_id());
    if let Some(code) = error_code {
        builder = builder.header("x-amzn-ErrorType", code);
    }
    if close {
        builder = builder.header("connection", "close");
    }
    match builder.body(Full::new(Bytes::from(body))) {
        Ok(r) => r,
        Err(_) => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

fn error_response(e: ApiError) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "__type": e.code, "message": e.message });
    respond(e.status, body.to_string().into_bytes(), Some(e.code), e.close)
}

/// A connection dropped without an answer (fault injection).
#[derive(Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ResetConnection {}

async fn handle(
    state: Arc<State>,
    conn: Arc<ConnState>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ResetConnection> {
    let _busy = conn.begin_request();
    state.requests.fetch_add(1, Ordering::Relaxed);
    if !state.faults.latency.is_zero() {
        tokio::time::sleep(state.faults.latency).await;
    }
    let (parts, body) = req.into_parts();
    Ok(match serve_request(&state, &parts, body).await {
        Ok(bytes) => respond(StatusCode::OK, bytes, None, false),
        Err(e) if e.reset => return Err(ResetConnection),
        Err(e) => error_response(e),
    })
}

/// Authenticates from the headers, reads the (bounded) body, checks the
/// signature covers it, and runs the operation.
async fn serve_request(state: &State, parts: &http::request::Parts, body: Incoming) -> Result<Vec<u8>, ApiError> {
    // Everything that can be checked without the body, before reading any of it.
    let verifier = auth::check_headers(state, parts)?;
    if let Some(declared) = verifier.declared_payload_hash() {
        verifier.verify_with_payload_hash(parts, declared)?;
    }
    let body = body::read_bounded(state, body).await?;
    match verifier.declared_payload_hash() {
        Some(declared) => body::check_declared_hash(declared, &body)?,
        None => verifier.verify_with_body(parts, &body)?,
    }
    process(state, parts, &body)
}

fn process(state: &State, parts: &http::request::Parts, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let n = state.authenticated.fetch_add(1, Ordering::Relaxed) + 1;
    let due = |every: Option<u64>| every.filter(|e| *e > 0).is_some_and(|e| n % e == 0);
    if due(state.faults.throttle_every) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "ThrottlingException",
            "Rate exceeded",
        ));
    }
    if due(state.faults.error_every) {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "injected fault",
        ));
    }
    if due(state.faults.reset_every) {
        return Err(ApiError {
            reset: true,
            ..ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "reset")
        });
    }
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if parts.method != Method::POST || parts.uri.path() != "/" {
        return Err(ApiError::unknown_operation(format!(
            "Operation {} {} is not supported.",
            parts.method,
            parts.uri.path()
        )));
    }
    match target.strip_prefix(TARGET_PREFIX).and_then(|t| t.strip_prefix('.')) {
        Some("ListFlowOperations") => list_flow_operations(state, body),
        _ => Err(ApiError::unknown_operation(if target.is_empty() {
            "Missing X-Amz-Target header.".to_owned()
        } else {
            format!("Operation {target} is not supported by this endpoint.")
        })),
    }
}
