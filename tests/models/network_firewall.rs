//! Network Firewall `ListFlowOperations`: one token, a limit key of 1..=100,
//! one result key. (The application's typed model lives in
//! `examples/network-firewall`; the library's tests need only the shape.)

use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListFlowOperationsResponse)]
pub struct ListFlowOperationsRequest {
    pub firewall_arn: String,
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 100)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListFlowOperationsResponse {
    #[paginated(result_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operations: Option<Vec<Value>>,
    #[paginated(output_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
