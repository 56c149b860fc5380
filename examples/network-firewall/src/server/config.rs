//! What a local endpoint is started with: [`ServerConfig`], its fault
//! injection ([`FaultConfig`]) and resource limits ([`ServerLimits`]), their
//! defaults, and the demo credentials.

use std::time::Duration;

use aws_credential_types::Credentials;
use tokio::sync::Semaphore;

use super::conn;
use super::handle::ServerError;
use crate::dataset::Dataset;

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

    pub(super) fn validate(&self) -> Result<(), ServerError> {
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
