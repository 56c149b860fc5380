//! Worker threads sharing a job: every item delivered once, each listing by
//! one worker; a lease taken over stops the worker that had it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use paginate::{CheckpointError, Checkpoints, Listing, PaginationConfig, PostgresStore, Progress};

use super::{fresh_job, mixed_size, serve, server, truth, work, Event, Shard};
use crate::checkpoint::acks::{ack_next, ack_rest, ack_rest_async};

#[test]
fn four_worker_threads_deliver_every_item_of_fifty_listings_once_each_listing_by_one_worker() {
    let url = server::url();
    let job = fresh_job("threads");
    let sizes: Vec<u32> = (0..50).map(mixed_size).collect();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (tx, url, job, sizes) = (tx.clone(), &url, &job, &sizes);
            scope.spawn(move || {
                work(
                    url,
                    job,
                    sizes,
                    Duration::from_secs(60),
                    Duration::from_millis(1),
                    10,
                    |event| tx.send((worker, event)).unwrap(),
                )
                .unwrap()
            });
        }
    });
    drop(tx);
    let events: Vec<(usize, Event)> = rx.into_iter().collect();
    let mut delivered = Vec::new();
    let mut workers_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (worker, event) in &events {
        match event {
            Event::Leased(listing) => {
                workers_of.entry(*listing).or_default().insert(*worker);
            }
            Event::Item(listing, n) => {
                delivered.push((*listing, *n));
                workers_of.entry(*listing).or_default().insert(*worker);
            }
            Event::Durable => {}
        }
    }
    let mut sorted = delivered.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, truth(&sizes), "every item exactly once");
    assert_eq!(workers_of.len(), 50, "every listing leased");
    for (listing, workers) in &workers_of {
        assert_eq!(workers.len(), 1, "listing {listing} advanced by workers {workers:?}");
    }
    let busy: BTreeSet<usize> = workers_of.values().flatten().copied().collect();
    assert!(busy.len() >= 2, "the listings were shared: {busy:?}");
}

/// Polls `f` until it gives `Some`, for at most 30 s.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(out) = f() {
            return out;
        }
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_worker_whose_lease_was_taken_over_gets_lease_lost_and_writes_nothing_more() {
    let url = server::url();
    let job = fresh_job("lost");
    let lease = Duration::from_secs(1);
    let listing = |size| {
        Listing::new(
            |req: Shard| Ok::<_, std::convert::Infallible>(serve(&req, Duration::ZERO)),
            Shard {
                listing: 0,
                size,
                next_token: None,
            },
            PaginationConfig::default(),
        )
    };

    let slow = Checkpoints::new(PostgresStore::connect(&url).unwrap().with_lease(lease)).unwrap();
    let shared = slow.shared_job::<Shard>(&job, "1 listing", 1).unwrap();
    let (index, held) = shared.next_listing().unwrap().expect("the only listing is free");
    assert_eq!((index, held.id()), (0, format!("{job}/0").as_str()));
    assert!(
        shared.next_listing().unwrap().is_none(),
        "leased: no other worker gets it"
    );
    let mut items = held.track(held.start(listing(40)).unwrap().items());
    ack_next(&mut items, 12);
    items.flush().unwrap();
    let durable = items.get_ref().resume_token().unwrap();

    // The slow worker stops committing; once its lease expires, another worker takes the listing over.
    let fast = Checkpoints::new(
        PostgresStore::connect(&url)
            .unwrap()
            .with_lease(Duration::from_secs(60)),
    )
    .unwrap();
    let other = fast.shared_job::<Shard>(&job, "1 listing", 1).unwrap();
    let (_, taken) = eventually("the lease expiring", || other.next_listing().unwrap());
    assert_eq!(
        taken.progress(),
        &Progress::At {
            token: durable,
            position: Some(12)
        },
        "resumed at the last commit"
    );

    // The slow worker's next commit finds the lease gone: typed, and nothing written.
    items.next().unwrap().unwrap();
    items.ack().unwrap();
    match items.flush() {
        Err(CheckpointError::LeaseLost { job: lost }) => assert_eq!(lost, format!("{job}/0")),
        other => panic!("expected LeaseLost, got {other:?}"),
    }
    items.next().unwrap().unwrap();
    assert!(
        matches!(items.ack(), Err(CheckpointError::LeaseLost { .. })),
        "and at every ack after"
    );

    let mut rest = taken.track(taken.start(listing(40)).unwrap().items());
    let from_taker = ack_rest(&mut rest);
    rest.flush().unwrap();
    assert_eq!(from_taker, (12..40).collect::<Vec<_>>());
    assert_eq!(other.remaining().unwrap(), 0);
    assert!(other.next_listing().unwrap().is_none());
}

#[test]
fn a_job_opened_and_listed_inside_a_tokio_runtime_works() {
    let url = server::url();
    let job = fresh_job("async");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let checkpoints = Checkpoints::new(PostgresStore::connect(&url).unwrap()).unwrap();
        let shared = checkpoints.shared_job::<Shard>(&job, "1 listing", 1).unwrap();
        let (_, lease) = shared.next_listing().unwrap().unwrap();
        let listing = Listing::new(
            |req: Shard| std::future::ready(Ok::<_, std::convert::Infallible>(serve(&req, Duration::ZERO))),
            Shard {
                listing: 0,
                size: 12,
                next_token: None,
            },
            PaginationConfig::default(),
        );
        let mut items = lease.track(lease.start(listing).unwrap().item_stream());
        let seen = ack_rest_async(&mut items).await;
        items.flush().unwrap();
        assert_eq!(seen, (0..12).collect::<Vec<_>>());
        assert_eq!(shared.remaining().unwrap(), 0);
    });
}
