//! The full result's JSON document: botocore's `build_full_result()` output.

use paginate::{Listing, Paginated, PaginationConfig};
use serde::Serialize;

#[derive(Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = Resp)]
struct Req {
    #[paginated(input_token)]
    next_token: Option<String>,
}

/// The output token is a plain field that serializes even when absent.
#[derive(Debug, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
struct Resp {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token)]
    next_token: Option<String>,
    #[paginated(non_aggregate)]
    region: Option<String>,
}

fn service(req: Req) -> Result<Resp, String> {
    Ok(match req.next_token.as_deref() {
        None => Resp {
            items: vec![1, 2],
            next_token: Some("p2".into()),
            region: Some("eu".into()),
        },
        Some(_) => Resp {
            items: vec![3],
            next_token: None,
            region: None,
        },
    })
}

/// Before: `{"Items":[1],"NextToken":null,"Region":"eu","NextToken":"eyJ..."}`,
/// a document with the key twice (the response's own field, flattened, and the
/// resume token).
#[test]
fn next_token_appears_once() {
    let full = Listing::new(service, Req::default(), PaginationConfig::default().with_max_items(1))
        .full_result()
        .expect("lists");
    let text = serde_json::to_string(&full).expect("serializes");
    assert_eq!(text.matches("\"NextToken\"").count(), 1, "{text}");
    let token = full.resume_token.as_deref().expect("MaxItems stopped the listing");
    assert_eq!(text, format!(r#"{{"Items":[1],"Region":"eu","NextToken":"{token}"}}"#));
}

#[test]
fn a_complete_listing_has_no_next_token() {
    let full = Listing::new(service, Req::default(), PaginationConfig::default())
        .full_result()
        .expect("lists");
    assert_eq!(
        serde_json::to_string(&full).expect("serializes"),
        r#"{"Items":[1,2,3],"Region":"eu"}"#
    );
}
