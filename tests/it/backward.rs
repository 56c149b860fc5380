//! Backward paging: the cursor is taken from the page's first item, not its
//! last. Stripe's `ending_before` (fed by `data[0].id`, `has_more`) and a
//! GraphQL Relay connection read with `last`/`before` (fed by
//! `edges[0].cursor`, `pageInfo.hasPreviousPage`). Items come in the order
//! the API returns them, page after page.

use paginate::{Paginated, PaginationConfig, Paginator};
use serde::{Deserialize, Serialize};

/// Stripe's list order: newest first. `ending_before = id` lists the
/// objects before `id` in it (the newer ones), in the same order.
fn stripe_ids() -> Vec<String> {
    (1..=20).rev().map(|n| format!("ch_{n:02}")).collect()
}

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = Charges)]
struct ListCharges {
    #[paginated(input_token)]
    ending_before: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    limit: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Paginated)]
#[paginated(nested)]
struct Charge {
    id: String,
}

#[derive(Debug, Default, Serialize, Deserialize, Paginated)]
#[paginated(output_token(path = "data[0].id", feeds = ending_before))]
struct Charges {
    #[paginated(result_key)]
    data: Vec<Charge>,
    #[paginated(more_results)]
    has_more: bool,
}

fn stripe(request: ListCharges) -> Result<Charges, String> {
    let ids = stripe_ids();
    let limit = request.limit.unwrap_or(10) as usize;
    if !(1..=100).contains(&limit) {
        return Err(format!("limit {limit} is out of range"));
    }
    let end = match request.ending_before.as_deref() {
        None => return Err("this endpoint is read backwards: ending_before is required".into()),
        Some(id) => ids
            .iter()
            .position(|c| c == id)
            .ok_or(format!("no such charge: {id}"))?,
    };
    let start = end.saturating_sub(limit);
    Ok(Charges {
        data: ids[start..end].iter().map(|id| Charge { id: id.clone() }).collect(),
        has_more: start > 0,
    })
}

type Stripe = fn(ListCharges) -> Result<Charges, String>;

fn from(cursor: &str) -> ListCharges {
    ListCharges {
        ending_before: Some(cursor.into()),
        limit: None,
    }
}

/// What reading backwards from `ch_05` yields: page by page towards the
/// newest, each page in the API's order.
fn expected_stripe(page: usize) -> Vec<String> {
    let ids = stripe_ids();
    let end = ids.iter().position(|c| c == "ch_05").expect("in the list");
    let mut out = Vec::new();
    let mut end = end;
    while end > 0 {
        let start = end.saturating_sub(page);
        out.extend(ids[start..end].iter().cloned());
        end = start;
    }
    out
}

fn charge_ids(items: impl Iterator<Item = Result<Charge, paginate::Error<String>>>) -> Vec<String> {
    items.map(|c| c.expect("no error").id).collect()
}

#[test]
fn stripe_ending_before_reads_towards_the_newest() {
    for page_size in [1, 3, 7, 15, 100] {
        let config = PaginationConfig::default().with_page_size(page_size);
        let got = charge_ids(Paginator::new(stripe as Stripe).paginate(from("ch_05"), config).items());
        assert_eq!(got, expected_stripe(page_size as usize), "page size {page_size}");
        assert_eq!(got.len(), 15);
    }
}

#[test]
fn stripe_backwards_max_items_and_a_resume_token_at_every_item() {
    for page_size in [2, 4] {
        let all = expected_stripe(page_size as usize);
        for max_items in 1..=all.len() as u64 {
            let config = PaginationConfig::default()
                .with_page_size(page_size)
                .with_max_items(max_items);
            let mut items = Paginator::new(stripe as Stripe).paginate(from("ch_05"), config).items();
            let mut got = Vec::new();
            while let Some(charge) = items.next() {
                got.push(charge.expect("no error").id);
                let Some(token) = items.resume_token() else {
                    assert_eq!(got, all, "no token before the end");
                    continue;
                };
                // Resumed from a request without a cursor of its own: the
                // token carries it, even when cut on the first page.
                let resumed = PaginationConfig::default()
                    .with_page_size(page_size)
                    .with_starting_token(token);
                let rest = charge_ids(
                    Paginator::new(stripe as Stripe)
                        .paginate(ListCharges::default(), resumed)
                        .items(),
                );
                let whole: Vec<String> = got.iter().cloned().chain(rest).collect();
                assert_eq!(
                    whole,
                    all,
                    "page size {page_size}, max items {max_items}, at {}",
                    got.len()
                );
            }
            assert_eq!(got, all[..max_items as usize]);
        }
    }
}

