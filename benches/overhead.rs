//! What the paginator costs over a hand-written pagination loop, measured in
//! one run on the same in-memory service (so machine noise cancels out in the
//! ratios). Run: `cargo bench --bench overhead`.
//!
//! The service builds each page from scratch (as deserializing a response
//! would), so the baseline pays for the pages too; the difference is the
//! engine: token bookkeeping, cycle detection, resume positions.

use std::hint::black_box;
use std::time::{Duration, Instant};

use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Request {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key)]
    max_results: Option<u32>,
}

#[derive(Paginated)]
struct Page {
    #[paginated(result_key)]
    items: Option<Vec<Item>>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

struct Item {
    id: String,
    size: u64,
}

const TOTAL: u32 = 200_000;

fn serve(req: &Request) -> Page {
    let start: u32 = req
        .next_token
        .as_deref()
        .and_then(|t| t.strip_prefix("page-"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let end = (start + req.max_results.unwrap_or(100)).min(TOTAL);
    let items = (start..end)
        .map(|i| Item {
            id: format!("op-{i:08}"),
            size: u64::from(i),
        })
        .collect();
    Page {
        items: Some(items),
        next_token: (end < TOTAL).then(|| format!("page-{end}")),
    }
}

/// What users write without the library.
fn hand_written(page_size: u32) -> u64 {
    let mut req = Request {
        next_token: None,
        max_results: Some(page_size),
    };
    let mut sum = 0;
    loop {
        let page = serve(black_box(&req));
        for item in page.items.unwrap_or_default() {
            sum += item.size + item.id.len() as u64;
        }
        match page.next_token {
            Some(token) => req.next_token = Some(token),
            None => return sum,
        }
    }
}

fn blocking_items(page_size: u32) -> u64 {
    let client = |req: Request| Ok::<_, ()>(serve(black_box(&req)));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    Listing::new(client, Request::default(), config)
        .items()
        .map(|item| item.map(|i| i.size + i.id.len() as u64).unwrap_or(0))
        .sum()
}

fn async_items(page_size: u32) -> u64 {
    use futures::StreamExt;
    let client = |req: Request| std::future::ready(Ok::<_, ()>(serve(black_box(&req))));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    let items = Listing::new(client, Request::default(), config).into_stream().items();
    futures::executor::block_on(items.fold(0, |sum, item| async move {
        sum + item.map(|i| i.size + i.id.len() as u64).unwrap_or(0)
    }))
}

fn items_with_token_every_page(page_size: u32) -> u64 {
    let client = |req: Request| Ok::<_, ()>(serve(black_box(&req)));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    let mut items = Listing::new(client, Request::default(), config).items();
    let mut sum = 0;
    let mut n = 0u32;
    while let Some(Ok(item)) = items.next() {
        sum += item.size + item.id.len() as u64;
        n += 1;
        if n % page_size == 0 {
            sum += items.resume_token().map_or(0, |t| t.len() as u64);
        }
    }
    sum
}

/// Best of `rounds` runs, in nanoseconds per item.
fn measure(rounds: usize, run: impl Fn() -> u64) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        black_box(run());
        best = best.min(start.elapsed());
    }
    best.as_nanos() as f64 / f64::from(TOTAL)
}

fn main() {
    let rounds = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(7);
    assert_eq!(hand_written(100), blocking_items(100), "both paths see the same items");
    assert_eq!(hand_written(100), async_items(100), "both paths see the same items");
    println!("{TOTAL} items, best of {rounds} runs, ns per item (ratio to the hand-written loop)");
    let mut summary = Vec::new();
    for page_size in [10, 100, 1000] {
        let base = measure(rounds, || hand_written(page_size));
        let rows = [
            ("blocking items()", measure(rounds, || blocking_items(page_size))),
            ("async items()", measure(rounds, || async_items(page_size))),
            (
                "items() + resume_token() per page",
                measure(rounds, || items_with_token_every_page(page_size)),
            ),
        ];
        println!("page size {page_size:>4}: hand-written loop {base:7.1} ns");
        for (name, ns) in rows {
            println!("  {name:<36} {ns:7.1} ns  x{:.3}", ns / base);
        }
        summary.push((format!("items_vs_loop_p{page_size}"), rows[0].1 / base));
        summary.push((format!("items_vs_loop_p{page_size}_async"), rows[1].1 / base));
    }
    for (name, ratio) in summary {
        println!("bench: {name} ratio={ratio:.3}");
    }
}
