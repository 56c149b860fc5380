//! `#[derive(Paginated)]` must expand to absolute paths only: user items named
//! like prelude items (`Result`, `Ok`, `Option`, `Some`, `None`, `Vec`,
//! `Default`, ...) or like primitive types must not change what it means.

mod shadowed {
    #![allow(dead_code, non_camel_case_types)]

    struct Result;
    struct Ok;
    struct Err;
    struct Option;
    struct Some;
    struct None;
    struct Vec;
    struct Default;
    struct String;
    struct Box;
    struct Value;
    struct usize;
    struct u64;
    struct bool;
    struct str;

    #[derive(Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::paginate::Paginated)]
    #[paginated(response = ListObjectVersionsResponse)]
    pub struct ListObjectVersionsRequest {
        pub bucket: ::std::string::String,
        #[paginated(input_token)]
        pub key_marker: ::core::option::Option<::std::string::String>,
        #[paginated(input_token)]
        pub version_id_marker: ::core::option::Option<::std::string::String>,
        #[paginated(limit_key, min = 1, max = 1000)]
        pub max_keys: ::core::option::Option<::core::primitive::i32>,
    }

    #[derive(::core::fmt::Debug, ::core::cmp::PartialEq, ::paginate::Paginated)]
    pub struct ListObjectVersionsResponse {
        #[paginated(more_results)]
        pub is_truncated: ::core::option::Option<::core::primitive::bool>,
        #[paginated(last_page)]
        pub is_last: ::core::primitive::bool,
        #[paginated(result_key)]
        pub versions: ::core::option::Option<::std::vec::Vec<::std::string::String>>,
        #[paginated(result_key)]
        pub delete_markers: ::std::vec::Vec<::std::string::String>,
        #[paginated(result_key)]
        pub key_count: ::core::option::Option<::core::primitive::u64>,
        #[paginated(output_token = key_marker)]
        pub next_key_marker: ::core::option::Option<::std::string::String>,
        #[paginated(output_token = version_id_marker)]
        pub next_version_id_marker: ::core::option::Option<::std::string::String>,
        #[paginated(non_aggregate)]
        pub prefix: ::core::option::Option<::std::string::String>,
        pub request_id: ::std::string::String,
    }

    /// A bucket whose listing is three pages long, whatever the page size.
    pub fn page(
        request: &ListObjectVersionsRequest,
    ) -> ::core::result::Result<ListObjectVersionsResponse, ::std::string::String> {
        let owned = |items: &[&::core::primitive::str]| -> ::std::vec::Vec<::std::string::String> {
            items.iter().map(::std::string::ToString::to_string).collect()
        };
        let text = |s: &::core::primitive::str| ::core::option::Option::Some(::std::string::ToString::to_string(s));
        let (versions, delete_markers, next) =
            match (request.key_marker.as_deref(), request.version_id_marker.as_deref()) {
                (::core::option::Option::None, ::core::option::Option::None) => {
                    (owned(&["a", "b"]), owned(&["x"]), ("b", "v1"))
                }
                (::core::option::Option::Some("b"), ::core::option::Option::Some("v1")) => {
                    (owned(&["c"]), owned(&[]), ("c", "v2"))
                }
                (::core::option::Option::Some("c"), ::core::option::Option::Some("v2")) => {
                    (owned(&["d"]), owned(&["y"]), ("", ""))
                }
                other => return ::core::result::Result::Err(::std::format!("unexpected markers {other:?}")),
            };
        let last = next.0.is_empty();
        ::core::result::Result::Ok(ListObjectVersionsResponse {
            is_truncated: ::core::option::Option::Some(!last),
            key_count: ::core::option::Option::Some(versions.len() as ::core::primitive::u64),
            versions: ::core::option::Option::Some(versions),
            delete_markers,
            next_key_marker: if last {
                ::core::option::Option::None
            } else {
                text(next.0)
            },
            next_version_id_marker: if last {
                ::core::option::Option::None
            } else {
                text(next.1)
            },
            prefix: text("photos/"),
            is_last: last,
            request_id: ::std::format!("req-{}", request.key_marker.as_deref().unwrap_or("first")),
        })
    }
}

use paginate::{Listing, PaginatedRequest, PaginationConfig};
use shadowed::{ListObjectVersionsRequest, ListObjectVersionsResponse};

fn request() -> ListObjectVersionsRequest {
    ListObjectVersionsRequest {
        bucket: "photos".into(),
        key_marker: None,
        version_id_marker: None,
        max_keys: None,
    }
}

