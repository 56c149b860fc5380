//! One request from its arrival to its answer: the request counters, the
//! injected latency and faults, authentication and the body, then the
//! operation the target names.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;

use super::conn::ConnState;
use super::operation::list_flow_operations;
use super::response::{error_response, respond, ApiError, ResetConnection};
use super::state::State;
use super::{auth, body};
use crate::client::TARGET_PREFIX;

pub(super) async fn handle(
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
