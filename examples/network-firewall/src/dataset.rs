//! The data a local endpoint serves: firewalls and their flow operations.
//!
//! # JSON file format
//!
//! ```json
//! {
//!   "Firewalls": [
//!     {
//!       "FirewallArn": "arn:aws:network-firewall:us-east-1:123456789012:firewall/example",
//!       "FlowOperations": [
//!         {
//!           "FlowOperationId": "4f9a3c2e-1b7d-4e8a-9c6f-0d2e5a7b8c91",
//!           "FlowOperationType": "FLOW_FLUSH",
//!           "FlowRequestTimestamp": 1733337353.759,
//!           "FlowOperationStatus": "COMPLETED",
//!           "AvailabilityZone": "us-east-1a",
//!           "VpcEndpointAssociationArn": "arn:aws:network-firewall:us-east-1:123456789012:vpc-endpoint-association/assoc-1",
//!           "VpcEndpointId": "vpce-0123456789abcdef0"
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! `FirewallArn` and `FlowOperationId` are required; the other members of a
//! flow operation are optional. `FlowOperationType`/`FlowOperationStatus`
//! accept any string (unknown values are served as they are), and
//! `FlowRequestTimestamp` is epoch seconds, integer or fractional, served
//! back with the same JSON text. `AvailabilityZone`,
//! `VpcEndpointAssociationArn` and `VpcEndpointId` are not part of the
//! listed metadata: they are what the request filters match against.
//! Flow operations are served in file order. Firewall ARNs must be unique.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::{FlowOperationMetadata, FlowOperationStatus, FlowOperationType, Timestamp};

/// ARN of the first (default) demo firewall of [`Dataset::demo`].
pub const DEMO_FIREWALL_ARN: &str = "arn:aws:network-firewall:us-east-1:123456789012:firewall/paginate-demo";

/// ARN of the second demo firewall of [`Dataset::demo`].
pub const DEMO_EGRESS_FIREWALL_ARN: &str =
    "arn:aws:network-firewall:us-east-1:123456789012:firewall/paginate-demo-egress";

/// ARN of the third demo firewall of [`Dataset::demo`], which has no flow operations.
pub const DEMO_EMPTY_FIREWALL_ARN: &str =
    "arn:aws:network-firewall:us-east-1:123456789012:firewall/paginate-demo-empty";

/// Number of flow operations of [`DEMO_FIREWALL_ARN`] in [`Dataset::demo`].
pub const DEMO_FIREWALL_FLOW_OPERATIONS: usize = 237;

/// Number of flow operations of [`DEMO_EGRESS_FIREWALL_ARN`] in [`Dataset::demo`].
pub const DEMO_EGRESS_FIREWALL_FLOW_OPERATIONS: usize = 64;

/// The largest dataset file [`Dataset::load`] reads: 64 MiB (about 150,000
/// flow operations). Parsing takes several times the file's size in memory.
pub const MAX_DATASET_BYTES: u64 = 64 << 20;

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The file could not be read.
    #[error("cannot read dataset {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The JSON does not match the documented format.
    #[error("invalid dataset JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Two firewalls share an ARN.
    #[error("duplicate firewall ARN {0}")]
    DuplicateFirewall(String),
    /// A JSON value of the wrong kind where the format wants an object or
    /// an array (e.g. a top-level array instead of `{"Firewalls": [...]}`).
    #[error("invalid dataset: {at} must be {expected}, found {found}")]
    Shape {
        /// Where: `the top level`, `"Firewalls"`, `"Firewalls"[0]`, ...
        at: String,
        /// What the format wants there.
        expected: &'static str,
        /// The kind of JSON value found (`an array`, `a string`, ...).
        found: &'static str,
    },
}

/// One flow operation together with the attributes the filters match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowOperationRecord {
    /// Identifier of the flow operation.
    pub flow_operation_id: String,
    /// Kind of flow operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_operation_type: Option<FlowOperationType>,
    /// When the flow operation was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_request_timestamp: Option<Timestamp>,
    /// Status of the flow operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_operation_status: Option<FlowOperationStatus>,
    /// Availability Zone the operation ran in (filter attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// VPC endpoint association the operation ran on (filter attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_association_arn: Option<String>,
    /// VPC endpoint the operation ran on (filter attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_id: Option<String>,
}

