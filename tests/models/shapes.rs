//! The five operations of `vectors-shapes/`: paginators that reach into
//! nested structs, compute their output token, or take a string limit key.
//! Nested structs derive `Paginated` with `#[paginated(nested)]`; the response
//! names paths into them. Unknown wire fields are kept in `other`.

use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Kinesis `DescribeStream`: the token is the last shard's id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = DescribeStreamOutput)]
pub struct DescribeStreamInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_name: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_shard_id: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(
    result_key(path = "stream_description.shards"),
    output_token(path = "stream_description.shards[-1].shard_id", feeds = exclusive_start_shard_id),
    more_results(path = "stream_description.has_more_shards"),
    non_aggregate(path = "stream_description.stream_arn"),
    non_aggregate(path = "stream_description.stream_name"),
    non_aggregate(path = "stream_description.stream_status"),
    non_aggregate(path = "stream_description.retention_period_hours"),
    non_aggregate(path = "stream_description.enhanced_monitoring"),
    non_aggregate(path = "stream_description.encryption_type"),
    non_aggregate(path = "stream_description.key_id"),
    non_aggregate(path = "stream_description.stream_creation_timestamp")
)]
pub struct DescribeStreamOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_description: Option<StreamDescription>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
pub struct StreamDescription {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_name: Option<String>,
    #[serde(rename = "StreamARN", skip_serializing_if = "Option::is_none")]
    pub stream_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_period_hours: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhanced_monitoring: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_creation_timestamp: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<Vec<Shard>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_more_shards: Option<bool>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
pub struct Shard {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// CloudFront `ListDistributions`: everything under `DistributionList`; the
/// limit key `MaxItems` is a string.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListDistributionsResult)]
pub struct ListDistributionsRequest {
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(
    result_key(path = "distribution_list.items"),
    output_token(path = "distribution_list.next_marker", feeds = marker),
    more_results(path = "distribution_list.is_truncated")
)]
pub struct ListDistributionsResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution_list: Option<DistributionList>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
pub struct DistributionList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_truncated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Value>>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// S3 `ListObjects`: `NextMarker || Contents[-1].Key`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListObjectsOutput)]
pub struct ListObjectsRequest {
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_keys: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(output_token(path = "next_marker || contents[-1].key", feeds = marker))]
pub struct ListObjectsOutput {
    #[paginated(more_results)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_truncated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    #[paginated(result_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contents: Option<Vec<S3Object>>,
    #[paginated(result_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_prefixes: Option<Vec<Value>>,
    #[paginated(non_aggregate)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_charged: Option<String>,
    #[paginated(non_aggregate)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
pub struct S3Object {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Route 53 `ListResourceRecordSets`: three tokens, a string `MaxItems`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListResourceRecordSetsResponse)]
pub struct ListResourceRecordSetsRequest {
    pub hosted_zone_id: String,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_record_name: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_record_type: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_record_identifier: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceRecordSetsResponse {
    #[paginated(result_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_record_sets: Option<Vec<Value>>,
    #[paginated(more_results)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_truncated: Option<bool>,
    #[paginated(output_token = start_record_name)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_record_name: Option<String>,
    #[paginated(output_token = start_record_type)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_record_type: Option<String>,
    #[paginated(output_token = start_record_identifier)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_record_identifier: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Athena `GetQueryResults`: result key `ResultSet.Rows`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = GetQueryResultsOutput)]
pub struct GetQueryResultsInput {
    pub query_execution_id: String,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[paginated(limit_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(
    result_key(path = "result_set.rows"),
    non_aggregate(path = "result_set.result_set_metadata")
)]
pub struct GetQueryResultsOutput {
    #[paginated(non_aggregate)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_set: Option<ResultSet>,
    #[paginated(output_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(nested)]
pub struct ResultSet {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_set_metadata: Option<Value>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
