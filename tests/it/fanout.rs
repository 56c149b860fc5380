//! `FanOut`: many listings at once. Property test: over random sets of
//! listings, concurrency, `MaxItems` across the set, injected errors (retried
//! or resumed from the error's set token) and crashes (resumed from the set
//! token), every item of every listing arrives exactly once and, within each
//! listing, in order. Plus: dropping the set stops its listings.

use crate::support::{request, Item, Service};
use futures::executor::block_on;
use futures::StreamExt;
use paginate::{Error, FanOut, Listing, PaginationConfig};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Scenario {
    sizes: Vec<u32>,
    concurrency: usize,
    page_size: Option<u64>,
    max_items: Vec<Option<u64>>,
    failing_calls: Vec<Vec<usize>>,
    retry_in_place: Vec<bool>,
    crash_after: Vec<Option<usize>>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..6).prop_flat_map(|n| {
        (
            prop::collection::vec(0u32..40, n),
            1usize..5,
            prop::option::of(1u64..=10),
            prop::collection::vec(prop::option::of(1u64..30), 1..4),
            prop::collection::vec(prop::collection::vec(0usize..12, 0..3), n),
            prop::collection::vec(any::<bool>(), 1..4),
            prop::collection::vec(prop::option::of(1usize..25), 1..4),
        )
            .prop_map(
                |(sizes, concurrency, page_size, max_items, failing_calls, retry_in_place, crash_after)| Scenario {
                    sizes,
                    concurrency,
                    page_size,
                    max_items,
                    failing_calls,
                    retry_in_place,
                    crash_after,
                },
            )
    })
}

fn run(s: &Scenario) -> Vec<Vec<u32>> {
    let services: Vec<Service> = s
        .sizes
        .iter()
        .zip(&s.failing_calls)
        .map(|(n, fail)| Service::new(*n).fail_calls(fail.clone()))
        .collect();
    let listings = || {
        services
            .iter()
            .map(|svc| {
                let mut config = PaginationConfig::default();
                config.page_size = s.page_size;
                Listing::new(svc.asynchronous(), request(), config)
            })
            .collect::<Vec<_>>()
    };
    let mut got = vec![Vec::new(); s.sizes.len()];
    let (mut token, mut runs, mut failures) = (None::<String>, 0usize, 0usize);
    block_on(async {
        loop {
            assert!(runs < 500, "does not converge");
            let max = s.max_items[runs % s.max_items.len()];
            let mut set = match &token {
                None => FanOut::new(listings(), s.concurrency, max),
                Some(t) => FanOut::resume(listings(), s.concurrency, max, t).expect("our own token"),
            };
            let crash = s.crash_after[runs % s.crash_after.len()];
            runs += 1;
            let mut taken = 0;
            let next = loop {
                if crash == Some(taken) {
                    break set.resume_token();
                }
                match set.next().await {
                    Some(Ok((index, Item(n)))) => {
                        got[index].push(n);
                        taken += 1;
                    }
                    Some(Err(Error::Service { resume_token, .. })) => {
                        let in_place = s.retry_in_place[failures % s.retry_in_place.len()];
                        failures += 1;
                        if !in_place {
                            break resume_token;
                        }
                        assert!(set.retry(), "a service error is retried in place");
                    }
                    Some(Err(other)) => panic!("unexpected: {other}"),
                    None => break set.resume_token(),
                }
            };
            match next {
                Some(t) => token = Some(t),
                None => return,
            }
        }
    });
    got
}

proptest! {
    #![proptest_config(crate::support::proptest_cases(256))]

    #[test]
    fn every_item_of_every_listing_exactly_once_in_order(s in scenario()) {
        let expected: Vec<Vec<u32>> = s.sizes.iter().map(|n| (0..*n).collect()).collect();
        prop_assert_eq!(run(&s), expected);
    }
}

/// At most `concurrency` listings have a request in flight; dropping the
/// set sends nothing more.
#[test]
fn concurrency_is_bounded_and_dropping_stops_the_set() {
    let services: Vec<Service> = (0..6).map(|_| Service::new(20)).collect();
    let listings = services
        .iter()
        .map(|svc| {
            Listing::new(
                svc.asynchronous(),
                request(),
                PaginationConfig::default().with_page_size(5),
            )
        })
        .collect();
    let mut set = FanOut::new(listings, 2, None);
    let first = block_on(set.next()).expect("an item").expect("no error");
    assert!(first.0 < 2, "only the first two listings run at first: {first:?}");
    let calls = |services: &[Service]| services.iter().map(Service::calls).collect::<Vec<_>>();
    assert_eq!(calls(&services)[2..], [0, 0, 0, 0], "later listings wait their turn");
    drop(set);
    let after = calls(&services);
    assert!(after.iter().sum::<usize>() <= 2, "{after:?}");
}

/// A set token of another set is refused before any request.
#[test]
fn a_foreign_token_is_refused() {
    let svc = Service::new(3);
    let listings = vec![Listing::new(svc.asynchronous(), request(), PaginationConfig::default())];
    assert!(FanOut::resume(listings, 1, None, "bm90IGEgc2V0").is_err());
    assert_eq!(svc.calls(), 0);
}

/// A listing that met a token cycle has no token to resume it from: the rest
/// of its last page, and what comes after, cannot be listed without repeating
/// pages. The set's token is then `None`, rather than a token that says the
/// listing is done (resuming from which would end without its last items,
/// and without an error).
#[test]
fn a_set_whose_listing_met_a_cycle_gives_no_token() {
    // Pages at 0, 4 and 8; the page at 8 hands back the token for 4.
    let cycling = Service::new(12).cycle(8, 4);
    let plain = Service::new(12);
    let listings = [&cycling, &plain]
        .into_iter()
        .map(|svc| {
            Listing::new(
                svc.asynchronous(),
                request(),
                PaginationConfig::default().with_page_size(4),
            )
        })
        .collect();
    let mut set = FanOut::new(listings, 2, None);
    // Up to the first item of the page whose next token cycles.
    loop {
        let (listing, item) = block_on(set.next()).expect("an item").expect("no error yet");
        if (listing, item.0) == (0, 8) {
            break;
        }
    }
    assert_eq!(
        set.resume_token(),
        None,
        "items 9 to 11 of the first listing are not yet listed"
    );
    let rest: Vec<_> = block_on(set.by_ref().collect::<Vec<_>>());
    let error = rest
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("the cycle is reported");
    assert!(
        matches!(error, Error::Listing(paginate::ListingError::TokenCycle { .. })),
        "{error}"
    );
    assert_eq!(set.resume_token(), None, "after the cycle, no token resumes the set");
}
