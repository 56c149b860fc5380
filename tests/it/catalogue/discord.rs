//! Discord channel messages (`GET /channels/{id}/messages`): a bare JSON
//! array, paged by snowflakes, backward with `before` and forward with
//! `after`.
//!
//! The server enforces Discord's rules: `limit` is an integer from 1 to 100
//! (50 when absent); `before`, `after` and `around` are snowflakes (decimal
//! strings of a u64) and mutually exclusive. Any snowflake is accepted, not
//! only a message's. The answer is a bare array of messages, newest first
//! (by id, descending) for `after` too: `before=X` is the `limit` newest
//! messages older than X, `after=X` the `limit` oldest messages newer than
//! X, still newest first, so paging forward feeds the first message's id to
//! the next `after`. There is no end marker: an empty array ends a listing.
//! Errors are `{"code", "message", "errors"?}` (50035 "Invalid Form Body"),
//! a rate limit `429 {"message", "retry_after", "global"}`.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, backward, param, query, Api, Refusal, Server};

const DEFAULT_LIMIT: u32 = 50;
const DISCORD_EPOCH: u64 = 1_420_070_400_000;

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = Messages)]
pub struct GetMessagesBefore {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u8>,
}

/// The bare array of messages.
#[derive(Debug, Deserialize, Paginated)]
#[serde(transparent)]
#[paginated(output_token(path = "messages[-1].id", feeds = before))]
pub struct Messages {
    #[paginated(result_key)]
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = MessagesAfter)]
pub struct GetMessagesAfter {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u8>,
}

/// The same array, read for paging forward.
#[derive(Debug, Deserialize, Paginated)]
#[serde(transparent)]
#[paginated(output_token(path = "messages[0].id", feeds = after))]
pub struct MessagesAfter {
    #[paginated(result_key)]
    pub messages: Vec<Message>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Message {
    pub id: String,
    pub channel_id: String,
    pub content: String,
}

#[derive(Debug, Deserialize)]
pub struct DiscordError {
    pub message: String,
    pub code: Option<u32>,
    pub retry_after: Option<f64>,
}

fn invalid_form(field: &str, code: &str, message: &str) -> Refusal {
    Refusal::new(
        400,
        json!({"code": 50035, "message": "Invalid Form Body",
            "errors": {field: {"_errors": [{"code": code, "message": message}]}}}),
    )
}

/// The newest message's timestamp (Unix milliseconds).
const NEWEST: u64 = 1_704_067_200_000;

/// Message `position`, position 0 the newest, a message every 7 seconds:
/// milliseconds since Discord's epoch above the 22 low bits.
fn snowflake(position: u32) -> u64 {
    (NEWEST - u64::from(position) * 7_000 - DISCORD_EPOCH) << 22
}

fn position_of(message: &Message) -> u32 {
    let id: u64 = message.id.parse().expect("a snowflake");
    u32::try_from((NEWEST - DISCORD_EPOCH - (id >> 22)) / 7_000).expect("a position")
}

pub struct Channel {
    messages: u32,
}

impl Channel {
    fn snowflake_param(pairs: &[(String, String)], name: &str) -> Result<Option<u64>, Refusal> {
        match param(pairs, name) {
            None => Ok(None),
            Some(text) => text.parse::<u64>().map(Some).map_err(|_| {
                invalid_form(
                    name,
                    "NUMBER_TYPE_COERCE",
                    &format!("Value \"{text}\" is not snowflake."),
                )
            }),
        }
    }

