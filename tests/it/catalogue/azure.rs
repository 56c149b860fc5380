//! Azure Resource Manager list operations (`GET
//! /subscriptions/{id}/resourcegroups`), paged by `nextLink`.
//!
//! The server enforces ARM's rules: `api-version` is required and must be
//! one the resource provider supports (`MissingApiVersionParameter`,
//! `InvalidApiVersionParameter`); the page size is the service's choice,
//! pages vary in size and may be empty while a `nextLink` still follows;
//! the client requests `nextLink` exactly as given (it carries
//! `api-version` and the `$skiptoken`), and a `$skiptoken` this server did
//! not issue is refused. The answer is `{"value", "nextLink"?}`, `nextLink`
//! absent on the last page. Errors are `{"error": {"code", "message"}}`.

use paginate::Paginated;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, follow, param, Api, Refusal, Server};

const SUBSCRIPTION: &str = "6f2c1e3a-0000-4000-8000-000000000001";
const BASE: &str = "https://management.azure.com/subscriptions/6f2c1e3a-0000-4000-8000-000000000001/resourcegroups";
const API_VERSION: &str = "2021-04-01";
/// The sizes of the service's pages, in turn: ARM pages as it likes.
const PAGE_SIZES: [u32; 5] = [3, 0, 5, 1, 4];

#[derive(Debug, Clone, Serialize, Paginated)]
#[paginated(response = ResourceGroupListResult)]
pub struct ListResourceGroups {
    #[serde(rename = "api-version")]
    pub api_version: String,
    #[serde(rename = "$filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The page's `nextLink`, which the client requests as is.
    #[serde(rename = "nextLink", skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub next_link: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupListResult {
    #[paginated(result_key)]
    pub value: Vec<ResourceGroup>,
    #[paginated(output_token = next_link)]
    pub next_link: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ResourceGroup {
    pub id: String,
    pub name: String,
    pub location: String,
}

#[derive(Debug, Deserialize)]
pub struct CloudError {
    pub error: CloudErrorBody,
}

#[derive(Debug, Deserialize)]
pub struct CloudErrorBody {
    pub code: String,
    pub message: String,
}

fn error(status: u16, code: &str, message: impl Into<String>) -> Refusal {
    Refusal::new(status, json!({"error": {"code": code, "message": message.into()}}))
}

fn page_start(page: u32) -> u32 {
    (0..page).map(|k| PAGE_SIZES[k as usize % PAGE_SIZES.len()]).sum()
}

fn skiptoken(page: u32) -> String {
    format!("eyJwYWdlIjo{page:04}")
}

fn next_link(page: u32) -> String {
    format!("{BASE}?api-version={API_VERSION}&%24skiptoken={}", skiptoken(page))
}

pub struct Subscription {
    groups: u32,
}

impl Server for Subscription {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let (path, pairs) = follow(request, "nextLink", BASE).map_err(|e| error(400, "InvalidRequestContent", e))?;
        if !path.eq_ignore_ascii_case(BASE) {
            return Err(error(
                404,
                "InvalidResourceType",
                format!("The resource type could not be found: {path}"),
            ));
        }
        match param(&pairs, "api-version") {
            None => {
                return Err(error(
                    400,
                    "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.",
                ))
            }
            Some(API_VERSION) => {}
            Some(other) => {
                return Err(error(
                    400,
                    "InvalidApiVersionParameter",
                    format!("The api-version '{other}' is invalid."),
                ))
            }
        }
        let page = match param(&pairs, "%24skiptoken") {
            None => 0,
            Some(token) => (1..=self.groups + PAGE_SIZES.len() as u32)
                .find(|k| skiptoken(*k) == token)
                .ok_or_else(|| error(400, "InvalidSkipToken", "The provided skip token is not valid."))?,
        };
        let start = page_start(page).min(self.groups);
        let end = page_start(page + 1).min(self.groups);
        let value: Vec<Value> = (start..end)
            .map(|p| {
                let name = format!("rg-{p:05}");
                json!({"id": format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{name}"), "name": name,
                    "location": "westeurope", "properties": {"provisioningState": "Succeeded"}})
            })
            .collect();
        let mut body = json!({"value": value});
        if end < self.groups {
            body["nextLink"] = Value::String(next_link(page + 1));
        }
        Ok(body)
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(429, "TooManyRequests", "The request is being throttled.")
    }
}

pub struct Azure;

impl Api for Azure {
    type Req = ListResourceGroups;
    type Resp = ResourceGroupListResult;
    type Error = CloudError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Subscription { groups: n })
    }

    fn request(_: u32) -> ListResourceGroups {
        ListResourceGroups {
            api_version: API_VERSION.to_owned(),
            filter: None,
            next_link: None,
        }
    }

    fn position(group: &ResourceGroup) -> u32 {
        group.name[3..].parse().expect("a resource group name")
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    /// No page size: ARM chooses it.
    #[test]
    fn every_resource_group_exactly_once(s in harness::scenario(None)) {
        harness::exactly_once::<Azure>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Azure>(40, None);
    harness::full_result_lists_everything::<Azure>(23, None, |r| r.value.iter().map(Azure::position).collect());
}

#[test]
fn the_server_refuses_what_arm_refuses() {
    let refused = |request: Value| harness::answer::<Azure>(20, request).expect_err("refused");
    assert_eq!(refused(json!({})).body["error"]["code"], "MissingApiVersionParameter");
    assert_eq!(
        refused(json!({"api-version": "2099-01-01"})).body["error"]["code"],
        "InvalidApiVersionParameter"
    );
    let forged = format!("{BASE}?api-version={API_VERSION}&%24skiptoken=forged");
    assert_eq!(refused(json!({"nextLink": forged})).status, 400);
    // An empty page with a next link: the listing goes on.
    let second = harness::answer::<Azure>(20, json!({"nextLink": next_link(1)})).expect("a page");
    assert_eq!(
        (second["value"].as_array().map(Vec::len), second["nextLink"].as_str()),
        (Some(0), Some(next_link(2).as_str()))
    );
}
