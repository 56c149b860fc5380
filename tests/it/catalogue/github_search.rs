//! GitHub REST search (`GET /search/issues`): page numbers.
//!
//! The server enforces GitHub's documented rules: `q` is required; `page`
//! counts from 1 (default 1); `per_page` is at most 100 (default 30; more
//! is served as 100); only the first 1000 results of a search can be read
//! (a page starting past them is refused with 422). A page is
//! `{"total_count", "incomplete_results", "items"}`, `total_count` every
//! match (which may exceed the 1000 readable). Errors come as `{"message",
//! "documentation_url"}`: 422 for a request it refuses, 403 for a
//! secondary rate limit.
//!
//! The model is `#[paginated(page)]` on `page` and `#[paginated(total)]`
//! on `total_count`: the library counts pages up from 1 and ends after the
//! page that reaches the total. A resume token records `per_page` beside
//! the page, so a listing resumed under another `PageSize` starts at the
//! exact item: the request sets GitHub's default of 30 in `per_page` so
//! that a listing without a `PageSize` records it too.

use paginate::{ConfigError, Error, Listing, ListingError, Paginated};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, param, query, Api, Refusal, Server};
use crate::support::config;

const Q: &str = "repo:rust-lang/rust is:issue label:A-paging";
/// The most results a search lets a client read.
const READABLE: u64 = 1000;

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = IssueSearch)]
pub struct SearchIssues {
    pub q: String,
    pub sort: String,
    pub order: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(page)]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct IssueSearch {
    #[paginated(total)]
    pub total_count: u64,
    pub incomplete_results: bool,
    #[paginated(result_key)]
    pub items: Vec<Issue>,
}

#[derive(Debug, Deserialize)]
pub struct Issue {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Deserialize)]
pub struct GitHubError {
    pub message: String,
    pub documentation_url: Option<String>,
}

fn error(status: u16, message: &str) -> Refusal {
    Refusal::new(
        status,
        json!({"message": message, "documentation_url": "https://docs.github.com/rest/search/search#search-issues-and-pull-requests"}),
    )
}

pub struct Search {
    matches: u64,
}

impl Server for Search {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| error(422, &e))?;
        if param(&pairs, "q") != Some(Q) {
            return Err(error(422, "Validation Failed"));
        }
        let number = |name: &str, default: u64| match param(&pairs, name) {
            None => Ok(default),
            Some(text) => text.parse::<u64>().map_err(|_| error(422, &format!("Invalid {name}"))),
        };
        let page = number("page", 1)?;
        if page < 1 {
            return Err(error(422, "Invalid page"));
        }
        let per_page = number("per_page", 30)?.clamp(1, 100);
        let start = (page - 1).saturating_mul(per_page);
        if start >= READABLE {
            return Err(error(422, "Only the first 1000 search results are available"));
        }
        let end = start.saturating_add(per_page).min(self.matches).min(READABLE);
        let items: Vec<Value> = (start..end)
            .map(|i| json!({"number": i + 1, "title": format!("issue {}", i + 1)}))
            .collect();
        Ok(json!({"total_count": self.matches, "incomplete_results": false, "items": items}))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        )
    }
}

pub struct GitHubSearch;

impl Api for GitHubSearch {
    type Req = SearchIssues;
    type Resp = IssueSearch;
    type Error = GitHubError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Search { matches: u64::from(n) })
    }

    fn request(_: u32) -> SearchIssues {
        SearchIssues {
            q: Q.to_owned(),
            sort: "created".to_owned(),
            order: "asc".to_owned(),
            page: None,
            per_page: Some(30),
        }
    }

    fn position(issue: &Issue) -> u32 {
        issue.number - 1
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_issue_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<GitHubSearch>(&s)?;
    }

    /// A page token records `per_page`: each run resumes under another
    /// `PageSize`, translated to the page and skip that start at the exact item.
    #[test]
    fn every_issue_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<GitHubSearch>(&s)?;
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn every_issue_exactly_once_with_pages_in_parallel(s in harness::scenario_resizing(1..=30), width in 1usize..6) {
        harness::parallel_exactly_once::<GitHubSearch>(&s, width)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<GitHubSearch>(47, Some(9));
    harness::item_stream_lists_everything::<GitHubSearch>(95, None);
    harness::full_result_lists_everything::<GitHubSearch>(23, Some(4), |r| {
        r.items.iter().map(GitHubSearch::position).collect()
    });
}

#[cfg(feature = "parallel")]
#[test]
fn pages_in_parallel_are_the_sequential_listing() {
    harness::parallel_lists_everything::<GitHubSearch>(95, 10, 4);
    harness::parallel_lists_everything::<GitHubSearch>(101, 100, 8);
}

