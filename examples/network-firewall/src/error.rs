//! The client's error type.

use crate::credentials::CredentialsError;

/// Error codes the AWS standard retry mode treats as throttling.
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
];

/// Error codes the AWS standard retry mode treats as transient.
pub const TRANSIENT_ERROR_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"];

/// HTTP statuses the AWS standard retry mode treats as transient.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// How a caller should treat an [`Error`]; the classes of the AWS CLI v2's
/// exit codes (see [`ErrorKind::aws_cli_exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad local configuration or credentials: missing or invalid
    /// credentials, a bad region, a bad endpoint URL. Nothing was sent.
    Configuration,
    /// The service answered with an AWS error (throttling, validation,
    /// resource not found, internal error, any other AWS error code).
    Service,
    /// Anything else: connection failures, timeouts, oversized or
    /// undecodable responses, HTTP errors that are not AWS errors.
    Other,
}

impl ErrorKind {
    /// The AWS CLI v2's exit code for this class: 253 (configuration),
    /// 254 (service error), 255 (anything else).
    pub const fn aws_cli_exit_code(self) -> u8 {
        match self {
            ErrorKind::Configuration => 253,
            ErrorKind::Service => 254,
            ErrorKind::Other => 255,
        }
    }
}

/// A client setting that [`Error::InvalidSetting`] can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The region (explicit, `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's `region`).
    Region,
    /// The endpoint URL.
    EndpointUrl,
    /// The access key id (`AWS_ACCESS_KEY_ID` / `aws_access_key_id`).
    AccessKeyId,
    /// The secret access key (`AWS_SECRET_ACCESS_KEY` / `aws_secret_access_key`).
    SecretAccessKey,
    /// The session token (`AWS_SESSION_TOKEN` / `aws_session_token`).
    SessionToken,
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Setting::Region => "region",
            Setting::EndpointUrl => "endpoint URL",
            Setting::AccessKeyId => "access key id (AWS_ACCESS_KEY_ID / aws_access_key_id)",
            Setting::SecretAccessKey => "secret access key (AWS_SECRET_ACCESS_KEY / aws_secret_access_key)",
            Setting::SessionToken => "session token (AWS_SESSION_TOKEN / aws_session_token)",
        })
    }
}

