//! GitHub REST `GET /user/repos`: the next page's URL in the `Link`
//! header (`rel="next"`), the body a bare JSON array (feature `link`).
//!
//! The server enforces GitHub's documented rules: `per_page` 1..=100
//! (default 30), `page` from 1 (default 1), `sort` one of `created`,
//! `updated`, `full_name`, any other parameter refused with 422; the
//! parameters are carried into the links, which are `next` and `last` on
//! every page but the last, `prev` and `first` on every page but the
//! first, and no header at all on a single page. Errors come as
//! `{"message"}` (422; 403 for a secondary rate limit).
//!
//! The model: `#[serde(transparent)]` over the array, the header's value in
//! a `#[serde(skip)]` field with `#[paginated(output_token = url, link =
//! "next")]`, and the URL the client requests as is in the request's
//! `url`. The tests of the `Link` header itself (`link_header.rs`) page
//! through this same server.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::github_search::GitHubError;
use super::harness::{self, query, Api, Refusal, Server};

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = RepoPage)]
pub struct ListRepos {
    /// The next page's URL, from the previous page's `Link` header; the
    /// client requests it as it is when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub url: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: Option<u32>,
    pub sort: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repo {
    pub id: u32,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, Paginated)]
#[serde(transparent)]
pub struct RepoPage {
    #[paginated(result_key)]
    pub repos: Vec<Repo>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "next")]
    pub link: Option<String>,
}

pub const BASE: &str = "https://api.github.com/user/repos";

/// What GitHub answers a `GET`: the status, the `Link` header and the body.
pub struct Answer {
    pub status: u16,
    pub link: Option<String>,
    pub body: String,
}

/// GitHub's list endpoint over `total` repositories: `per_page` 1..=100
/// (default 30), `page` >= 1 (default 1), any other parameter carried into
/// the links; `first`/`prev` on every page but the first, `next`/`last` on
/// every page but the last.
pub fn github(total: u32, url: &str) -> Answer {
    let refuse = |message: &str| Answer {
        status: 422,
        link: None,
        body: format!(r#"{{"message":"{message}"}}"#),
    };
    let Some(query) = url.strip_prefix(BASE) else {
        return refuse("unknown endpoint");
    };
    let (mut per_page, mut page, mut carried) = (30u32, 1u32, Vec::new());
    for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = value.parse::<u32>();
        match (key, number) {
            ("per_page", Ok(n @ 1..=100)) => per_page = n,
            ("page", Ok(n @ 1..)) => page = n,
            ("per_page" | "page", _) => return refuse(&format!("invalid {key}: {value:?}")),
            ("sort", _) if ["created", "updated", "full_name"].contains(&value) => carried.push(pair.to_owned()),
            _ => return refuse(&format!("unexpected parameter {pair:?}")),
        }
    }
    let pages = total.div_ceil(per_page).max(1);
    let link_to = |n: u32, rel: &str| {
        let mut query = carried.clone();
        query.extend([format!("per_page={per_page}"), format!("page={n}")]);
        format!("<{BASE}?{}>; rel=\"{rel}\"", query.join("&"))
    };
    let mut links = Vec::new();
    if page < pages {
        links.extend([link_to(page + 1, "next"), link_to(pages, "last")]);
    }
    if page > 1 {
        links.extend([link_to(page - 1, "prev"), link_to(1, "first")]);
    }
    let first = (page - 1).saturating_mul(per_page);
    let repos: Vec<Repo> = (first..total.min(first.saturating_add(per_page)))
        .map(|i| Repo {
            id: i + 1,
            name: format!("repo-{}", i + 1),
        })
        .collect();
    Answer {
        status: 200,
        link: (!links.is_empty()).then(|| links.join(", ")),
        body: serde_json::to_string(&repos).expect("repos serialize"),
    }
}

pub struct UserRepos {
    repos: u32,
}

impl Server for UserRepos {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let refuse = |message: String| Refusal::new(422, json!({ "message": message }));
        // The client requests the next link as it is, else the endpoint with the request's parameters.
        let url = match request.get("url") {
            Some(Value::String(url)) => url.clone(),
            _ => {
                let pairs = query(request).map_err(refuse)?;
                let query: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
                format!("{BASE}?{}", query.join("&"))
            }
        };
        let answer = github(self.repos, &url);
        let body: Value = serde_json::from_str(&answer.body).map_err(|e| refuse(e.to_string()))?;
        match answer.status {
            200 => Ok(harness::with_link(answer.link, body)),
            status => Err(Refusal::new(status, body)),
        }
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(
            403,
            json!({"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}),
        )
    }
}

pub struct GitHubRepos;

impl Api for GitHubRepos {
    type Req = ListRepos;
    type Resp = RepoPage;
    type Error = GitHubError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(UserRepos { repos: n })
    }

    fn request(_: u32) -> ListRepos {
        ListRepos {
            sort: Some("full_name".to_owned()),
            ..ListRepos::default()
        }
    }

    fn position(repo: &Repo) -> u32 {
        repo.id - 1
    }

    fn read(page: Value) -> Result<RepoPage, serde_json::Error> {
        harness::read_link(page, |page: &mut RepoPage, link| page.link = link)
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_repository_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<GitHubRepos>(&s)?;
    }

    /// `next` carries the `per_page` it was made with, and a first page's token
    /// skips across the pages of another: each run resumes under another `PageSize`.
    #[test]
    fn every_repository_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<GitHubRepos>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<GitHubRepos>(40, Some(6));
    harness::item_stream_lists_everything::<GitHubRepos>(95, None);
    harness::full_result_lists_everything::<GitHubRepos>(23, Some(4), |r| {
        r.repos.iter().map(GitHubRepos::position).collect()
    });
}

#[test]
fn the_server_refuses_what_github_refuses() {
    harness::refused_page_size_sends_nothing::<GitHubRepos>(0);
    harness::refused_page_size_sends_nothing::<GitHubRepos>(101);
    let refused = |request: Value| harness::answer::<GitHubRepos>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"per_page": 101})).status, 422);
    assert_eq!(refused(json!({"sort": "stars"})).status, 422);
    assert_eq!(refused(json!({"url": format!("{BASE}?page=0")})).status, 422);
    let single = harness::answer::<GitHubRepos>(5, json!({})).expect("a page");
    assert_eq!(single["link"], Value::Null, "one page: no Link header");
    let first = harness::answer::<GitHubRepos>(5, json!({"per_page": 2})).expect("a page");
    assert_eq!(
        first["link"],
        format!(r#"<{BASE}?per_page=2&page=2>; rel="next", <{BASE}?per_page=2&page=3>; rel="last""#)
    );
}
