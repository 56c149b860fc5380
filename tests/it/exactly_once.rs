//! Exactly once under random faults (property tests): over random datasets,
//! page sizes, `MaxItems`, fault schedules and stopping points, a caller that
//! retries some failures, restarts from the error's token after others, and
//! restarts from the last resume token when it "crashes" mid-page, receives
//! every item exactly once and in order, on the blocking and the async path.
//!
//! `PROPTEST_CASES=N` runs more cases (default 256 per property).

use crate::support::{config, request, Item, ItemDriver, Service};
use paginate::{Error, Listing, PaginationConfig};
use proptest::prelude::*;

/// One scenario: the data, the paging, and what goes wrong when.
#[derive(Debug, Clone)]
struct Scenario {
    items: u32,
    page_size: Option<u64>,
    /// `MaxItems` of each run, cycling.
    max_items: Vec<Option<u64>>,
    /// Calls (0-based, over the whole scenario) that fail once.
    failing_calls: Vec<usize>,
    /// For each failure in turn: retry in place (`true`) or restart from the error's token.
    retry_in_place: Vec<bool>,
    /// Items each run takes (at least one) before the process "crashes" and
    /// restarts from its resume token, cycling.
    crash_after: Vec<Option<usize>>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0u32..120,
        prop::option::of(1u64..=20),
        prop::collection::vec(prop::option::of(1u64..40), 1..4),
        prop::collection::vec(0usize..60, 0..12),
        prop::collection::vec(any::<bool>(), 1..6),
        prop::collection::vec(prop::option::of(1usize..30), 1..4),
    )
        .prop_map(
            |(items, page_size, max_items, failing_calls, retry_in_place, crash_after)| Scenario {
                items,
                page_size,
                max_items,
                failing_calls,
                retry_in_place,
                crash_after,
            },
        )
}

/// What a run of the listing ended with.
enum RunEnd {
    /// The listing is complete.
    Done,
    /// Start again from this token (`None`: from the beginning).
    Restart(Option<String>),
}

struct Driver<'a> {
    scenario: &'a Scenario,
    got: Vec<u32>,
    failures: usize,
    runs: usize,
}

impl Driver<'_> {
    fn config(&self, token: Option<String>) -> PaginationConfig {
        let max = &self.scenario.max_items;
        config(self.scenario.page_size, max[self.runs % max.len()], token)
    }

    fn crash_after(&self) -> Option<usize> {
        let crash = &self.scenario.crash_after;
        crash[self.runs % crash.len()]
    }

    /// On a service error: `Some(end)` to end the run, `None` to retry in place (`retry`).
    fn on_error<E: std::fmt::Debug>(&mut self, error: Error<E>) -> Option<RunEnd> {
        let retry = &self.scenario.retry_in_place;
        let in_place = retry[self.failures % retry.len()];
        self.failures += 1;
        match error {
            Error::Service { resume_token, .. } if !in_place => Some(RunEnd::Restart(resume_token)),
            Error::Service { .. } => None,
            other => panic!("only injected service errors are expected: {other:?}"),
        }
    }
}

/// The items of `scenario`'s runs, each run's items from `open` under the
/// run's config.
fn drive<D: ItemDriver<Item = Item>>(scenario: &Scenario, open: impl Fn(PaginationConfig) -> D) -> Vec<u32> {
    let mut driver = Driver {
        scenario,
        got: Vec::new(),
        failures: 0,
        runs: 0,
    };
    let mut token = None;
    loop {
        assert!(driver.runs < 500, "runs do not converge");
        let mut items = open(driver.config(token.clone()));
        let crash = driver.crash_after();
        let mut taken = 0;
        let end = loop {
            if crash == Some(taken) {
                break items.resume_token().map_or(RunEnd::Done, |t| RunEnd::Restart(Some(t)));
            }
            match items.next_item() {
                Some(Ok(Item(n))) => {
                    driver.got.push(n);
                    taken += 1;
                }
                Some(Err(e)) => {
                    if let Some(end) = driver.on_error(e) {
                        break end;
                    }
                    assert!(items.retry(), "a service error can be retried in place");
                }
                None => break items.resume_token().map_or(RunEnd::Done, |t| RunEnd::Restart(Some(t))),
            }
        };
        driver.runs += 1;
        match end {
            RunEnd::Done => return driver.got,
            RunEnd::Restart(next) => token = next,
        }
    }
}

fn blocking(scenario: &Scenario) -> Vec<u32> {
    let svc = Service::new(scenario.items).fail_calls(scenario.failing_calls.clone());
    drive(scenario, |config| {
        Listing::new(svc.blocking(), request(), config).items()
    })
}

fn asynchronous(scenario: &Scenario) -> Vec<u32> {
    let svc = Service::new(scenario.items).fail_calls(scenario.failing_calls.clone());
    drive(scenario, |config| {
        Listing::new(svc.asynchronous(), request(), config).item_stream()
    })
}

proptest! {
    #![proptest_config(crate::support::proptest_cases(256))]

    #[test]
    fn blocking_yields_every_item_exactly_once(scenario in scenario()) {
        let expected: Vec<u32> = (0..scenario.items).collect();
        prop_assert_eq!(blocking(&scenario), expected);
    }

    #[test]
    fn async_yields_every_item_exactly_once(scenario in scenario()) {
        let expected: Vec<u32> = (0..scenario.items).collect();
        prop_assert_eq!(asynchronous(&scenario), expected);
    }
}
