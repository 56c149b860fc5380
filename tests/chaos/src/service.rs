//! The loopback service every worker lists: `POST /ListItems` over HTTP/1.1
//! on 127.0.0.1, in the AWS JSON style (`{"Listing": 3, "NextToken": "...",
//! "MaxResults": 25}` → `{"Items": [{"Id": "3-0"}, ...], "NextToken": "..."}`),
//! injecting faults at random: throttling (429 `ThrottlingException`), server
//! errors (500 `InternalServerError`) and expired tokens (400
//! `ExpiredNextTokenException`: a token older than its time to live, or one
//! the service has lost).
//!
//! A token is `{listing}.{offset}.{issued_ms}.{check}`, `check` a keyed hash
//! of the rest: the service keeps no state per token and refuses one it did
//! not issue, or one issued for another listing (400 `InvalidNextTokenException`).

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::json;

use crate::plan::mix;

/// What the service injects, in percent of the requests that could carry it.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Requests answered `ThrottlingException`.
    pub throttle_pct: u64,
    /// Requests answered `InternalServerError`.
    pub error_pct: u64,
    /// Requests with a token whose token the service has lost.
    pub lose_token_pct: u64,
    /// A token expires this long after it was issued.
    pub token_ttl: Duration,
    /// The time the service takes to answer a page.
    pub page_time: Duration,
}

/// Largest `MaxResults` accepted; the default page when none is asked.
pub const MAX_RESULTS: u32 = 100;
const DEFAULT_RESULTS: u32 = 25;

/// What the service counted: requests, and the faults injected.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
    pub failed: AtomicU64,
    /// Tokens refused as older than their time to live.
    pub expired: AtomicU64,
    /// Tokens refused as lost.
    pub lost: AtomicU64,
}

/// Why a token is refused.
enum Refused {
    Invalid,
    Expired,
}

struct Service {
    seed: u64,
    sizes: Vec<u32>,
    faults: Faults,
    started: Instant,
    counters: Arc<Counters>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListItems {
    listing: u32,
    next_token: Option<String>,
    max_results: Option<u32>,
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response<Full<Bytes>> {
    let body = json!({"__type": kind, "message": message}).to_string();
    let mut response = Response::new(Full::from(body));
    *response.status_mut() = status;
    response
}

impl Service {
    fn check(&self, listing: u32, offset: u32, issued: u64) -> u64 {
        mix(self.seed ^ mix(u64::from(listing) << 32 | u64::from(offset)) ^ mix(issued)) % 1_000_000_007
    }

    fn token(&self, listing: u32, offset: u32) -> String {
        let issued = self.started.elapsed().as_millis() as u64;
        format!("{listing}.{offset}.{issued}.{}", self.check(listing, offset, issued))
    }

    /// The offset a token stands for; `Err` with the error to answer.
    fn offset(&self, listing: u32, token: &str, roll: u64) -> Result<u32, Refused> {
        let parts: Vec<&str> = token.split('.').collect();
        let [of, offset, issued, check] = parts.as_slice() else {
            return Err(Refused::Invalid);
        };
        let (Ok(of), Ok(offset), Ok(issued), Ok(check)) = (
            of.parse::<u32>(),
            offset.parse::<u32>(),
            issued.parse::<u64>(),
            check.parse::<u64>(),
        ) else {
            return Err(Refused::Invalid);
        };
        if of != listing || check != self.check(of, offset, issued) {
            return Err(Refused::Invalid);
        }
        let age = Duration::from_millis((self.started.elapsed().as_millis() as u64).saturating_sub(issued));
        let old = age > self.faults.token_ttl;
        if old || roll % 100 < self.faults.lose_token_pct {
            let counter = if old {
                &self.counters.expired
            } else {
                &self.counters.lost
            };
            counter.fetch_add(1, Ordering::Relaxed);
            return Err(Refused::Expired);
        }
        Ok(offset)
    }

    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let n = self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let roll = mix(self.seed ^ mix(n));
        if request.uri().path() != "/ListItems" {
            return error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                "POST /ListItems only.",
            );
        }
        let Ok(body) = request.into_body().collect().await else {
            return error(
                StatusCode::BAD_REQUEST,
                "SerializationException",
                "The body could not be read.",
            );
        };
        let Ok(call) = serde_json::from_slice::<ListItems>(&body.to_bytes()) else {
            return error(
                StatusCode::BAD_REQUEST,
                "SerializationException",
                "The body is not a ListItems request.",
            );
        };
        let Some(&size) = self.sizes.get(call.listing as usize) else {
            return error(StatusCode::BAD_REQUEST, "ResourceNotFoundException", "No such listing.");
        };
        let limit = call.max_results.unwrap_or(DEFAULT_RESULTS);
        if !(1..=MAX_RESULTS).contains(&limit) {
            return error(
                StatusCode::BAD_REQUEST,
                "ValidationException",
                "MaxResults must be 1 to 100.",
            );
        }
        tokio::time::sleep(self.faults.page_time).await;
        if roll % 100 < self.faults.throttle_pct {
            self.counters.throttled.fetch_add(1, Ordering::Relaxed);
            return error(StatusCode::TOO_MANY_REQUESTS, "ThrottlingException", "Rate exceeded.");
        }
        if (roll >> 8) % 100 < self.faults.error_pct {
            self.counters.failed.fetch_add(1, Ordering::Relaxed);
            return error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "Try again.");
        }
        let offset = match call.next_token.as_deref() {
            None => 0,
            Some(token) => match self.offset(call.listing, token, roll >> 16) {
                Ok(offset) => offset,
                Err(Refused::Invalid) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "InvalidNextTokenException",
                        "The token is not valid.",
                    )
                }
                Err(Refused::Expired) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "ExpiredNextTokenException",
                        "The pagination token has expired.",
                    )
                }
            },
        };
        let end = offset.saturating_add(limit).min(size);
        let items: Vec<_> = (offset.min(end)..end)
            .map(|n| json!({"Id": format!("{}-{n}", call.listing)}))
            .collect();
        let mut page = json!({ "Items": items });
        if end < size {
            page["NextToken"] = json!(self.token(call.listing, end));
        }
        Response::new(Full::from(page.to_string()))
    }
}

/// Serves the listings of `sizes` on 127.0.0.1 from a runtime of its own,
/// on threads of their own; returns the base URL and the counters.
pub fn start(seed: u64, sizes: Vec<u32>, faults: Faults) -> std::io::Result<(String, Arc<Counters>)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let counters = Arc::new(Counters::default());
    let service = Arc::new(Service {
        seed,
        sizes,
        faults,
        started: Instant::now(),
        counters: Arc::clone(&counters),
    });
    std::thread::spawn(move || {
        runtime.block_on(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let service = Arc::clone(&service);
                let handler = hyper::service::service_fn(move |request| {
                    let service = Arc::clone(&service);
                    async move { Ok::<_, Infallible>(service.answer(request).await) }
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), handler);
                tokio::spawn(connection);
            }
        });
    });
    Ok((base, counters))
}
