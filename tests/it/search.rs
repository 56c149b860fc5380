//! `search(expression)` against botocore's `PageIterator.search`.

use futures::executor::block_on;
use futures::StreamExt;
use paginate::{Error, Listing, ListingError, Paginated, PaginationConfig};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = Resp)]
struct Req {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Debug, Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
struct Resp {
    #[paginated(result_key)]
    items: Option<Vec<u32>>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

/// Three pages; the second has no `Items`.
fn service(req: Req) -> Result<Resp, String> {
    Ok(match req.next_token.as_deref() {
        None => Resp {
            items: Some(vec![1, 2]),
            next_token: Some("p2".into()),
        },
        Some("p2") => Resp {
            items: None,
            next_token: Some("p3".into()),
        },
        Some(_) => Resp {
            items: Some(vec![3]),
            next_token: None,
        },
    })
}

type Service = fn(Req) -> Result<Resp, String>;

fn listing() -> Listing<Service, Req> {
    Listing::new(service as Service, Req::default(), PaginationConfig::default())
}

#[test]
fn a_list_result_is_flattened_and_anything_else_yielded_as_is() {
    let found: Vec<Value> = listing()
        .search("Items")
        .expect("compiles")
        .collect::<Result<_, _>>()
        .expect("searches");
    // botocore: [1, 2, None, 3]
    assert_eq!(found, [json!(1), json!(2), Value::Null, json!(3)]);
}

/// botocore raises `JMESPathTypeError` ("In function length(), invalid type
/// for value: None, ...") on the page without `Items` and yields nothing
/// after it; a `null` result there would be indistinguishable from a real one.
#[test]
fn an_expression_that_fails_on_a_page_ends_the_search_with_an_error() {
    let mut search = listing().search("length(Items)").expect("compiles");
    assert_eq!(search.next().transpose().expect("first page"), Some(json!(2)));
    match search.next() {
        Some(Err(Error::Listing(ListingError::SearchFailed { expression, message }))) => {
            assert_eq!(expression, "length(Items)");
            assert!(message.contains("length"), "{message}");
        }
        other => panic!("expected the search to fail on the second page, got {other:?}"),
    }
    assert!(search.next().is_none(), "the search ends after the error");
    assert_eq!(search.resume_token().as_deref().map(str::is_empty), Some(false));
}

#[test]
fn the_stream_fails_the_same_way() {
    let client = |req: Req| std::future::ready(service(req));
    let mut search = Listing::new(client, Req::default(), PaginationConfig::default())
        .search_stream("length(Items)")
        .expect("compiles");
    let found = block_on(async {
        let mut found = Vec::new();
        while let Some(item) = search.next().await {
            found.push(item.map_err(|e| e.to_string()));
        }
        found
    });
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0], Ok(json!(2)));
    let error = found[1].as_ref().expect_err("the second page fails");
    assert!(error.contains("length(Items)"), "{error}");
}

/// Python's `jmespath` keeps integers integers: botocore yields
/// `[3, 2, 3, -3]` for these, where the jmespath crate's `f64` functions
/// give `3.0`; and a sum past 2^53 stays exact.
#[test]
fn number_functions_keep_integers_as_python_does() {
    let one_page = |_: Req| {
        Ok::<_, String>(Resp {
            items: Some(vec![1, 2]),
            next_token: None,
        })
    };
    let search = |expression: &str| -> Vec<Value> {
        Listing::new(one_page, Req::default(), PaginationConfig::default())
            .search(expression)
            .expect("compiles")
            .collect::<Result<_, _>>()
            .expect("searches")
    };
    let found = search("[sum(Items), abs(`-2`), ceil(`2.5`), floor(`-2.5`)]");
    let found: Vec<String> = found.iter().map(Value::to_string).collect();
    assert_eq!(found, ["3", "2", "3", "-3"]);
    assert_eq!(search("sum(`[]`)")[0].to_string(), "0");
    assert_eq!(
        search("sum(`[9007199254740993, 1]`)")[0].to_string(),
        "9007199254740994"
    );
    // Floats stay floats, as in Python.
    assert_eq!(search("sum(`[1, 2.5]`)")[0].to_string(), "3.5");
    assert_eq!(search("abs(`-2.5`)")[0].to_string(), "2.5");
    assert_eq!(search("avg(Items)")[0].to_string(), "1.5");
}

/// Python's `jmespath` orders strings too (`Contents[?LastModified >=
/// '2024-02-01']`, a common AWS CLI query); the jmespath crate gives `null`
/// for them, so such a filter matched nothing. A number against a string
/// raises `TypeError` in Python: the search fails.
#[test]
fn ordering_comparisons_take_strings_as_python_does() {
    let found: Vec<Value> = listing()
        .search("`[\"2024-01-31\", \"2024-03-01\"]`[?@ >= '2024-02-01'] | [0]")
        .expect("compiles")
        .collect::<Result<_, _>>()
        .expect("searches");
    // botocore: ['2024-03-01', '2024-03-01', '2024-03-01'], one per page.
    assert_eq!(found, vec![json!("2024-03-01"); 3]);
    let mut mixed = listing().search("Items[?@ > '1']").expect("compiles");
    assert!(
        matches!(
            mixed.next(),
            Some(Err(Error::Listing(ListingError::SearchFailed { .. })))
        ),
        "a number against a string fails"
    );
    // Neither numbers nor strings: null, so nothing passes the filter (the
    // page without `Items` gives null, as in botocore: [None]).
    let found: Vec<Value> = listing()
        .search("Items[?`true` < `false`]")
        .expect("compiles")
        .collect::<Result<_, _>>()
        .expect("searches");
    assert_eq!(found, [Value::Null]);
}
