//! Bitbucket Cloud `GET /2.0/repositories/{workspace}`: the next page's URL
//! in the body (`next`).
//!
//! The server enforces Bitbucket's documented rules: `pagelen` is 10 when
//! absent and at most 100; `page` counts from 1; the client follows `next`
//! as it is ("refrain from constructing your own URLs"), which carries
//! `pagelen`, the filters (`role`, `sort`) and the page; the last page has
//! no `next`. A page is `{"pagelen", "page", "size", "next"?, "values"}`.
//! Errors come as `{"type": "error", "error": {"message"}}` (400; 429
//! when rate limited).

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, follow, param, Api, Refusal, Server};

const REPOSITORIES: &str = "https://api.bitbucket.org/2.0/repositories/paging";

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = PaginatedRepositories)]
pub struct ListRepositories {
    pub role: Option<String>,
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub pagelen: Option<u32>,
    /// The previous page's `next`, which the client requests as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct PaginatedRepositories {
    pub pagelen: u32,
    pub page: u32,
    pub size: Option<u64>,
    #[paginated(output_token)]
    pub next: Option<String>,
    #[paginated(result_key)]
    pub values: Vec<Repository>,
}

#[derive(Debug, Deserialize)]
pub struct Repository {
    pub slug: String,
    pub full_name: String,
}

#[derive(Debug, Deserialize)]
pub struct BitbucketError {
    #[serde(rename = "type")]
    pub kind: String,
    pub error: Message,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub message: String,
}

fn error(status: u16, message: impl Into<String>) -> Refusal {
    Refusal::new(status, json!({"type": "error", "error": {"message": message.into()}}))
}

fn slug(position: u32) -> String {
    format!("repo-{position:05}")
}

pub struct Workspace {
    repositories: u32,
}

impl Server for Workspace {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let (path, pairs) = follow(request, "next", REPOSITORIES).map_err(|e| error(400, e))?;
        if path != REPOSITORIES {
            return Err(error(404, format!("Resource not found: {path}")));
        }
        let mut carried = Vec::new();
        for (name, value) in &pairs {
            match name.as_str() {
                "role" if ["member", "contributor", "admin", "owner"].contains(&value.as_str()) => {
                    carried.push(format!("{name}={value}"))
                }
                "sort" if value == "slug" => carried.push(format!("{name}={value}")),
                "pagelen" | "page" => {}
                _ => return Err(error(400, format!("Invalid parameter {name}={value}"))),
            }
        }
        let number = |name: &str, default: u32| match param(&pairs, name) {
            None => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .map_err(|_| error(400, format!("Invalid {name}: {text}"))),
        };
        let pagelen = number("pagelen", 10)?;
        if !(1..=100).contains(&pagelen) {
            return Err(error(400, format!("Invalid pagelen: {pagelen}")));
        }
        let page = number("page", 1)?;
        if page < 1 {
            return Err(error(400, format!("Invalid page: {page}")));
        }
        let start = (page - 1).saturating_mul(pagelen);
        let end = start.saturating_add(pagelen).min(self.repositories);
        let values: Vec<Value> = (start..end)
            .map(|p| json!({"slug": slug(p), "full_name": format!("paging/{}", slug(p))}))
            .collect();
        let mut body = json!({"pagelen": pagelen, "page": page, "size": self.repositories, "values": values});
        if end < self.repositories {
            carried.extend([format!("pagelen={pagelen}"), format!("page={}", page + 1)]);
            body["next"] = Value::String(format!("{REPOSITORIES}?{}", carried.join("&")));
        }
        Ok(body)
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "Rate limit for this resource has been exceeded")
    }
}

pub struct Bitbucket;

impl Api for Bitbucket {
    type Req = ListRepositories;
    type Resp = PaginatedRepositories;
    type Error = BitbucketError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Workspace { repositories: n })
    }

    fn request(_: u32) -> ListRepositories {
        ListRepositories {
            role: Some("member".to_owned()),
            sort: Some("slug".to_owned()),
            ..Default::default()
        }
    }

    fn position(repository: &Repository) -> u32 {
        repository.slug["repo-".len()..].parse().expect("a slug")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_repository_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Bitbucket>(&s)?;
    }

    /// `next` carries the `pagelen` it was made with, and a first page's token
    /// skips across the pages of another: each run resumes under another `PageSize`.
    #[test]
    fn every_repository_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Bitbucket>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Bitbucket>(40, Some(6));
    harness::item_stream_lists_everything::<Bitbucket>(35, None);
    harness::full_result_lists_everything::<Bitbucket>(23, Some(4), |r| {
        r.values.iter().map(Bitbucket::position).collect()
    });
}

#[test]
fn the_server_refuses_what_bitbucket_refuses() {
    harness::refused_page_size_sends_nothing::<Bitbucket>(0);
    harness::refused_page_size_sends_nothing::<Bitbucket>(101);
    let refused = |request: Value| harness::answer::<Bitbucket>(30, request).expect_err("refused");
    assert_eq!(refused(json!({"pagelen": 101})).status, 400);
    assert_eq!(refused(json!({"role": "visitor"})).status, 400);
    assert_eq!(refused(json!({ "next": format!("{REPOSITORIES}?page=0") })).status, 400);
    let first = harness::answer::<Bitbucket>(30, json!({"role": "member", "pagelen": 7})).expect("a page");
    assert_eq!(first["next"], format!("{REPOSITORIES}?role=member&pagelen=7&page=2"));
    let last = harness::answer::<Bitbucket>(
        30,
        json!({ "next": first["next"].as_str().map(|n| n.replace("page=2", "page=5")) }),
    )
    .expect("a page");
    assert_eq!(last.get("next"), None, "the last page has no next");
}
