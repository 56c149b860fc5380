//! A token in the HTTP `Link` header and a bare JSON array for a body: GitHub's
//! REST API. The client puts the header's value into the response's `link`
//! field; the listing takes the `rel="next"` target as the next URL, which
//! the client requests as it is.

use std::cell::RefCell;
use std::rc::Rc;

use paginate::{Error, ListingError, Paginated, PaginatedRequest, PaginationConfig, Paginator, ResumeToken};
use serde::{Deserialize, Serialize};

use crate::catalogue::github_rest::{github, Answer, ListRepos, Repo, RepoPage, BASE};

/// The URL a request is sent to: the next link when the listing has one,
/// else the endpoint with the request's parameters.
fn url_of(request: &ListRepos) -> String {
    if let Some(url) = &request.url {
        return url.clone();
    }
    let mut query = Vec::new();
    if let Some(sort) = &request.sort {
        query.push(format!("sort={sort}"));
    }
    if let Some(n) = request.per_page {
        query.push(format!("per_page={n}"));
    }
    format!("{BASE}?{}", query.join("&"))
}

/// The URLs a client requested, in order.
type Sent = Rc<RefCell<Vec<String>>>;

/// A client of `server`: it records each URL it requests, reads the body as
/// the page and the `Link` header into its `link` field.
fn client(
    server: impl Fn(&str) -> Answer + Clone,
) -> (impl FnMut(ListRepos) -> Result<RepoPage, String> + Clone, Sent) {
    let sent = Sent::default();
    let log = Rc::clone(&sent);
    let send = move |request: ListRepos| {
        let url = url_of(&request);
        log.borrow_mut().push(url.clone());
        let answer = server(&url);
        if answer.status != 200 {
            return Err(format!("{}: {}", answer.status, answer.body));
        }
        let mut page: RepoPage = serde_json::from_str(&answer.body).map_err(|e| e.to_string())?;
        page.link = answer.link;
        Ok(page)
    };
    (send, sent)
}

fn request() -> ListRepos {
    ListRepos {
        sort: Some("full_name".into()),
        ..ListRepos::default()
    }
}

fn ids(repos: &[Repo]) -> Vec<u32> {
    repos.iter().map(|r| r.id).collect()
}

#[test]
fn the_next_link_is_followed_with_the_query_carried_through() {
    let (send, sent) = client(|url| github(7, url));
    let config = PaginationConfig::default().with_page_size(3);
    let repos: Vec<Repo> = Paginator::new(send)
        .paginate(request(), config)
        .items()
        .collect::<Result<_, _>>()
        .expect("no error");
    assert_eq!(ids(&repos), (1..=7).collect::<Vec<_>>());
    assert_eq!(
        *sent.borrow(),
        [
            format!("{BASE}?sort=full_name&per_page=3"),
            format!("{BASE}?sort=full_name&per_page=3&page=2"),
            format!("{BASE}?sort=full_name&per_page=3&page=3"),
        ]
    );
}