#[test]
fn stripe_backwards_full_result() {
    let config = PaginationConfig::default().with_page_size(3).with_max_items(5);
    let full = Paginator::new(stripe as Stripe)
        .paginate(from("ch_05"), config)
        .full_result()
        .expect("no error");
    let ids: Vec<&str> = full.result.data.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ch_08", "ch_07", "ch_06", "ch_11", "ch_10"]);
    let rest = Paginator::new(stripe as Stripe)
        .paginate(
            ListCharges::default(),
            PaginationConfig::default()
                .with_page_size(3)
                .with_starting_token(full.resume_token.expect("charges are left")),
        )
        .full_result()
        .expect("no error");
    let ids: Vec<&str> = rest.result.data.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids[..4], ["ch_09", "ch_14", "ch_13", "ch_12"]);
    assert_eq!(ids.len(), 10);
    assert_eq!(rest.resume_token, None);
}

#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = Connection)]
struct LastBefore {
    #[paginated(limit_key, min = 1, max = 100)]
    last: Option<u32>,
    #[paginated(input_token)]
    before: Option<String>,
}

/// A Relay connection: edges in forward order, each with its cursor.
#[derive(Debug, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(
    result_key(path = "edges"),
    output_token(path = "edges[0].cursor", feeds = before),
    more_results(path = "page_info.has_previous_page")
)]
struct Connection {
    edges: Vec<Edge>,
    page_info: PageInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Paginated)]
#[paginated(nested)]
struct Edge {
    cursor: String,
    node: u32,
}

#[derive(Debug, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(nested)]
struct PageInfo {
    has_previous_page: bool,
    start_cursor: Option<String>,
}

const NODES: u32 = 23;

/// `last: n, before: c`: the `n` edges just before cursor `c` (before the
/// end without one), in forward order. Cursors are opaque to the client.
fn relay(request: LastBefore) -> Result<Connection, String> {
    let last = request.last.ok_or("`last` is required when paginating backwards")?;
    if !(1..=100).contains(&last) {
        return Err(format!("last: {last} is out of range"));
    }
    let end = match request.before.as_deref() {
        None => NODES,
        Some(cursor) => cursor
            .strip_prefix("Y3Vyc29y:")
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n < NODES)
            .ok_or(format!("invalid cursor {cursor}"))?,
    };
    let start = end.saturating_sub(last);
    let edges: Vec<Edge> = (start..end)
        .map(|n| Edge {
            cursor: format!("Y3Vyc29y:{n}"),
            node: n,
        })
        .collect();
    Ok(Connection {
        page_info: PageInfo {
            has_previous_page: start > 0,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
        },
        edges,
    })
}

type Relay = fn(LastBefore) -> Result<Connection, String>;

fn expected_relay(page: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut end = NODES;
    while end > 0 {
        let start = end.saturating_sub(page);
        out.extend(start..end);
        end = start;
    }
    out
}

#[test]
fn relay_last_before_reads_from_the_end() {
    for page_size in [1, 5, 10, 23, 100] {
        let nodes: Vec<u32> = Paginator::new(relay as Relay)
            .paginate(
                LastBefore::default(),
                PaginationConfig::default().with_page_size(page_size),
            )
            .items()
            .map(|e| e.expect("no error").node)
            .collect();
        assert_eq!(nodes, expected_relay(page_size as u32), "page size {page_size}");
    }
}

#[test]
fn relay_backwards_max_items_and_a_resume_token_at_every_item() {
    let all = expected_relay(5);
    for max_items in [1, 4, 5, 6, 12, 22, 23] {
        let config = PaginationConfig::default().with_page_size(5).with_max_items(max_items);
        let mut items = Paginator::new(relay as Relay)
            .paginate(LastBefore::default(), config)
            .items();
        let mut got = Vec::new();
        while let Some(edge) = items.next() {
            got.push(edge.expect("no error").node);
            let Some(token) = items.resume_token() else {
                assert_eq!(got, all);
                continue;
            };
            let resumed = PaginationConfig::default().with_page_size(5).with_starting_token(token);
            let rest = Paginator::new(relay as Relay)
                .paginate(LastBefore::default(), resumed)
                .items()
                .map(|e| e.expect("no error").node);
            let whole: Vec<u32> = got.iter().copied().chain(rest).collect();
            assert_eq!(whole, all, "max items {max_items}, at {}", got.len());
        }
        assert_eq!(got, all[..max_items as usize]);
    }
}

#[test]
fn relay_describe_says_first_element() {
    use paginate::PaginatedRequest as _;
    let described = LastBefore::describe();
    assert_eq!(described.input_tokens, ["before"]);
    assert_eq!(described.output_tokens, ["edges[0].cursor"]);
    assert_eq!(described.more_results.as_deref(), Some("pageInfo.hasPreviousPage"));
}
