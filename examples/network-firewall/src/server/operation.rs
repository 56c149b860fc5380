//! The `ListFlowOperations` operation: validation, filters, opaque page tokens.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::StatusCode;
use sha2::Sha256;

use super::response::ApiError;
use super::state::State;
use crate::dataset::FlowOperationRecord;
use crate::model::{FlowOperationType, ListFlowOperationsResponse};

/// The request as the server reads it: like the model, but tolerant of
/// missing required members so it can answer `InvalidRequestException`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRequest {
    firewall_arn: Option<String>,
    availability_zone: Option<String>,
    vpc_endpoint_association_arn: Option<String>,
    vpc_endpoint_id: Option<String>,
    flow_operation_type: Option<FlowOperationType>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

impl WireRequest {
    /// Whether an operation passes every filter given.
    fn matches(&self, op: &FlowOperationRecord) -> bool {
        self.flow_operation_type
            .as_ref()
            .is_none_or(|t| op.flow_operation_type.as_ref() == Some(t))
            && self
                .availability_zone
                .as_ref()
                .is_none_or(|az| op.availability_zone.as_ref() == Some(az))
            && self
                .vpc_endpoint_association_arn
                .as_ref()
                .is_none_or(|a| op.vpc_endpoint_association_arn.as_ref() == Some(a))
            && self
                .vpc_endpoint_id
                .as_ref()
                .is_none_or(|v| op.vpc_endpoint_id.as_ref() == Some(v))
    }
}

fn check_len(name: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(ApiError::invalid(format!(
            "1 validation error detected: Value at '{}' failed to satisfy constraint: \
             Member must have length between {min} and {max}",
            lower_first(name)
        )));
    }
    Ok(())
}

fn lower_first(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn pattern_error(name: &str, pattern: &str) -> ApiError {
    ApiError::invalid(format!(
        "1 validation error detected: Value at '{}' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: {pattern}",
        lower_first(name)
    ))
}

fn check_arn(name: &str, value: &str) -> Result<(), ApiError> {
    check_len(name, value, 1, 256)?;
    if !value.starts_with("arn:aws") {
        return Err(pattern_error(name, "^arn:aws.*"));
    }
    Ok(())
}

type HmacSha256 = Hmac<Sha256>;

/// First byte of a token. Version 2 carries a position in the firewall's
/// list of operations (version 1 carried one in the filtered list).
const TOKEN_VERSION: u8 = 2;

/// The filters a token is bound to.
fn binding(req: &WireRequest, firewall_arn: &str) -> Vec<u8> {
    let parts = [
        firewall_arn,
        req.availability_zone.as_deref().unwrap_or("\u{0}"),
        req.vpc_endpoint_association_arn.as_deref().unwrap_or("\u{0}"),
        req.vpc_endpoint_id.as_deref().unwrap_or("\u{0}"),
        req.flow_operation_type
            .as_ref()
            .map_or("\u{0}", FlowOperationType::as_str),
    ];
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&(p.len() as u64).to_be_bytes());
        out.extend_from_slice(p.as_bytes());
    }
    out
}

fn token_mac(key: &[u8], binding: &[u8], offset: u64) -> Result<HmacSha256, ApiError> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| ApiError::internal("token key"))?;
    mac.update(b"nf-list-flow-operations-v2");
    mac.update(binding);
    mac.update(&offset.to_be_bytes());
    Ok(mac)
}

fn encode_token(key: &[u8], binding: &[u8], offset: u64) -> Result<String, ApiError> {
    let tag = token_mac(key, binding, offset)?.finalize().into_bytes();
    let mut raw = Vec::with_capacity(41);
    raw.push(TOKEN_VERSION);
    raw.extend_from_slice(&offset.to_be_bytes());
    raw.extend_from_slice(&tag);
    Ok(B64.encode(raw))
}

