//! A real AWS JSON 1.0 client for AWS Network Firewall.
//!
//! Every call is `POST /` with `Content-Type: application/x-amz-json-1.0` and
//! `X-Amz-Target: NetworkFirewall_20201112.<Operation>`, signed with SigV4
//! (`aws-sigv4`, signing name `network-firewall`), and retried with the AWS
//! *standard* retry mode's rules (see [`RetryConfig`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), network_firewall::Error> {
//! use network_firewall::{ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient};
//!
//! let client = NetworkFirewallClient::new(ClientConfig::new().region("us-east-1"))?;
//! let page = client
//!     .list_flow_operations(&ListFlowOperationsRequest {
//!         firewall_arn: "arn:aws:network-firewall:us-east-1:123456789012:firewall/fw".into(),
//!         max_results: Some(50),
//!         ..Default::default()
//!     })
//!     .await?;
//! # let _ = page;
//! # Ok(())
//! # }
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::credentials::{resolve_credentials, resolve_region};
use crate::error::{normalize_error_code, Error};
use crate::model::{ListFlowOperationsRequest, ListFlowOperationsResponse};
use crate::sigv4::{sign_request, HeaderPolicy, SIGNING_NAME};

/// The service's `X-Amz-Target` prefix.
pub const TARGET_PREFIX: &str = "NetworkFirewall_20201112";

/// The content type of the AWS JSON 1.0 protocol.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// Retry settings, mirroring the AWS SDKs' *standard* retry mode.
///
/// An attempt that fails with a retryable error (see
/// [`Error::is_retryable`]) is retried after
/// `min(random(0..1) * base_delay * 2^retry, max_backoff)` (retry counting
/// from 0), until `max_attempts` attempts were made. The standard mode's
/// retry-quota token bucket is not implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Total attempts including the first one (at least 1). Default 3.
    pub max_attempts: u32,
    /// Backoff base. Default 1 s.
    pub base_delay: Duration,
    /// Backoff cap. Default 20 s.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The delay before retry number `retry` (0 for the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor: f64 = rand::thread_rng().gen_range(0.0..1.0);
        let exp = 2f64.powi(i32::try_from(retry.min(62)).unwrap_or(62));
        let delay = self.base_delay.as_secs_f64() * factor * exp;
        let capped = delay.min(self.max_backoff.as_secs_f64());
        Duration::try_from_secs_f64(capped).unwrap_or(self.max_backoff)
    }
}

/// How to build a [`NetworkFirewallClient`]. Unset values are resolved from
/// the environment when the client is built (see [`crate::credentials`]).
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    /// Region used for the default endpoint and for signing.
    pub region: Option<String>,
    /// Endpoint URL; default `https://network-firewall.<region>.amazonaws.com`.
    pub endpoint_url: Option<String>,
    /// Credentials; default: the environment / shared files chain.
    pub credentials: Option<Credentials>,
    /// Profile for shared-file lookups; default `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// Retry settings.
    pub retry: RetryConfig,
    /// Timeout of one attempt (connect + request + response). Default 30 s.
    pub timeout: Option<Duration>,
    /// Connect timeout. Default 10 s.
    pub connect_timeout: Option<Duration>,
}

impl ClientConfig {
    /// An empty configuration: everything resolved from the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the endpoint URL (e.g. `http://127.0.0.1:8080`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sets explicit credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the profile used for shared-file lookups.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sets the retry configuration.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the maximum number of attempts (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    endpoint: String,
    region: String,
    credentials: Credentials,
    retry: RetryConfig,
    attempts: AtomicU64,
}

/// Client for AWS Network Firewall (AWS JSON 1.0). Cheap to clone.
#[derive(Debug, Clone)]
pub struct NetworkFirewallClient {
    inner: Arc<Inner>,
}

