//! What the paginator costs over a hand-written pagination loop, measured in
//! one run on the same in-memory service (so machine noise cancels out in the
//! ratios). Run: `cargo bench --bench overhead`.
//!
//! The service builds each page from scratch (as deserializing a response
//! would), so the baseline pays for the pages too; the difference is the
//! engine: token bookkeeping, cycle detection, resume positions.
//!
//! The paginator rows (and the `bench:` lines) use a client made with
//! `paginate::by_ref`, which is handed each request borrowed, as the
//! hand-written loop hands `serve` its request; one row shows a by-value
//! closure client (`|req: Request| ...`), which is sent a clone of every
//! request. The `_async` lines compare the item stream, taken with
//! `while let Some(item) = items.next().await`, with the same loop written
//! with `.await` on the same `std::future::ready` client under the same
//! executor (`futures::executor::block_on`); the blocking loop is printed
//! beside it, and so is the stream taken with `StreamExt::fold` (which adds a
//! future per item, the futures crate's cost, not the paginator's).
//!
//! Also printed: the default cycle detection's share (rows with
//! `RepeatPolicy::Allow`, no check, and `RejectImmediateRepeat`, botocore's
//! own check), and allocations per page (a counting allocator, on only while
//! counting).
//!
//! Each round runs every variant once, interleaved; the gated ratios are the
//! median over 15 rounds of the variant's time over the loop's in the same
//! round (run to run they agree within about 0.01 blocking, 0.03 async).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use paginate::{Listing, Paginated, PaginationConfig, RepeatPolicy};

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

/// Counts allocations while `COUNTING` is on (one relaxed load per
/// allocation otherwise, for the loop and the paginator alike).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations per page of one run (the items' included).
fn allocations_per_page(page_size: u32, run: impl Fn(u32) -> u64) -> f64 {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    black_box(run(page_size));
    COUNTING.store(false, Ordering::Relaxed);
    let pages = f64::from(TOTAL.div_ceil(page_size));
    ALLOCATIONS.load(Ordering::Relaxed) as f64 / pages
}

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

/// The hand-written loop, async: what users write without the library.
fn hand_written_async(page_size: u32) -> u64 {
    let client = |req: &Request| std::future::ready(Ok::<_, ()>(serve(black_box(req))));
    futures::executor::block_on(async {
        let mut req = Request {
            next_token: None,
            max_results: Some(page_size),
        };
        let mut sum = 0;
        loop {
            let Ok(page) = client(&req).await else {
                return sum;
            };
            for item in page.items.unwrap_or_default() {
                sum += item.size + item.id.len() as u64;
            }
            match page.next_token {
                Some(token) => req.next_token = Some(token),
                None => return sum,
            }
        }
    })
}

/// The blocking item iterator under `policy`, summing what the loop sums.
fn blocking_items_under(page_size: u32, policy: RepeatPolicy) -> u64 {
    let client = paginate::by_ref(|req: &Request| Ok::<_, ()>(serve(black_box(req))));
    let config = PaginationConfig::default()
        .with_page_size(u64::from(page_size))
        .with_repeat_policy(policy);
    Listing::new(client, Request::default(), config)
        .items()
        .map(|item| item.map(|i| i.size + i.id.len() as u64).unwrap_or(0))
        .sum()
}

/// The default: every token checked against the set of those seen.
fn blocking_items(page_size: u32) -> u64 {
    blocking_items_under(page_size, RepeatPolicy::default())
}

/// Without cycle detection (`RepeatPolicy::Allow`): what the set of tokens seen costs.
fn blocking_items_no_cycle_check(page_size: u32) -> u64 {
    blocking_items_under(page_size, RepeatPolicy::Allow)
}

/// botocore's own check (`RepeatPolicy::RejectImmediateRepeat`): a token
/// equal to the one just sent, compared by fingerprint; no set of tokens seen.
fn blocking_items_immediate_repeat_only(page_size: u32) -> u64 {
    blocking_items_under(page_size, RepeatPolicy::RejectImmediateRepeat)
}

/// A by-value client: a clone of the request per page.
fn blocking_items_by_value(page_size: u32) -> u64 {
    let client = |req: Request| Ok::<_, ()>(serve(black_box(&req)));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    Listing::new(client, Request::default(), config)
        .items()
        .map(|item| item.map(|i| i.size + i.id.len() as u64).unwrap_or(0))
        .sum()
}

/// The item stream, taken with `while let Some(item) = items.next().await`.
fn async_items(page_size: u32) -> u64 {
    use futures::StreamExt;
    let client = paginate::by_ref(|req: &Request| std::future::ready(Ok::<_, ()>(serve(black_box(req)))));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    let mut items = Listing::new(client, Request::default(), config).page_stream().items();
    futures::executor::block_on(async {
        let mut sum = 0;
        while let Some(item) = items.next().await {
            sum += item.map(|i| i.size + i.id.len() as u64).unwrap_or(0);
        }
        sum
    })
}

