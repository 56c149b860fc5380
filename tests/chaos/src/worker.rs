//! One worker process: leases listings of the shared job through
//! PostgreSQL, lists each over HTTP from where it stands, prints every item
//! to its standard output before acknowledging it, and makes what it
//! acknowledged durable every `flush_every` items and at each listing's end.
//! Throttling and server errors are retried (the error's request sent again
//! after a backoff); an expired token restarts the listing by count.
//!
//! What it prints, a line each: `leased L`, `item L N`, `durable` (every item
//! printed so far is durable), `lost L` (another worker took listing `L` over)
//! and `finished`.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paginate::{
    CheckpointError, Checkpoints, Error, Expired, ExpiryPolicy, Listing, Paginated, PaginationConfig, PostgresStore,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListItemsResponse)]
pub struct ListItemsRequest {
    pub listing: u32,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListItemsResponse {
    #[paginated(result_key)]
    pub items: Vec<Item>,
    #[paginated(output_token = next_token)]
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Item {
    pub id: String,
}

/// What a call of the service can end in.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("throttled")]
    Throttled,
    #[error("internal server error")]
    Internal,
    #[error("the token has expired")]
    Expired,
    #[error("{0}: {1}")]
    Refused(u16, String),
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
}

impl ServiceError {
    fn retryable(&self) -> bool {
        matches!(
            self,
            ServiceError::Throttled | ServiceError::Internal | ServiceError::Transport(_)
        )
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "__type")]
    kind: String,
}

async fn call(
    http: &reqwest::Client,
    url: &str,
    request: &ListItemsRequest,
) -> Result<ListItemsResponse, ServiceError> {
    let response = http.post(url).json(request).send().await?;
    let status = response.status();
    if status.is_success() {
        return Ok(response.json().await?);
    }
    let body = response.text().await?;
    let kind = serde_json::from_str::<ErrorBody>(&body)
        .map(|e| e.kind)
        .unwrap_or_default();
    Err(match kind.as_str() {
        "ThrottlingException" => ServiceError::Throttled,
        "InternalServerError" => ServiceError::Internal,
        "ExpiredNextTokenException" => ServiceError::Expired,
        _ => ServiceError::Refused(status.as_u16(), body),
    })
}

/// How a worker runs: the arguments of `paginate-chaos worker`, which the
/// harness passes on to each worker it starts.
#[derive(Clone, Debug, clap::Args)]
pub struct Settings {
    #[arg(long)]
    pub database: String,
    #[arg(long)]
    pub endpoint: String,
    #[arg(long)]
    pub job: String,
    #[arg(long)]
    pub listings: usize,
    #[arg(long)]
    pub lease_ms: u64,
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub flush_every: u64,
    #[arg(long)]
    pub page_size: u64,
}

/// Why a worker stopped before the job was done.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("the checkpoint store: {0}")]
    Store(#[from] CheckpointError),
    #[error("listing {0}")]
    Listing(u32, #[source] Error<ServiceError>),
    #[error("listing {0}: 12 calls in a row failed")]
    GaveUp(u32, #[source] ServiceError),
    #[error("writing to standard output: {0}")]
    Output(#[from] std::io::Error),
    #[error("the HTTP client: {0}")]
    Client(String),
}

/// Works on the shared job until no listing of it is left.
pub fn work(settings: &Settings) -> Result<(), WorkerError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| WorkerError::Client(e.to_string()))?;
    let runtime = Arc::new(runtime);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| WorkerError::Client(e.to_string()))?;
    let url = format!("{}/ListItems", settings.endpoint);
    // Calls answered, so that retries are counted from the last one (a
    // restart's pages of items already delivered yield no item).
    let answered = Arc::new(AtomicU64::new(0));
    let client = {
        let answered = Arc::clone(&answered);
        move |request: ListItemsRequest| {
            let page = runtime.block_on(call(&http, &url, &request));
            if page.is_ok() {
                answered.fetch_add(1, Ordering::Relaxed);
            }
            page
        }
    };

    let store = PostgresStore::connect(&settings.database)?.with_lease(Duration::from_millis(settings.lease_ms));
    let open = || -> Result<_, CheckpointError> {
        let checkpoints = Checkpoints::new(store.clone())?;
        let description = format!("{} listings of the chaos service", settings.listings);
        checkpoints.shared_job::<ListItemsRequest>(&settings.job, &description, settings.listings)
    };
    let mut shared = open()?;
    let mut out = std::io::stdout().lock();
    while shared.remaining()? > 0 {
        let Some((index, lease)) = shared.next_listing()? else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let listing = index as u32;
        writeln!(out, "leased {listing}")?;
        let request = ListItemsRequest {
            listing,
            ..ListItemsRequest::default()
        };
        let config = PaginationConfig::default().with_page_size(settings.page_size);
        let expired = |e: &ServiceError| matches!(e, ServiceError::Expired).then(Expired::new);
        let listed = Listing::new(client.clone(), request, config)
            .on_expired_token(expired, ExpiryPolicy::restart_by_count().with_max_restarts(50));
        let Some(listed) = lease.start(listed) else { continue };
        let mut items = lease.track(listed.items());
        // Failed calls since the last answered one.
        let (mut attempt, mut answered_then) = (0u32, answered.load(Ordering::Relaxed));
        let mut printed = 0u64;
        let outcome = loop {
            match items.next() {
                None => break items.ack().and_then(|()| items.flush()),
                Some(Ok(item)) => {
                    writeln!(out, "item {}", item.id.replacen('-', " ", 1))?;
                    printed += 1;
                    if let Err(e) = items.ack() {
                        break Err(e);
                    }
                    if printed % settings.flush_every == 0 {
                        if let Err(e) = items.flush() {
                            break Err(e);
                        }
                        writeln!(out, "durable")?;
                    }
                }
                Some(Err(Error::Service { source, .. })) if source.retryable() => {
                    let answered_now = answered.load(Ordering::Relaxed);
                    if answered_now != answered_then {
                        (attempt, answered_then) = (0, answered_now);
                    }
                    if attempt == 12 {
                        return Err(WorkerError::GaveUp(listing, source));
                    }
                    // Exponential backoff from 5 ms, at most 160 ms, then the same request again.
                    std::thread::sleep(Duration::from_millis(5 << attempt.min(5)));
                    attempt += 1;
                    items.get_mut().retry();
                }
                Some(Err(e)) => return Err(WorkerError::Listing(listing, e)),
            }
        };
        match outcome {
            Ok(()) => writeln!(out, "durable")?,
            Err(CheckpointError::LeaseLost { .. }) => {
                // Another worker took the listing over (this one stalled past its lease); the
                // writer refuses every acknowledgement from now on: go on through a new one.
                writeln!(out, "lost {listing}")?;
                shared = open()?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    writeln!(out, "finished")?;
    Ok(())
}
