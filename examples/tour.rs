//! A tour of `#[derive(Paginated)]` in one sitting: a paged listing of your
//! own API, read page by page and item by item, cut at `MaxItems`, resumed
//! from its token, and what happens when the service fails.
//!
//! ```text
//! cargo run --example tour
//! ```

use paginate::{Error, Listing, Paginated, PaginationConfig};
use serde::Serialize;

/// The request as your API takes it; the derive is told which field carries
/// the token and which one the page size.
#[derive(Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListUsersResponse)]
struct ListUsersRequest {
    /// Not a token: sent unchanged with every page.
    team: String,
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 50)]
    max_results: Option<u32>,
}

/// The page as it comes back; the derive is told where the items are and
/// which field holds the next token.
#[derive(Debug, Paginated)]
struct ListUsersResponse {
    #[paginated(result_key)]
    users: Vec<String>,
    #[paginated(output_token = next_token)]
    next_token: Option<String>,
}

/// A service of 7 users, 3 to a page unless asked otherwise; its tokens are
/// the offset of the next page. Any client works: a closure, an HTTP client,
/// an SDK call.
fn service(request: ListUsersRequest) -> Result<ListUsersResponse, String> {
    let all: Vec<String> = (1..=7).map(|n| format!("{}-user-{n}", request.team)).collect();
    let start: usize = match request.next_token.as_deref() {
        None => 0,
        Some(token) => token.parse().map_err(|_| format!("bad token {token:?}"))?,
    };
    let size = request.max_results.unwrap_or(3) as usize;
    let end = (start + size).min(all.len());
    Ok(ListUsersResponse {
        users: all[start..end].to_vec(),
        next_token: (end < all.len()).then(|| end.to_string()),
    })
}

fn request() -> ListUsersRequest {
    ListUsersRequest {
        team: "blue".into(),
        ..ListUsersRequest::default()
    }
}

fn main() -> Result<(), Error<String>> {
    // Every item, across pages: the tokens are the library's business.
    let users: Vec<String> = Listing::new(service, request(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()?;
    println!("all users: {users:?}");

    // Page by page, two to a page (`PageSize`, checked against min/max).
    let config = PaginationConfig::default().with_page_size(2);
    for page in Listing::new(service, request(), config).pages() {
        println!("a page: {:?}", page?.users);
    }

    // `MaxItems` stops mid-page, and the resume token says where: a new
    // listing from it yields exactly what is left, nothing twice.
    let config = PaginationConfig::default().with_max_items(4);
    let mut first = Listing::new(service, request(), config).items();
    let head: Vec<String> = first.by_ref().collect::<Result<_, _>>()?;
    let token = first.resume_token().expect("three users are left");
    let config = PaginationConfig::default().with_starting_token(token.clone());
    let rest: Vec<String> = Listing::new(service, request(), config)
        .items()
        .collect::<Result<_, _>>()?;
    println!("first {head:?}, then from {token}: {rest:?}");
    assert_eq!([head, rest].concat(), users);

    // A failing service: the error carries the token to resume from, and
    // the iterator ends rather than calling the service again on its own.
    let mut calls = 0;
    let flaky = |request: ListUsersRequest| {
        calls += 1;
        if calls == 2 {
            return Err("throttled".to_owned());
        }
        service(request)
    };
    let mut items = Listing::new(flaky, request(), PaginationConfig::default()).items();
    let before: Vec<String> = items.by_ref().map_while(Result::ok).collect();
    assert!(items.next().is_none(), "nothing more until asked to retry");
    assert!(items.retry(), "the failed request is sent again");
    let after: Vec<String> = items.collect::<Result<_, _>>()?;
    println!(
        "{} users before the error, {} after the retry",
        before.len(),
        after.len()
    );
    assert_eq!([before, after].concat(), users);
    Ok(())
}
