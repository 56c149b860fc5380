//! Stripe list endpoints (`GET /v1/customers`), forward and backward.
//!
//! The server enforces Stripe's documented rules: parameters come in the
//! query string; `limit` is an integer from 1 to 100 (10 when absent);
//! `starting_after` and `ending_before` are ids of existing objects and are
//! mutually exclusive; an unknown parameter is refused. Every answer is
//! `{"object": "list", "url", "has_more", "data"}` with `data` in reverse
//! chronological order (newest first), for `ending_before` too: the page is
//! the `limit` objects just before (newer than) the named one, still newest
//! first, so paging backward feeds `data[0].id` to the next `ending_before`.
//! Errors are `{"error": {"type", "message", "param"?, "code"?}}`.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, backward, param, query, Api, Refusal, Server, Wire};

/// `GET /v1/customers`, paging forward.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = CustomerList)]
pub struct ListCustomers {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub starting_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(output_token(path = "data[-1].id", feeds = starting_after))]
pub struct CustomerList {
    pub object: String,
    pub url: String,
    #[paginated(more_results)]
    pub has_more: bool,
    #[paginated(result_key)]
    pub data: Vec<Customer>,
}

/// `GET /v1/customers?ending_before=...`, paging backward (towards newer objects).
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = CustomerListBackward)]
pub struct ListCustomersBackward {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub ending_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(output_token(path = "data[0].id", feeds = ending_before))]
pub struct CustomerListBackward {
    pub object: String,
    pub url: String,
    #[paginated(more_results)]
    pub has_more: bool,
    #[paginated(result_key)]
    pub data: Vec<Customer>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Customer {
    pub id: String,
    pub object: String,
    pub created: i64,
}

#[derive(Debug, Deserialize)]
pub struct StripeError {
    pub error: ErrorBody,
}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    pub param: Option<String>,
    pub code: Option<String>,
}

const DEFAULT_LIMIT: u32 = 10;

fn customer_id(position: u32) -> String {
    format!("cus_{:014X}", u64::from(position) * 7919 + 0x51D)
}

fn customer_position(customer: &Customer) -> u32 {
    let hex = customer.id.strip_prefix("cus_").expect("a customer id");
    let n = u64::from_str_radix(hex, 16).expect("a customer id");
    u32::try_from((n - 0x51D) / 7919).expect("a position")
}

/// Customers newest first: position 0 is the newest.
pub struct Customers {
    total: u32,
}

fn invalid(message: impl Into<String>, param: Option<&str>, code: Option<&str>) -> Refusal {
    Refusal::new(
        400,
        json!({"error": {"type": "invalid_request_error", "message": message.into(), "param": param, "code": code}}),
    )
}

impl Customers {
    fn find(&self, id: &str, param: &str) -> Result<u32, Refusal> {
        (0..self.total).find(|p| customer_id(*p) == id).ok_or_else(|| {
            invalid(
                format!("No such customer: '{id}'"),
                Some(param),
                Some("resource_missing"),
            )
        })
    }
}

impl Server for Customers {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let pairs = query(request).map_err(|e| invalid(e, None, None))?;
        for (name, _) in &pairs {
            if !["limit", "starting_after", "ending_before"].contains(&name.as_str()) {
                return Err(invalid(format!("Received unknown parameter: {name}"), Some(name), None));
            }
        }
        let limit = match param(&pairs, "limit") {
            None => DEFAULT_LIMIT,
            Some(text) => {
                let n: i64 = text
                    .parse()
                    .map_err(|_| invalid(format!("Invalid integer: {text}"), Some("limit"), None))?;
                if n < 1 {
                    return Err(invalid(
                        "This value must be greater than or equal to 1.",
                        Some("limit"),
                        None,
                    ));
                }
                if n > 100 {
                    return Err(invalid(
                        "This value must be less than or equal to 100.",
                        Some("limit"),
                        None,
                    ));
                }
                n as u32
            }
        };
        let (start, end) = match (param(&pairs, "starting_after"), param(&pairs, "ending_before")) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "Received both starting_after and ending_before parameters. Please pass in only one.",
                    None,
                    None,
                ))
            }
            (Some(after), None) => {
                let start = self.find(after, "starting_after")? + 1;
                (start, (start + limit).min(self.total))
            }
            (None, Some(before)) => {
                let end = self.find(before, "ending_before")?;
                (end.saturating_sub(limit), end)
            }
            (None, None) => (0, limit.min(self.total)),
        };
        let backward = param(&pairs, "ending_before").is_some();
        let has_more = if backward { start > 0 } else { end < self.total };
        let data: Vec<Value> = (start..end)
            .map(|p| json!({"id": customer_id(p), "object": "customer", "created": 1_700_000_000 - i64::from(p)}))
            .collect();
        Ok(json!({"object": "list", "url": "/v1/customers", "has_more": has_more, "data": data}))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        Refusal::new(
            429,
            json!({"error": {"type": "invalid_request_error", "code": "rate_limit",
                "message": "Too many requests hit the API too quickly."}}),
        )
    }
}

pub struct StripeForward;

