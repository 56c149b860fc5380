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
//! // Region and credentials as the AWS CLI finds them (environment, profiles,
//! // assume role, SSO, container, instance metadata); the region given wins.
//! let client = NetworkFirewallClient::load(ClientConfig::new().region("us-east-1")).await?;
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

use crate::credentials::{CredentialSource, CredentialsError, Environment};
use crate::error::{excerpt, normalize_error_code, redact_url, strip_userinfo, Error, Setting};
use crate::model::{ListFlowOperationsRequest, ListFlowOperationsResponse};
use aws_sigv4::http_request::SignableBody;

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

/// The default of [`ClientConfig::max_response_bytes`]: 8 MiB. A
/// `ListFlowOperations` page is a few kilobytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// The largest request body [`NetworkFirewallClient::call`] sends: 1 MiB.
/// A `ListFlowOperations` request is a few hundred bytes (an ARN is at most
/// 256 characters); a larger one fails with [`Error::Request`] before
/// anything is sent.
pub const MAX_REQUEST_BYTES: usize = 1 << 20;

/// How to build a [`NetworkFirewallClient`]. [`NetworkFirewallClient::load`]
/// resolves an unset region through the default region chain;
/// unset credentials come from the default credentials chain at the first
/// request (see [`crate::credentials`]).
///
/// `Debug` redacts the userinfo (`user:password@`) of the endpoint URL and
/// the secrets of the credentials.
#[derive(Clone, Default)]
pub struct ClientConfig {
    /// Region used for the default endpoint and for signing.
    pub region: Option<String>,
    /// Endpoint URL; default `https://network-firewall.<region>.amazonaws.com`.
    /// Must be `http(s)://host[:port][/path]`; userinfo (`user:password@`)
    /// is never sent (requests are signed with SigV4) nor shown.
    pub endpoint_url: Option<String>,
    /// Credentials; default: `aws-config`'s default credentials chain.
    pub credentials: Option<Credentials>,
    /// Profile of the shared files; default `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// Retry settings.
    pub retry: RetryConfig,
    /// Timeout of one attempt (connect + request + response). Default 30 s.
    pub timeout: Option<Duration>,
    /// Connect timeout. Default 10 s.
    pub connect_timeout: Option<Duration>,
    /// Largest response body accepted, in bytes; a larger one fails the call
    /// with [`Error::ResponseTooLarge`] as soon as the limit is passed (or at
    /// once, when `Content-Length` says so). Default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub max_response_bytes: Option<u64>,
    /// Where region and credential resolution read environment variables
    /// (and, through `HOME`, `AWS_SHARED_CREDENTIALS_FILE` and
    /// `AWS_CONFIG_FILE`, which files; through `AWS_ENDPOINT_URL_STS`,
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, ..., which endpoints).
    /// Default: the process environment.
    pub environment: Option<Environment>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(redact_url))
            .field("credentials", &self.credentials)
            .field("profile", &self.profile)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("environment", &self.environment)
            .finish()
    }
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

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the largest response body accepted, in bytes (see
    /// [`ClientConfig::max_response_bytes`](#structfield.max_response_bytes)).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Sets the environment region and credential resolution read, instead
    /// of the process environment (e.g. [`Environment::empty`] with a
    /// temporary `HOME`, for hermetic tests).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }
}

struct Inner {
    http: reqwest::Client,
    /// The endpoint requests go to: as configured, without userinfo.
    request_url: String,
    /// The endpoint as configured, userinfo redacted: for messages.
    endpoint: String,
    region: String,
    credentials: CredentialSource,
    retry: RetryConfig,
    max_response_bytes: u64,
    attempts: AtomicU64,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Client for AWS Network Firewall (AWS JSON 1.0). Cheap to clone.
///
/// `Debug` redacts the endpoint's userinfo and the credentials' secrets.
#[derive(Debug, Clone)]
pub struct NetworkFirewallClient {
    inner: Arc<Inner>,
}

impl NetworkFirewallClient {
    /// Builds a client, resolving an unset region as the AWS CLI does
    /// (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, IMDS),
    /// then as [`NetworkFirewallClient::new`]. An explicit region (and
    /// explicit credentials) consult no chain.
    pub async fn load(mut config: ClientConfig) -> Result<Self, Error> {
        if config.region.is_none() {
            let environment = config.environment.clone().unwrap_or_default();
            let region = environment.resolve_region(None, config.profile.as_deref()).await?;
            config.region = Some(region);
        }
        Self::new(config)
    }