fn decode_token(key: &[u8], binding: &[u8], token: &str) -> Result<u64, ApiError> {
    let bad = || {
        ApiError::invalid(
            "Invalid NextToken: the token is malformed, expired, or was issued for a \
             different request.",
        )
    };
    let raw = B64.decode(token).map_err(|_| bad())?;
    if raw.len() != 41 || raw[0] != TOKEN_VERSION {
        return Err(bad());
    }
    let mut offset_bytes = [0u8; 8];
    offset_bytes.copy_from_slice(&raw[1..9]);
    let offset = u64::from_be_bytes(offset_bytes);
    token_mac(key, binding, offset)?
        .verify_slice(&raw[9..])
        .map_err(|_| bad())?;
    Ok(offset)
}

pub(super) fn list_flow_operations(state: &State, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let req: WireRequest = serde_json::from_slice(text)
        .map_err(|e| ApiError::serialization(format!("Could not parse the request body: {e}")))?;
    let firewall_arn = req.firewall_arn.as_deref().ok_or_else(|| {
        ApiError::invalid(
            "1 validation error detected: Value null at 'firewallArn' failed to satisfy \
             constraint: Member must not be null",
        )
    })?;
    check_arn("FirewallArn", firewall_arn)?;
    if let Some(arn) = &req.vpc_endpoint_association_arn {
        check_arn("VpcEndpointAssociationArn", arn)?;
    }
    if let Some(id) = &req.vpc_endpoint_id {
        check_len("VpcEndpointId", id, 5, 256)?;
        let ok = id
            .strip_prefix("vpce-")
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok {
            return Err(pattern_error("VpcEndpointId", "^vpce-[a-zA-Z0-9]*$"));
        }
    }
    if let Some(FlowOperationType::Unknown(value)) = &req.flow_operation_type {
        let known: Vec<&str> = FlowOperationType::KNOWN.iter().map(FlowOperationType::as_str).collect();
        return Err(ApiError::invalid(format!(
            "1 validation error detected: Value '{value}' at 'flowOperationType' failed to satisfy \
             constraint: Member must satisfy enum value set: [{}]",
            known.join(", ")
        )));
    }
    let page_size = match req.max_results {
        None => state.default_page_size,
        Some(n) if (1..=100).contains(&n) => usize::try_from(n).unwrap_or(100),
        Some(_) => {
            return Err(ApiError::invalid(
                "1 validation error detected: Value at 'maxResults' failed to satisfy \
                 constraint: Member must have value between 1 and 100",
            ))
        }
    };
    if let Some(token) = &req.next_token {
        check_len("NextToken", token, 1, 4096)?;
        if !token.bytes().all(|b| b.is_ascii_alphanumeric() || b":/+=".contains(&b)) {
            return Err(pattern_error("NextToken", "[0-9A-Za-z:\\/+=]+$"));
        }
    }
    let Some(all) = state.flow_operations(firewall_arn) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "ResourceNotFoundException",
            format!("Firewall {firewall_arn} not found."),
        ));
    };
    let bind = binding(&req, firewall_arn);
    // A token carries the position in `all` of the next operation to list,
    // so a page costs its own size (plus the records the filters skip),
    // whatever the size of the dataset.
    let position = match &req.next_token {
        Some(token) => decode_token(&state.token_key, &bind, token)?,
        None => 0,
    };
    let start = usize::try_from(position).unwrap_or(usize::MAX).min(all.len());
    let rest = &all[start..];
    let mut matching = rest.iter().enumerate().filter(|(_, op)| req.matches(op));
    let page: Vec<_> = matching
        .by_ref()
        .take(page_size)
        .map(|(_, op)| op.to_metadata())
        .collect();
    let next_token = match matching.next() {
        Some((i, _)) => Some(encode_token(&state.token_key, &bind, (start + i) as u64)?),
        None => None,
    };
    let response = ListFlowOperationsResponse {
        flow_operations: Some(page),
        next_token,
    };
    serde_json::to_vec(&response).map_err(|e| ApiError::internal(format!("Cannot serialize the response: {e}")))
}
