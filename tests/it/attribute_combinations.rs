//! Combinations of the derive's attributes that compile, listed through at
//! run time against botocore's behaviour: two tokens of which a page gives
//! only one, a CloudFront-shaped listing (a string limit key with a range,
//! roles behind `Option` layers the service leaves out), a limit key too
//! small for the `PageSize`, wire names that JSON must escape, and a request
//! that borrows.

use std::cell::RefCell;

use paginate::{ConfigError, Error, Listing, ListingError, Paginated, PaginatedRequest, PaginationConfig};
use serde::{Deserialize, Serialize};

use crate::support::token_text;

/// S3 `ListObjectVersions`: two tokens, each fed by its own output token.
#[derive(Clone, Debug, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = Versions)]
struct ListVersions {
    #[paginated(input_token)]
    key_marker: Option<String>,
    #[paginated(input_token)]
    version_id_marker: Option<String>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
struct Versions {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = key_marker)]
    next_key_marker: Option<String>,
    #[paginated(output_token = version_id_marker)]
    next_version_id_marker: Option<String>,
}

/// Pages `[1, 2]`, `[3, 4]`, `[5, 6]`; the second gives no version marker,
/// the third an empty one and no key marker. Refuses any other token pair.
fn versions(request: &ListVersions) -> Result<Versions, String> {
    let markers = |key: Option<&str>, version: Option<&str>| (key.map(Into::into), version.map(Into::into));
    let (items, (next_key_marker, next_version_id_marker)) =
        match (request.key_marker.as_deref(), request.version_id_marker.as_deref()) {
            (None, None) => (vec![1, 2], markers(Some("k1"), Some("v1"))),
            (Some("k1"), Some("v1")) => (vec![3, 4], markers(Some("k2"), None)),
            (Some("k2"), None) => (vec![5, 6], markers(None, Some(""))),
            other => return Err(format!("unexpected markers {other:?}")),
        };
    Ok(Versions {
        items,
        next_key_marker,
        next_version_id_marker,
    })
}

#[test]
fn a_token_a_page_leaves_out_is_not_sent_again() {
    let sent = RefCell::new(Vec::new());
    let client = |request: ListVersions| {
        sent.borrow_mut()
            .push((request.key_marker.clone(), request.version_id_marker.clone()));
        versions(&request)
    };
    let items: Vec<u32> = Listing::new(client, ListVersions::default(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .expect("items");
    assert_eq!(items, [1, 2, 3, 4, 5, 6]);
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        *sent.borrow(),
        [(None, None), (some("k1"), some("v1")), (some("k2"), None)],
        "botocore deletes a token the page did not give from the next request"
    );
}

#[test]
fn two_tokens_resume_at_every_item_with_nulls_where_a_page_gave_none() {
    let client = |request: ListVersions| versions(&request);
    let expected = [
        r#"{"KeyMarker": null, "VersionIdMarker": null, "boto_truncate_amount": 1}"#,
        r#"{"KeyMarker": "k1", "VersionIdMarker": "v1"}"#,
        r#"{"KeyMarker": "k1", "VersionIdMarker": "v1", "boto_truncate_amount": 1}"#,
        r#"{"KeyMarker": "k2", "VersionIdMarker": null}"#,
        r#"{"KeyMarker": "k2", "VersionIdMarker": null, "boto_truncate_amount": 1}"#,
    ];
    for (max_items, text) in (1..).zip(expected) {
        let config = PaginationConfig::default().with_max_items(max_items);
        let mut items = Listing::new(client, ListVersions::default(), config).items();
        let first: Vec<u32> = items.by_ref().collect::<Result<_, _>>().expect("items");
        let token = items.resume_token().expect("items are left");
        assert_eq!(token_text(&token), text, "MaxItems {max_items}");
        let rest: Vec<u32> = Listing::new(
            client,
            ListVersions::default(),
            PaginationConfig::default().with_starting_token(token),
        )
        .items()
        .collect::<Result<_, _>>()
        .expect("the rest");
        assert_eq!([first, rest].concat(), [1, 2, 3, 4, 5, 6], "MaxItems {max_items}");
    }
}

/// CloudFront `ListDistributions`: `MaxItems` is a string, and the list,
/// its marker and its flag sit in a `DistributionList` the service may leave out.
#[derive(Clone, Debug, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = Distributions)]
struct ListDistributions {
    #[paginated(input_token)]
    marker: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    max_items: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
struct DistributionList {
    items: Option<Vec<u32>>,
    next_marker: Option<String>,
    is_truncated: Option<bool>,
    quantity: u32,
}

#[derive(Debug, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(result_key(path = "distribution_list.items"))]
#[paginated(output_token(path = "distribution_list.next_marker", feeds = marker))]
#[paginated(more_results(path = "distribution_list.is_truncated"))]
#[paginated(non_aggregate(path = "distribution_list.quantity"))]
struct Distributions {
    distribution_list: Option<DistributionList>,
}

/// Three pages: items, then a truncated list without items, then no list
/// at all (its marker and flag with it), which ends the listing.
fn distributions(request: &ListDistributions) -> Result<Distributions, String> {
    let list = |items: Option<Vec<u32>>, next: &str, quantity| {
        Some(DistributionList {
            items,
            next_marker: Some(next.into()),
            is_truncated: Some(true),
            quantity,
        })
    };
    let distribution_list = match request.marker.as_deref() {
        None => list(Some(vec![1, 2]), "m1", 2),
        Some("m1") => list(None, "m2", 0),
        Some("m2") => None,
        Some(other) => return Err(format!("unexpected marker {other:?}")),
    };
    Ok(Distributions { distribution_list })
}

#[test]
fn a_string_limit_key_is_sent_as_text_and_refused_outside_its_range_before_any_request() {
    let sent = RefCell::new(Vec::new());
    let client = |request: ListDistributions| {
        sent.borrow_mut().push(request.max_items.clone());
        distributions(&request)
    };
    for page_size in [0, 101] {
        let config = PaginationConfig::default().with_page_size(page_size);
        let first = Listing::new(client, ListDistributions::default(), config)
            .items()
            .next();
        match first {
            Some(Err(Error::Listing(ListingError::Config(ConfigError::PageSizeOutOfRange {
                page_size: refused,
                limit_key: "MaxItems",
                range,
            })))) => assert_eq!((refused, range.as_str()), (page_size, "1..=100")),
            other => panic!("PageSize {page_size}: {other:?}"),
        }
    }
    assert!(sent.borrow().is_empty(), "no request is sent: {:?}", sent.borrow());
    let config = PaginationConfig::default().with_page_size(100);
    let full = Listing::new(client, ListDistributions::default(), config)
        .full_result()
        .expect("full result");
    assert_eq!(
        *sent.borrow(),
        [Some("100".to_string()), Some("100".into()), Some("100".into())]
    );
    assert_eq!(full.resume_token, None);
    let list = full.result.distribution_list.expect("the first page's list");
    assert_eq!(list.items, Some(vec![1, 2]));
    assert_eq!(list.quantity, 2, "the non-aggregate key is the first page's");
}

#[test]
fn roles_behind_an_absent_struct_read_as_absent() {
    let client = |request: ListDistributions| distributions(&request);
    for max_items in 1..=2 {
        let config = PaginationConfig::default().with_max_items(max_items);
        let mut items = Listing::new(client, ListDistributions::default(), config).items();
        let first: Vec<u32> = items.by_ref().collect::<Result<_, _>>().expect("items");
        let token = items.resume_token().expect("pages are left");
        let rest: Vec<u32> = Listing::new(
            client,
            ListDistributions::default(),
            PaginationConfig::default().with_starting_token(token),
        )
        .items()
        .collect::<Result<_, _>>()
        .expect("the rest");
        assert_eq!([first, rest].concat(), [1, 2], "MaxItems {max_items}");
    }
    let described = ListDistributions::describe();
    assert_eq!(described.input_tokens, ["Marker"]);
    assert_eq!(described.output_tokens, ["DistributionList.NextMarker"]);
    assert_eq!(described.more_results.as_deref(), Some("DistributionList.IsTruncated"));
    assert_eq!(described.non_aggregate_keys, ["DistributionList.Quantity"]);
}

/// A request whose limit key is a `u8`, whose token's wire name JSON must
/// escape, and which borrows its other field.
#[derive(Clone, Debug, Serialize, Paginated)]
#[paginated(response = Escaped)]
struct ListEscaped<'a> {
    bucket: &'a str,
    #[paginated(input_token)]
    #[serde(rename = "Ñext\"To\\ken")]
    next: Option<String>,
    #[paginated(limit_key)]
    limit: u8,
}

#[derive(Debug, Deserialize, Paginated)]
struct Escaped {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token)]
    next: Option<String>,
}

