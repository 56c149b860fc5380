//! Fields named with Rust keywords: Kubernetes lists are paged by
//! `metadata.continue` (the response) and the `continue` query parameter (the
//! request), which Rust spells `r#continue`. A path names such a field as
//! `metadata.r#continue` or `metadata.continue`; its wire name is serde's
//! (`continue`), in the resume token as on the wire.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use paginate::{Listing, Paginated, PaginatedRequest, PaginationConfig};
use serde::{Deserialize, Serialize};

const PODS: u32 = 5;

/// `ListOptions`: `continue` and `limit`, both empty (`""`, `0`) when unset.
#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = PodList)]
struct ListPods {
    #[paginated(input_token)]
    r#continue: String,
    #[paginated(limit_key)]
    limit: i64,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
struct ListMeta {
    #[serde(default)]
    r#continue: Option<String>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(output_token(path = "metadata.r#continue", feeds = r#continue))]
struct PodList {
    metadata: ListMeta,
    #[paginated(result_key)]
    items: Vec<u32>,
}

/// The same list, its path and `feeds` written without `r#`.
#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = PlainPodList)]
struct ListPodsPlain {
    #[paginated(input_token)]
    r#continue: String,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(output_token(path = "metadata.continue", feeds = continue))]
struct PlainPodList {
    metadata: ListMeta,
    #[paginated(result_key)]
    items: Vec<u32>,
}

/// Pods `0..PODS`, `limit` to a page (2 when unset); `continue` is the next offset.
fn page(token: &str, limit: i64) -> Result<(Vec<u32>, Option<String>), String> {
    let start: u32 = match token {
        "" => 0,
        token => token.parse().map_err(|_| format!("bad continue {token:?}"))?,
    };
    let limit = if limit > 0 { limit as u32 } else { 2 };
    let end = (start + limit).min(PODS);
    Ok(((start..end).collect(), (end < PODS).then(|| end.to_string())))
}

fn list_pods(request: ListPods) -> Result<PodList, String> {
    let (items, r#continue) = page(&request.r#continue, request.limit)?;
    Ok(PodList {
        metadata: ListMeta { r#continue },
        items,
    })
}

fn list_pods_plain(request: ListPodsPlain) -> Result<PlainPodList, String> {
    let (items, r#continue) = page(&request.r#continue, 0)?;
    Ok(PlainPodList {
        metadata: ListMeta { r#continue },
        items,
    })
}

#[test]
fn a_raw_path_segment_reaches_the_field() {
    let pods: Vec<u32> = Listing::new(list_pods, ListPods::default(), PaginationConfig::default())
        .items()
        .take(PODS as usize + 1)
        .collect::<Result<_, _>>()
        .expect("pods");
    assert_eq!(pods, (0..PODS).collect::<Vec<_>>());
    let described = ListPods::describe();
    assert_eq!(described.input_tokens, ["continue"]);
    assert_eq!(described.output_tokens, ["metadata.continue"]);
    assert_eq!(described.limit_key.map(|k| k.name), Some("limit"));
}

#[test]
fn a_keyword_path_segment_is_the_raw_field() {
    let pods: Vec<u32> = Listing::new(list_pods_plain, ListPodsPlain::default(), PaginationConfig::default())
        .items()
        .take(PODS as usize + 1)
        .collect::<Result<_, _>>()
        .expect("pods");
    assert_eq!(pods, (0..PODS).collect::<Vec<_>>());
    assert_eq!(ListPodsPlain::describe().output_tokens, ["metadata.continue"]);
}

#[test]
fn a_resume_token_names_the_wire_field() {
    let mut items = Listing::new(
        list_pods,
        ListPods::default(),
        PaginationConfig::default().with_page_size(2),
    )
    .items();
    let first: Vec<u32> = items.by_ref().take(3).collect::<Result<_, _>>().expect("pods");
    let token = items.resume_token().expect("pods remain");
    let text = String::from_utf8(STANDARD.decode(&token).expect("base64")).expect("utf-8");
    assert_eq!(text, r#"{"continue": "2", "boto_truncate_amount": 1}"#);
    let rest: Vec<u32> = Listing::new(
        list_pods,
        ListPods::default(),
        PaginationConfig::default().with_page_size(2).with_starting_token(token),
    )
    .items()
    .take(PODS as usize + 1)
    .collect::<Result<_, _>>()
    .expect("pods");
    assert_eq!([first, rest].concat(), (0..PODS).collect::<Vec<_>>());
}
