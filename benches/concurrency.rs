//! Paging faster than the obvious loop, in wall time (`DELAY_MS`, default 5):
//!
//! - prefetch: 100 pages where the service and the caller each take the
//!   delay per page; `bench: prefetch_vs_sequential ratio=X` is prefetch(1)
//!   time / sequential time (0.5 is the floor when both take equal time);
//! - fan-out: 8 listings of 50 pages at the delay per page;
//!   `bench: fanout8_vs_sequential ratio=X` is concurrency 8 / one listing
//!   after another (0.125 is the floor).
//!
//! Run: `cargo bench --bench concurrency`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use paginate::{FanOut, Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Request {
    #[paginated(input_token)]
    next_token: Option<u32>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token)]
    next_token: Option<u32>,
}

const PAGES: u32 = 100;

async fn run(delay: Duration, depth: Option<usize>) -> Duration {
    let service = move |req: Request| async move {
        tokio::time::sleep(delay).await;
        let n = req.next_token.unwrap_or(0);
        Ok::<_, std::io::Error>(Page {
            items: vec![n],
            next_token: (n + 1 < PAGES).then_some(n + 1),
        })
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
        let n = req.next_token.unwrap_or(0);
        Ok::<_, std::io::Error>(Page {
            items: vec![n],
            next_token: (n + 1 < 50).then_some(n + 1),
        })
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
    let ms = std::env::var("DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let delay = Duration::from_millis(ms);
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
    println!(
        "bench: prefetch_vs_sequential ratio={:.3}",
        prefetched.as_secs_f64() / sequential.as_secs_f64()
    );
    println!(
        "bench: fanout8_vs_sequential ratio={:.3}",
        fanned.as_secs_f64() / one_by_one.as_secs_f64()
    );
}