#[test]
fn pages_count_up_from_one_and_the_total_ends_them() {
    let wire = harness::Wire::<GitHubSearch>::new(45);
    let listing = Listing::new(wire.blocking(), GitHubSearch::request(45), config(Some(20), None, None));
    assert_eq!(listing.items().count(), 45);
    assert_eq!(wire.sent_field("page"), [Value::Null, json!(2), json!(3)]);
}

/// Past 1000 results GitHub refuses the page: `MaxItems` 1000 reads all it
/// lets a client read, with no refused request.
#[test]
fn max_items_reads_the_thousand_readable_results() {
    let wire = harness::Wire::<GitHubSearch>::new(1234);
    let listing = Listing::new(
        wire.blocking(),
        GitHubSearch::request(1234),
        config(Some(100), Some(1000), None),
    );
    let mut items = listing.items();
    assert_eq!(
        items.by_ref().map(|i| i.expect("a readable result").number).max(),
        Some(1000)
    );
    assert_eq!(wire.sent().len(), 10);
    assert_eq!(wire.refusals(), Vec::new());
    // Resumed, the next page is past the readable results: GitHub's refusal, typed.
    let token = items.resume_token().expect("results are left");
    let resumed = Listing::new(
        wire.blocking(),
        GitHubSearch::request(1234),
        config(None, None, Some(token)),
    );
    match resumed.items().next() {
        Some(Err(Error::Service { source, .. })) => {
            assert_eq!(source.status, 422);
            assert!(source.error.message.contains("first 1000"), "{:?}", source.error);
        }
        other => panic!("expected GitHub's 422, got {other:?}"),
    }
}

/// Without a `per_page` the token cannot record the page size, so a later
/// page cannot be translated to another: refused before anything is sent.
#[test]
fn a_token_without_a_recorded_page_size_is_refused_under_a_new_one() {
    let bare = || SearchIssues {
        per_page: None,
        ..GitHubSearch::request(0)
    };
    let wire = harness::Wire::<GitHubSearch>::new(100);
    let mut items = Listing::new(wire.blocking(), bare(), config(None, Some(45), None)).items();
    assert_eq!(items.by_ref().count(), 45);
    let token = items.resume_token().expect("issues are left");
    let sent = wire.sent().len();
    let result = Listing::new(wire.blocking(), bare(), config(Some(10), None, Some(token.clone()))).full_result();
    assert!(
        matches!(
            result,
            Err(Error::Listing(ListingError::Config(ConfigError::PageSizeNotRecorded {
                page_size: 10
            })))
        ),
        "{:?}",
        result.err()
    );
    assert_eq!(wire.sent().len(), sent, "nothing sent");
    // Under no PageSize it resumes exactly, as GitHub's default keeps the pages.
    let rest = Listing::new(wire.blocking(), bare(), config(None, None, Some(token)))
        .full_result()
        .expect("the listing completes");
    let numbers: Vec<u32> = rest.result.items.iter().map(|i| i.number).collect();
    assert_eq!(numbers, (46..=100).collect::<Vec<_>>());
}

#[test]
fn the_server_refuses_what_github_refuses() {
    harness::refused_page_size_sends_nothing::<GitHubSearch>(0);
    harness::refused_page_size_sends_nothing::<GitHubSearch>(101);
    let refused = |request: Value| harness::answer::<GitHubSearch>(5000, request).expect_err("refused");
    assert_eq!(refused(json!({"q": Q, "page": 0})).status, 422);
    assert_eq!(refused(json!({"q": Q, "per_page": 100, "page": 11})).status, 422);
    assert_eq!(refused(json!({"page": 1})).status, 422);
    let last = harness::answer::<GitHubSearch>(5000, json!({"q": Q, "per_page": 30, "page": 34})).expect("a page");
    assert_eq!(
        last["items"].as_array().map(Vec::len),
        Some(10),
        "cut at the 1000th result"
    );
}

/// Pages fetched ahead stop where `MaxItems` does: no request past the
/// 1000 readable results, which GitHub would refuse.
#[cfg(feature = "parallel")]
#[test]
fn pages_in_parallel_ask_for_nothing_past_max_items() {
    use futures::executor::block_on;
    use futures::TryStreamExt as _;
    let wire = harness::Wire::<GitHubSearch>::new(1234);
    let listing = Listing::new(
        wire.asynchronous(),
        GitHubSearch::request(1234),
        config(Some(100), Some(1000), None),
    );
    let mut items = listing.page_stream().parallel(8).items();
    let mut numbers = Vec::new();
    while let Some(issue) = block_on(items.try_next()).expect("no refusal") {
        numbers.push(issue.number);
    }
    assert_eq!(numbers, (1..=1000).collect::<Vec<_>>());
    assert_eq!(wire.sent().len(), 10);
    assert_eq!(wire.refusals(), Vec::new());
    assert!(items.resume_token().is_some(), "results are left");
}
