//! Input tokens and limit keys inside nested request structs: a GraphQL Relay
//! listing (`first`/`after` inside `variables`) declared with attributes
//! only, against a scripted server that checks each serialized body as
//! GitHub's GraphQL API would (the model and the server are the catalogue's,
//! `catalogue/github_graphql.rs`).

use std::sync::{Arc, Mutex};

use paginate::{Listing, Paginated, PaginatedRequest, PaginationConfig};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::catalogue::github_graphql::{answer, cursor, Issue, IssuesQuery, IssuesResponse, Variables, QUERY};

/// A repository with `n` issues, numbered from 1, answering
/// `repository.issues(first, after)` as GitHub does; every body it was sent
/// is logged.
#[derive(Clone)]
struct GitHub {
    issues: usize,
    bodies: Arc<Mutex<Vec<Value>>>,
}

impl GitHub {
    fn new(issues: usize) -> Self {
        GitHub {
            issues,
            bodies: Arc::default(),
        }
    }

    fn bodies(&self) -> Vec<Value> {
        self.bodies.lock().expect("log").clone()
    }

    fn graphql(&self, request: &IssuesQuery) -> Result<IssuesResponse, String> {
        let body = serde_json::to_value(request).map_err(|e| e.to_string())?;
        self.bodies.lock().expect("log").push(body.clone());
        let page = answer(self.issues, &body)?;
        serde_json::from_value(page).map_err(|e| e.to_string())
    }

    fn client(&self) -> impl FnMut(IssuesQuery) -> Result<IssuesResponse, String> + Clone {
        let server = self.clone();
        move |request: IssuesQuery| server.graphql(&request)
    }
}

fn query(after: Option<String>) -> IssuesQuery {
    IssuesQuery {
        query: QUERY,
        variables: Variables {
            owner: "rust-lang".into(),
            name: "rust".into(),
            first: 30,
            after,
        },
    }
}

fn numbers(items: impl Iterator<Item = Result<Issue, paginate::Error<String>>>) -> Vec<u32> {
    items.map(|issue| issue.expect("no error").number).collect()
}

fn all_numbers(from: usize, to: usize) -> Vec<u32> {
    (from as u32 + 1..=to as u32).collect()
}

#[test]
fn a_relay_listing_pages_through_variables_after() {
    let github = GitHub::new(70);
    let got = numbers(Listing::new(github.client(), query(None), PaginationConfig::default()).items());
    assert_eq!(got, all_numbers(0, 70));
    let bodies = github.bodies();
    assert_eq!(bodies.len(), 3);
    assert!(bodies[0]["variables"].get("after").is_none(), "{}", bodies[0]);
    assert_eq!(bodies[1]["variables"]["after"], cursor(29));
    assert_eq!(bodies[2]["variables"]["after"], cursor(59));
    assert!(bodies.iter().all(|b| b["variables"]["owner"] == "rust-lang"));
}

#[test]
fn page_size_sets_variables_first() {
    let github = GitHub::new(20);
    let config = PaginationConfig::default().with_page_size(7);
    let got = numbers(Listing::new(github.client(), query(None), config).items());
    assert_eq!(got, all_numbers(0, 20));
    let firsts: Vec<Value> = github
        .bodies()
        .iter()
        .map(|b| b["variables"]["first"].clone())
        .collect();
    assert_eq!(firsts, [json!(7), json!(7), json!(7)]);
    let refused = Listing::new(
        github.client(),
        query(None),
        PaginationConfig::default().with_page_size(101),
    );
    let error = refused
        .items()
        .next()
        .expect("an error")
        .expect_err("101 is out of range");
    assert!(error.to_string().contains("variables.first"), "{error}");
}