impl FlowOperationRecord {
    /// The metadata `ListFlowOperations` lists for this record.
    pub fn to_metadata(&self) -> FlowOperationMetadata {
        FlowOperationMetadata {
            flow_operation_id: Some(self.flow_operation_id.clone()),
            flow_operation_type: self.flow_operation_type.clone(),
            flow_request_timestamp: self.flow_request_timestamp,
            flow_operation_status: self.flow_operation_status.clone(),
        }
    }
}

/// One firewall and its flow operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallData {
    /// The firewall's ARN.
    pub firewall_arn: String,
    /// Its flow operations, in serving order.
    #[serde(default)]
    pub flow_operations: Vec<FlowOperationRecord>,
}

/// Everything a local endpoint serves.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dataset {
    /// The firewalls, in order.
    #[serde(default)]
    pub firewalls: Vec<FirewallData>,
}

impl Dataset {
    /// Parses the JSON format documented in this module.
    ///
    /// The document must be an object, as must each firewall and flow
    /// operation: serde would otherwise take a JSON array for a struct,
    /// member by member in declaration order.
    pub fn from_json_str(text: &str) -> Result<Self, DatasetError> {
        check_shape(&serde_json::from_str(text)?)?;
        let dataset: Dataset = serde_json::from_str(text)?;
        dataset.validate()?;
        Ok(dataset)
    }

    /// Reads a dataset file in the JSON format documented in this module: a
    /// regular file of at most [`MAX_DATASET_BYTES`] (a FIFO, a device or a
    /// larger file is refused before anything is read from it).
    pub fn load(path: impl AsRef<Path>) -> Result<Self, DatasetError> {
        let path = path.as_ref();
        let io = |source| DatasetError::Io {
            path: path.display().to_string(),
            source,
        };
        let bytes = crate::file::read_regular(path, MAX_DATASET_BYTES).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Self::from_json_str(&text)
    }

    /// Serializes the dataset in the documented JSON format.
    pub fn to_json_string(&self) -> Result<String, DatasetError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    fn validate(&self) -> Result<(), DatasetError> {
        let mut seen = std::collections::HashSet::new();
        for fw in &self.firewalls {
            if !seen.insert(fw.firewall_arn.as_str()) {
                return Err(DatasetError::DuplicateFirewall(fw.firewall_arn.clone()));
            }
        }
        Ok(())
    }

    /// The firewall ARNs, in order.
    pub fn firewall_arns(&self) -> Vec<String> {
        self.firewalls.iter().map(|f| f.firewall_arn.clone()).collect()
    }

    /// The flow operations of a firewall, or `None` if it is unknown.
    pub fn flow_operations(&self, firewall_arn: &str) -> Option<&[FlowOperationRecord]> {
        self.firewalls
            .iter()
            .find(|f| f.firewall_arn == firewall_arn)
            .map(|f| f.flow_operations.as_slice())
    }

    /// ARN of the default demo firewall (same as [`DEMO_FIREWALL_ARN`]).
    pub fn demo_firewall_arn() -> &'static str {
        DEMO_FIREWALL_ARN
    }

    /// Deterministic built-in demo data, account `123456789012`, `us-east-1`:
    ///
    /// * [`DEMO_FIREWALL_ARN`]: 237 flow operations over three AZs
    ///   (`us-east-1a/b/c`), each AZ with its primary VPC endpoint
    ///   (`vpce-0a1b2c3d4e5f6071a`, `...b`, `...c`) and every fifth operation on
    ///   one of two VPC endpoint associations (`vpce-0fedcba98765432` + `1`/`2`);
    /// * [`DEMO_EGRESS_FIREWALL_ARN`]: 64 flow operations;
    /// * [`DEMO_EMPTY_FIREWALL_ARN`], which has none.
    ///
    /// Operations are newest first, a mix of `FLOW_FLUSH`/`FLOW_CAPTURE` and of
    /// all four statuses, with both integer and fractional timestamps.
    pub fn demo() -> Self {
        Dataset {
            firewalls: vec![
                demo_firewall(DEMO_FIREWALL_ARN, "paginate-demo", DEMO_FIREWALL_FLOW_OPERATIONS, 1),
                demo_firewall(
                    DEMO_EGRESS_FIREWALL_ARN,
                    "paginate-demo-egress",
                    DEMO_EGRESS_FIREWALL_FLOW_OPERATIONS,
                    2,
                ),
                FirewallData {
                    firewall_arn: DEMO_EMPTY_FIREWALL_ARN.to_owned(),
                    flow_operations: Vec::new(),
                },
            ],
        }
    }
}

