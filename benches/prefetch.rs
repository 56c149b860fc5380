//! Prefetch against sequential paging: 100 pages where the service and the
//! caller each take `PREFETCH_MS` (default 5) milliseconds per page. Prints
//! the wall times and `bench: prefetch_vs_sequential ratio=X` (prefetch time
//! / sequential time; 0.5 is the floor when both sides take equal time).
//! Run: `cargo bench --bench prefetch`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use paginate::{Listing, Paginated, PaginationConfig};

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
        Some(depth) => Box::pin(listing.into_stream().prefetch(depth)),
        None => Box::pin(listing.into_stream()),
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

fn main() {
    let ms = std::env::var("PREFETCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let delay = Duration::from_millis(ms);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let sequential = runtime.block_on(run(delay, None));
    let prefetched = runtime.block_on(run(delay, Some(2)));
    println!("{PAGES} pages, service and caller {ms} ms each: sequential {sequential:?}, prefetch(2) {prefetched:?}");
    println!(
        "bench: prefetch_vs_sequential ratio={:.3}",
        prefetched.as_secs_f64() / sequential.as_secs_f64()
    );
}