impl Api for StripeForward {
    type Req = ListCustomers;
    type Resp = CustomerList;
    type Error = StripeError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Customers { total: n })
    }

    fn request(_: u32) -> ListCustomers {
        ListCustomers::default()
    }

    fn position(item: &Customer) -> u32 {
        customer_position(item)
    }
}

/// Backward from an anchor: the dataset's `n` customers are newer than the
/// anchor, the oldest customer, whose id the first request names.
pub struct StripeBackward;

impl Api for StripeBackward {
    type Req = ListCustomersBackward;
    type Resp = CustomerListBackward;
    type Error = StripeError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Customers { total: n + 1 })
    }

    fn request(n: u32) -> ListCustomersBackward {
        ListCustomersBackward {
            ending_before: Some(customer_id(n)),
            limit: None,
        }
    }

    fn position(item: &Customer) -> u32 {
        customer_position(item)
    }

    fn expected(n: u32, page_size: Option<u64>) -> Vec<u32> {
        backward(n, page_size.map_or(DEFAULT_LIMIT, |p| p as u32))
    }
}

fn positions(data: &[Customer]) -> Vec<u32> {
    data.iter().map(customer_position).collect()
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn forward_yields_every_customer_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<StripeForward>(&s)?;
    }

    /// `starting_after` names a customer, whatever `limit` is: each run resumes
    /// under another `PageSize`.
    #[test]
    fn forward_yields_every_customer_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<StripeForward>(&s)?;
    }

    /// Backward, each page is newest first, away from its anchor: the order
    /// itself depends on `limit`, so a token is exact under its own only.
    #[test]
    fn backward_yields_every_customer_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<StripeBackward>(&s)?;
    }
}

#[test]
fn forward_through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<StripeForward>(23, Some(5));
    harness::item_stream_lists_everything::<StripeForward>(23, None);
    harness::full_result_lists_everything::<StripeForward>(23, Some(7), |r| positions(&r.data));
}

#[test]
fn backward_through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<StripeBackward>(23, Some(5));
    harness::full_result_lists_everything::<StripeBackward>(23, Some(7), |r| positions(&r.data));
    // Each page newest first, the pages going towards the newest.
    assert_eq!(StripeBackward::expected(5, Some(2)), [3, 4, 1, 2, 0]);
}

#[test]
fn the_server_refuses_what_stripe_refuses() {
    harness::refused_page_size_sends_nothing::<StripeForward>(101);
    harness::refused_page_size_sends_nothing::<StripeBackward>(101);
    let refused = |request: Value| harness::answer::<StripeForward>(5, request).expect_err("refused");
    assert_eq!(refused(json!({"limit": 101})).body["error"]["param"], "limit");
    assert_eq!(refused(json!({"limit": 0})).body["error"]["param"], "limit");
    assert_eq!(
        refused(json!({"starting_after": "cus_nope"})).body["error"]["code"],
        "resource_missing"
    );
    let both = json!({"starting_after": customer_id(1), "ending_before": customer_id(3)});
    assert_eq!(refused(both).status, 400);
    assert_eq!(refused(json!({"page": 2})).status, 400);
}

#[test]
fn a_rate_limited_call_resumes_at_its_page() {
    let wire = Wire::<StripeForward>::new(12).failing([1]);
    let mut items = paginate::Listing::new(
        wire.blocking(),
        ListCustomers::default(),
        harness::default_config().with_page_size(5),
    )
    .items();
    let first: Vec<u32> = items
        .by_ref()
        .take(5)
        .map(|c| customer_position(&c.expect("a customer")))
        .collect();
    let Some(Err(paginate::Error::Service { source, resume_token })) = items.next() else {
        panic!("the second call fails");
    };
    assert_eq!(
        (source.status, source.error.error.code.as_deref()),
        (429, Some("rate_limit"))
    );
    let rest: Vec<u32> = paginate::Listing::new(
        wire.blocking(),
        ListCustomers::default(),
        harness::default_config()
            .with_page_size(5)
            .with_starting_token(resume_token.expect("a token")),
    )
    .items()
    .map(|c| customer_position(&c.expect("a customer")))
    .collect();
    assert_eq!([first, rest].concat(), (0..12).collect::<Vec<_>>());
    assert_eq!(wire.refusals(), Vec::new());
}

/// A token computed from the first item of the page (`data[0].id`) is read
/// from the page as Stripe sent it, also when a resume token skips the items
/// already yielded: resuming after the page's last item goes on to the page
/// before it, not to the item just yielded.
#[test]
fn a_token_from_the_first_item_is_read_before_the_resumed_skip() {
    let wire = Wire::<StripeBackward>::new(11);
    let cfg = |token| crate::support::config(None, Some(1), token);
    let mut token = None;
    let mut got = Vec::new();
    for _ in 0..12 {
        let mut items = paginate::Listing::new(wire.blocking(), StripeBackward::request(11), cfg(token)).items();
        got.extend(items.by_ref().map(|c| customer_position(&c.expect("a customer"))));
        token = items.resume_token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(got, StripeBackward::expected(11, None));
    assert_eq!(wire.refusals(), Vec::new());
}
