//! DynamoDB `Scan`: a map-valued token, numeric result keys summed.
//!
//! Keys are `IndexMap`s, which keep the service's key order as botocore's
//! tokens do (`serde_json::Map` sorts its keys unless serde_json's
//! `preserve_order` is on, which neither the library nor these tests enable).

use indexmap::IndexMap;
use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub type AttributeMap = IndexMap<String, Value>;

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ScanOutput)]
pub struct ScanInput {
    pub table_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<AttributeMap>,
    #[paginated(limit_key, min = 1)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ScanOutput {
    #[paginated(result_key)]
    pub items: Option<Vec<AttributeMap>>,
    #[paginated(result_key)]
    pub count: Option<i64>,
    #[paginated(result_key)]
    pub scanned_count: Option<i64>,
    #[paginated(output_token = exclusive_start_key)]
    pub last_evaluated_key: Option<AttributeMap>,
    #[paginated(non_aggregate)]
    pub consumed_capacity: Option<Value>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
