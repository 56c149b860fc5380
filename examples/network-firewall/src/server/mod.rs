//! A local AWS Network Firewall endpoint serving `ListFlowOperations`.
//!
//! It speaks the service's wire protocol (AWS JSON 1.0 over HTTP/1.1,
//! SigV4-authenticated), so third-party clients can be pointed at it, e.g.
//! `aws network-firewall list-flow-operations --endpoint-url http://127.0.0.1:PORT ...`
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
//! * Authentication (checked first): no `Authorization` header →
//!   `MissingAuthenticationTokenException` (403); a malformed one →
//!   `IncompleteSignatureException` (400); unknown access key, or a session
//!   token that does not match the configured one → `UnrecognizedClientException`
//!   (403, "The security token included in the request is invalid.");
//!   credential scope for another service, or a wrong signature →
//!   `InvalidSignatureException` (403). The signature is verified by
//!   re-signing the received request with `aws-sigv4` over the same signed
//!   headers and `x-amz-date`, and comparing in constant time. Any region is
//!   accepted. Clock skew is not checked unless
//!   [`ServerConfig::max_clock_skew`] is set.
//! * Faults ([`FaultConfig`]): added latency for every request, and a
//!   `ThrottlingException` for every Nth authenticated request.
//! * Body errors: a body that is not a JSON object of the right member types
//!   → `SerializationException` (400, as the AWS JSON protocol does);
//!   missing `FirewallArn` or any member outside its model constraints
//!   (length, pattern, `MaxResults` 1..=100) → `InvalidRequestException`.
//! * Unknown firewall → `ResourceNotFoundException`.
//! * Paging: without `MaxResults` a page holds [`DEFAULT_PAGE_SIZE`] (100, the
//!   model maximum, as many AWS list APIs do) operations. `NextToken` is
//!   opaque base64 (so it matches `[0-9A-Za-z:\/+=]+$`) carrying the offset and
//!   an HMAC-SHA256 over the firewall ARN, the filters and the offset, keyed
//!   with a per-server secret: a token altered, made up, issued by another
//!   server instance, or replayed with another firewall or other filters is
//!   rejected with `InvalidRequestException`. Changing only `MaxResults`
//!   between pages is allowed.
//! * Filters (`FlowOperationType`, `AvailabilityZone`,
//!   `VpcEndpointAssociationArn`, `VpcEndpointId`) select the operations
//!   whose recorded attribute equals the given value; all given filters must
//!   match.

use std::convert::Infallible;
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
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

mod auth;
mod operation;

use auth::authenticate;
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

/// Largest request body accepted (bytes).
pub const MAX_BODY_BYTES: usize = 1 << 20;

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
}

/// Fault injection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultConfig {
    /// Answer every Nth authenticated request (N, 2N, ...) with a
    /// `ThrottlingException`. `None` or `Some(0)`: never.
    pub throttle_every: Option<u64>,
    /// Delay added before answering each request.
    pub latency: Duration,
}

/// Configuration of a local endpoint.
#[derive(Debug, Clone)]
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
    /// server's clock (AWS uses 15 minutes). `None` (default): never.
    pub max_clock_skew: Option<Duration>,
    /// Key for NextToken MACs; default: random per server start.
    pub token_key: Option<Vec<u8>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            port: 0,
            dataset: Dataset::demo(),
            credentials: vec![demo_credentials()],
            default_page_size: DEFAULT_PAGE_SIZE,
            faults: FaultConfig::default(),
            max_clock_skew: None,
            token_key: None,
        }
    }
}

impl ServerConfig {
    /// Demo dataset, demo credentials, ephemeral port.
    pub fn demo() -> Self {
        Self::default()
    }
}

struct State {
    dataset: Dataset,
    credentials: Vec<Credentials>,
    default_page_size: usize,
    faults: FaultConfig,
    max_clock_skew: Option<Duration>,
    token_key: Vec<u8>,
    requests: AtomicU64,
    authenticated: AtomicU64,
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
    /// Stops accepting, lets in-flight requests finish (up to 5 s), and returns.
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
    let state = Arc::new(State {
        dataset: config.dataset,
        credentials: config.credentials,
        default_page_size: config.default_page_size.clamp(1, 100),
        faults: config.faults,
        max_clock_skew: config.max_clock_skew,
        token_key,
        requests: AtomicU64::new(0),
        authenticated: AtomicU64::new(0),
    });
    let (stop_tx, stop_rx) = oneshot::channel();
    let task = tokio::spawn(accept_loop(listener, state.clone(), stop_rx));
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

async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Transient accept errors (e.g. too many open files): back off briefly.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let state = state.clone();
                let service = service_fn(move |req| handle(state.clone(), req));
                let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
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
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
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

fn respond(status: StatusCode, body: Vec<u8>, error_code: Option<&str>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-RequestId", request_id());
    if let Some(code) = error_code {
        builder = builder.header("x-amzn-ErrorType", code);
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
    respond(e.status, body.to_string().into_bytes(), Some(e.code))
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    state.requests.fetch_add(1, Ordering::Relaxed);
    if !state.faults.latency.is_zero() {
        tokio::time::sleep(state.faults.latency).await;
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(error_response(ApiError::serialization(format!(
                "Request body could not be read or exceeds {MAX_BODY_BYTES} bytes"
            ))))
        }
    };
    let result = process(&state, &parts, &body);
    Ok(match result {
        Ok(bytes) => respond(StatusCode::OK, bytes, None),
        Err(e) => error_response(e),
    })
}

fn process(state: &State, parts: &http::request::Parts, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    authenticate(state, parts, body)?;
    let n = state.authenticated.fetch_add(1, Ordering::Relaxed) + 1;
    if let Some(every) = state.faults.throttle_every.filter(|e| *e > 0) {
        if n % every == 0 {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "ThrottlingException",
                "Rate exceeded",
            ));
        }
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
