//! Reading request bodies within the limits: size, time, and the bytes held
//! by all requests together.

use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body as _, Incoming};
use sha2::{Digest, Sha256};

use super::response::ApiError;
use super::state::State;

fn too_large(max: usize, declared: Option<u64>) -> ApiError {
    let message = match declared {
        Some(n) => format!("Request body of {n} bytes exceeds the maximum of {max} bytes."),
        None => format!("Request body exceeds the maximum of {max} bytes."),
    };
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLargeException", message).closing()
}

/// Reads the body: refused at once (unread) when its `Content-Length` is
/// over [`ServerLimits::max_body_bytes`](super::ServerLimits::max_body_bytes),
/// cut off there when chunked, and given
/// [`ServerLimits::body_read_timeout`](super::ServerLimits::body_read_timeout)
/// to arrive. While it is read, its size (the maximum when chunked) is held
/// from the server-wide
/// [`ServerLimits::max_pending_body_bytes`](super::ServerLimits::max_pending_body_bytes).
pub(super) async fn read_bounded(state: &State, body: Incoming) -> Result<Bytes, ApiError> {
    let max = state.limits.max_body_bytes;
    let hint = body.size_hint();
    if hint.lower() > max as u64 {
        return Err(too_large(max, hint.exact()));
    }
    let reserve = hint.exact().unwrap_or(max as u64);
    let _budget = match u32::try_from(reserve) {
        Ok(0) => None,
        Ok(n) => Some(state.body_budget.clone().try_acquire_many_owned(n).map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
                "The service is busy receiving other requests; retry the request.",
            )
            .closing()
        })?),
        Err(_) => return Err(too_large(max, hint.exact())),
    };
    let read = tokio::time::timeout(state.limits.body_read_timeout, Limited::new(body, max).collect()).await;
    match read {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(too_large(max, None)),
        Ok(Err(_)) => Err(ApiError::serialization("Request body could not be read.").closing()),
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeoutException",
            format!(
                "The request body was not received within {} seconds.",
                state.limits.body_read_timeout.as_secs_f64()
            ),
        )
        .closing()),
    }
}

/// The lower-case hex SHA-256 of a body.
pub(super) fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// A body must hash to the `x-amz-content-sha256` it was signed with.
pub(super) fn check_declared_hash(declared: &str, body: &[u8]) -> Result<(), ApiError> {
    if sha256_hex(body).eq_ignore_ascii_case(declared) {
        Ok(())
    } else {
        Err(ApiError::invalid_signature(
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ))
    }
}
