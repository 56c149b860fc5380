//! Microsoft Graph collections (`GET /v1.0/users`), paged by
//! `@odata.nextLink`.
//!
//! The server enforces Graph's rules for `users`: `$top` is an integer from
//! 1 to 999 (100 when absent); `$skip` is not supported on this collection;
//! the client requests `@odata.nextLink` exactly as given (it carries
//! `$top`, `$select` and the `$skiptoken`; a `$skiptoken` Graph did not issue
//! is refused). The answer is `{"@odata.context", "value",
//! "@odata.nextLink"?}`, the link absent on the last page. Errors are
//! `{"error": {"code", "message"}}`.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, follow, param, Api, Refusal, Server};

const BASE: &str = "https://graph.microsoft.com/v1.0/users";

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = UserCollection)]
pub struct ListUsers {
    #[serde(rename = "$select", skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    #[serde(rename = "$top", skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 999)]
    pub top: Option<u32>,
    /// The page's `@odata.nextLink`, which the client requests as is.
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub next_link: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct UserCollection {
    #[serde(rename = "@odata.context")]
    pub context: String,
    #[paginated(result_key)]
    pub value: Vec<User>,
    #[serde(rename = "@odata.nextLink")]
    #[paginated(output_token = next_link)]
    pub next_link: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: String,
}

#[derive(Debug, Deserialize)]
pub struct GraphError {
    pub error: GraphErrorBody,
}

#[derive(Debug, Deserialize)]
pub struct GraphErrorBody {
    pub code: String,
    pub message: String,
}

fn error(status: u16, code: &str, message: impl Into<String>) -> Refusal {
    Refusal::new(status, json!({"error": {"code": code, "message": message.into()}}))
}

fn user_id(position: u32) -> String {
    format!("{position:08x}-7b1d-4c2e-9f3a-5d6e7f8a9b0c")
}

fn skiptoken(offset: u32) -> String {
    format!("RFNwdAIAAQAAAB{offset:06X}")
}

pub struct Directory {
    users: u32,
}

impl Server for Directory {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let (path, pairs) = follow(request, "@odata.nextLink", BASE).map_err(|e| error(400, "BadRequest", e))?;
        if path != BASE {
            return Err(error(
                400,
                "BadRequest",
                format!("Resource not found for the segment '{path}'."),
            ));
        }
        for (name, _) in &pairs {
            if !["$top", "$select", "$skiptoken"].contains(&name.as_str()) {
                return Err(error(
                    400,
                    "Request_UnsupportedQuery",
                    format!("'{name}' is not supported."),
                ));
            }
        }
        let top = match param(&pairs, "$top") {
            None => 100,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=999).contains(&n) => n,
                _ => {
                    return Err(error(
                        400,
                        "Request_UnsupportedQuery",
                        format!("Invalid page size specified: '{text}'. Must be between 1 and 999 inclusive."),
                    ))
                }
            },
        };
        let start = match param(&pairs, "$skiptoken") {
            None => 0,
            Some(token) => (1..self.users).find(|o| skiptoken(*o) == token).ok_or_else(|| {
                error(
                    400,
                    "Directory_ExpiredPageToken",
                    "The specified page token value has expired.",
                )
            })?,
        };
        let end = (start + top).min(self.users);
        let value: Vec<Value> = (start..end)
            .map(|p| json!({"id": user_id(p), "displayName": format!("User {p}")}))
            .collect();
        let mut body = json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": value});
        if end < self.users {
            let select = param(&pairs, "$select")
                .map(|s| format!("&$select={s}"))
                .unwrap_or_default();
            body["@odata.nextLink"] = Value::String(format!("{BASE}?$top={top}{select}&$skiptoken={}", skiptoken(end)));
        }
        Ok(body)
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "TooManyRequests", "Too many requests.")
    }
}

pub struct Graph;

impl Api for Graph {
    type Req = ListUsers;
    type Resp = UserCollection;
    type Error = GraphError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Directory { users: n })
    }

    fn request(_: u32) -> ListUsers {
        ListUsers {
            select: Some("id,displayName".to_owned()),
            ..Default::default()
        }
    }

    fn position(user: &User) -> u32 {
        u32::from_str_radix(&user.id[..8], 16).expect("a user id")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_user_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Graph>(&s)?;
    }

    /// `@odata.nextLink` carries the `$top` it was made with, and a first page's
    /// token skips across the pages of another: each run resumes under another `PageSize`.
    #[test]
    fn every_user_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Graph>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Graph>(40, Some(6));
    harness::item_stream_lists_everything::<Graph>(230, None);
    harness::full_result_lists_everything::<Graph>(23, Some(4), |r| r.value.iter().map(Graph::position).collect());
}

#[test]
fn the_server_refuses_what_graph_refuses() {
    harness::refused_page_size_sends_nothing::<Graph>(1000);
    let refused = |request: Value| harness::answer::<Graph>(20, request).expect_err("refused");
    assert_eq!(
        refused(json!({"$top": 1000})).body["error"]["code"],
        "Request_UnsupportedQuery"
    );
    assert_eq!(refused(json!({"$top": 0})).status, 400);
    assert_eq!(refused(json!({"$skip": 5})).status, 400);
    let forged = format!("{BASE}?$top=5&$skiptoken=forged");
    assert_eq!(
        refused(json!({"@odata.nextLink": forged})).body["error"]["code"],
        "Directory_ExpiredPageToken"
    );
    // The link carries `$top`: following it needs no other parameter.
    let first = harness::answer::<Graph>(20, json!({"$top": 5})).expect("a page");
    let link = first["@odata.nextLink"].as_str().expect("a link");
    assert!(link.contains("$top=5&"), "{link}");
}