/// The item stream, taken with `StreamExt::fold` (a future per item).
fn async_items_fold(page_size: u32) -> u64 {
    use futures::StreamExt;
    let client = paginate::by_ref(|req: &Request| std::future::ready(Ok::<_, ()>(serve(black_box(req)))));
    let config = PaginationConfig::default().with_page_size(u64::from(page_size));
    let items = Listing::new(client, Request::default(), config).page_stream().items();
    futures::executor::block_on(items.fold(0, |sum, item| async move {
        sum + item.map(|i| i.size + i.id.len() as u64).unwrap_or(0)
    }))
}

fn items_with_token_every_page(page_size: u32) -> u64 {
    let client = paginate::by_ref(|req: &Request| Ok::<_, ()>(serve(black_box(req))));
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

/// The runs of one page size, in nanoseconds per item: each round times one
/// run of each (interleaved, so that a machine that slows down or speeds up
/// during the bench weighs on every figure alike).
struct Timings<const N: usize> {
    rounds: Vec<[f64; N]>,
}

impl<const N: usize> Timings<N> {
    fn measure(rounds: usize, page_size: u32, runs: [fn(u32) -> u64; N]) -> Self {
        let rounds = (0..rounds)
            .map(|_| {
                runs.map(|run| {
                    let start = Instant::now();
                    black_box(run(black_box(page_size)));
                    start.elapsed().as_nanos() as f64 / f64::from(TOTAL)
                })
            })
            .collect();
        Timings { rounds }
    }

    /// Run `i`'s best time.
    fn best(&self, i: usize) -> f64 {
        self.rounds.iter().map(|round| round[i]).fold(f64::INFINITY, f64::min)
    }

    /// Run `i`'s time over run `base`'s: the median of the ratios within a
    /// round (adjacent runs, so that drift cancels out).
    fn ratio(&self, i: usize, base: usize) -> f64 {
        let mut ratios: Vec<f64> = self.rounds.iter().map(|round| round[i] / round[base]).collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    }
}

fn main() {
    let rounds = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(15);
    assert_eq!(hand_written(100), blocking_items(100), "both paths see the same items");
    assert_eq!(hand_written(100), async_items(100), "both paths see the same items");
    assert_eq!(
        hand_written(100),
        async_items_fold(100),
        "both paths see the same items"
    );
    assert_eq!(
        hand_written(100),
        hand_written_async(100),
        "both loops see the same items"
    );
    assert_eq!(
        hand_written(100),
        blocking_items_by_value(100),
        "both clients see the same items"
    );
    println!(
        "{TOTAL} items, {rounds} interleaved rounds: best ns per item, and (x) the median within-round ratio to the hand-written loop"
    );
    let mut summary = Vec::new();
    for page_size in [10, 100, 1000] {
        let t = Timings::measure(
            rounds,
            page_size,
            [
                hand_written,
                hand_written_async,
                blocking_items,
                blocking_items_by_value,
                blocking_items_no_cycle_check,
                blocking_items_immediate_repeat_only,
                items_with_token_every_page,
                async_items,
                async_items_fold,
            ],
        );
        let (base, base_async) = (0, 1);
        println!(
            "page size {page_size:>4}: hand-written loop {:7.1} ns, async {:7.1} ns",
            t.best(base),
            t.best(base_async)
        );
        for (name, i) in [
            ("blocking items()", 2),
            ("blocking items(), by-value client", 3),
            ("blocking items(), RepeatPolicy::Allow", 4),
            ("blocking items(), RejectImmediateRepeat", 5),
            ("items() + resume_token() per page", 6),
        ] {
            println!("  {name:<36} {:7.1} ns  x{:.3}", t.best(i), t.ratio(i, base));
        }
        for (name, i) in [("async items(), next().await", 7), ("async items(), fold", 8)] {
            println!(
                "  {name:<36} {:7.1} ns  x{:.3} (x{:.3} to the blocking loop)",
                t.best(i),
                t.ratio(i, base_async),
                t.ratio(i, base)
            );
        }
        summary.push((format!("items_vs_loop_p{page_size}"), t.ratio(2, base)));
        summary.push((format!("items_vs_loop_p{page_size}_async"), t.ratio(7, base_async)));
    }
    println!("allocations per page (the items' own included), page size 10:");
    type Run = fn(u32) -> u64;
    let runs: [(&str, Run); 5] = [
        ("hand-written loop", hand_written),
        ("hand-written loop, async", hand_written_async),
        ("blocking items()", blocking_items),
        ("blocking items(), by-value client", blocking_items_by_value),
        ("async items()", async_items),
    ];
    let base = allocations_per_page(10, hand_written);
    for (name, run) in runs {
        let n = allocations_per_page(10, run);
        println!("  {name:<36} {n:6.2}  ({:+.2} to the loop)", n - base);
    }
    type StreamItem = Option<Result<Item, paginate::Error<()>>>;
    println!(
        "size of an item stream's item: {} bytes (the item: {})",
        std::mem::size_of::<StreamItem>(),
        std::mem::size_of::<Item>()
    );
    for (name, ratio) in summary {
        println!("bench: {name} ratio={ratio:.3}");
    }
}
