//! What the endpoint answers: a response in the AWS JSON 1.0 protocol's
//! shape, a service error ([`ApiError`]) as one, or no answer at all
//! ([`ResetConnection`], fault injection).

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;
use rand::RngCore;

use crate::client::CONTENT_TYPE;

/// A service error response.
#[derive(Debug)]
pub(super) struct ApiError {
    pub(super) status: StatusCode,
    pub(super) code: &'static str,
    pub(super) message: String,
    /// Close the connection after answering (the body was left unread).
    pub(super) close: bool,
    /// Do not answer: drop the connection (fault injection).
    pub(super) reset: bool,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            close: false,
            reset: false,
        }
    }

    pub(super) fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    pub(super) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidRequestException", message)
    }

    pub(super) fn serialization(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "SerializationException", message)
    }

    pub(super) fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "UnknownOperationException", message)
    }

    pub(super) fn invalid_signature(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "InvalidSignatureException", message)
    }

    pub(super) fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "IncompleteSignatureException", message)
    }

    pub(super) fn unrecognized_client() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    }

    pub(super) fn internal(message: impl Into<String>) -> Self {
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

pub(super) fn respond(
    status: StatusCode,
    body: Vec<u8>,
    error_code: Option<&str>,
    close: bool,
) -> Response<Full<Bytes>> {
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

pub(super) fn error_response(e: ApiError) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "__type": e.code, "message": e.message });
    respond(e.status, body.to_string().into_bytes(), Some(e.code), e.close)
}

/// A connection dropped without an answer (fault injection).
#[derive(Debug)]
pub(super) struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ResetConnection {}