    fn message(&self, position: u32) -> Value {
        json!({"id": snowflake(position).to_string(), "channel_id": "41771983423143937",
            "content": format!("message {position}"), "type": 0})
    }
}

impl Server for Channel {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| invalid_form("query", "BASE_TYPE_INVALID", &e))?;
        let limit = match param(&pairs, "limit") {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if n < 1 => {
                    return Err(invalid_form(
                        "limit",
                        "NUMBER_TYPE_MIN",
                        "int value should be greater than or equal to 1.",
                    ))
                }
                Ok(n) if n > 100 => {
                    return Err(invalid_form(
                        "limit",
                        "NUMBER_TYPE_MAX",
                        "int value should be less than or equal to 100.",
                    ))
                }
                Ok(n) => n as u32,
                Err(_) => {
                    return Err(invalid_form(
                        "limit",
                        "NUMBER_TYPE_COERCE",
                        &format!("Value \"{text}\" is not int."),
                    ))
                }
            },
        };
        let before = Self::snowflake_param(&pairs, "before")?;
        let after = Self::snowflake_param(&pairs, "after")?;
        let around = Self::snowflake_param(&pairs, "around")?;
        if [before, after, around].iter().filter(|p| p.is_some()).count() > 1 {
            return Err(invalid_form(
                "query",
                "BASE_TYPE_INVALID",
                "before, after and around are mutually exclusive.",
            ));
        }
        let total = self.messages;
        // Positions in newest-first order.
        let (start, end) = match (before, after) {
            (Some(id), _) => {
                let start = (0..total).find(|p| snowflake(*p) < id).unwrap_or(total);
                (start, (start + limit).min(total))
            }
            (_, Some(id)) => {
                let end = (0..total).find(|p| snowflake(*p) <= id).unwrap_or(total);
                (end.saturating_sub(limit), end)
            }
            (None, None) => (0, limit.min(total)),
        };
        Ok(Value::Array((start..end).map(|p| self.message(p)).collect()))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(
            429,
            json!({"message": "You are being rate limited.", "retry_after": 0.25, "global": false}),
        )
    }
}

/// Backward from the newest message.
pub struct DiscordBefore;

impl Api for DiscordBefore {
    type Req = GetMessagesBefore;
    type Resp = Messages;
    type Error = DiscordError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Channel { messages: n })
    }

    fn request(_: u32) -> GetMessagesBefore {
        GetMessagesBefore::default()
    }

    fn position(message: &Message) -> u32 {
        position_of(message)
    }
}

/// Forward from the oldest message, the anchor: the `n` messages newer than it.
pub struct DiscordAfter;

impl Api for DiscordAfter {
    type Req = GetMessagesAfter;
    type Resp = MessagesAfter;
    type Error = DiscordError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Channel { messages: n + 1 })
    }

    fn request(n: u32) -> GetMessagesAfter {
        GetMessagesAfter {
            after: Some(snowflake(n).to_string()),
            limit: None,
        }
    }

    fn position(message: &Message) -> u32 {
        position_of(message)
    }

    fn expected(n: u32, page_size: Option<u64>) -> Vec<u32> {
        backward(n, page_size.map_or(DEFAULT_LIMIT, |p| p as u32))
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn before_yields_every_message_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<DiscordBefore>(&s)?;
    }

    /// `before` names a message and a page runs on from it in the listing's
    /// order, whatever `limit` is: each run resumes under another `PageSize`.
    #[test]
    fn before_yields_every_message_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<DiscordBefore>(&s)?;
    }

    /// With `after`, each page is newest first, away from its anchor: the
    /// order itself depends on `limit`, so a token is exact under its own only.
    #[test]
    fn after_yields_every_message_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<DiscordAfter>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    let positions = |r: &[Message]| r.iter().map(DiscordBefore::position).collect::<Vec<_>>();
    harness::item_stream_lists_everything::<DiscordBefore>(120, None);
    harness::full_result_lists_everything::<DiscordBefore>(23, Some(4), |r| positions(&r.messages));
    harness::item_stream_lists_everything::<DiscordAfter>(120, None);
    harness::full_result_lists_everything::<DiscordAfter>(23, Some(4), |r| positions(&r.messages));
}

#[test]
fn the_server_refuses_what_discord_refuses() {
    harness::refused_page_size_sends_nothing::<DiscordBefore>(101);
    harness::refused_page_size_sends_nothing::<DiscordAfter>(101);
    let refused = |request: Value| harness::answer::<DiscordBefore>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"limit": 101})).body["code"], 50035);
    assert_eq!(refused(json!({"limit": 0})).status, 400);
    assert_eq!(refused(json!({"before": "abc"})).status, 400);
    assert_eq!(refused(json!({"before": "1", "after": "2"})).status, 400);
    // A page is a bare array, newest first, for `after` too.
    let page = harness::answer::<DiscordBefore>(5, json!({"after": "0", "limit": 2})).expect("a page");
    let ids: Vec<u64> = page
        .as_array()
        .expect("an array")
        .iter()
        .map(|m| m["id"].as_str().expect("an id").parse().expect("a snowflake"))
        .collect();
    assert!(ids.len() == 2 && ids[0] > ids[1], "{ids:?}");
}