#[test]
fn metadata_is_derived() {
    let described = ListObjectVersionsRequest::describe();
    assert_eq!(described.input_tokens, ["key_marker", "version_id_marker"]);
    let limit = described.limit_key.expect("limit key");
    assert_eq!((limit.name, limit.min, limit.max), ("max_keys", Some(1), Some(1000)));
    assert_eq!(described.output_tokens, ["next_key_marker", "next_version_id_marker"]);
    assert_eq!(described.result_keys, ["versions", "delete_markers", "key_count"]);
    assert_eq!(described.more_results.as_deref(), Some("is_truncated"));
    assert_eq!(described.last_page.as_deref(), Some("is_last"));
    assert_eq!(described.non_aggregate_keys, ["prefix"]);
}

#[test]
fn items_follow_the_tokens() {
    let mut sent = Vec::new();
    let client = |req: ListObjectVersionsRequest| {
        sent.push(req.clone());
        shadowed::page(&req)
    };
    let config = PaginationConfig::default().with_page_size(2);
    let items: Vec<String> = Listing::new(client, request(), config)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d"]);
    let markers: Vec<_> = sent
        .iter()
        .map(|r| (r.key_marker.as_deref(), r.version_id_marker.as_deref(), r.max_keys))
        .collect();
    assert_eq!(
        markers,
        [
            (None, None, Some(2)),
            (Some("b"), Some("v1"), Some(2)),
            (Some("c"), Some("v2"), Some(2))
        ]
    );
}

#[test]
fn items_stop_at_max_items_with_a_resume_token() {
    let client = |req: ListObjectVersionsRequest| shadowed::page(&req);
    let config = PaginationConfig::default().with_max_items(3);
    let mut items = Listing::new(client, request(), config).items();
    let first: Vec<String> = items.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(first, ["a", "b", "c"]);
    let token = items.resume_token().expect("one item is left");
    let rest = Listing::new(
        client,
        request(),
        PaginationConfig::default().with_starting_token(token),
    );
    let rest: Vec<String> = rest.items().collect::<Result<_, _>>().unwrap();
    assert_eq!(rest, ["d"]);
}

#[test]
fn full_result_aggregates_every_key() {
    let client = |req: ListObjectVersionsRequest| shadowed::page(&req);
    let full = Listing::new(client, request(), PaginationConfig::default())
        .full_result()
        .unwrap();
    assert_eq!(full.resume_token, None);
    assert_eq!(
        full.result,
        ListObjectVersionsResponse {
            // Result keys are aggregated: lists concatenated, numbers summed.
            versions: Some(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
            delete_markers: vec!["x".into(), "y".into()],
            key_count: Some(4),
            // Non-aggregate keys come from the first page.
            prefix: Some("photos/".into()),
            // Everything else is left at its default.
            is_truncated: None,
            is_last: false,
            next_key_marker: None,
            next_version_id_marker: None,
            request_id: String::new(),
        }
    );
}

/// The same for tokens inside nested request structs and computed tokens.
mod shadowed_paths {
    #![allow(dead_code, non_camel_case_types)]

    struct Result;
    struct Ok;
    struct Option;
    struct Some;
    struct None;
    struct Default;
    struct String;
    struct u8;
    struct u64;
    struct usize;
    struct str;

    #[derive(Clone, ::paginate::Paginated)]
    #[paginated(
        response = Page,
        input_token(path = "variables.after"),
        limit_key(path = "variables.first", max = 10),
        output_token(with = next_after, feeds = "variables.after")
    )]
    pub struct Query {
        pub variables: ::core::option::Option<Variables>,
    }

    #[derive(Clone, ::core::default::Default, ::paginate::Paginated)]
    #[paginated(nested)]
    pub struct Variables {
        pub first: ::core::primitive::u32,
        pub after: ::core::option::Option<::core::primitive::u32>,
    }

    #[derive(::paginate::Paginated)]
    pub struct Page {
        #[paginated(result_key)]
        pub rows: ::std::vec::Vec<::core::primitive::u32>,
    }

    fn next_after(_: &Query, page: &Page) -> ::core::option::Option<::core::primitive::u32> {
        page.rows.last().copied().filter(|last| *last < 5)
    }
}

#[test]
fn request_paths_and_computed_tokens_page() {
    use shadowed_paths::{Page, Query};
    let client = |q: Query| -> Result<Page, String> {
        let v = q.variables.expect("created by the page size");
        let start = v.after.unwrap_or(0);
        Ok(Page {
            rows: (start + 1..=start + v.first).collect(),
        })
    };
    let config = PaginationConfig::default().with_page_size(2);
    let rows: Vec<u32> = Listing::new(client, Query { variables: None }, config)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, [1, 2, 3, 4, 5, 6]);
    assert_eq!(Query::describe().limit_key.map(|k| k.name), Some("variables.first"));
}