fn escaped(request: &ListEscaped<'_>) -> Result<Escaped, String> {
    Ok(match (request.bucket, request.next.as_deref()) {
        ("b", None) => Escaped {
            items: vec![1, 2],
            next: Some("é\"x".into()),
        },
        ("b", Some("é\"x")) => Escaped {
            items: vec![3],
            next: None,
        },
        other => return Err(format!("unexpected request {other:?}")),
    })
}

#[test]
fn a_page_size_beyond_a_u8_limit_key_sends_no_request() {
    let bucket = String::from("b");
    let calls = RefCell::new(0);
    let client = |request: ListEscaped<'_>| {
        *calls.borrow_mut() += 1;
        escaped(&request)
    };
    let request = ListEscaped {
        bucket: &bucket,
        next: None,
        limit: 0,
    };
    let config = PaginationConfig::default().with_page_size(256);
    match Listing::new(client, request.clone(), config).pages().next() {
        Some(Err(Error::Listing(ListingError::Config(ConfigError::PageSizeOutOfRange {
            page_size: 256,
            limit_key: "limit",
            ..
        })))) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(*calls.borrow(), 0);
    let all: Vec<u32> = Listing::new(client, request, PaginationConfig::default().with_page_size(255))
        .items()
        .collect::<Result<_, _>>()
        .expect("items");
    assert_eq!(all, [1, 2, 3]);
}

#[test]
fn escaped_wire_names_are_written_as_python_does_and_read_back() {
    let bucket = String::from("b");
    let client = |request: ListEscaped<'_>| escaped(&request);
    let request = ListEscaped {
        bucket: &bucket,
        next: None,
        limit: 0,
    };
    let mut items = Listing::new(client, request.clone(), PaginationConfig::default().with_max_items(2)).items();
    let first: Vec<u32> = items.by_ref().collect::<Result<_, _>>().expect("items");
    let token = items.resume_token().expect("items are left");
    // json.dumps({'Ñext"To\\ken': 'é"x'})
    assert_eq!(token_text(&token), r#"{"\u00d1ext\"To\\ken": "\u00e9\"x"}"#);
    let rest: Vec<u32> = Listing::new(client, request, PaginationConfig::default().with_starting_token(token))
        .items()
        .collect::<Result<_, _>>()
        .expect("the rest");
    assert_eq!([first, rest].concat(), [1, 2, 3]);
}
