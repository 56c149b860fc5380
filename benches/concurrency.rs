//! Paging faster than the obvious loop, in wall time (`DELAY_MS`, default 5):
//!
//! - prefetch: 100 pages where the service and the caller each take the
//!   delay per page; `bench: prefetch_vs_sequential ratio=X` is prefetch(1)
//!   time / sequential time (0.5 is the floor when both take equal time);
//! - fan-out: 8 listings of 50 pages at the delay per page;
//!   `bench: fanout8_vs_sequential ratio=X` is concurrency 8 / one listing
//!   after another (0.125 is the floor);
//! - parallel pages: an offset listing of 200 pages with a `total`, the
//!   service taking the delay per page; `bench:
//!   parallel8_offset_vs_sequential ratio=X` is `parallel(8)` / one page at a
//!   time (the first page goes alone, so 1/8 + 1/200 is the floor).
//!
//! Run: `cargo bench --all-features --bench concurrency`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use paginate::{FanOut, Listing, Paginated, PaginationConfig};

mod support;

use support::{delay, page, Request};

const PAGES: u32 = 100;

/// An offset listing: `offset`, `limit` and `total`.
#[derive(Clone, Default, Paginated)]
#[paginated(response = OffsetPage)]
struct OffsetRequest {
    #[paginated(offset)]
    offset: u64,
    #[paginated(limit_key)]
    limit: Option<u64>,
}

#[derive(Paginated)]
struct OffsetPage {
    #[paginated(result_key)]
    items: Vec<u64>,
    #[paginated(total)]
    total: u64,
}

const OFFSET_PAGES: u64 = 200;
const OFFSET_PAGE_SIZE: u64 = 10;

/// The offset listing, one page at a time or `width` in flight.
async fn offset_listing(delay: Duration, width: Option<usize>) -> Duration {
    let total = OFFSET_PAGES * OFFSET_PAGE_SIZE;
    let service = move |req: OffsetRequest| async move {
        tokio::time::sleep(delay).await;
        let end = (req.offset + req.limit.unwrap_or(OFFSET_PAGE_SIZE)).min(total);
        Ok::<_, std::io::Error>(OffsetPage {
            items: (req.offset..end).collect(),
            total,
        })
    };
    let config = PaginationConfig::default().with_page_size(OFFSET_PAGE_SIZE);
    let pages = Listing::new(service, OffsetRequest::default(), config).page_stream();
    let started = Instant::now();
    let items = match width {
        Some(width) => pages.parallel(width).items().count().await,
        None => pages.items().count().await,
    };
    assert_eq!(items as u64, total);
    started.elapsed()
}

async fn run(delay: Duration, depth: Option<usize>) -> Duration {
    let service = move |req: Request| async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::io::Error>(page(req.next_token.unwrap_or(0), PAGES, 1))
    };
    let listing = Listing::new(service, Request::default(), PaginationConfig::default());
    let started = Instant::now();
    let mut pages: std::pin::Pin<Box<dyn futures::Stream<Item = _> + Send>> = match depth {
        Some(depth) => Box::pin(listing.page_stream().prefetch(depth)),
        None => Box::pin(listing.page_stream()),
    };
    let mut seen = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("no error");
        seen += page.items.len();
        tokio::time::sleep(delay).await; // the caller's work
    }
    assert_eq!(seen, PAGES as usize);
    started.elapsed()
}

/// 8 listings of 50 pages each, `concurrency` at a time.
async fn fan_out(delay: Duration, concurrency: usize) -> Duration {
    let service = move |req: Request| async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::io::Error>(page(req.next_token.unwrap_or(0), 50, 1))
    };
    let listings = (0..8)
        .map(|_| Listing::new(service, Request::default(), PaginationConfig::default()))
        .collect();
    let started = Instant::now();
    let items = FanOut::new(listings, concurrency, None).count().await;
    assert_eq!(items, 400);
    started.elapsed()
}

fn main() {
    let delay = delay();
    let ms = delay.as_millis();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let sequential = runtime.block_on(run(delay, None));
    let prefetched = runtime.block_on(run(delay, Some(1)));
    println!("{PAGES} pages, service and caller {ms} ms each: sequential {sequential:?}, prefetch(1) {prefetched:?}");
    let one_by_one = runtime.block_on(fan_out(delay, 1));
    let fanned = runtime.block_on(fan_out(delay, 8));
    println!("8 listings of 50 pages at {ms} ms per page: one after another {one_by_one:?}, concurrency 8 {fanned:?}");
    let one_page_at_a_time = runtime.block_on(offset_listing(delay, None));
    let parallel = runtime.block_on(offset_listing(delay, Some(8)));
    println!(
        "an offset listing of {OFFSET_PAGES} pages at {ms} ms per page: one at a time {one_page_at_a_time:?}, parallel(8) {parallel:?}"
    );
    println!(
        "bench: prefetch_vs_sequential ratio={:.3}",
        prefetched.as_secs_f64() / sequential.as_secs_f64()
    );
    println!(
        "bench: fanout8_vs_sequential ratio={:.3}",
        fanned.as_secs_f64() / one_by_one.as_secs_f64()
    );
    println!(
        "bench: parallel8_offset_vs_sequential ratio={:.3}",
        parallel.as_secs_f64() / one_page_at_a_time.as_secs_f64()
    );
}
