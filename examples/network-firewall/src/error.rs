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

/// Everything a call to Network Firewall can fail with.
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
    #[error("{code} (HTTP {status}): {message}")]
    Unknown {
        /// The error code, e.g. `UnrecognizedClientException`.
        code: String,
        /// The service's message (may be empty).
        message: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The connection could not be established.
    #[error("cannot connect to {endpoint}: {message}")]
    Connect {
        /// The endpoint URL.
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// The request did not complete within the configured timeout.
    #[error("request to {endpoint} timed out: {message}")]
    Timeout {
        /// The endpoint URL.
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// Another transport failure (connection reset, broken response, ...).
    #[error("transport error talking to {endpoint}: {message}")]
    Transport {
        /// The endpoint URL.
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
    /// The configuration is unusable (bad endpoint URL, TLS setup, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be serialized or signed.
    #[error("cannot build request: {0}")]
    Request(String),
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

    /// The HTTP status carried by [`Error::Unknown`] and [`Error::BadResponse`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Unknown { status, .. } | Error::BadResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a throttling error (AWS standard retry mode's list).
    pub fn is_throttling(&self) -> bool {
        self.code().is_some_and(|c| THROTTLING_ERROR_CODES.contains(&c))
    }

    /// Whether the AWS standard retry mode would retry this error:
    /// throttling codes, transient codes, HTTP 500/502/503/504, connection
    /// failures and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::InternalServerError { .. } | Error::ThrottlingException { .. } => true,
            Error::Unknown { code, status, .. } => {
                THROTTLING_ERROR_CODES.contains(&code.as_str())
                    || TRANSIENT_ERROR_CODES.contains(&code.as_str())
                    || TRANSIENT_STATUS_CODES.contains(status)
            }
            Error::BadResponse { status, .. } => TRANSIENT_STATUS_CODES.contains(status),
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
    fn retryability() {
        assert!(Error::from_service("ThrottlingException", String::new(), 400).is_retryable());
        assert!(Error::from_service("SlowDown", String::new(), 400).is_retryable());
        assert!(Error::from_service("Whatever", String::new(), 503).is_retryable());
        assert!(!Error::from_service("InvalidRequestException", String::new(), 400).is_retryable());
        assert!(!Error::from_service("AccessDenied", String::new(), 403).is_retryable());
    }
}