#[test]
fn describe_names_the_dotted_wire_paths() {
    let described = IssuesQuery::describe();
    assert_eq!(described.input_tokens, ["variables.after"]);
    assert_eq!(described.output_tokens, ["data.repository.issues.pageInfo.endCursor"]);
    assert_eq!(
        described.limit_key.map(|k| k.to_string()).as_deref(),
        Some("variables.first (1..=100)")
    );
    assert_eq!(
        described.more_results.as_deref(),
        Some("data.repository.issues.pageInfo.hasNextPage")
    );
}

#[test]
fn a_token_at_every_item_resumes_exactly() {
    let github = GitHub::new(23);
    for page_size in [1, 4, 10] {
        let config = || PaginationConfig::default().with_page_size(page_size);
        for stop in 0..=23 {
            let mut items = Listing::new(github.client(), query(None), config()).items();
            let first = numbers(items.by_ref().take(stop));
            let Some(token) = items.resume_token() else {
                assert_eq!(stop, 23, "page size {page_size}: a token until the end");
                continue;
            };
            let text = crate::support::token_text(&token);
            assert!(text.starts_with(r#"{"variables.after": "#), "{text}");
            let resumed = Listing::new(github.client(), query(None), config().with_starting_token(token));
            let rest = numbers(resumed.items());
            let all: Vec<u32> = first.into_iter().chain(rest).collect();
            assert_eq!(all, all_numbers(0, 23), "page size {page_size}, stopped after {stop}");
        }
    }
}

#[test]
fn a_query_from_its_own_cursor_cut_on_its_first_page_resumes_from_it() {
    let github = GitHub::new(30);
    for max_items in 1..=12 {
        let config = PaginationConfig::default().with_page_size(5).with_max_items(max_items);
        let mut items = Listing::new(github.client(), query(Some(cursor(9))), config).items();
        let first = numbers(items.by_ref());
        let token = items.resume_token().expect("issues are left");
        let resumed = Listing::new(
            github.client(),
            query(None),
            PaginationConfig::default().with_starting_token(token),
        );
        let all: Vec<u32> = first.into_iter().chain(numbers(resumed.items())).collect();
        assert_eq!(all, all_numbers(10, 30), "MaxItems {max_items}");
    }
}

#[test]
fn full_result_and_streams_over_nested_paths() {
    let github = GitHub::new(12);
    let config = || PaginationConfig::default().with_page_size(5);
    let full = Listing::new(github.client(), query(None), config())
        .full_result()
        .expect("no error");
    let nodes: Vec<u32> = full
        .result
        .data
        .repository
        .issues
        .nodes
        .iter()
        .map(|i| i.number)
        .collect();
    assert_eq!(nodes, all_numbers(0, 12));
    let server = github.clone();
    let client = move |request: IssuesQuery| std::future::ready(server.graphql(&request));
    let streamed = futures::executor::block_on(async {
        use futures::StreamExt as _;
        let stream = Listing::new(client, query(None), config()).item_stream();
        stream
            .map(|issue| issue.expect("no error").number)
            .collect::<Vec<_>>()
            .await
    });
    assert_eq!(streamed, all_numbers(0, 12));
}

/// A JSON body whose paging object is optional (`{"filter": ..., "page":
/// {"size": 2, "cursor": "..."}}`), its Rust names other than its wire names.
mod json_body {
    use super::*;

    #[derive(Debug, Clone, Serialize, Paginated)]
    #[paginated(
        response = Found,
        input_token(path = "params.cursor"),
        limit_key(path = "params.page_size", max = 50)
    )]
    pub(super) struct Search {
        filter: &'static str,
        #[serde(rename = "page", skip_serializing_if = "Option::is_none")]
        params: Option<PageParams>,
    }

    #[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
    #[paginated(nested)]
    struct PageParams {
        #[serde(
            rename(serialize = "size", deserialize = "pageSize"),
            skip_serializing_if = "Option::is_none"
        )]
        page_size: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cursor: Option<String>,
    }

    #[derive(Debug, Deserialize, Paginated)]
    pub(super) struct Found {
        #[paginated(result_key)]
        results: Vec<u32>,
        #[paginated(output_token = "params.cursor")]
        next: Option<String>,
    }

    /// 0..9, three at a time unless `page.size` says otherwise; refuses a
    /// `page` object that is empty or has other keys.
    fn service(bodies: &Mutex<Vec<Value>>, request: &Search) -> Result<Found, String> {
        let body = serde_json::to_value(request).map_err(|e| e.to_string())?;
        bodies.lock().expect("log").push(body.clone());
        let page = body
            .get("page")
            .map(|p| p.as_object().ok_or("page is an object"))
            .transpose()?;
        if let Some(page) = page {
            if page.is_empty() || page.keys().any(|k| k != "size" && k != "cursor") {
                return Err(format!("bad page {page:?}"));
            }
        }
        let size = page.and_then(|p| p.get("size")).and_then(Value::as_u64).unwrap_or(3) as u32;
        let start = match page.and_then(|p| p.get("cursor")) {
            None => 0,
            Some(cursor) => cursor
                .as_str()
                .and_then(|c| c.strip_prefix("at-"))
                .and_then(|c| c.parse().ok())
                .ok_or("bad cursor")?,
        };
        let end = (start + size).min(9);
        Ok(Found {
            results: (start..end).collect(),
            next: (end < 9).then(|| format!("at-{end}")),
        })
    }

    fn search() -> Search {
        Search {
            filter: "open",
            params: None,
        }
    }

    #[test]
    fn an_absent_page_object_is_created_for_the_token_and_the_size() {
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&bodies);
        let client = move |request: Search| service(&log, &request);
        let got: Vec<u32> = Listing::new(client.clone(), search(), PaginationConfig::default())
            .items()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!(got, (0..9).collect::<Vec<_>>());
        let sent = std::mem::take(&mut *bodies.lock().expect("log"));
        assert_eq!(sent[0], json!({ "filter": "open" }));
        assert_eq!(sent[1], json!({ "filter": "open", "page": { "cursor": "at-3" } }));

        let config = PaginationConfig::default().with_page_size(4).with_max_items(5);
        let mut items = Listing::new(client.clone(), search(), config).items();
        let first: Vec<u32> = items.by_ref().map(|r| r.expect("no error")).collect();
        let token = items.resume_token().expect("results are left");
        assert_eq!(
            crate::support::token_text(&token),
            r#"{"page.cursor": "at-4", "boto_truncate_amount": 1}"#
        );
        let sent = std::mem::take(&mut *bodies.lock().expect("log"));
        assert_eq!(sent[0], json!({ "filter": "open", "page": { "size": 4 } }));
        let rest: Vec<u32> = Listing::new(client, search(), PaginationConfig::default().with_starting_token(token))
            .items()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!([first, rest].concat(), (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn a_null_token_creates_no_page_object() {
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&bodies);
        let client = move |request: Search| service(&log, &request);
        let config = PaginationConfig::default().with_max_items(1);
        let mut items = Listing::new(client.clone(), search(), config).items();
        assert_eq!(items.next().map(|r| r.expect("no error")), Some(0));
        let token = items.resume_token().expect("results are left");
        assert_eq!(
            crate::support::token_text(&token),
            r#"{"page.cursor": null, "boto_truncate_amount": 1}"#
        );
        bodies.lock().expect("log").clear();
        let rest: Vec<u32> = Listing::new(client, search(), PaginationConfig::default().with_starting_token(token))
            .items()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!(rest, (1..9).collect::<Vec<_>>());
        assert_eq!(bodies.lock().expect("log")[0], json!({ "filter": "open" }));
    }

    #[test]
    fn describe_gives_the_sent_names() {
        let described = Search::describe();
        assert_eq!(described.input_tokens, ["page.cursor"]);
        assert_eq!(described.output_tokens, ["next"]);
        assert_eq!(described.limit_key.map(|k| k.name), Some("page.size"));
    }
}
