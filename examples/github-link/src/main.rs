//! A GitHub-style listing over real HTTP: each page is a bare JSON array, the next page's URL is in the `Link`
//! header (RFC 8288). The example starts a server on 127.0.0.1 that answers like GitHub's `GET /user/repos` and
//! lists it with reqwest through `#[derive(Paginated)]`: `cargo run -p github-link`.

use futures::StreamExt as _;
use http_body_util::Full;
use hyper::{body::Bytes, body::Incoming, Request, Response};
use paginate::{Paginated, PaginationConfig, Paginator};
use serde::{Deserialize, Serialize};

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = RepoPage)]
struct ListRepos {
    #[serde(skip)]
    #[paginated(input_token)]
    url: Option<String>, // the previous page's `rel="next"` target, requested as it is
    #[paginated(limit_key, min = 1, max = 100)]
    per_page: Option<u32>,
    sort: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Repo {
    id: u32,
    name: String,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(transparent)] // the body is the array itself
struct RepoPage {
    #[paginated(result_key)]
    repos: Vec<Repo>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "next")]
    link: Option<String>, // the response's `Link` header, filled by the client
}

const REPOS: u32 = 23;

/// GitHub's rules: `per_page` 1..=100 (30 by default), `page` from 1, links that carry the query through.
async fn github(base: String, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::http::Error> {
    let (mut per_page, mut page, mut sort) = (30, 1, String::new());
    for pair in request.uri().query().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=').unwrap_or((pair, "")) {
            ("per_page", n) if matches!(n.parse(), Ok(1..=100)) => per_page = n.parse().unwrap_or(30),
            ("page", n) if matches!(n.parse(), Ok(1..)) => page = n.parse().unwrap_or(1),
            ("sort", s) => sort = format!("sort={s}&"),
            _ => {
                return Response::builder()
                    .status(422)
                    .body(Full::from(format!("Validation Failed: {pair}")))
            }
        }
    }
    let pages = REPOS.div_ceil(per_page);
    let link = |n: u32, rel: &str| format!("<{base}/user/repos?{sort}per_page={per_page}&page={n}>; rel=\"{rel}\"");
    let mut links = Vec::new();
    if page < pages {
        links.extend([link(page + 1, "next"), link(pages, "last")]);
    }
    if page > 1 {
        links.extend([link(page - 1, "prev"), link(1, "first")]);
    }
    let ids = (page - 1).saturating_mul(per_page) + 1..=REPOS.min(page.saturating_mul(per_page));
    let repo = |id: u32| serde_json::json!({"id": id, "name": format!("repo-{id:02}")});
    let repos: Vec<_> = ids.map(repo).collect();
    let mut response = Response::builder().header("content-type", "application/json");
    if !links.is_empty() {
        response = response.header("link", links.join(", "));
    }
    response.body(Full::from(serde_json::to_vec(&repos).unwrap_or_default()))
}

/// Serves `github` on 127.0.0.1 and returns its base URL.
async fn start_server() -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let served = base.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let base = served.clone();
            let service = hyper::service::service_fn(move |request| github(base.clone(), request));
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::spawn(connection);
        }
    });
    Ok(base)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = start_server().await?;
    let http = reqwest::Client::new();
    let endpoint = format!("{base}/user/repos");
    // The client sends to the next link when set, else the request's parameters; `Link` goes into the page.
    let client = move |request: ListRepos| {
        let (http, endpoint) = (http.clone(), endpoint.clone());
        async move {
            let call = match &request.url {
                Some(next) => http.get(next),
                None => http.get(endpoint).query(&request),
            };
            let response = call.send().await?.error_for_status()?;
            let links = response.headers().get_all("link").iter();
            let link: Vec<_> = links
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            let mut page: RepoPage = response.json().await?;
            page.link = (!link.is_empty()).then(|| link.join(", ")); // several `Link` lines are one list
            Ok::<_, reqwest::Error>(page)
        }
    };
    let paginator = Paginator::new(client);
    let request = ListRepos {
        sort: Some("full_name".into()),
        ..ListRepos::default()
    };

    // Every repository, ten a page: three requests, each to the previous `rel="next"`.
    let config = PaginationConfig::default().with_page_size(10);
    let mut pages = paginator.paginate(request.clone(), config.clone()).page_stream();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await.transpose()? {
        let link = page.link.as_deref().unwrap_or("-");
        println!("{} repositories, Link: {link}", page.repos.len());
        names.extend(page.repos.into_iter().map(|r| r.name));
    }
    assert_eq!((names.len(), names[22].as_str()), (REPOS as usize, "repo-23"));

    // Stop after 12, then resume in a new listing: the token holds the next URL and how much of it was read.
    let mut items = paginator
        .paginate(request.clone(), config.with_max_items(12))
        .item_stream();
    let mut ids = Vec::new();
    while let Some(repo) = items.next().await.transpose()? {
        ids.push(repo.id);
    }
    let token = items.resume_token().ok_or("repositories are left")?;
    println!("stopped after {} repositories; resume token {token}", ids.len());
    let mut rest = paginator
        .paginate(request, PaginationConfig::default().with_starting_token(token))
        .item_stream();
    while let Some(repo) = rest.next().await.transpose()? {
        ids.push(repo.id);
    }
    assert_eq!(ids, (1..=REPOS).collect::<Vec<_>>());
    println!("listed {} repositories, and {} across a resume", names.len(), ids.len());
    Ok(())
}
