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

/// devops-guru `GetResourceCollection`: the non-aggregate key
/// `ResourceCollection` holds the result keys `ResourceCollection.Tags` and
/// `ResourceCollection.CloudFormation.StackNames`.
mod non_aggregate_holding_result_keys {
    use super::*;

    #[derive(Clone, Default, Serialize, Paginated)]
    #[paginated(response = Resp)]
    struct Req {
        #[paginated(input_token)]
        next_token: Option<String>,
    }

    #[derive(Debug, Serialize, Paginated)]
    #[paginated(
        result_key(path = "collection.stack_names", primary),
        result_key(path = "collection.tags"),
        non_aggregate(path = "collection")
    )]
    struct Resp {
        collection: Option<Collection>,
        #[paginated(output_token)]
        next_token: Option<String>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Paginated)]
    #[paginated(nested)]
    struct Collection {
        name: Option<String>,
        stack_names: Option<Vec<u32>>,
        tags: Option<Vec<char>>,
    }

    fn service(req: Req) -> Result<Resp, String> {
        let page = |name: &str, stacks: Vec<u32>, tags: Option<Vec<char>>, next: Option<&str>| Resp {
            collection: Some(Collection {
                name: Some(name.into()),
                stack_names: Some(stacks),
                tags,
            }),
            next_token: next.map(Into::into),
        };
        Ok(match req.next_token.as_deref() {
            None => page("first", vec![1, 2], None, Some("p2")),
            Some("p2") => page("second", vec![3], Some(vec!['a']), Some("p3")),
            Some(_) => page("third", vec![4, 5], Some(vec!['b']), None),
        })
    }

    /// Before the fix the first page's `collection`, its lists moved out,
    /// overwrote the aggregated lists: `{"name":"first","stack_names":null,...}`.
    #[test]
    fn keeps_the_aggregated_lists_inside_the_first_pages_value() {
        let full = Listing::new(service, Req::default(), PaginationConfig::default())
            .full_result()
            .expect("lists");
        assert_eq!(
            full.result.collection,
            Some(Collection {
                name: Some("first".into()),
                stack_names: Some(vec![1, 2, 3, 4, 5]),
                tags: Some(vec!['a', 'b']),
            })
        );
        let cut = Listing::new(service, Req::default(), PaginationConfig::default().with_max_items(4))
            .full_result()
            .expect("lists");
        let collection = cut.result.collection.expect("first page's collection");
        assert_eq!(collection.stack_names, Some(vec![1, 2, 3, 4]));
        assert_eq!(collection.tags, Some(vec!['a', 'b']));
    }
}

/// A nested non-aggregate key (Kinesis `StreamDescription.StreamStatus`) the
/// first page does not have: botocore's `set_value_from_jmespath` still
/// builds the structs above it, so its full result is
/// `{"Items": [1, 2], "Stream": {"Status": null}}`, whether the page has no
/// `Stream` or one without `Status`.
mod absent_nested_non_aggregate {
    use super::*;

    #[derive(Clone, Default, Serialize, Paginated)]
    #[serde(rename_all = "PascalCase")]
    #[paginated(response = Resp)]
    struct Req {
        #[paginated(input_token)]
        next_token: Option<String>,
    }

    #[derive(Debug, Serialize, Paginated)]
    #[serde(rename_all = "PascalCase")]
    #[paginated(non_aggregate(path = "stream.status"))]
    struct Resp {
        #[paginated(result_key)]
        items: Vec<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stream: Option<Stream>,
        #[paginated(output_token)]
        #[serde(skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Paginated)]
    #[serde(rename_all = "PascalCase")]
    #[paginated(nested)]
    struct Stream {
        status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        other: Option<u32>,
    }

    fn listing(first: Option<Stream>) -> String {
        let mut first = Some(first);
        let service = move |req: Req| -> Result<Resp, String> {
            Ok(match req.next_token {
                None => Resp {
                    items: vec![1],
                    stream: first.take().flatten(),
                    next_token: Some("p2".into()),
                },
                Some(_) => Resp {
                    items: vec![2],
                    stream: Some(Stream {
                        status: Some("ACTIVE".into()),
                        other: None,
                    }),
                    next_token: None,
                },
            })
        };
        let full = Listing::new(service, Req::default(), PaginationConfig::default())
            .full_result()
            .expect("lists");
        serde_json::to_string(&full).expect("serializes")
    }

    #[test]
    fn builds_the_structs_above_it_as_botocore_does() {
        let expected = r#"{"Items":[1,2],"Stream":{"Status":null}}"#;
        assert_eq!(listing(None), expected, "first page without Stream");
        let other = Stream {
            status: None,
            other: Some(1),
        };
        assert_eq!(listing(Some(other)), expected, "first page's Stream without Status");
    }
}
