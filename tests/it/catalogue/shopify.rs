//! Shopify REST Admin API `GET /admin/api/2024-01/products.json`: cursors
//! (`page_info`) inside the `Link` header's URLs (feature `link`).
//!
//! The server enforces Shopify's documented rules: `limit` is 1 to 250
//! (default 50); the first request carries the filters (`status` here) and
//! `fields`; a page with more after it has a `Link` header with a
//! `rel="next"` URL holding `page_info` (an opaque cursor that carries the
//! filters, to be used exactly as it appears), `limit` and `fields`, and a
//! page after the first a `rel="previous"` one; a single page has no
//! header. A request with `page_info` may carry only `limit` and `fields`:
//! any other parameter, a filter included, is refused with 400. A page is
//! `{"products": [...]}`; errors come as `{"errors": ...}` (400, and 429
//! when the call rate is exceeded).
//!
//! The model is GitHub's (`github_rest.rs`) with an object body: the
//! header's value in a `#[serde(skip)]` field with
//! `#[paginated(output_token = url, link = "next")]`, the client
//! requesting the URL as it is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use paginate::{Listing, Paginated};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::harness::{self, follow, param, Api, Refusal, Server};
use crate::support::config;

const PRODUCTS: &str = "https://paging-shop.myshopify.com/admin/api/2024-01/products.json";

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = Products)]
pub struct ListProducts {
    /// The next page's URL, from the previous page's `Link` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(input_token)]
    pub url: Option<String>,
    pub status: Option<String>,
    pub fields: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 250)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct Products {
    #[paginated(result_key)]
    pub products: Vec<Product>,
    #[serde(skip)]
    #[paginated(output_token = url, link = "next")]
    pub link: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Product {
    pub id: u64,
    pub title: String,
}

#[derive(Debug, Deserialize)]
pub struct ShopifyError {
    pub errors: Value,
}

fn error(status: u16, errors: Value) -> Refusal {
    Refusal::new(status, json!({ "errors": errors }))
}

/// Product `k` of the shop: even ones active, odd ones drafts.
fn product_id(k: u64) -> u64 {
    632_910_392 + k
}

/// The cursor Shopify writes: where the page ends and the filter, opaque.
fn page_info(direction: &str, from: u64, status: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"direction": direction, "last_id": from, "status": status}).to_string())
}

fn read_page_info(text: &str) -> Option<(String, u64, String)> {
    let cursor: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    Some((
        cursor["direction"].as_str()?.to_owned(),
        cursor["last_id"].as_u64()?,
        cursor["status"].as_str()?.to_owned(),
    ))
}

pub struct Shop {
    /// Products `0..2 * active`: `active` of them active.
    active: u64,
}

impl Server for Shop {
    fn handle(&mut self, request: &Value) -> Result<Value, Refusal> {
        let (path, pairs) = follow(request, "url", PRODUCTS).map_err(|e| error(400, json!(e)))?;
        if path != PRODUCTS {
            return Err(error(404, json!("Not Found")));
        }
        let limit = match param(&pairs, "limit") {
            None => 50,
            Some(text) => match text.parse::<u64>() {
                Ok(n @ 1..=250) => n,
                _ => return Err(error(400, json!({"limit": ["must be between 1 and 250"]}))),
            },
        };
        let fields = param(&pairs, "fields").map(str::to_owned);
        let (direction, anchor, status) = match param(&pairs, "page_info") {
            Some(text) => {
                if let Some((name, _)) = pairs
                    .iter()
                    .find(|(name, _)| !["page_info", "limit", "fields"].contains(&name.as_str()))
                {
                    return Err(error(
                        400,
                        json!({"page_info": [format!("{name} cannot be passed with page_info")]}),
                    ));
                }
                read_page_info(text).ok_or_else(|| error(400, json!({"page_info": ["Invalid value."]})))?
            }
            None => {
                if let Some((name, _)) = pairs
                    .iter()
                    .find(|(name, _)| !["status", "limit", "fields"].contains(&name.as_str()))
                {
                    return Err(error(400, json!({ name.as_str(): ["is not a parameter"] })));
                }
                let status = param(&pairs, "status").unwrap_or("any").to_owned();
                ("next".to_owned(), 0, status)
            }
        };
        let matching: Vec<u64> = (0..2 * self.active)
            .filter(|k| match status.as_str() {
                "active" => k % 2 == 0,
                "draft" => k % 2 == 1,
                _ => true,
            })
            .map(product_id)
            .collect();
        let ids: Vec<u64> = match direction.as_str() {
            "next" => matching
                .iter()
                .copied()
                .filter(|id| *id > anchor)
                .take(limit as usize)
                .collect(),
            _ => {
                let before: Vec<u64> = matching.iter().copied().filter(|id| *id < anchor).collect();
                before[before.len().saturating_sub(limit as usize)..].to_vec()
            }
        };
        let link_to = |rel: &str, cursor: String| {
            let mut query = vec![format!("limit={limit}")];
            if let Some(fields) = &fields {
                query.push(format!("fields={fields}"));
            }
            query.push(format!("page_info={cursor}"));
            format!("<{PRODUCTS}?{}>; rel=\"{rel}\"", query.join("&"))
        };
        let mut links = Vec::new();
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            if matching.first() < Some(first) {
                links.push(link_to("previous", page_info("prev", *first, &status)));
            }
            if matching.last() > Some(last) {
                links.push(link_to("next", page_info("next", *last, &status)));
            }
        }
        let products: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "title": format!("Product {id}")}))
            .collect();
        let link = (!links.is_empty()).then(|| links.join(", "));
        Ok(harness::with_link(link, json!({ "products": products })))
    }

    fn transient(&mut self, _: &Value) -> Refusal {
        error(
            429,
            json!("Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."),
        )
    }
}

