//! `--cli-input-json` and `--generate-cli-skeleton`: the request's members as
//! JSON, as the AWS CLI v1 reads and writes them. Flags given on the command
//! line win over the same member in the JSON.

use serde::Deserialize;

/// The input skeleton the AWS CLI v1 prints for `list-flow-operations`.
pub const SKELETON: &str = r#"{
    "FirewallArn": "",
    "AvailabilityZone": "",
    "VpcEndpointAssociationArn": "",
    "VpcEndpointId": "",
    "FlowOperationType": "FLOW_CAPTURE",
    "NextToken": "",
    "MaxResults": 0
}
"#;

/// The largest `--cli-input-json` file read: 1 MiB. The members it may set
/// are a few hundred bytes; this also bounds the request sent.
pub const MAX_INPUT_BYTES: u64 = 1 << 20;

/// The members `--cli-input-json` may set.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CliInput {
    pub firewall_arn: Option<String>,
    pub availability_zone: Option<String>,
    pub vpc_endpoint_association_arn: Option<String>,
    pub vpc_endpoint_id: Option<String>,
    pub flow_operation_type: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<u64>,
}

impl CliInput {
    /// Reads the argument: JSON text, or `file://PATH` holding it (a regular
    /// file of at most [`MAX_INPUT_BYTES`]).
    pub fn read(argument: &str) -> Result<Self, String> {
        let text = match argument.strip_prefix("file://") {
            Some(path) => {
                let bytes = network_firewall::file::read_regular(std::path::Path::new(path), MAX_INPUT_BYTES)
                    .map_err(|e| format!("--cli-input-json {path}: {e}"))?;
                String::from_utf8(bytes).map_err(|e| format!("--cli-input-json {path}: {e}"))?
            }
            None => argument.to_owned(),
        };
        serde_json::from_str(&text).map_err(|e| format!("--cli-input-json is not valid input: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members_and_refuses_unknown_ones() {
        let input = CliInput::read(r#"{"FirewallArn": "arn", "MaxResults": 5}"#).expect("valid");
        assert_eq!(
            (input.firewall_arn.as_deref(), input.max_results),
            (Some("arn"), Some(5))
        );
        assert!(CliInput::read(r#"{"Bogus": 1}"#).is_err());
        assert!(CliInput::read("file:///nonexistent/input.json").is_err());
        let skeleton: serde_json::Value = serde_json::from_str(SKELETON).expect("the skeleton is JSON");
        assert_eq!(skeleton["MaxResults"], 0);
    }
}
