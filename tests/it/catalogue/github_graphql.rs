//! GitHub GraphQL (`repository.issues(first, after)`): Relay cursors inside
//! the query's `variables`.
//!
//! The server enforces GitHub's documented rules: the body is `{"query",
//! "variables"}`; a connection needs `first` (or `last`), from 1 to 100;
//! `after` is absent for the first page, otherwise an `endCursor` GitHub
//! issued. A page is `{"data": {"repository": {"issues": {"nodes",
//! "pageInfo": {"hasNextPage", "endCursor"}}}}}`. What it refuses comes
//! as `{"errors": [{"message"}]}` with HTTP 200; a secondary rate limit
//! is a 403 with `{"message"}`.
//!
//! The model reaches into the nested structs with paths:
//! `input_token(path = "variables.after")`, `limit_key(path =
//! "variables.first")`, `result_key(path = ...nodes)`, `more_results(path =
//! ...pageInfo.hasNextPage)`, `output_token(path = ...pageInfo.endCursor,
//! feeds = "variables.after")`. `request_paths.rs` tests the paths
//! themselves against this same model and server.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, Api, Refusal, Server};

pub const QUERY: &str = "query($owner: String!, $name: String!, $first: Int!, $after: String) { ... }";

#[derive(Debug, Clone, Serialize, Paginated)]
#[paginated(
    response = IssuesResponse,
    input_token(path = "variables.after"),
    limit_key(path = "variables.first", min = 1, max = 100)
)]
pub struct IssuesQuery {
    pub query: &'static str,
    pub variables: Variables,
}

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(nested)]
pub struct Variables {
    pub owner: String,
    pub name: String,
    pub first: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(
    result_key(path = "data.repository.issues.nodes"),
    more_results(path = "data.repository.issues.page_info.has_next_page"),
    output_token(path = "data.repository.issues.page_info.end_cursor", feeds = "variables.after")
)]
pub struct IssuesResponse {
    pub data: Data,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Data {
    pub repository: Repository,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Repository {
    pub issues: IssueConnection,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct IssueConnection {
    pub nodes: Vec<Issue>,
    #[serde(rename = "pageInfo")]
    pub page_info: PageInfo,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct PageInfo {
    #[serde(rename = "hasNextPage")]
    pub has_next_page: bool,
    #[serde(rename = "endCursor")]
    pub end_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Issue {
    pub number: u32,
}

/// GitHub's cursors are opaque base64; this one holds the issue's index.
pub fn cursor(index: usize) -> String {
    STANDARD.encode(format!("cursor:v2:{index}"))
}

pub fn index_of(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("cursor:v2:")?.parse().ok()
}

/// GitHub's answer to a GraphQL body over a repository with `issues`
/// issues, numbered from 1: the page, or the message of what it refuses.
pub fn answer(issues: usize, body: &Value) -> Result<Value, String> {
    let variables = body["variables"].as_object().ok_or("variables must be an object")?;
    if body["query"] != QUERY {
        return Err("unexpected query".into());
    }
    let first = variables
        .get("first")
        .and_then(Value::as_u64)
        .ok_or("You must provide a `first` or `last` value to properly paginate the `issues` connection.")?;
    if !(1..=100).contains(&first) {
        return Err(format!(
            "Requesting {first} records on the `issues` connection exceeds the `first` limit of 100 records."
        ));
    }
    let start = match variables.get("after") {
        None => 0,
        Some(Value::String(after)) => {
            index_of(after).ok_or(format!("`{after}` does not appear to be a valid cursor."))? + 1
        }
        Some(other) => return Err(format!("`after` must be a cursor, not {other}")),
    };
    let end = (start + first as usize).min(issues);
    let nodes: Vec<Value> = (start..end).map(|i| json!({ "number": i + 1 })).collect();
    Ok(json!({ "data": { "repository": { "issues": {
        "nodes": nodes,
        "pageInfo": {
            "hasNextPage": end < issues,
            "endCursor": if end > start { Some(cursor(end - 1)) } else { None },
        },
    } } } }))
}

#[derive(Debug, Deserialize)]
pub struct GraphQlError {
    pub errors: Option<Vec<Message>>,
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub message: String,
}

pub struct Endpoint {
    issues: usize,
}

impl Server for Endpoint {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        answer(self.issues, request).map_err(|message| Refusal::new(200, json!({"errors": [{"message": message}]})))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(403, json!({"message": "You have exceeded a secondary rate limit."}))
    }
}

pub struct GitHubGraphQl;

impl Api for GitHubGraphQl {
    type Req = IssuesQuery;
    type Resp = IssuesResponse;
    type Error = GraphQlError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Endpoint { issues: n as usize })
    }

    fn request(_: u32) -> IssuesQuery {
        IssuesQuery {
            query: QUERY,
            variables: Variables {
                owner: "rust-lang".into(),
                name: "rust".into(),
                first: 30,
                after: None,
            },
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
        harness::exactly_once::<GitHubGraphQl>(&s)?;
    }

    /// `after` names an issue, whatever `first` is: each run resumes under
    /// another `PageSize`.
    #[test]
    fn every_issue_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<GitHubGraphQl>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<GitHubGraphQl>(40, Some(6));
    harness::item_stream_lists_everything::<GitHubGraphQl>(95, None);
    harness::full_result_lists_everything::<GitHubGraphQl>(23, Some(4), |r| {
        r.data
            .repository
            .issues
            .nodes
            .iter()
            .map(GitHubGraphQl::position)
            .collect()
    });
}

#[test]
fn the_server_refuses_what_github_refuses() {
    harness::refused_page_size_sends_nothing::<GitHubGraphQl>(0);
    harness::refused_page_size_sends_nothing::<GitHubGraphQl>(101);
    let refused = |variables: Value| {
        harness::answer::<GitHubGraphQl>(5, json!({"query": QUERY, "variables": variables})).expect_err("refused")
    };
    let message = |r: Refusal| r.body["errors"][0]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message(refused(json!({"owner": "o", "name": "n"}))).contains("must provide a `first`"));
    assert!(message(refused(json!({"first": 101}))).contains("exceeds the `first` limit of 100"));
    assert!(message(refused(json!({"first": 5, "after": "Y3Vyc29y"}))).contains("valid cursor"));
}
