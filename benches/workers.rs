//! Many workers on one shared job through PostgreSQL, in wall time: a job of
//! 40 listings of 10 pages of 10 items, the service taking `DELAY_MS`
//! (default 5) a page, each worker a thread with its own connection that
//! leases the next free listing, lists it acknowledging every page, and
//! flushes at its end; 4 workers against 1 over the same job (a fresh job id
//! each run). The server is a throwaway cluster on 127.0.0.1 started for the
//! run (the tests' `server.sh`). `bench: workers4_vs_1 ratio=X` is the
//! median over the rounds of one worker's time / four workers' time (4.0 is
//! the ceiling).
//!
//! Run: `cargo bench --features postgres --bench workers`.

#[path = "../tests/it/checkpoint/postgres/server.rs"]
mod server;

use std::time::{Duration, Instant};

use paginate::{Checkpoints, Listing, Paginated, PaginationConfig, PostgresStore};

mod support;

use support::{delay, median, page, Page};

/// Listing `listing` of the job: items numbered on from the listings before it.
#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
struct Request {
    listing: usize,
    #[paginated(input_token)]
    next_token: Option<u32>,
}

const LISTINGS: usize = 40;
const PAGES: u32 = 10;
const PAGE_SIZE: u32 = 10;
const ROUNDS: usize = 3;

fn listing(listing: usize, delay: Duration) -> Listing<impl FnMut(Request) -> Result<Page, std::io::Error>, Request> {
    let service = move |req: Request| {
        std::thread::sleep(delay); // the service's time per page
        let base = req.listing as u32 * PAGES * PAGE_SIZE;
        let mut served = page(req.next_token.unwrap_or(0), PAGES, PAGE_SIZE);
        served.items.iter_mut().for_each(|item| *item += base);
        Ok(served)
    };
    Listing::new(
        service,
        Request {
            listing,
            next_token: None,
        },
        PaginationConfig::default(),
    )
}

/// One worker until the job is done; returns how many items it delivered.
fn worker(url: &str, job: &str, delay: Duration) -> u32 {
    let store = PostgresStore::connect(url)
        .expect("the server")
        .with_lease(Duration::from_secs(60));
    let checkpoints = Checkpoints::new(store).expect("a writer");
    let shared = checkpoints
        .shared_job::<Request>(job, "40 listings", LISTINGS)
        .expect("the job");
    let mut seen = 0;
    while shared.remaining().expect("the job") > 0 {
        let Some((index, lease)) = shared.next_listing().expect("the job") else {
            std::thread::sleep(Duration::from_millis(2));
            continue;
        };
        let Some(started) = lease.start(listing(index, delay)) else {
            continue;
        };
        let mut items = lease.track(started.items());
        while let Some(item) = items.next() {
            item.expect("no error");
            seen += 1;
            if seen % PAGE_SIZE == 0 {
                items.ack().expect("the lease"); // a checkpoint per page
            }
        }
        items.flush().expect("the lease");
    }
    seen
}

fn run(url: &str, workers: usize, delay: Duration, round: usize) -> Duration {
    let job = format!("bench-{}-{round}-{workers}", std::process::id());
    let started = Instant::now();
    let delivered: u32 = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|| worker(url, &job, delay))).collect();
        handles.into_iter().map(|h| h.join().expect("a worker")).sum()
    });
    assert_eq!(delivered, LISTINGS as u32 * PAGES * PAGE_SIZE);
    started.elapsed()
}

fn main() {
    let delay = delay();
    let url = server::url();
    let mut ratios = Vec::new();
    for round in 0..ROUNDS {
        let one = run(&url, 1, delay, round);
        let four = run(&url, 4, delay, round);
        println!(
            "round {round}: 1 worker {:.1} ms, 4 workers {:.1} ms",
            one.as_secs_f64() * 1e3,
            four.as_secs_f64() * 1e3
        );
        ratios.push(one.as_secs_f64() / four.as_secs_f64());
    }
    println!("bench: workers4_vs_1 ratio={:.3}", median(ratios));
}