    /// Builds a client from a configuration that names its region (else
    /// [`CredentialsError::NoRegion`](crate::credentials::CredentialsError):
    /// use [`NetworkFirewallClient::load`] to resolve it). Unset credentials
    /// come from the default credentials chain when the first request is
    /// signed; a chain that finds none fails that request with
    /// [`Error::Credentials`].
    ///
    /// The region, the endpoint URL and given credentials are checked here, so
    /// that a value that cannot go into a URL or a header fails at once with
    /// [`Error::InvalidSetting`] (an [`ErrorKind::Configuration`](crate::error::ErrorKind) error)
    /// instead of on every attempt of every call.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let environment = config.environment.clone().unwrap_or_default();
        let region = match config.region.clone() {
            Some(region) => region,
            None => {
                return Err(Error::Credentials(CredentialsError::NoRegion {
                    profile: environment.profile_name(config.profile.as_deref()),
                }))
            }
        };
        validate_region(&region)?;
        let endpoint = config
            .endpoint_url
            .unwrap_or_else(|| format!("https://network-firewall.{region}.amazonaws.com"));
        validate_endpoint(&endpoint)?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let endpoint_redacted = redact_url(&endpoint);
        // Requests are authenticated by SigV4 alone: userinfo would go out as a
        // second, `Basic` Authorization header (the password in clear text)
        // that the service rejects.
        let endpoint = strip_userinfo(&endpoint);
        let credentials = match config.credentials {
            Some(c) => {
                validate_credentials(&c)?;
                CredentialSource::Static(c)
            }
            None => CredentialSource::chain(
                environment,
                config.profile,
                region.clone(),
                crate::credentials::Timeouts {
                    connect: config.connect_timeout.unwrap_or(Duration::from_secs(10)),
                    read: config.timeout.unwrap_or(Duration::from_secs(30)),
                },
            ),
        };
        let http = reqwest::Client::builder()
            .timeout(config.timeout.unwrap_or(Duration::from_secs(30)))
            .connect_timeout(config.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", error_chain(&e))))?;
        Ok(NetworkFirewallClient {
            inner: Arc::new(Inner {
                http,
                request_url: endpoint,
                endpoint: endpoint_redacted,
                region,
                credentials,
                retry: RetryConfig {
                    max_attempts: config.retry.max_attempts.max(1),
                    ..config.retry
                },
                max_response_bytes: config.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                attempts: AtomicU64::new(0),
            }),
        })
    }

    /// The endpoint URL requests go to, its userinfo (`user:password@`)
    /// redacted, as in error messages.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.inner.max_response_bytes
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
        if body.len() > MAX_REQUEST_BYTES {
            return Err(Error::Request(format!(
                "the request body is {} bytes, over the limit of {MAX_REQUEST_BYTES} bytes",
                body.len()
            )));
        }
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

    /// The credentials the next request is signed with: the given ones, or
    /// the default chain's (fetched at the first call, cached until shortly
    /// before they expire).
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        let credentials = self.inner.credentials.credentials().await?;
        validate_credentials(&credentials)?;
        Ok(credentials)
    }

    async fn attempt<O: DeserializeOwned>(&self, operation: &str, body: &[u8]) -> Result<O, Error> {
        let inner = &*self.inner;
        let credentials = self.credentials().await?;
        let target = format!("{TARGET_PREFIX}.{operation}");
        let uri = format!("{}/", inner.request_url);
        let headers = [("content-type", CONTENT_TYPE), ("x-amz-target", &target)];
        let signed = sign_request(
            "POST",
            &uri,
            &headers,
            SignableBody::Bytes(body),
            &credentials,
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
        let call = inner.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        if tracing::enabled!(target: "network_firewall::http", tracing::Level::DEBUG) {
            let mut shown: Vec<(String, String)> = headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            shown.extend(signed.headers.iter().map(|(k, v)| (k.clone(), redact_header(k, v))));
            tracing::debug!(
                target: "network_firewall::http",
                call,
                method = "POST",
                url = %inner.endpoint,
                headers = ?shown,
                body = %String::from_utf8_lossy(body),
                "request"
            );
        }
        let started = std::time::Instant::now();
        let mut response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let error_type_header = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let response_headers: Vec<(String, String)> = if tracing::enabled!(target: "network_firewall::http", tracing::Level::DEBUG)
        {
            response
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("<binary>").to_owned()))
                .collect()
        } else {
            Vec::new()
        };
        let bytes = self.read_body(&mut response, status).await?;
        tracing::debug!(
            target: "network_firewall::http",
            call,
            status,
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            headers = ?response_headers,
            body = %String::from_utf8_lossy(&bytes[..bytes.len().min(DEBUG_BODY_BYTES)]),
            body_bytes = bytes.len(),
            "response"
        );
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
        Err(parse_error(
            status,
            error_type_header.as_deref(),
            &bytes,
            &inner.endpoint,
        ))
    }

    /// Reads the body chunk by chunk, failing as soon as it passes the limit
    /// (at once when `Content-Length` announces more): at most the limit plus
    /// one chunk is ever held.
    async fn read_body(&self, response: &mut reqwest::Response, status: u16) -> Result<Vec<u8>, Error> {
        let limit = self.inner.max_response_bytes;
        let too_large = || Error::ResponseTooLarge {
            endpoint: self.inner.endpoint.clone(),
            status,
            limit,
        };
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            let total = u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX);
            if total > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport(&self, e: reqwest::Error) -> Error {
        let endpoint = self.inner.endpoint.clone();
        let (builder, timeout, connect) = (e.is_builder(), e.is_timeout(), e.is_connect());
        // The error names the endpoint (redacted) already; reqwest's own
        // message would repeat the URL.
        let message = error_chain(&e.without_url());
        if builder {
            Error::Request(message)
        } else if timeout {
            Error::Timeout { endpoint, message }
        } else if connect {
            Error::Connect { endpoint, message }
        } else {
            Error::Transport { endpoint, message }
        }
    }
}

