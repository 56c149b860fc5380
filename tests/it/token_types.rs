//! Token fields that are not `Option`s: Google AIP-158, proto3 and prost
//! write `page_token: String` (and numeric offsets) where the type's default
//! (`""`, `0`) means "no token". Such a listing ends on an empty token, and
//! every resume token it hands out starts a listing that yields exactly the
//! rest, including the ones taken on the first page (whose token is `null`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{Listing, ListingState, Paginated, PaginatedRequest, PaginatedResponse, PaginationConfig};
use serde::Serialize;

const ITEMS: u32 = 7;
const PAGE: u32 = 3;

/// AIP-158's `ListBooks`: `page_token` and `next_page_token` are strings, `""` when absent.
#[derive(Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = ListBooksResponse)]
struct ListBooksRequest {
    parent: String,
    #[paginated(input_token)]
    page_token: String,
    #[paginated(limit_key)]
    page_size: i32,
}

#[derive(Debug, Paginated)]
struct ListBooksResponse {
    #[paginated(result_key)]
    books: Vec<u32>,
    #[paginated(output_token = page_token)]
    next_page_token: String,
}

/// Books `0..ITEMS`, `PAGE` to a page; the token is the offset as text.
fn list_books(request: ListBooksRequest) -> Result<ListBooksResponse, String> {
    assert_eq!(
        request.parent, "shelves/1",
        "the request's other fields reach the service"
    );
    let start: u32 = match request.page_token.as_str() {
        "" => 0,
        token => token.parse().map_err(|_| format!("bad page token {token:?}"))?,
    };
    let end = (start + PAGE).min(ITEMS);
    let next_page_token = if end < ITEMS { end.to_string() } else { String::new() };
    Ok(ListBooksResponse {
        books: (start..end).collect(),
        next_page_token,
    })
}

fn books_request() -> ListBooksRequest {
    ListBooksRequest {
        parent: "shelves/1".into(),
        ..ListBooksRequest::default()
    }
}

fn from_token(token: &str) -> PaginationConfig {
    PaginationConfig::default().with_starting_token(token)
}

fn decode(token: &str) -> String {
    String::from_utf8(STANDARD.decode(token).expect("base64")).expect("utf-8")
}

#[test]
fn an_empty_string_token_ends_the_listing() {
    let pages: Vec<Vec<u32>> = Listing::new(list_books, books_request(), PaginationConfig::default())
        .pages()
        .take(10)
        .map(|page| page.map(|p| p.books))
        .collect::<Result<_, _>>()
        .expect("pages");
    assert_eq!(pages, [vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
}

/// Stopped after each of its items but the last in turn, and resumed from
/// its token, the listing of `request` through `client` yields `all`.
fn resumes_at_every_item<Req, T>(client: fn(Req) -> Result<Req::Response, String>, request: fn() -> Req, all: &[T])
where
    Req: PaginatedRequest,
    Req::Response: PaginatedResponse<Item = T>,
    T: Clone + PartialEq + std::fmt::Debug,
{
    for taken in 1..all.len() {
        let mut items = Listing::new(client, request(), PaginationConfig::default()).items();
        let first: Vec<T> = items.by_ref().take(taken).collect::<Result<_, _>>().expect("items");
        let token = items.resume_token().expect("items remain");
        let rest: Vec<T> = Listing::new(client, request(), from_token(&token))
            .items()
            .take(all.len() + 1)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("the token after {taken} items ({}) resumes: {e}", decode(&token)));
        assert_eq!([first, rest].concat(), all, "resumed after {taken} items");
    }
}

#[test]
fn a_string_token_resumes_at_every_item() {
    resumes_at_every_item(list_books, books_request, &(0..ITEMS).collect::<Vec<_>>());
}

#[test]
fn a_first_page_token_is_botocores_and_sets_the_empty_string() {
    let mut state = ListingState::new(books_request(), PaginationConfig::default());
    let request = state.next_request().expect("a request").expect("valid");
    state.receive(list_books(request).expect("page")).expect("received");
    let token = state.resume_token_at(1).expect("items remain");
    assert_eq!(decode(&token), r#"{"pageToken": null, "boto_truncate_amount": 1}"#);

    let mut resumed = ListingState::new(
        ListBooksRequest {
            page_token: "stale".into(),
            ..books_request()
        },
        from_token(&token),
    );
    let request = resumed
        .next_request()
        .expect("a request")
        .expect("the token is accepted");
    assert_eq!(request.page_token, "", "an absent token is the field's default");
}

/// A proto3 numeric offset: `0` is "no token", as it is for botocore.
#[derive(Clone, Default, Paginated)]
#[paginated(response = OffsetResponse)]
struct OffsetRequest {
    #[paginated(input_token)]
    offset: u64,
}

#[derive(Paginated)]
struct OffsetResponse {
    #[paginated(result_key)]
    values: Vec<u64>,
    #[paginated(output_token = offset)]
    next_offset: u64,
}

fn list_offsets(request: OffsetRequest) -> Result<OffsetResponse, String> {
    let end = (request.offset + u64::from(PAGE)).min(u64::from(ITEMS));
    Ok(OffsetResponse {
        values: (request.offset..end).collect(),
        next_offset: if end < u64::from(ITEMS) { end } else { 0 },
    })
}

#[test]
fn a_numeric_token_resumes_at_every_item() {
    resumes_at_every_item(
        list_offsets,
        OffsetRequest::default,
        &(0..u64::from(ITEMS)).collect::<Vec<_>>(),
    );
}

/// An `Option<String>` token keeps botocore's meaning: `null` is `None`.
#[test]
fn an_option_token_set_from_null_is_none() {
    #[derive(Clone, Default, Paginated)]
    #[paginated(response = Resp)]
    struct Req {
        #[paginated(input_token)]
        next_token: Option<String>,
    }
    #[derive(Paginated)]
    struct Resp {
        #[paginated(result_key)]
        items: Vec<u32>,
        #[paginated(output_token = next_token)]
        next_token: Option<String>,
    }
    let token = STANDARD.encode(r#"{"next_token": null, "boto_truncate_amount": 1}"#);
    let request = Req {
        next_token: Some("stale".into()),
    };
    let mut state = ListingState::new(request, from_token(&token));
    let request = state.next_request().expect("a request").expect("the token is accepted");
    assert_eq!(request.next_token, None);
}
