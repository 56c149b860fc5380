//! Kubernetes list calls (`GET /api/v1/namespaces/{ns}/pods`), chunked with
//! `limit` and `continue`.
//!
//! The server enforces the API server's rules: `limit` and `continue` are
//! query parameters; `limit` is an integer (absent or not positive: no
//! limit, the whole list in one page); `continue` is a token this server
//! issued (base64 of `{"v": "meta.k8s.io/v1", "rv", "start"}`), otherwise
//! `400 BadRequest` "continue key is not valid". The answer is a `PodList`,
//! `{"kind", "apiVersion", "metadata": {"resourceVersion", "continue"?,
//! "remainingItemCount"?}, "items"}`, `continue` left out on the last page.
//! Errors are `Status` objects; an expired token is `410 Gone`, reason
//! `Expired`, whose `metadata.continue` is an inconsistent continuation from
//! the same key (the injected failure of a call that carries a token; a
//! first call fails with `429 TooManyRequests`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{Error, Listing, Paginated, ResumeToken};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, param, query, Api, Refusal, Server, Wire};

const RESOURCE_VERSION: u64 = 4242;
const RELISTED_VERSION: u64 = 4300;

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = PodList)]
pub struct ListPods {
    #[serde(rename = "labelSelector", skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1)]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub r#continue: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(output_token(path = "metadata.continue", feeds = continue))]
pub struct PodList {
    pub kind: String,
    pub api_version: String,
    pub metadata: ListMeta,
    #[paginated(result_key)]
    pub items: Vec<Pod>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(nested)]
pub struct ListMeta {
    pub resource_version: String,
    #[serde(default)]
    pub r#continue: Option<String>,
    pub remaining_item_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Pod {
    pub metadata: ObjectMeta,
}

#[derive(Debug, Deserialize)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
}

/// `Status`, the API server's error.
#[derive(Debug, Deserialize)]
pub struct Status {
    pub kind: String,
    pub status: String,
    pub message: String,
    pub reason: String,
    pub code: u16,
    #[serde(default)]
    pub metadata: StatusMeta,
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusMeta {
    pub r#continue: Option<String>,
}

fn status(code: u16, reason: &str, message: &str, r#continue: Option<String>) -> Refusal {
    let mut body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code});
    if let Some(token) = r#continue {
        body["metadata"]["continue"] = Value::String(token);
    }
    Refusal::new(code, body)
}

fn pod_name(position: u32) -> String {
    format!("web-{position:05}")
}

fn continue_token(rv: u64, position: u32) -> String {
    STANDARD
        .encode(json!({"v": "meta.k8s.io/v1", "rv": rv, "start": format!("{}\u{0}", pod_name(position))}).to_string())
}

fn bad_continue(detail: &str) -> Refusal {
    status(400, "BadRequest", &format!("continue key is not valid: {detail}"), None)
}

/// The position a continue token starts at.
fn start_of(token: &str, pods: u32) -> Result<u32, Refusal> {
    let bytes = STANDARD
        .decode(token)
        .map_err(|_| bad_continue("illegal base64 data"))?;
    let key: Value = serde_json::from_slice(&bytes).map_err(|_| bad_continue("invalid JSON"))?;
    if key["v"] != "meta.k8s.io/v1" {
        return Err(bad_continue(
            "incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ));
    }
    if ![RESOURCE_VERSION, RELISTED_VERSION].contains(&key["rv"].as_u64().unwrap_or(0)) {
        return Err(bad_continue("incorrect encoded start resourceVersion"));
    }
    let start = key["start"]
        .as_str()
        .and_then(|s| s.strip_suffix('\u{0}'))
        .unwrap_or("");
    (0..pods)
        .find(|p| pod_name(*p) == start)
        .ok_or_else(|| bad_continue("invalid start key"))
}

pub struct Namespace {
    pods: u32,
}

impl Server for Namespace {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| status(400, "BadRequest", &e, None))?;
        let limit = match param(&pairs, "limit") {
            None => None,
            Some(text) => {
                let n: i64 = text.parse().map_err(|_| {
                    status(
                        400,
                        "BadRequest",
                        &format!("strconv.ParseInt: parsing {text:?}: invalid syntax"),
                        None,
                    )
                })?;
                u32::try_from(n).ok().filter(|n| *n > 0)
            }
        };
        let (start, rv) = match param(&pairs, "continue") {
            None => (0, RESOURCE_VERSION),
            Some(token) => (start_of(token, self.pods)?, RESOURCE_VERSION),
        };
        let end = limit.map_or(self.pods, |l| (start + l).min(self.pods));
        let items: Vec<Value> = (start..end)
            .map(|p| json!({"metadata": {"name": pod_name(p), "namespace": "default"}}))
            .collect();
        let mut metadata = json!({"resourceVersion": rv.to_string()});
        if end < self.pods {
            metadata["continue"] = Value::String(continue_token(rv, end));
            metadata["remainingItemCount"] = json!(self.pods - end);
        }
        Ok(json!({"kind": "PodList", "apiVersion": "v1", "metadata": metadata, "items": items}))
    }

    fn transient(&mut self, request: &Value) -> Refusal {
        match request.get("continue").and_then(Value::as_str) {
            Some(token) => {
                let start = start_of(token, self.pods).unwrap_or(0);
                status(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start \
                     a new list without the continue parameter, or use the continue token in this response to \
                     retrieve the remainder of the results.",
                    Some(continue_token(RELISTED_VERSION, start)),
                )
            }
            None => status(
                429,
                "TooManyRequests",
                "Too many requests, please try again later.",
                None,
            ),
        }
    }
}