/// Checks a region as botocore does (`validate_region_name`): a DNS label
/// of 1 to 63 letters, digits and hyphens, not starting or ending with a
/// hyphen, not all digits.
fn validate_region(region: &str) -> Result<(), Error> {
    let valid = (1..=63).contains(&region.len())
        && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
        && !region.bytes().all(|b| b.is_ascii_digit());
    if valid {
        return Ok(());
    }
    let shown: String = region.chars().take(80).collect();
    Err(Error::InvalidSetting {
        setting: Setting::Region,
        reason: format!(
            "{shown:?} is not a region name: a region is 1 to 63 letters, digits and hyphens, \
             not starting or ending with a hyphen (e.g. us-east-1)"
        ),
    })
}

/// Checks an endpoint URL: no whitespace or control characters, parses,
/// `http` or `https`, a host, no query or fragment. Messages show the URL
/// without its userinfo.
fn validate_endpoint(endpoint: &str) -> Result<(), Error> {
    let invalid = |reason: String| Error::InvalidSetting {
        setting: Setting::EndpointUrl,
        reason,
    };
    let shown = redact_url(endpoint);
    if endpoint.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(format!("{shown:?} contains whitespace or a control character")));
    }
    let parsed = reqwest::Url::parse(endpoint).map_err(|e| invalid(format!("{shown:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "{shown:?} must be http://host[:port] or https://host[:port]"
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("{shown:?} has no host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(format!("{shown:?} must not have a query or a fragment")));
    }
    Ok(())
}

/// Checks that the credentials can go into a signed request: the access key
/// id and the session token travel in headers, the secret is signed with.
/// All three must be visible ASCII (no whitespace, line breaks or other
/// control characters); values are never echoed.
fn validate_credentials(credentials: &Credentials) -> Result<(), Error> {
    let check = |setting: Setting, value: &str, may_be_empty: bool| {
        let problem = if value.is_empty() && !may_be_empty {
            Some("is empty")
        } else if value.chars().any(|c| c.is_control()) {
            Some("contains a line break or another control character")
        } else if value.chars().any(char::is_whitespace) {
            Some("contains whitespace")
        } else if !value.is_ascii() {
            Some("contains a non-ASCII character")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(Error::InvalidSetting {
                setting,
                reason: format!("the value {problem}"),
            }),
            None => Ok(()),
        }
    };
    check(Setting::AccessKeyId, credentials.access_key_id(), false)?;
    check(Setting::SecretAccessKey, credentials.secret_access_key(), false)?;
    if let Some(token) = credentials.session_token() {
        check(Setting::SessionToken, token, true)?;
    }
    Ok(())
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
/// code from `__type` (or `code`, or the `x-amzn-ErrorType` header), message
/// from `message` or `Message`. A response with none of these is not an AWS
/// error: [`Error::Http`], with the start of its body.
fn parse_error(status: u16, error_type_header: Option<&str>, body: &[u8], endpoint: &str) -> Error {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    let field = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let raw_code = field("__type")
        .or_else(|| field("code"))
        .or_else(|| error_type_header.filter(|h| !h.is_empty()).map(str::to_owned));
    match raw_code {
        Some(raw_code) => {
            let message = field("message").or_else(|| field("Message")).unwrap_or_default();
            Error::from_service(normalize_error_code(&raw_code), message, status)
        }
        None => Error::Http {
            status,
            endpoint: endpoint.to_owned(),
            body: excerpt(body),
        },
    }
}

/// How much of a response body `--debug` shows.
const DEBUG_BODY_BYTES: usize = 2048;

/// A signed header as `--debug` shows it: the signature and session token
/// are replaced, the access key id and scope stay (they name, not prove).
fn redact_header(name: &str, value: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "authorization" => match value.find("Signature=") {
            Some(at) => format!("{}Signature=<redacted>", &value[..at]),
            None => "<redacted>".to_owned(),
        },
        "x-amz-security-token" => "<redacted>".to_owned(),
        _ => value.to_owned(),
    }
}
