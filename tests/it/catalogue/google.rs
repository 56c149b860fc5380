//! Google AIP-158 list methods (`ListBooks`), over the proto3 JSON mapping.
//!
//! The server enforces AIP-158 and proto3 JSON: field names are the
//! lowerCamelCase JSON names (`parent`, `pageSize`, `pageToken`) and an
//! unknown field is refused; `pageSize` is an int32, negative is
//! `INVALID_ARGUMENT`, 0 means the API's default (10 here) and a size above
//! the API's maximum (50 here) is coerced to the maximum; `pageToken` is
//! `""` for the first page, otherwise a token this API issued for the same
//! request (another `parent` is `INVALID_ARGUMENT`). The response is
//! `{"books", "nextPageToken"}`, proto3 omitting a default value: the
//! last page has no `nextPageToken` (the empty string ends the listing).
//! Errors are `{"error": {"code", "message", "status"}}`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, Api, Refusal, Server};

const PARENT: &str = "publishers/123";
const DEFAULT_PAGE: i64 = 10;
const MAX_PAGE: i64 = 50;

#[derive(Debug, Clone, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = ListBooksResponse)]
pub struct ListBooksRequest {
    pub parent: String,
    #[paginated(limit_key)]
    pub page_size: i32,
    #[paginated(input_token)]
    pub page_token: String,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct ListBooksResponse {
    #[serde(default)]
    #[paginated(result_key)]
    pub books: Vec<Book>,
    #[serde(default)]
    #[paginated(output_token = page_token)]
    pub next_page_token: String,
}

#[derive(Debug, Deserialize)]
pub struct Book {
    pub name: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
pub struct Status {
    pub error: StatusBody,
}

#[derive(Debug, Deserialize)]
pub struct StatusBody {
    pub code: u16,
    pub message: String,
    pub status: String,
}

fn invalid(message: impl Into<String>) -> Refusal {
    Refusal::new(
        400,
        json!({"error": {"code": 400, "message": message.into(), "status": "INVALID_ARGUMENT"}}),
    )
}

fn token(parent: &str, offset: u32) -> String {
    URL_SAFE_NO_PAD.encode(format!("{parent}|{offset}"))
}

pub struct Library {
    books: u32,
}

impl Library {
    fn offset(&self, page_token: &str, parent: &str) -> Result<u32, Refusal> {
        if page_token.is_empty() {
            return Ok(0);
        }
        let text = URL_SAFE_NO_PAD
            .decode(page_token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| invalid("Invalid page token."))?;
        let (issued_for, offset) = text.split_once('|').ok_or_else(|| invalid("Invalid page token."))?;
        let offset: u32 = offset.parse().map_err(|_| invalid("Invalid page token."))?;
        if issued_for != parent {
            return Err(invalid("The page token does not match the request."));
        }
        if offset > self.books {
            return Err(invalid("Invalid page token."));
        }
        Ok(offset)
    }
}

impl Server for Library {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let Value::Object(fields) = request else {
            return Err(invalid("Invalid JSON payload."));
        };
        for name in fields.keys() {
            if !["parent", "pageSize", "pageToken"].contains(&name.as_str()) {
                return Err(invalid(format!(
                    "Invalid JSON payload received. Unknown name \"{name}\": Cannot find field."
                )));
            }
        }
        let parent = match fields.get("parent") {
            Some(Value::String(p)) if p == PARENT => p.as_str(),
            _ => return Err(invalid("parent is required.")),
        };
        let page_size = match fields.get("pageSize") {
            None => 0,
            Some(v) => v
                .as_i64()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or_else(|| invalid(format!("Invalid value at 'page_size' (TYPE_INT32), {v}")))?,
        };
        if page_size < 0 {
            return Err(invalid("page_size must not be negative."));
        }
        let size = match page_size {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        } as u32;
        let page_token = match fields.get("pageToken") {
            None => "",
            Some(Value::String(t)) => t.as_str(),
            Some(v) => return Err(invalid(format!("Invalid value at 'page_token' (TYPE_STRING), {v}"))),
        };
        let start = self.offset(page_token, parent)?;
        let end = (start + size).min(self.books);
        let books: Vec<Value> = (start..end)
            .map(|n| json!({"name": format!("{PARENT}/books/{n}"), "title": format!("Book {n}")}))
            .collect();
        let mut page = json!({});
        if !books.is_empty() {
            page["books"] = Value::Array(books);
        }
        if end < self.books {
            page["nextPageToken"] = Value::String(token(parent, end));
        }
        Ok(page)
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(
            503,
            json!({"error": {"code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"}}),
        )
    }
}

pub struct Aip158;

impl Api for Aip158 {
    type Req = ListBooksRequest;
    type Resp = ListBooksResponse;
    type Error = Status;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Library { books: n })
    }

    fn request(_: u32) -> ListBooksRequest {
        ListBooksRequest {
            parent: PARENT.to_owned(),
            page_size: 0,
            page_token: String::new(),
        }
    }

    fn position(book: &Book) -> u32 {
        let n = book.name.rsplit('/').next().expect("a book name");
        n.parse().expect("a book number")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    /// Page sizes up to 80: above the maximum of 50 the server coerces them.
    #[test]
    fn every_book_exactly_once(s in harness::scenario(Some(1..=80))) {
        harness::exactly_once::<Aip158>(&s)?;
    }

    /// `pageToken` names where the next page starts, and `pageSize` may change
    /// between calls: each run resumes under another `PageSize`.
    #[test]
    fn every_book_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=80)) {
        harness::exactly_once::<Aip158>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Aip158>(57, Some(70));
    harness::item_stream_lists_everything::<Aip158>(57, None);
    harness::full_result_lists_everything::<Aip158>(23, Some(4), |r| r.books.iter().map(Aip158::position).collect());
}

#[test]
fn the_server_refuses_what_aip_158_refuses() {
    let refused = |request: Value| harness::answer::<Aip158>(5, request).expect_err("refused");
    assert_eq!(
        refused(json!({"parent": PARENT, "pageSize": -1})).body["error"]["status"],
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        refused(json!({"parent": PARENT, "page_size": 1, "max_results": 1})).status,
        400
    );
    assert_eq!(refused(json!({"parent": PARENT, "pageToken": "garbage!"})).status, 400);
    let other_parent = json!({"parent": PARENT, "pageToken": token("publishers/9", 2)});
    assert_eq!(refused(other_parent).status, 400);
    // 0 is the default page size, and the last page has no `nextPageToken`.
    let page = harness::answer::<Aip158>(12, json!({"parent": PARENT, "pageSize": 0})).expect("a page");
    assert_eq!(page["books"].as_array().map(Vec::len), Some(10));
    let last =
        harness::answer::<Aip158>(12, json!({"parent": PARENT, "pageToken": page["nextPageToken"]})).expect("a page");
    assert_eq!(last.get("nextPageToken"), None);
}
