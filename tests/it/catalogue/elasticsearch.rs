//! Elasticsearch `search_after` (`POST /{index}/_search`).
//!
//! The server enforces Elasticsearch's rules: the body's `size` is a
//! non-negative integer (10 when absent) with `from + size` at most
//! `index.max_result_window` (10,000); `search_after` needs a `sort`, has as
//! many values as `sort` has fields, each of the field's type (`@timestamp`
//! a number, the `event.id` tiebreaker a string), and `from` must be 0 with
//! it. Hits are sorted by (`@timestamp`, `event.id`), several events sharing
//! a timestamp, and each hit carries its `sort` values: the token is the
//! array of the last hit's, and an empty `hits.hits` ends the listing.
//! Errors are `{"error": {"root_cause", "type", "reason"}, "status"}`.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, Api, Refusal, Server};

const MAX_RESULT_WINDOW: u64 = 10_000;

#[derive(Debug, Clone, Serialize, Paginated)]
#[paginated(response = SearchResponse)]
pub struct SearchRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 10000)]
    pub size: Option<u32>,
    pub query: Value,
    pub sort: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub search_after: Option<Vec<Value>>,
    pub track_total_hits: bool,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(
    result_key(path = "hits.hits"),
    output_token(path = "hits.hits[-1].sort", feeds = search_after)
)]
pub struct SearchResponse {
    pub took: u64,
    pub timed_out: bool,
    pub hits: Hits,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Hits {
    pub max_score: Option<f64>,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Hit {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_source")]
    pub source: Value,
    pub sort: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
pub struct EsError {
    pub error: EsErrorBody,
    pub status: u16,
}

#[derive(Debug, Deserialize)]
pub struct EsErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
}

fn error(status: u16, kind: &str, reason: impl Into<String>) -> Refusal {
    let reason = reason.into();
    Refusal::new(
        status,
        json!({"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason}, "status": status}),
    )
}

fn illegal(reason: impl Into<String>) -> Refusal {
    error(400, "illegal_argument_exception", reason)
}

fn timestamp(position: u32) -> i64 {
    1_700_000_000_000 + i64::from(position / 3) * 1000
}

fn event_id(position: u32) -> String {
    format!("evt-{position:05}")
}

fn sort_fields() -> Vec<Value> {
    vec![json!({"@timestamp": "asc"}), json!({"event.id": "asc"})]
}

pub struct Index {
    events: u32,
}

impl Server for Index {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let size = match request.get("size") {
            None => 10,
            Some(v) => match v.as_i64() {
                Some(n) if n >= 0 => n as u64,
                Some(n) => return Err(illegal(format!("[size] parameter cannot be negative, found [{n}]"))),
                None => return Err(error(400, "x_content_parse_exception", "[size] failed to parse field")),
            },
        };
        let from = request.get("from").and_then(Value::as_u64).unwrap_or(0);
        if from + size > MAX_RESULT_WINDOW {
            return Err(illegal(format!(
                "Result window is too large, from + size must be less than or equal to: [{MAX_RESULT_WINDOW}] but was [{}].",
                from + size
            )));
        }
        let sort = request
            .get("sort")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let start = match request.get("search_after") {
            None => 0,
            Some(after) => {
                let after = after
                    .as_array()
                    .ok_or_else(|| illegal("[search_after] must be an array"))?;
                if sort.is_empty() {
                    return Err(illegal("Sort must contain at least one field."));
                }
                if after.len() != sort.len() {
                    return Err(illegal(format!(
                        "search_after has {} value(s) but sort has {}.",
                        after.len(),
                        sort.len()
                    )));
                }
                if from != 0 {
                    return Err(illegal(
                        "[from] parameter must be set to 0 when [search_after] is used.",
                    ));
                }
                let ts = after[0]
                    .as_i64()
                    .ok_or_else(|| illegal("Failed to parse search_after value for field [@timestamp]."))?;
                let id = after[1]
                    .as_str()
                    .ok_or_else(|| illegal("Failed to parse search_after value for field [event.id]."))?;
                (0..self.events)
                    .find(|p| (timestamp(*p), event_id(*p).as_str()) > (ts, id))
                    .unwrap_or(self.events)
            }
        };
        if sort != sort_fields() {
            return Err(illegal("this index is searched sorted by @timestamp, event.id"));
        }
        let end = (start + size as u32).min(self.events);
        let hits: Vec<Value> = (start..end)
            .map(|p| {
                json!({"_index": "logs", "_id": format!("doc{p}"), "_score": null,
                    "_source": {"@timestamp": timestamp(p), "event": {"id": event_id(p)}},
                    "sort": [timestamp(p), event_id(p)]})
            })
            .collect();
        Ok(
            json!({"took": 3, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"max_score": null, "hits": hits}}),
        )
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(
            429,
            "es_rejected_execution_exception",
            "rejected execution of coordinating operation [search] on EsThreadPoolExecutor",
        )
    }
}

pub struct Elasticsearch;

impl Api for Elasticsearch {
    type Req = SearchRequest;
    type Resp = SearchResponse;
    type Error = EsError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Index { events: n })
    }

    fn request(_: u32) -> SearchRequest {
        SearchRequest {
            size: None,
            query: json!({"match_all": {}}),
            sort: sort_fields(),
            search_after: None,
            track_total_hits: false,
        }
    }

    fn position(hit: &Hit) -> u32 {
        hit.id[3..].parse().expect("a document id")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_hit_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Elasticsearch>(&s)?;
    }

    /// `search_after` names a hit, whatever `size` is: each run resumes under
    /// another `PageSize`.
    #[test]
    fn every_hit_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Elasticsearch>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Elasticsearch>(40, Some(6));
    harness::item_stream_lists_everything::<Elasticsearch>(40, None);
    harness::full_result_lists_everything::<Elasticsearch>(23, Some(4), |r| {
        r.hits.hits.iter().map(Elasticsearch::position).collect()
    });
}

#[test]
fn the_server_refuses_what_elasticsearch_refuses() {
    harness::refused_page_size_sends_nothing::<Elasticsearch>(10_001);
    let refused = |request: Value| harness::answer::<Elasticsearch>(5, request).expect_err("refused");
    let search = |extra: Value| {
        let mut request = serde_json::to_value(Elasticsearch::request(5)).expect("serializes");
        for (k, v) in extra.as_object().expect("an object") {
            request[k] = v.clone();
        }
        request
    };
    assert_eq!(
        refused(search(json!({"size": 10_001}))).body["error"]["type"],
        "illegal_argument_exception"
    );
    assert_eq!(refused(search(json!({"search_after": [1]}))).status, 400);
    assert_eq!(refused(search(json!({"search_after": ["x", "evt-00001"]}))).status, 400);
    assert_eq!(
        refused(search(json!({"search_after": [1, "a"], "from": 3}))).status,
        400
    );
    assert_eq!(
        refused(json!({"search_after": [1, "a"]})).body["error"]["reason"],
        "Sort must contain at least one field."
    );
}
