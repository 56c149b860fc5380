//! Network Firewall `ListFlowOperations`: one string token, `MaxResults` 1..=100.

use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListFlowOperationsResponse)]
pub struct ListFlowOperationsRequest {
    pub firewall_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operation_type: Option<String>,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowOperationMetadata {
    pub flow_operation_id: Option<String>,
    pub flow_operation_type: Option<String>,
    pub flow_request_timestamp: Option<f64>,
    pub flow_operation_status: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListFlowOperationsResponse {
    #[paginated(result_key)]
    pub flow_operations: Option<Vec<FlowOperationMetadata>>,
    #[paginated(output_token)]
    pub next_token: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
