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

mod auth;
mod body;
mod config;
mod conn;
mod dispatch;
mod handle;
mod operation;
mod response;
mod state;

pub use crate::dataset::{
    Dataset, DatasetError, FirewallData, FlowOperationRecord, DEMO_EGRESS_FIREWALL_ARN, DEMO_EMPTY_FIREWALL_ARN,
    DEMO_FIREWALL_ARN,
};
pub use config::{
    demo_credentials, FaultConfig, ServerConfig, ServerLimits, DEFAULT_MAX_CLOCK_SKEW, DEFAULT_PAGE_SIZE,
    DEFAULT_REGION, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, MAX_BODY_BYTES, MIN_TOKEN_KEY_BYTES,
};
pub use handle::{start, start_blocking, BlockingServerHandle, Endpoint, ServerError, ServerHandle};
