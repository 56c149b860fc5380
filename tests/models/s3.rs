//! S3 `ListObjectVersions`: two tokens, `IsTruncated`, three result keys.

use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListObjectVersionsOutput)]
pub struct ListObjectVersionsRequest {
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_marker: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_id_marker: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_keys: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectVersion {
    pub key: Option<String>,
    pub version_id: Option<String>,
    pub is_latest: Option<bool>,
    pub size: Option<i64>,
    #[serde(rename = "ETag")]
    pub e_tag: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListObjectVersionsOutput {
    pub name: Option<String>,
    #[paginated(non_aggregate)]
    pub prefix: Option<String>,
    pub max_keys: Option<i32>,
    #[paginated(more_results)]
    pub is_truncated: Option<bool>,
    pub key_marker: Option<String>,
    pub version_id_marker: Option<String>,
    #[paginated(result_key)]
    pub versions: Option<Vec<ObjectVersion>>,
    #[paginated(result_key)]
    pub delete_markers: Option<Vec<Value>>,
    #[paginated(result_key)]
    pub common_prefixes: Option<Vec<Value>>,
    #[paginated(output_token = key_marker)]
    pub next_key_marker: Option<String>,
    #[paginated(output_token = version_id_marker)]
    pub next_version_id_marker: Option<String>,
    #[paginated(non_aggregate)]
    pub request_charged: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