impl NetworkFirewallClient {
    /// Builds a client, resolving region and credentials that `config` leaves unset.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let profile = config.profile.as_deref();
        let region = resolve_region(config.region.as_deref(), profile)?;
        let credentials = match config.credentials {
            Some(c) => c,
            None => resolve_credentials(profile)?,
        };
        let endpoint = config
            .endpoint_url
            .unwrap_or_else(|| format!("https://network-firewall.{region}.amazonaws.com"));
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let parsed =
            reqwest::Url::parse(&endpoint).map_err(|e| Error::Config(format!("endpoint URL {endpoint:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(Error::Config(format!(
                "endpoint URL {endpoint:?} must be http(s)://host[:port]"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout.unwrap_or(Duration::from_secs(30)))
            .connect_timeout(config.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(NetworkFirewallClient {
            inner: Arc::new(Inner {
                http,
                endpoint,
                region,
                credentials,
                retry: RetryConfig {
                    max_attempts: config.retry.max_attempts.max(1),
                    ..config.retry
                },
                attempts: AtomicU64::new(0),
            }),
        })
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// Total HTTP attempts this client (and its clones) made so far.
    pub fn attempts(&self) -> u64 {
        self.inner.attempts.load(Ordering::Relaxed)
    }

    /// `ListFlowOperations`: one page of a firewall's flow operations.
    pub async fn list_flow_operations(
        &self,
        req: &ListFlowOperationsRequest,
    ) -> Result<ListFlowOperationsResponse, Error> {
        self.call("ListFlowOperations", req).await
    }

    /// Calls any operation of the service by name, with retries.
    pub async fn call<I: Serialize, O: DeserializeOwned>(&self, operation: &str, input: &I) -> Result<O, Error> {
        let body = serde_json::to_vec(input).map_err(|e| Error::Request(e.to_string()))?;
        let retry = self.inner.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.attempt(operation, &body).await {
                Ok(out) => return Ok(out),
                Err(e) if e.is_retryable() && attempt < retry.max_attempts => {
                    tokio::time::sleep(retry.backoff(attempt - 1)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn attempt<O: DeserializeOwned>(&self, operation: &str, body: &[u8]) -> Result<O, Error> {
        let inner = &*self.inner;
        let target = format!("{TARGET_PREFIX}.{operation}");
        let uri = format!("{}/", inner.endpoint);
        let headers = [("content-type", CONTENT_TYPE), ("x-amz-target", &target)];
        let signed = sign_request(
            "POST",
            &uri,
            &headers,
            body,
            &inner.credentials,
            &inner.region,
            SIGNING_NAME,
            SystemTime::now(),
            HeaderPolicy::SdkDefault,
        )
        .map_err(Error::Request)?;
        let mut request = inner
            .http
            .post(&uri)
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", &target)
            .body(body.to_vec());
        for (name, value) in &signed.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        inner.attempts.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let error_type_header = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        if (200..300).contains(&status) {
            let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
                b"{}"
            } else {
                &bytes
            };
            return serde_json::from_slice(text).map_err(|e| Error::BadResponse {
                status,
                message: e.to_string(),
            });
        }
        Err(parse_error(status, error_type_header.as_deref(), &bytes))
    }

    fn transport(&self, e: reqwest::Error) -> Error {
        let endpoint = self.inner.endpoint.clone();
        let message = error_chain(&e);
        if e.is_timeout() {
            Error::Timeout { endpoint, message }
        } else if e.is_connect() {
            Error::Connect { endpoint, message }
        } else {
            Error::Transport { endpoint, message }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Turns an error response into an [`Error`], like botocore's JSON parser:
/// code from `__type` (or `code`, or the `x-amzn-ErrorType` header, or the
/// HTTP status), message from `message` or `Message`.
fn parse_error(status: u16, error_type_header: Option<&str>, body: &[u8]) -> Error {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let raw_code = field("__type")
        .or_else(|| field("code"))
        .or_else(|| error_type_header.map(str::to_owned))
        .unwrap_or_else(|| status.to_string());
    let message = field("message").or_else(|| field("Message")).unwrap_or_default();
    Error::from_service(normalize_error_code(&raw_code), message, status)
}
