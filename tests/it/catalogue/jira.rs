//! Jira Cloud issue search (`GET /rest/api/3/search`): offsets.
//!
//! The server enforces Jira's documented rules: `jql` is required here;
//! `startAt` is the 0-based index of the first issue (default 0, not
//! negative); `maxResults` is the most issues to return (default 50), and
//! the service may serve fewer than asked: above a resource's limit (this
//! site's is 20 for the fields asked) it serves the limit and says so in
//! the page's `maxResults`. A page is `{"startAt", "maxResults", "total",
//! "issues"}`, `total` the number of issues the search matches. Errors
//! come as `{"errorMessages": [...], "errors": {}}` (400 for a bad
//! parameter, 429 when rate limited).
//!
//! The model is `#[paginated(offset)]` on `startAt` and
//! `#[paginated(total)]` on `total`: the library computes each next
//! `startAt` from the issues that came, whatever `maxResults` asked for.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, param, query, Api, Refusal, Server};

const JQL: &str = "project = PAGE ORDER BY key ASC";

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = SearchResults)]
pub struct SearchRequest {
    pub jql: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(offset)]
    pub start_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub max_results: Option<u32>,
    pub fields: String,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub start_at: u64,
    pub max_results: u32,
    #[paginated(total)]
    pub total: u64,
    #[paginated(result_key)]
    pub issues: Vec<Issue>,
}

#[derive(Debug, Deserialize)]
pub struct Issue {
    pub id: String,
    pub key: String,
}

/// Jira's typed error body (the Agile API's too).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraError {
    pub error_messages: Vec<String>,
    pub errors: Value,
}

/// This site's limit on `maxResults` for the fields asked.
const SITE_LIMIT: u64 = 20;

/// Jira's error body (the Agile API's too).
pub fn error(status: u16, message: &str) -> Refusal {
    Refusal::new(status, json!({"errorMessages": [message], "errors": {}}))
}

/// The whole number in query parameter `name`, `default` without it; a 400
/// as Jira words it for anything else (the Agile API's rule too).
pub fn number(pairs: &[(String, String)], name: &str, default: u64) -> Result<u64, Refusal> {
    match param(pairs, name) {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| error(400, &format!("The value '{text}' is invalid for the {name} parameter."))),
    }
}

pub struct Site {
    issues: u64,
}

impl Server for Site {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| error(400, &e))?;
        if param(&pairs, "jql") != Some(JQL) {
            return Err(error(400, "The JQL query is not the one this site answers."));
        }
        let start_at = number(&pairs, "startAt", 0)?;
        let served = number(&pairs, "maxResults", 50)?.min(SITE_LIMIT);
        let end = start_at.saturating_add(served).min(self.issues);
        let issues: Vec<Value> = (start_at..end)
            .map(|i| json!({"id": (10_000 + i).to_string(), "key": format!("PAGE-{}", i + 1)}))
            .collect();
        Ok(json!({"startAt": start_at, "maxResults": served, "total": self.issues, "issues": issues}))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "Rate limit exceeded.")
    }
}

pub struct Jira;

impl Api for Jira {
    type Req = SearchRequest;
    type Resp = SearchResults;
    type Error = JiraError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Site { issues: u64::from(n) })
    }

    fn request(_: u32) -> SearchRequest {
        SearchRequest {
            jql: JQL.to_owned(),
            fields: "summary,status".to_owned(),
            ..Default::default()
        }
    }

    fn position(issue: &Issue) -> u32 {
        issue.key["PAGE-".len()..].parse::<u32>().expect("an issue key") - 1
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_issue_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Jira>(&s)?;
    }

    /// An offset token is exact: each run resumes under another `PageSize`.
    #[test]
    fn every_issue_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Jira>(&s)?;
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn every_issue_exactly_once_with_pages_in_parallel(s in harness::scenario_resizing(1..=30), width in 1usize..6) {
        harness::parallel_exactly_once::<Jira>(&s, width)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Jira>(47, Some(9));
    harness::item_stream_lists_everything::<Jira>(130, None);
    harness::full_result_lists_everything::<Jira>(23, Some(4), |r| r.issues.iter().map(Jira::position).collect());
}

#[cfg(feature = "parallel")]
#[test]
fn pages_in_parallel_are_the_sequential_listing() {
    // 10 a page: every page full, the predictions hold.
    harness::parallel_lists_everything::<Jira>(95, 10, 4);
    // 30 asked, 20 served: the predictions are dropped, nothing is lost or repeated.
    harness::parallel_lists_everything::<Jira>(95, 30, 4);
}

#[test]
fn the_next_start_at_counts_the_issues_served_not_asked() {
    let wire = harness::Wire::<Jira>::new(45);
    let items = paginate::Listing::new(
        wire.blocking(),
        Jira::request(45),
        crate::support::config(Some(50), None, None),
    )
    .items()
    .count();
    assert_eq!(items, 45);
    // `total` ends the listing: no request for an empty page.
    assert_eq!(wire.sent_field("startAt"), [Value::Null, json!(20), json!(40)]);
}

#[test]
fn the_server_refuses_what_jira_refuses() {
    harness::refused_page_size_sends_nothing::<Jira>(0);
    harness::refused_page_size_sends_nothing::<Jira>(101);
    let refused = |request: Value| harness::answer::<Jira>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"jql": JQL, "startAt": -1})).status, 400);
    assert_eq!(refused(json!({"jql": JQL, "maxResults": "ten"})).status, 400);
    let page = harness::answer::<Jira>(30, json!({"jql": JQL, "maxResults": 100})).expect("a page");
    assert_eq!(page["maxResults"], 20, "the site serves its limit, and says so");
    assert_eq!(page["issues"].as_array().map(Vec::len), Some(20));
}