/// Everything a call to Network Firewall can fail with.
///
/// Endpoint URLs in these errors (and in their `Debug` output) never carry
/// the userinfo (`user:password@`) of the configured URL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The service rejected the request's parameters (`InvalidRequestException`).
    #[error("InvalidRequestException: {message}")]
    InvalidRequestException {
        /// The service's message.
        message: String,
    },
    /// The named resource does not exist (`ResourceNotFoundException`).
    #[error("ResourceNotFoundException: {message}")]
    ResourceNotFoundException {
        /// The service's message.
        message: String,
    },
    /// The request was throttled (`ThrottlingException`).
    #[error("ThrottlingException: {message}")]
    ThrottlingException {
        /// The service's message.
        message: String,
    },
    /// The service failed (`InternalServerError`).
    #[error("InternalServerError: {message}")]
    InternalServerError {
        /// The service's message.
        message: String,
    },
    /// Any other service error, kept by its code (namespace prefix
    /// `a.b#` and `:suffix` stripped as botocore does).
    #[error("{code} (HTTP {status}){}", with_colon(message))]
    Unknown {
        /// The error code, e.g. `UnrecognizedClientException`.
        code: String,
        /// The service's message (may be empty).
        message: String,
        /// The HTTP status code.
        status: u16,
    },
    /// An HTTP error status whose response is not an AWS error (no
    /// `__type`/`code` in a JSON body, no `x-amzn-ErrorType` header): a
    /// proxy, a load balancer, or an endpoint that is not this service.
    #[error(
        "HTTP {}{} from {endpoint}: the endpoint did not answer with an AWS error (body: {})",
        status,
        reason_phrase(*status),
        body_excerpt(body)
    )]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The endpoint URL (userinfo redacted).
        endpoint: String,
        /// The start of the response body (at most [`HTTP_BODY_EXCERPT_CHARS`] characters).
        body: String,
    },
    /// The response body was larger than `ClientConfig::max_response_bytes`.
    /// Reading stopped at the limit; not retried.
    #[error(
        "the response from {endpoint} (HTTP {status}) exceeded {limit} bytes; raise \
         ClientConfig::max_response_bytes if responses this large are expected"
    )]
    ResponseTooLarge {
        /// The endpoint URL (userinfo redacted).
        endpoint: String,
        /// The HTTP status code.
        status: u16,
        /// The limit in bytes.
        limit: u64,
    },
    /// The connection could not be established.
    #[error("cannot connect to {endpoint}: {message}")]
    Connect {
        /// The endpoint URL (userinfo redacted).
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// The request did not complete within the configured timeout.
    #[error("request to {endpoint} timed out: {message}")]
    Timeout {
        /// The endpoint URL (userinfo redacted).
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// Another transport failure (connection reset, broken response, ...).
    #[error("transport error talking to {endpoint}: {message}")]
    Transport {
        /// The endpoint URL (userinfo redacted).
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// A 2xx response whose body is not the expected JSON.
    #[error("bad response body (HTTP {status}): {message}")]
    BadResponse {
        /// The HTTP status code.
        status: u16,
        /// What could not be parsed.
        message: String,
    },
    /// Credentials or region could not be resolved.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// A setting (region, endpoint URL, credentials) cannot be used; found
    /// before anything was sent. Secret values are never echoed.
    #[error("invalid {setting}: {reason}")]
    InvalidSetting {
        /// Which setting.
        setting: Setting,
        /// What is wrong with it.
        reason: String,
    },
    /// The configuration is unusable (TLS setup, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be serialized or signed.
    #[error("cannot build request: {0}")]
    Request(String),
}

/// How many characters of a non-AWS error body [`Error::Http`] keeps.
pub const HTTP_BODY_EXCERPT_CHARS: usize = 200;

fn with_colon(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn reason_phrase(status: u16) -> String {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map_or_else(String::new, |r| format!(" {r}"))
}

fn body_excerpt(body: &str) -> String {
    if body.trim().is_empty() {
        "empty".to_owned()
    } else {
        format!("{body:?}")
    }
}

/// The first [`HTTP_BODY_EXCERPT_CHARS`] characters of a body, for [`Error::Http`].
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(HTTP_BODY_EXCERPT_CHARS).collect();
    if text.chars().nth(HTTP_BODY_EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Removes the userinfo (`user:password@`) of a URL, also of one that does
/// not parse: `http://u:p@host/x` becomes `http://***@host/x`.
pub fn redact_url(url: &str) -> String {
    match split_userinfo(url) {
        Some((scheme, host_and_rest)) => format!("{scheme}***@{host_and_rest}"),
        None => url.to_owned(),
    }
}

/// A URL without its userinfo: `http://u:p@host/x` becomes `http://host/x`.
pub(crate) fn strip_userinfo(url: &str) -> String {
    match split_userinfo(url) {
        Some((scheme, host_and_rest)) => format!("{scheme}{host_and_rest}"),
        None => url.to_owned(),
    }
}

/// `(scheme://, host...)` around the userinfo, when the authority has an `@`.
fn split_userinfo(url: &str) -> Option<(&str, &str)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    Some((&url[..start], &rest[at + 1..]))
}

impl Error {
    /// Builds the error for a service error response.
    pub fn from_service(code: &str, message: String, status: u16) -> Self {
        match code {
            "InvalidRequestException" => Error::InvalidRequestException { message },
            "ResourceNotFoundException" => Error::ResourceNotFoundException { message },
            "ThrottlingException" => Error::ThrottlingException { message },
            "InternalServerError" => Error::InternalServerError { message },
            _ => Error::Unknown {
                code: code.to_owned(),
                message,
                status,
            },
        }
    }

    /// The class of this error, for exit codes like the AWS CLI v2's
    /// (`err.kind().aws_cli_exit_code()`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Credentials(_) | Error::InvalidSetting { .. } | Error::Config(_) => ErrorKind::Configuration,
            Error::InvalidRequestException { .. }
            | Error::ResourceNotFoundException { .. }
            | Error::ThrottlingException { .. }
            | Error::InternalServerError { .. }
            | Error::Unknown { .. } => ErrorKind::Service,
            Error::Http { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Connect { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::BadResponse { .. }
            | Error::Request(_) => ErrorKind::Other,
        }
    }

    /// Whether this is bad local configuration or credentials ([`ErrorKind::Configuration`]).
    pub fn is_configuration(&self) -> bool {
        self.kind() == ErrorKind::Configuration
    }

    /// Whether the service answered with an AWS error ([`ErrorKind::Service`]).
    pub fn is_service(&self) -> bool {
        self.kind() == ErrorKind::Service
    }

    /// The service error code, if this is a service error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::InvalidRequestException { .. } => Some("InvalidRequestException"),
            Error::ResourceNotFoundException { .. } => Some("ResourceNotFoundException"),
            Error::ThrottlingException { .. } => Some("ThrottlingException"),
            Error::InternalServerError { .. } => Some("InternalServerError"),
            Error::Unknown { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The service's message, if this is a service error.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::InvalidRequestException { message }
            | Error::ResourceNotFoundException { message }
            | Error::ThrottlingException { message }
            | Error::InternalServerError { message }
            | Error::Unknown { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The HTTP status carried by [`Error::Unknown`], [`Error::Http`],
    /// [`Error::ResponseTooLarge`] and [`Error::BadResponse`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Unknown { status, .. }
            | Error::Http { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::BadResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a throttling error (AWS standard retry mode's list).
    pub fn is_throttling(&self) -> bool {
        self.code().is_some_and(|c| THROTTLING_ERROR_CODES.contains(&c))
    }

    /// Whether the AWS standard retry mode would retry this error:
    /// throttling codes, transient codes, HTTP 500/502/503/504, connection
    /// failures and timeouts. Configuration errors and oversized responses
    /// are never retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::InternalServerError { .. } | Error::ThrottlingException { .. } => true,
            Error::Unknown { code, status, .. } => {
                THROTTLING_ERROR_CODES.contains(&code.as_str())
                    || TRANSIENT_ERROR_CODES.contains(&code.as_str())
                    || TRANSIENT_STATUS_CODES.contains(status)
            }
            Error::Http { status, .. } | Error::BadResponse { status, .. } => TRANSIENT_STATUS_CODES.contains(status),
            _ => false,
        }
    }
}

/// Normalizes an AWS JSON error code as botocore does: drop a `:suffix`,
/// then keep what follows the last `#`.
pub fn normalize_error_code(code: &str) -> &str {
    let code = code.split_once(':').map_or(code, |(head, _)| head);
    code.rsplit_once('#').map_or(code, |(_, tail)| tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized() {
        assert_eq!(
            normalize_error_code("com.amazonaws.nf#ThrottlingException"),
            "ThrottlingException"
        );
        assert_eq!(
            normalize_error_code("ResourceNotFoundException:http://internal.amazon.com/"),
            "ResourceNotFoundException"
        );
        assert_eq!(normalize_error_code("Plain"), "Plain");
    }

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(redact_url("http://u:p@h:1/x@y"), "http://***@h:1/x@y");
        assert_eq!(redact_url("http://u:p@@h"), "http://***@h");
        assert_eq!(redact_url("u:p@h/x"), "***@h/x");
        assert_eq!(redact_url("https://h/path?a=b@c"), "https://h/path?a=b@c");
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(strip_userinfo("http://u:p@h:1/x@y"), "http://h:1/x@y");
        assert_eq!(strip_userinfo("http://h:1/x@y"), "http://h:1/x@y");
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt(b""), "");
        assert_eq!(excerpt("é".repeat(300).as_bytes()), format!("{}…", "é".repeat(200)));
        assert_eq!(body_excerpt(" \n"), "empty");
        assert_eq!(body_excerpt("<h1>x</h1>\n"), "\"<h1>x</h1>\\n\"");
    }

    #[test]
    fn retryability() {
        assert!(Error::from_service("ThrottlingException", String::new(), 400).is_retryable());
        assert!(Error::from_service("SlowDown", String::new(), 400).is_retryable());
        assert!(Error::from_service("Whatever", String::new(), 503).is_retryable());
        assert!(!Error::from_service("InvalidRequestException", String::new(), 400).is_retryable());
        assert!(!Error::from_service("AccessDenied", String::new(), 403).is_retryable());
    }
}
