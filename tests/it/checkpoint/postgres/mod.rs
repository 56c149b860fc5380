//! Many workers share one job through a real PostgreSQL server (started by
//! `server.rs`): each listing leased to one worker at a time, a dead worker's
//! listing taken over from its last checkpoint once its lease expires, a
//! worker whose lease was taken over stopped by `LeaseLost`, and the errors
//! of a database that cannot be used.

mod crash;
mod errors;
pub mod server;
mod workers;

use std::convert::Infallible;
use std::time::{Duration, Instant};

use paginate::{CheckpointError, Checkpoints, Listing, Paginated, PaginationConfig, PostgresStore};
use serde::Serialize;

use super::{page_at, Page};

/// Listing `listing` of a shared job: items `0..size(listing)`, five a page.
#[derive(Clone, Debug, Default, Serialize, Paginated)]
#[paginated(response = Page)]
pub struct Shard {
    pub listing: usize,
    pub size: u32,
    #[paginated(input_token)]
    pub next_token: Option<String>,
}

pub const PAGE: u32 = 5;

/// The scripted service: the page at the offset the token holds, after `delay`.
pub fn serve(req: &Shard, delay: Duration) -> Page {
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    page_at(req.next_token.as_deref(), req.size, PAGE)
}

/// Mixed sizes: empty listings, a page, a page and a bit, and long ones.
pub fn mixed_size(listing: usize) -> u32 {
    [0, 1, 5, 7, 23, 48, 3, 61, 12, 30][listing % 10] + (listing as u32 / 10) * 4
}

/// Every item of a job: `(listing, item)`.
pub fn truth(sizes: &[u32]) -> Vec<(usize, u32)> {
    sizes
        .iter()
        .enumerate()
        .flat_map(|(listing, &size)| (0..size).map(move |n| (listing, n)))
        .collect()
}

/// What a worker saw, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// It took the lease of a listing.
    Leased(usize),
    /// It delivered an item (before acknowledging it).
    Item(usize, u32),
    /// Everything it delivered so far is durably acknowledged.
    Durable,
}

/// One worker: takes listings of the shared job `job` until none is left,
/// lists each from where it stands, delivering every item to `deliver` and
/// acknowledging it, flushing every `flush_every` items and at the end of
/// each listing. Waits (polling) while every listing left is leased to
/// another worker.
pub fn work(
    url: &str,
    job: &str,
    sizes: &[u32],
    lease: Duration,
    delay: Duration,
    flush_every: usize,
    mut deliver: impl FnMut(Event),
) -> Result<(), CheckpointError> {
    let store = PostgresStore::connect(url)?.with_lease(lease);
    let checkpoints = Checkpoints::new(store)?;
    let shared = checkpoints.shared_job::<Shard>(job, &format!("{} listings", sizes.len()), sizes.len())?;
    let deadline = Instant::now() + Duration::from_secs(120);
    while shared.remaining()? > 0 {
        assert!(Instant::now() < deadline, "the job {job} never finished");
        let Some((listing, lease)) = shared.next_listing()? else {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        deliver(Event::Leased(listing));
        let request = Shard {
            listing,
            size: sizes[listing],
            next_token: None,
        };
        let service = move |req: Shard| Ok::<_, Infallible>(serve(&req, delay));
        let Some(listing_now) = lease.start(Listing::new(service, request, PaginationConfig::default())) else {
            continue;
        };
        let mut items = lease.track(listing_now.items());
        let mut n = 0;
        while let Some(item) = items.next() {
            deliver(Event::Item(listing, item.expect("the service does not fail")));
            items.ack()?;
            n += 1;
            if n % flush_every == 0 {
                items.flush()?;
                deliver(Event::Durable);
            }
        }
        items.flush()?;
        deliver(Event::Durable);
    }
    Ok(())
}

/// A job id no other test (or earlier run against the same server) uses.
pub fn fresh_job(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{name}-{}-{nanos}", std::process::id())
}