/// The kind of a JSON value, for error messages.
fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Checks that the objects of the format are JSON objects and its lists
/// JSON arrays (members' own types are left to serde).
fn check_shape(document: &serde_json::Value) -> Result<(), DatasetError> {
    let shape = |at: String, expected: &'static str, found: &serde_json::Value| DatasetError::Shape {
        at,
        expected,
        found: kind(found),
    };
    let top = document.as_object().ok_or_else(|| {
        shape(
            "the top level".into(),
            r#"a JSON object such as {"Firewalls": [...]}"#,
            document,
        )
    })?;
    let Some(firewalls) = top.get("Firewalls") else {
        return Ok(());
    };
    let firewalls = firewalls
        .as_array()
        .ok_or_else(|| shape(r#""Firewalls""#.into(), "a JSON array of firewall objects", firewalls))?;
    for (i, fw) in firewalls.iter().enumerate() {
        let at = format!(r#""Firewalls"[{i}]"#);
        let fw = fw.as_object().ok_or_else(|| {
            shape(
                at.clone(),
                r#"a JSON object such as {"FirewallArn": "...", "FlowOperations": [...]}"#,
                fw,
            )
        })?;
        let Some(ops) = fw.get("FlowOperations") else {
            continue;
        };
        let ops = ops.as_array().ok_or_else(|| {
            shape(
                format!(r#"{at}."FlowOperations""#),
                "a JSON array of flow operation objects",
                ops,
            )
        })?;
        for (j, op) in ops.iter().enumerate() {
            if !op.is_object() {
                return Err(shape(
                    format!(r#"{at}."FlowOperations"[{j}]"#),
                    r#"a JSON object such as {"FlowOperationId": "..."}"#,
                    op,
                ));
            }
        }
    }
    Ok(())
}

/// SplitMix64: a tiny deterministic generator for demo identifiers.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn demo_firewall(arn: &str, name: &str, count: usize, seed: u64) -> FirewallData {
    const ACCOUNT_PREFIX: &str = "arn:aws:network-firewall:us-east-1:123456789012";
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut state = seed.wrapping_mul(0x1000_0000_01B3);
    // Newest operation: 2024-12-04T18:35:53.759Z; older ones every ~47 minutes.
    let newest_millis: i64 = 1_733_337_353_759;
    let mut ops = Vec::with_capacity(count);
    for i in 0..count {
        let r = splitmix(&mut state);
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            r >> 32,
            (r >> 16) & 0xffff,
            r & 0xfff,
            8 + (r >> 60) % 4,
            (r >> 20) & 0xfff,
            splitmix(&mut state) & 0xffff_ffff_ffff
        );
        let az_index = i % 3;
        let (association, vpce) = if i % 5 == 4 {
            let n = 1 + (i / 5) % 2;
            (
                Some(format!("{ACCOUNT_PREFIX}:vpc-endpoint-association/{name}-assoc-{n}")),
                format!("vpce-0fedcba98765432{n}"),
            )
        } else {
            (None, format!("vpce-0a1b2c3d4e5f6071{}", ['a', 'b', 'c'][az_index]))
        };
        let millis = newest_millis - (i as i64) * 2_831_417;
        let timestamp = if i % 4 == 1 {
            Timestamp::from_epoch_seconds(millis.div_euclid(1000))
        } else {
            Timestamp::from_epoch_millis(millis)
        };
        let status = match i {
            0 | 1 => FlowOperationStatus::InProgress,
            _ if i % 17 == 3 => FlowOperationStatus::Failed,
            _ if i % 11 == 5 => FlowOperationStatus::CompletedWithErrors,
            _ => FlowOperationStatus::Completed,
        };
        let kind = if i % 3 == 2 || i % 7 == 0 {
            FlowOperationType::FlowCapture
        } else {
            FlowOperationType::FlowFlush
        };
        ops.push(FlowOperationRecord {
            flow_operation_id: id,
            flow_operation_type: Some(kind),
            flow_request_timestamp: Some(timestamp),
            flow_operation_status: Some(status),
            availability_zone: Some(azs[az_index].to_owned()),
            vpc_endpoint_association_arn: association,
            vpc_endpoint_id: Some(vpce),
        });
    }
    FirewallData {
        firewall_arn: arn.to_owned(),
        flow_operations: ops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_deterministic_and_round_trips() {
        let a = Dataset::demo();
        assert_eq!(a, Dataset::demo());
        assert_eq!(
            a.flow_operations(DEMO_FIREWALL_ARN).map(<[_]>::len),
            Some(DEMO_FIREWALL_FLOW_OPERATIONS)
        );
        let ids: std::collections::HashSet<_> = a
            .firewalls
            .iter()
            .flat_map(|f| f.flow_operations.iter().map(|o| &o.flow_operation_id))
            .collect();
        assert_eq!(
            ids.len(),
            DEMO_FIREWALL_FLOW_OPERATIONS + DEMO_EGRESS_FIREWALL_FLOW_OPERATIONS
        );
        let text = a.to_json_string().unwrap();
        assert_eq!(Dataset::from_json_str(&text).unwrap(), a);
    }

    #[test]
    fn arrays_for_objects_rejected() {
        // serde would read these arrays as structs, member by member.
        for (text, message) in [
            (
                "[]",
                r#"invalid dataset: the top level must be a JSON object such as {"Firewalls": [...]}, found an array"#,
            ),
            (
                r#"[[["arn:aws:x", []]]]"#,
                r#"invalid dataset: the top level must be a JSON object such as {"Firewalls": [...]}, found an array"#,
            ),
            (
                r#"{"Firewalls": {"FirewallArn": "arn:aws:x"}}"#,
                r#"invalid dataset: "Firewalls" must be a JSON array of firewall objects, found an object"#,
            ),
            (
                r#"{"Firewalls": [["arn:aws:x", []]]}"#,
                r#"invalid dataset: "Firewalls"[0] must be a JSON object such as {"FirewallArn": "...", "FlowOperations": [...]}, found an array"#,
            ),
            (
                r#"{"Firewalls": [{"FirewallArn": "arn:aws:x", "FlowOperations": [["id-1"]]}]}"#,
                r#"invalid dataset: "Firewalls"[0]."FlowOperations"[0] must be a JSON object such as {"FlowOperationId": "..."}, found an array"#,
            ),
            (
                "\"text\"",
                r#"invalid dataset: the top level must be a JSON object such as {"Firewalls": [...]}, found a string"#,
            ),
        ] {
            let err = Dataset::from_json_str(text).unwrap_err();
            assert!(matches!(err, DatasetError::Shape { .. }), "{text}: {err:?}");
            assert_eq!(err.to_string(), message, "{text}");
        }
        // Objects are still read as before.
        let ok = Dataset::from_json_str(
            r#"{"Firewalls": [{"FirewallArn": "arn:aws:x", "FlowOperations": [{"FlowOperationId": "a"}]}]}"#,
        )
        .unwrap();
        assert_eq!(ok.firewalls[0].flow_operations[0].flow_operation_id, "a");
        assert_eq!(Dataset::from_json_str("{}").unwrap(), Dataset::default());
    }

    #[test]
    fn duplicate_arns_rejected() {
        let text = r#"{"Firewalls":[{"FirewallArn":"arn:aws:x"},{"FirewallArn":"arn:aws:x"}]}"#;
        assert!(matches!(
            Dataset::from_json_str(text),
            Err(DatasetError::DuplicateFirewall(_))
        ));
    }
}