#[test]
fn describe_names_the_header_relation() {
    let described = ListRepos::describe();
    assert_eq!(described.input_tokens, ["url"]);
    assert_eq!(described.output_tokens, [r#"Link rel="next""#]);
    assert_eq!(described.result_keys, ["repos"]);
}

#[test]
fn max_items_and_the_resume_token_at_every_item() {
    let total = 8;
    let all: Vec<u32> = (1..=total).collect();
    for page_size in [1, 3, 8, 100] {
        for max_items in 1..=total {
            let (send, _) = client(|url| github(total, url));
            let config = PaginationConfig::default()
                .with_page_size(page_size)
                .with_max_items(u64::from(max_items));
            let mut items = Paginator::new(send).paginate(request(), config).items();
            let mut got = Vec::new();
            while let Some(repo) = items.next() {
                got.push(repo.expect("no error").id);
                let Some(token) = items.resume_token() else {
                    assert_eq!(got.len(), all.len(), "a token until the last repository");
                    continue;
                };
                // Every token resumes exactly under any PageSize: a next URL
                // carries its own `per_page`, and a cut on the first page (no
                // URL yet) skips across the pages of another.
                for resumed_size in [1, 2, page_size] {
                    let resumed = PaginationConfig::default()
                        .with_page_size(resumed_size)
                        .with_starting_token(token.clone());
                    let (send, _) = client(|url| github(total, url));
                    let rest: Vec<u32> = Paginator::new(send)
                        .paginate(request(), resumed)
                        .items()
                        .map(|r| r.expect("no error").id)
                        .collect();
                    let whole: Vec<u32> = got.iter().copied().chain(rest).collect();
                    assert_eq!(
                        whole,
                        all,
                        "page size {page_size}, max items {max_items}, at {}, resumed with {resumed_size}",
                        got.len()
                    );
                }
            }
            assert_eq!(
                got,
                all[..max_items as usize],
                "page size {page_size}, max items {max_items}"
            );
        }
    }
}

#[test]
fn a_resume_token_holds_the_next_url() {
    let (send, _) = client(|url| github(5, url));
    let config = PaginationConfig::default().with_page_size(2).with_max_items(3);
    let mut items = Paginator::new(send).paginate(request(), config).items();
    assert_eq!(items.by_ref().count(), 3);
    let token = items.resume_token().expect("repositories are left");
    let decoded = ResumeToken::decode::<ListRepos>(&token).expect("a token of this request");
    assert_eq!(
        decoded.value::<String>("url").expect("a string"),
        Some(format!("{BASE}?sort=full_name&per_page=2&page=2"))
    );
    assert_eq!(decoded.items_to_skip(), 1);
}

#[test]
fn full_result_concatenates_the_arrays() {
    let (send, _) = client(|url| github(5, url));
    let config = PaginationConfig::default().with_page_size(2).with_max_items(4);
    let full = Paginator::new(send)
        .paginate(request(), config)
        .full_result()
        .expect("no error");
    assert_eq!(ids(&full.result.repos), [1, 2, 3, 4]);
    let token = full.resume_token.clone().expect("one repository is left");
    // botocore's full result is a map with `NextToken` beside the keys; a
    // bare array has no keys to stand beside, so it does not serialize as one.
    let refused = serde_json::to_value(&full).expect_err("an array is not a map");
    assert!(refused.to_string().contains("must serialize as a map"), "{refused}");
    let (send, sent) = client(|url| github(5, url));
    let rest = Paginator::new(send)
        .paginate(request(), PaginationConfig::default().with_starting_token(token))
        .full_result()
        .expect("no error");
    assert_eq!(ids(&rest.result.repos), [5]);
    assert_eq!(*sent.borrow(), [format!("{BASE}?sort=full_name&per_page=2&page=3")]);
}

#[test]
fn no_link_header_ends_the_listing() {
    // One page of repositories: GitHub sends no `Link` header at all.
    let (send, sent) = client(|url| github(4, url));
    let repos: Vec<Repo> = Paginator::new(send)
        .paginate(request(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .expect("no error");
    assert_eq!(ids(&repos), [1, 2, 3, 4]);
    assert_eq!(sent.borrow().len(), 1);
}

#[test]
fn a_header_without_the_relation_ends_the_listing() {
    let (send, sent) = client(|url| {
        let mut answer = github(6, url);
        // The last page as GitHub sends it: only `prev` and `first`.
        answer.link = Some(format!(r#"<{BASE}?page=1>; rel="prev", <{BASE}?page=1>; rel="first""#));
        answer
    });
    let pages: Vec<RepoPage> = Paginator::new(send)
        .paginate(request(), PaginationConfig::default().with_page_size(3))
        .pages()
        .collect::<Result<_, _>>()
        .expect("no error");
    assert_eq!(pages.len(), 1);
    assert_eq!(sent.borrow().len(), 1);
}

/// A `Link` header the parser refuses (here cut short after a parameter name)
/// does not end the listing as if it were the last page: the page's items
/// are yielded, then `ListingError::BadOutputToken` names the token, and no
/// further request is sent.
#[test]
fn a_malformed_header_is_an_error_after_the_page() {
    let (send, sent) = client(|url| {
        let mut answer = github(6, url);
        answer.link = Some(format!(r#"<{BASE}?page=2>; rel="next", <{BASE}?page=2>; rel"#));
        answer
    });
    let mut items = Paginator::new(send)
        .paginate(request(), PaginationConfig::default().with_page_size(3))
        .items();
    let first: Vec<u32> = items
        .by_ref()
        .take(3)
        .map(|r| r.expect("the page's items").id)
        .collect();
    assert_eq!(first, [1, 2, 3]);
    match items.next() {
        Some(Err(Error::Listing(ListingError::BadOutputToken {
            input_token, source, ..
        }))) => {
            assert_eq!(input_token, "url");
            assert!(source.to_string().contains("Link header"), "{source}");
        }
        other => panic!("expected BadOutputToken, got {other:?}"),
    }
    assert!(items.next().is_none());
    assert_eq!(sent.borrow().len(), 1);
}

#[test]
fn an_item_stream_follows_the_links_too() {
    use futures::StreamExt as _;
    let (mut send, _) = client(|url| github(5, url));
    let send = move |request: ListRepos| std::future::ready(send(request));
    let config = PaginationConfig::default().with_page_size(2);
    let repos = futures::executor::block_on(
        Paginator::new(send)
            .paginate(request(), config)
            .item_stream()
            .map(|r| r.expect("no error").id)
            .collect::<Vec<_>>(),
    );
    assert_eq!(repos, [1, 2, 3, 4, 5]);
}

/// What the client does for one request, without a log: for drivers that
/// want a `Send` client.
fn fetch(total: u32, request: ListRepos) -> Result<RepoPage, String> {
    let answer = github(total, &url_of(&request));
    let mut page: RepoPage = serde_json::from_str(&answer.body).map_err(|e| format!("{}: {e}", answer.status))?;
    page.link = answer.link;
    Ok(page)
}

#[test]
fn a_fan_out_of_link_listings_resumes_each_from_its_url() {
    use futures::StreamExt as _;
    let client = |request: ListRepos| std::future::ready(fetch(7, request));
    let listings = || {
        let listing = |sort: &str| {
            let request = ListRepos {
                sort: Some(sort.into()),
                ..ListRepos::default()
            };
            paginate::Listing::new(client, request, PaginationConfig::default().with_page_size(3))
        };
        vec![listing("created"), listing("updated")]
    };
    let mut set = paginate::FanOut::new(listings(), 2, Some(9));
    let first: Vec<(usize, u32)> = futures::executor::block_on(
        set.by_ref()
            .map(|r| r.map(|(i, repo)| (i, repo.id)))
            .collect::<Vec<_>>(),
    )
    .into_iter()
    .collect::<Result<_, _>>()
    .expect("no error");
    assert_eq!(first.len(), 9);
    let token = set.resume_token().expect("repositories are left");
    let rest = paginate::FanOut::resume(listings(), 2, None, &token).expect("a fan-out token of two");
    let rest: Vec<(usize, u32)> = futures::executor::block_on(rest.map(|r| r.expect("no error")).collect::<Vec<_>>())
        .into_iter()
        .map(|(i, repo)| (i, repo.id))
        .collect();
    for listing in 0..2 {
        let ids: Vec<u32> = first
            .iter()
            .chain(&rest)
            .filter(|(i, _)| *i == listing)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(ids, (1..=7).collect::<Vec<_>>(), "listing {listing}");
    }
}

#[cfg(feature = "prefetch")]
#[tokio::test(flavor = "multi_thread")]
async fn prefetch_follows_the_links() {
    use futures::StreamExt as _;
    let client = |request: ListRepos| std::future::ready(fetch(11, request));
    let config = PaginationConfig::default().with_page_size(2).with_max_items(9);
    let mut items = Paginator::new(client)
        .paginate(request(), config)
        .page_stream()
        .prefetch(3)
        .items();
    let mut ids = Vec::new();
    while let Some(repo) = items.next().await {
        ids.push(repo.expect("no error").id);
    }
    assert_eq!(ids, (1..=9).collect::<Vec<_>>());
    let token = items.resume_token().expect("repositories are left");
    let rest: Vec<u32> = Paginator::new(|request| fetch(11, request))
        .paginate(request(), PaginationConfig::default().with_starting_token(token))
        .items()
        .map(|r| r.expect("no error").id)
        .collect();
    assert_eq!(rest, [10, 11]);
}

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = RepoPageBackwards)]
struct ListReposBackwards {
    #[serde(skip)]
    #[paginated(input_token)]
    url: Option<String>,
}

/// The same pages read from the last towards the first, through `rel="prev"`.
#[derive(Debug, Deserialize, Paginated)]
#[serde(transparent)]
struct RepoPageBackwards {
    #[paginated(result_key)]
    repos: Vec<Repo>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "prev")]
    link: Option<String>,
}

#[test]
fn the_prev_relation_reads_backwards_from_the_last_page() {
    let client = |request: ListReposBackwards| -> Result<RepoPageBackwards, String> {
        let answer = github(7, request.url.as_deref().ok_or("starts from a URL")?);
        let mut page: RepoPageBackwards = serde_json::from_str(&answer.body).map_err(|e| e.to_string())?;
        page.link = answer.link;
        Ok(page)
    };
    let last = ListReposBackwards {
        url: Some(format!("{BASE}?per_page=3&page=3")),
    };
    let ids: Vec<u32> = Paginator::new(client)
        .paginate(last.clone(), PaginationConfig::default())
        .items()
        .map(|r| r.expect("no error").id)
        .collect();
    assert_eq!(ids, [7, 4, 5, 6, 1, 2, 3]);
    // Cut on the first page, the token resumes from the request's own URL.
    let mut items = Paginator::new(client)
        .paginate(last, PaginationConfig::default().with_max_items(1))
        .items();
    assert_eq!(items.next().map(|r| r.expect("no error").id), Some(7));
    assert!(items.next().is_none());
    let token = items.resume_token().expect("repositories are left");
    let rest: Vec<u32> = Paginator::new(client)
        .paginate(
            ListReposBackwards::default(),
            PaginationConfig::default().with_starting_token(token),
        )
        .items()
        .map(|r| r.expect("no error").id)
        .collect();
    assert_eq!(rest, [4, 5, 6, 1, 2, 3]);
}