pub struct Kubernetes;

impl Api for Kubernetes {
    type Req = ListPods;
    type Resp = PodList;
    type Error = Status;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Namespace { pods: n })
    }

    fn request(_: u32) -> ListPods {
        ListPods {
            label_selector: Some("app=web".to_owned()),
            ..Default::default()
        }
    }

    fn position(pod: &Pod) -> u32 {
        pod.metadata.name[4..].parse().expect("a pod name")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_pod_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Kubernetes>(&s)?;
    }

    /// `continue` names the key the next chunk starts at, whatever `limit` is:
    /// each run resumes under another `PageSize`.
    #[test]
    fn every_pod_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Kubernetes>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Kubernetes>(40, Some(6));
    harness::item_stream_lists_everything::<Kubernetes>(40, None);
    harness::full_result_lists_everything::<Kubernetes>(23, Some(4), |r| {
        r.items.iter().map(Kubernetes::position).collect()
    });
}

/// An expired `continue` is a typed `Status` (410, `Expired`); the error's
/// resume token is the failed call's `continue`, and a request starting
/// from the `Status`'s inconsistent continuation goes on from the same pod.
#[test]
fn an_expired_continue_is_a_typed_error_at_its_page() {
    let wire = Wire::<Kubernetes>::new(10).failing([1]);
    let cfg = || harness::default_config().with_page_size(4);
    let mut items = Listing::new(wire.blocking(), Kubernetes::request(10), cfg()).items();
    let first: Vec<u32> = items
        .by_ref()
        .take(4)
        .map(|p| Kubernetes::position(&p.expect("a pod")))
        .collect();
    let Some(Err(Error::Service { source, resume_token })) = items.next() else {
        panic!("the second call fails");
    };
    assert_eq!(
        (source.status, source.error.code, source.error.reason.as_str()),
        (410, 410, "Expired")
    );
    let token = resume_token.expect("a resume token");
    let decoded = ResumeToken::decode::<ListPods>(&token).expect("a token of this listing");
    let sent = wire.sent();
    assert_eq!(
        decoded.value::<String>("continue").expect("a string"),
        sent[1]["continue"].as_str().map(str::to_owned)
    );
    assert_eq!(decoded.items_to_skip(), 0);

    let rest = |request: ListPods, token: Option<String>| -> Vec<u32> {
        let mut config = cfg();
        config.starting_token = token;
        Listing::new(wire.blocking(), request, config)
            .items()
            .map(|p| Kubernetes::position(&p.expect("a pod")))
            .collect()
    };
    assert_eq!(
        [first.clone(), rest(Kubernetes::request(10), Some(token))].concat(),
        (0..10).collect::<Vec<_>>()
    );
    let relisted = ListPods {
        r#continue: source.error.metadata.r#continue,
        ..Kubernetes::request(10)
    };
    assert_eq!([first, rest(relisted, None)].concat(), (0..10).collect::<Vec<_>>());
    assert_eq!(wire.refusals(), Vec::new());
}

#[test]
fn the_server_refuses_what_the_api_server_refuses() {
    let refused = |request: Value| harness::answer::<Kubernetes>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"continue": "!!"})).body["reason"], "BadRequest");
    let forged = STANDARD.encode(r#"{"v":"meta.k8s.io/v1","rv":1,"start":"web-00002\u0000"}"#);
    assert_eq!(refused(json!({"continue": forged})).status, 400);
    assert_eq!(refused(json!({"limit": "ten"})).status, 400);
    let all = harness::answer::<Kubernetes>(5, json!({"limit": 0})).expect("a page");
    assert_eq!(
        (all["items"].as_array().map(Vec::len), all["metadata"].get("continue")),
        (Some(5), None)
    );
}
