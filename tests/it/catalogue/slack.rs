//! Slack Web API cursor pagination (`conversations.list`).
//!
//! The server enforces Slack's documented rules: arguments come as form or
//! query parameters; `limit` is an integer under 1000 (100 when absent), and
//! fewer items than asked may come back before the end (this server returns
//! up to two fewer, by position); `cursor` is absent or `""` for the first
//! page, otherwise a `next_cursor` Slack issued (`invalid_cursor`). Every
//! answer has `ok`; a page is `{"ok": true, "channels", "response_metadata":
//! {"next_cursor"}}` and `next_cursor` is `""` on the last page. Errors come
//! as `{"ok": false, "error": "..."}`, with HTTP 200 (`invalid_cursor`,
//! `invalid_limit`) or 429 (`ratelimited`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, param, query, Api, Refusal, Server};

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = ConversationsList)]
pub struct ConversationsListRequest {
    pub types: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 999)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(output_token(path = "response_metadata.next_cursor", feeds = cursor))]
pub struct ConversationsList {
    pub ok: bool,
    #[paginated(result_key)]
    pub channels: Vec<Channel>,
    pub response_metadata: ResponseMetadata,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct ResponseMetadata {
    pub next_cursor: String,
}

#[derive(Debug, Deserialize)]
pub struct Channel {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct SlackError {
    pub ok: bool,
    pub error: String,
}

fn error(status: u16, code: &str) -> Refusal {
    Refusal::new(status, json!({"ok": false, "error": code}))
}

fn channel_id(position: u32) -> String {
    format!("C{:08X}", position)
}

fn cursor(position: u32) -> String {
    STANDARD.encode(format!("channel:{}", channel_id(position)))
}

pub struct Workspace {
    channels: u32,
}

impl Server for Workspace {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|_| error(200, "invalid_arguments"))?;
        let limit = match param(&pairs, "limit") {
            None => 100,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n < 1000 => n.max(1),
                _ => return Err(error(200, "invalid_limit")),
            },
        };
        let start = match param(&pairs, "cursor") {
            None | Some("") => 0,
            Some(c) => (0..=self.channels)
                .find(|p| cursor(*p) == c)
                .ok_or_else(|| error(200, "invalid_cursor"))?,
        };
        let short = start % 3;
        let size = limit.saturating_sub(short).max(1);
        let end = (start + size).min(self.channels);
        let channels: Vec<Value> = (start..end)
            .map(|p| json!({"id": channel_id(p), "name": format!("channel-{p}")}))
            .collect();
        let next = if end < self.channels {
            cursor(end)
        } else {
            String::new()
        };
        Ok(json!({"ok": true, "channels": channels, "response_metadata": {"next_cursor": next}}))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "ratelimited")
    }
}

pub struct Slack;

impl Api for Slack {
    type Req = ConversationsListRequest;
    type Resp = ConversationsList;
    type Error = SlackError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Workspace { channels: n })
    }

    fn request(_: u32) -> ConversationsListRequest {
        ConversationsListRequest {
            types: "public_channel,private_channel".to_owned(),
            ..Default::default()
        }
    }

    fn position(channel: &Channel) -> u32 {
        u32::from_str_radix(&channel.id[1..], 16).expect("a channel id")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_channel_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Slack>(&s)?;
    }

    /// `cursor` names a channel, whatever `limit` is: each run resumes under
    /// another `PageSize`.
    #[test]
    fn every_channel_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Slack>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Slack>(40, Some(6));
    harness::item_stream_lists_everything::<Slack>(240, None);
    harness::full_result_lists_everything::<Slack>(23, Some(4), |r| r.channels.iter().map(Slack::position).collect());
}

#[test]
fn the_server_refuses_what_slack_refuses() {
    harness::refused_page_size_sends_nothing::<Slack>(1000);
    let refused = |request: Value| harness::answer::<Slack>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"limit": 1000})).body["error"], "invalid_limit");
    assert_eq!(
        refused(json!({"cursor": "dXNlcjpVMDYxTkZUVDI="})).body["error"],
        "invalid_cursor"
    );
    let last = harness::answer::<Slack>(3, json!({"cursor": ""})).expect("a page");
    assert_eq!(last["response_metadata"]["next_cursor"], "");
}
