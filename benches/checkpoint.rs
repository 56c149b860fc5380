//! What acknowledged checkpoints cost a listing, in wall time: 200 pages of
//! 10 items, the service taking `DELAY_MS` (default 5) a page, the consumer
//! acknowledging at the end of every page, against the same listing without
//! checkpoints. The checkpointed run ends with a `flush`, so its last
//! position is durable when the clock stops. Each round runs both, one after
//! the other; `bench: checkpoint_vs_plain ratio=X` is the median over the
//! rounds of checkpointed time / plain time (1.0 is the floor: the commits
//! run on the writer thread while the listing goes on).
//!
//! Run: `cargo bench --features checkpoint --bench checkpoint`.

use std::time::{Duration, Instant};

use paginate::{Checkpoints, Listing, PaginationConfig};

mod support;

use support::{delay, median, page, Page, Request};

const PAGES: u32 = 200;
const PAGE_SIZE: u32 = 10;
const ROUNDS: usize = 5;

fn listing(delay: Duration) -> Listing<impl FnMut(Request) -> Result<Page, std::io::Error>, Request> {
    let service = move |req: Request| {
        std::thread::sleep(delay); // the service's time per page
        Ok(page(req.next_token.unwrap_or(0), PAGES, PAGE_SIZE))
    };
    Listing::new(service, Request::default(), PaginationConfig::default())
}

fn plain(delay: Duration) -> Duration {
    let started = Instant::now();
    let mut seen = 0;
    for item in listing(delay).items() {
        item.expect("no error");
        seen += 1;
    }
    assert_eq!(seen, PAGES * PAGE_SIZE);
    started.elapsed()
}

fn checkpointed(delay: Duration, checkpoints: &Checkpoints, round: usize) -> Duration {
    let started = Instant::now();
    let job = checkpoints
        .job::<Request>(&format!("round {round}"), "all pages")
        .expect("a store");
    let mut items = job.track(job.start(listing(delay)).expect("a new job").items());
    let mut seen = 0;
    while let Some(item) = items.next() {
        item.expect("no error");
        seen += 1;
        if seen % PAGE_SIZE == 0 {
            items.ack().expect("a store"); // a checkpoint per page
        }
    }
    items.flush().expect("a store");
    assert_eq!(seen, PAGES * PAGE_SIZE);
    started.elapsed()
}

fn main() {
    let delay = delay();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let checkpoints = Checkpoints::open(dir.path().join("bench.redb")).expect("a store");
    let mut ratios = Vec::new();
    for round in 0..ROUNDS {
        let plain = plain(delay);
        let checkpointed = checkpointed(delay, &checkpoints, round);
        println!(
            "round {round}: plain {:.1} ms, checkpoint per page {:.1} ms",
            plain.as_secs_f64() * 1e3,
            checkpointed.as_secs_f64() * 1e3
        );
        ratios.push(checkpointed.as_secs_f64() / plain.as_secs_f64());
    }
    println!("bench: checkpoint_vs_plain ratio={:.3}", median(ratios));
}
