//! Jira Software Cloud board sprints (`GET
//! /rest/agile/1.0/board/{boardId}/sprint`): offsets ended by `isLast`.
//!
//! The server enforces the Agile API's rules: `startAt` is the 0-based
//! index of the first sprint (default 0, not negative); `maxResults`
//! defaults to 50 and is served as at most 50 whatever it asks (the page's
//! `maxResults` says so); a page is `{"maxResults", "startAt", "isLast",
//! "values"}`, with no total; a `startAt` past the end gets an empty page
//! with `isLast: true`. Errors come as `{"errorMessages": [...], "errors":
//! {}}` (400; 429 when rate limited).
//!
//! Read with `offset` alone (`SprintsRequest`), the page says nothing of
//! the end: the listing ends on the empty page after the last, one request
//! more than needed. With `#[paginated(last_page)]` on `isLast`
//! (`SprintsUntilLast`), it ends on the last page itself.

use paginate::{Listing, Paginated, PaginatedRequest};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, param, query, Api, Refusal, Server};
use super::jira::{error, number, JiraError};
use crate::support::config;

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = SprintPage)]
pub struct SprintsRequest {
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(offset)]
    pub start_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1)]
    pub max_results: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct SprintPage {
    pub max_results: u32,
    pub start_at: u64,
    pub is_last: bool,
    #[paginated(result_key)]
    pub values: Vec<Sprint>,
}

/// The same request, its page ended by `isLast`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = SprintPageUntilLast)]
pub struct SprintsUntilLast {
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(offset)]
    pub start_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1)]
    pub max_results: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct SprintPageUntilLast {
    pub max_results: u32,
    pub start_at: u64,
    #[paginated(last_page)]
    pub is_last: bool,
    #[paginated(result_key)]
    pub values: Vec<Sprint>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sprint {
    pub id: u64,
    pub name: String,
    pub origin_board_id: u64,
}

const BOARD: u64 = 84;
/// The most sprints the service serves a page.
const SERVED: u64 = 50;

pub struct Board {
    sprints: u64,
}

impl Server for Board {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| error(400, &e))?;
        if param(&pairs, "state").is_some_and(|s| s.split(',').any(|s| !["future", "active", "closed"].contains(&s))) {
            return Err(error(400, "The sprint state is not valid."));
        }
        let start_at = number(&pairs, "startAt", 0)?;
        let served = number(&pairs, "maxResults", 50)?.min(SERVED);
        let end = start_at.saturating_add(served).min(self.sprints);
        let values: Vec<Value> = (start_at..end)
            .map(|i| json!({"id": i + 1, "name": format!("Sprint {}", i + 1), "originBoardId": BOARD}))
            .collect();
        Ok(json!({"maxResults": served, "startAt": start_at, "isLast": end >= self.sprints, "values": values}))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "Rate limit exceeded.")
    }
}

fn position(sprint: &Sprint) -> u32 {
    (sprint.id - 1) as u32
}

/// The board's sprints read with request `$req`: the two APIs differ only
/// in the model, in how it tells the last page.
macro_rules! sprints_api {
    ($api:ident, $req:ident, $resp:ident) => {
        pub struct $api;

        impl Api for $api {
            type Req = $req;
            type Resp = $resp;
            type Error = JiraError;

            fn server(n: u32) -> Box<dyn Server> {
                Box::new(Board {
                    sprints: u64::from(n),
                })
            }

            fn request(_: u32) -> $req {
                $req {
                    state: "active,closed".to_owned(),
                    ..Default::default()
                }
            }

            fn position(sprint: &Sprint) -> u32 {
                position(sprint)
            }
        }
    };
}

sprints_api!(JiraAgile, SprintsRequest, SprintPage);
sprints_api!(JiraAgileUntilLast, SprintsUntilLast, SprintPageUntilLast);

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_sprint_exactly_once(s in harness::scenario_resizing(1..=80)) {
        harness::exactly_once::<JiraAgile>(&s)?;
    }

    #[test]
    fn every_sprint_exactly_once_until_is_last(s in harness::scenario_resizing(1..=80)) {
        harness::exactly_once::<JiraAgileUntilLast>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<JiraAgile>(47, Some(9));
    harness::item_stream_lists_everything::<JiraAgileUntilLast>(130, None);
    harness::full_result_lists_everything::<JiraAgile>(23, Some(4), |r| r.values.iter().map(position).collect());
    harness::full_result_lists_everything::<JiraAgileUntilLast>(23, Some(4), |r| {
        r.values.iter().map(position).collect()
    });
}

/// 60 asked, 50 served: the offsets follow what came. Read with `offset`
/// alone, the listing ends on the empty page after the last; with
/// `last_page`, on the last page.
#[test]
fn is_last_saves_the_empty_page() {
    let wire = harness::Wire::<JiraAgile>::new(120);
    let listing = Listing::new(wire.blocking(), JiraAgile::request(120), config(Some(60), None, None));
    assert_eq!(listing.items().count(), 120);
    assert_eq!(
        wire.sent_field("startAt"),
        [Value::Null, json!(50), json!(100), json!(120)]
    );
    let wire = harness::Wire::<JiraAgileUntilLast>::new(120);
    let listing = Listing::new(
        wire.blocking(),
        JiraAgileUntilLast::request(120),
        config(Some(60), None, None),
    );
    assert_eq!(listing.items().count(), 120);
    assert_eq!(wire.sent_field("startAt"), [Value::Null, json!(50), json!(100)]);
    let described = SprintsUntilLast::describe();
    assert_eq!(
        (described.last_page.as_deref(), described.more_results),
        (Some("isLast"), None)
    );
}

#[test]
fn the_server_refuses_what_jira_refuses() {
    harness::refused_page_size_sends_nothing::<JiraAgile>(0);
    let refused = |request: Value| harness::answer::<JiraAgile>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"startAt": -1})).status, 400);
    assert_eq!(refused(json!({"state": "done"})).status, 400);
    let past = harness::answer::<JiraAgile>(5, json!({"startAt": 9})).expect("a page");
    assert_eq!(
        (past["isLast"].clone(), past["values"].clone()),
        (json!(true), json!([]))
    );
}
