//! The derive takes wire names (the keys of resume tokens, and what
//! `describe()` reports) from serde's own attribute parser. These tests hold
//! them against what serde actually writes and reads, for every `rename_all`
//! rule, for `rename`, split `rename(serialize, deserialize)`, raw identifiers
//! and non-ASCII field names.

// `Mixed_Case` fields prove the rules leave what serde leaves.
#![allow(non_snake_case)]

use paginate::{Paginated, PaginatedRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The keys serde writes for `value`, in field order.
fn serde_keys<T: Serialize>(value: &T) -> Vec<String> {
    let text = serde_json::to_string(value).expect("serializable");
    let map: indexmap::IndexMap<String, Value> = serde_json::from_str(&text).expect("an object");
    map.keys().cloned().collect()
}

macro_rules! rule_case {
    ($module:ident, $rule:literal) => {
        mod $module {
            use super::*;

            #[derive(Clone, Default, Serialize, Paginated)]
            #[serde(rename_all = $rule)]
            #[paginated(response = Resp)]
            pub struct Req {
                #[paginated(input_token)]
                pub next_page_token: Option<String>,
                #[paginated(limit_key)]
                pub max_results: Option<i32>,
                #[paginated(input_token)]
                pub next_ärger: Option<String>,
                #[paginated(input_token)]
                pub r#type: Option<String>,
                #[paginated(input_token)]
                pub Mixed_Case: Option<String>,
            }

            #[derive(Deserialize, Paginated)]
            #[serde(rename_all = $rule)]
            pub struct Resp {
                #[paginated(result_key)]
                pub flow_operations: Vec<u32>,
                #[paginated(output_token = next_page_token)]
                pub next_page_token: Option<String>,
                #[paginated(output_token = next_ärger)]
                pub next_ärger_marker: Option<String>,
                #[paginated(output_token = r#type)]
                pub next_type: Option<String>,
                #[paginated(output_token = Mixed_Case)]
                pub next_Mixed: Option<String>,
                #[paginated(more_results)]
                pub is_truncated: Option<bool>,
            }

            #[test]
            fn request_names_are_serdes() {
                let described = Req::describe();
                let mut derived: Vec<String> = described.input_tokens.clone();
                derived.insert(1, described.limit_key.expect("limit key").name.to_owned());
                assert_eq!(derived, serde_keys(&Req::default()), "rule {}", $rule);
            }

            #[test]
            fn response_names_are_serdes() {
                let described = Req::describe();
                // A document spelled with the derived names fills every field.
                let mut document = serde_json::Map::new();
                document.insert(described.result_keys[0].clone(), Value::from(vec![1, 2]));
                for name in &described.output_tokens {
                    document.insert(name.clone(), Value::from(name.as_str()));
                }
                document.insert(described.more_results.clone().expect("flag"), Value::Bool(true));
                let resp: Resp = serde_json::from_value(Value::Object(document)).expect("deserializes");
                assert_eq!(resp.flow_operations, [1, 2], "rule {}", $rule);
                let got = [
                    resp.next_page_token,
                    resp.next_ärger_marker,
                    resp.next_type,
                    resp.next_Mixed,
                ];
                let expected = described.output_tokens.iter().map(|n| Some(n.to_string()));
                assert!(got.into_iter().eq(expected), "rule {}", $rule);
                assert_eq!(resp.is_truncated, Some(true));
            }
        }
    };
}

rule_case!(lowercase, "lowercase");
rule_case!(uppercase, "UPPERCASE");
rule_case!(pascal, "PascalCase");
rule_case!(camel, "camelCase");
rule_case!(snake, "snake_case");
rule_case!(screaming_snake, "SCREAMING_SNAKE_CASE");
rule_case!(kebab, "kebab-case");
rule_case!(screaming_kebab, "SCREAMING-KEBAB-CASE");

#[derive(Clone, Default, Serialize, Paginated)]
#[serde(rename_all(serialize = "PascalCase", deserialize = "camelCase"))]
#[paginated(response = SplitResp)]
struct SplitReq {
    #[paginated(input_token)]
    #[serde(rename(serialize = "Cursor", deserialize = "cursor"))]
    position: Option<String>,
    #[paginated(input_token)]
    next_marker: Option<String>,
    #[paginated(input_token, rename = "ExplicitWire")]
    explicit: Option<String>,
}

#[derive(Deserialize, Paginated)]
#[serde(rename_all(serialize = "snake_case", deserialize = "PascalCase"))]
struct SplitResp {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = position)]
    #[serde(rename(serialize = "next", deserialize = "NextCursor"))]
    next_position: Option<String>,
    #[paginated(output_token)]
    next_marker: Option<String>,
    #[paginated(output_token)]
    explicit: Option<String>,
}

#[test]
fn requests_use_serialize_names_and_responses_deserialize_names() {
    let described = SplitReq::describe();
    assert_eq!(described.input_tokens, ["Cursor", "NextMarker", "ExplicitWire"]);
    assert_eq!(serde_keys(&SplitReq::default())[..2], ["Cursor", "NextMarker"]);
    assert_eq!(described.output_tokens, ["NextCursor", "NextMarker", "Explicit"]);
    assert_eq!(described.result_keys, ["Items"]);
}