pub struct Shopify;

impl Api for Shopify {
    type Req = ListProducts;
    type Resp = Products;
    type Error = ShopifyError;

    fn server(n: u32) -> Box<dyn Server> {
        Box::new(Shop { active: u64::from(n) })
    }

    fn request(_: u32) -> ListProducts {
        ListProducts {
            status: Some("active".to_owned()),
            fields: Some("id,title".to_owned()),
            ..ListProducts::default()
        }
    }

    /// The active products are the even ones: their place among them.
    fn position(product: &Product) -> u32 {
        ((product.id - product_id(0)) / 2) as u32
    }

    fn read(page: Value) -> Result<Products, serde_json::Error> {
        harness::read_link(page, |page: &mut Products, link| page.link = link)
    }
}

proptest! {
    #![proptest_config(harness::cases())]

    #[test]
    fn every_active_product_exactly_once(s in harness::scenario(Some(1..=30))) {
        harness::exactly_once::<Shopify>(&s)?;
    }

    /// `page_info` names a product and its URL carries the `limit` it was made
    /// with; a first page's token skips across the pages of another: each run
    /// resumes under another `PageSize`.
    #[test]
    fn every_active_product_exactly_once_whatever_page_size_resumes(s in harness::scenario_resizing(1..=30)) {
        harness::exactly_once::<Shopify>(&s)?;
    }
}

#[test]
fn through_the_item_stream_and_the_full_result() {
    harness::item_stream_lists_everything::<Shopify>(40, Some(6));
    harness::item_stream_lists_everything::<Shopify>(120, None);
    harness::full_result_lists_everything::<Shopify>(23, Some(4), |r| {
        r.products.iter().map(Shopify::position).collect()
    });
}

/// After the first request, the filter travels only inside `page_info`:
/// the URL the listing requests carries no `status`.
#[test]
fn the_next_requests_carry_only_page_info_limit_and_fields() {
    let wire = harness::Wire::<Shopify>::new(7);
    let listing = Listing::new(wire.blocking(), Shopify::request(7), config(Some(3), None, None));
    assert_eq!(listing.items().count(), 7);
    let sent = wire.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].get("url"), None);
    for later in &sent[1..] {
        let url = later["url"].as_str().expect("the next link");
        let (_, pairs) = harness::split_url(url);
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["limit", "fields", "page_info"], "{url}");
    }
}

#[test]
fn the_server_refuses_what_shopify_refuses() {
    harness::refused_page_size_sends_nothing::<Shopify>(0);
    harness::refused_page_size_sends_nothing::<Shopify>(251);
    let refused = |request: Value| harness::answer::<Shopify>(10, request).expect_err("refused");
    assert_eq!(refused(json!({"limit": 251})).status, 400);
    let next = format!(
        "{PRODUCTS}?limit=3&page_info={}",
        page_info("next", product_id(4), "active")
    );
    assert!(harness::answer::<Shopify>(10, json!({ "url": next })).is_ok());
    let filtered = refused(json!({ "url": format!("{next}&status=active") }));
    assert_eq!(filtered.status, 400);
    assert!(filtered.body["errors"]["page_info"][0]
        .as_str()
        .unwrap_or_default()
        .contains("status"));
    assert_eq!(
        refused(json!({ "url": format!("{PRODUCTS}?page_info=bm9wZQ") })).status,
        400
    );
    let single = harness::answer::<Shopify>(3, json!({"status": "active"})).expect("a page");
    assert_eq!(single["link"], Value::Null, "one page: no Link header");
}
