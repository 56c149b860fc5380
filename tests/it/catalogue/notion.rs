//! Notion's list endpoints (`POST /v1/databases/{id}/query`).
//!
//! The server enforces Notion's documented rules: the JSON body's
//! `page_size` is an integer from 1 to 100 (100 when absent); `start_cursor`
//! is a string or absent (`null` is refused: "should be a string or
//! `undefined`"), and a `next_cursor` Notion issued; a key the endpoint does
//! not know is refused. The answer is `{"object": "list", "results",
//! "next_cursor", "has_more", "type"}`, `next_cursor` `null` on the last
//! page. Errors are `{"object": "error", "status", "code", "message"}`
//! (`validation_error` 400, `rate_limited` 429).

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, Api, Refusal, Server};

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = QueryResults)]
pub struct QueryDatabase {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub start_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub page_size: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct QueryResults {
    pub object: String,
    #[paginated(result_key)]
    pub results: Vec<Page>,
    #[paginated(output_token = start_cursor)]
    pub next_cursor: Option<String>,
    #[paginated(more_results)]
    pub has_more: bool,
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub object: String,
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct NotionError {
    pub object: String,
    pub status: u16,
    pub code: String,
    pub message: String,
}

fn validation(message: impl Into<String>) -> Refusal {
    Refusal::new(
        400,
        json!({"object": "error", "status": 400, "code": "validation_error", "message": message.into()}),
    )
}

fn page_id(position: u32) -> String {
    format!("{:08x}-59b3-4f8e-9d2a-{:012x}", position, u64::from(position) * 31 + 7)
}

pub struct Database {
    pages: u32,
}

impl Server for Database {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let Value::Object(body) = request else {
            return Err(validation("body failed validation: body should be an object."));
        };
        for key in body.keys() {
            if !["start_cursor", "page_size", "filter", "sorts"].contains(&key.as_str()) {
                return Err(validation(format!(
                    "body failed validation: body.{key} should be not present."
                )));
            }
        }
        let size = match body.get("page_size") {
            None => 100,
            Some(v) => match v.as_u64() {
                Some(n) if (1..=100).contains(&n) => n as u32,
                Some(n) if n > 100 => {
                    return Err(validation(format!(
                    "body failed validation: body.page_size should be less than or equal to `100`, instead was `{n}`."
                )))
                }
                _ => {
                    return Err(validation(format!(
                        "body failed validation: body.page_size should be a positive integer, instead was `{v}`."
                    )))
                }
            },
        };
        let start = match body.get("start_cursor") {
            None => 0,
            Some(Value::String(c)) => (0..self.pages)
                .find(|p| page_id(*p) == *c)
                .ok_or_else(|| validation(format!("The start_cursor provided is invalid: {c}")))?,
            Some(v) => {
                return Err(validation(format!(
                    "body failed validation: body.start_cursor should be a string or `undefined`, instead was `{v}`."
                )))
            }
        };
        let end = (start + size).min(self.pages);
        let results: Vec<Value> = (start..end)
            .map(|p| json!({"object": "page", "id": page_id(p)}))
            .collect();
        let has_more = end < self.pages;
        Ok(json!({
            "object": "list",
            "results": results,
            "next_cursor": if has_more { Value::String(page_id(end)) } else { Value::Null },
            "has_more": has_more,
            "type": "page_or_database",
            "page_or_database": {},
        }))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(
            429,
            json!({"object": "error", "status": 429, "code": "rate_limited",
                "message": "You have been rate limited. Please try again in a few minutes."}),
        )
    }
}

pub struct Notion;

impl Api for Notion {
    type Req = QueryDatabase;
    type Resp = QueryResults;
    type Error = NotionError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Database { pages: n })
    }

    fn request(_: u32) -> QueryDatabase {
        QueryDatabase::default()
    }

    fn position(page: &Page) -> u32 {
        u32::from_str_radix(&page.id[..8], 16).expect("a page id")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_page_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Notion>(&s)?;
    }

    /// `start_cursor` names a result, whatever `page_size` is: each run resumes
    /// under another `PageSize`.
    #[test]
    fn every_page_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Notion>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Notion>(40, Some(6));
    harness::item_stream_lists_everything::<Notion>(230, None);
    harness::full_result_lists_everything::<Notion>(23, Some(4), |r| r.results.iter().map(Notion::position).collect());
}

#[test]
fn the_server_refuses_what_notion_refuses() {
    harness::refused_page_size_sends_nothing::<Notion>(101);
    let refused = |request: Value| harness::answer::<Notion>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"start_cursor": null})).body["code"], "validation_error");
    assert_eq!(refused(json!({"page_size": 101})).status, 400);
    assert_eq!(refused(json!({"page_size": 0})).status, 400);
    assert_eq!(refused(json!({"start_cursor": "nope"})).status, 400);
    assert_eq!(refused(json!({"cursor": page_id(1)})).status, 400);
}
