//! AWS Network Firewall `ListFlowOperations`, both sides of the wire.
//!
//! * [`model`]: the request/response shapes (serde, PascalCase, botocore's model).
//! * [`client`]: [`NetworkFirewallClient`], a real AWS JSON 1.0 client with
//!   SigV4 signing, credential/region resolution ([`credentials`]) and the
//!   AWS standard retry mode.
//! * [`server`]: a local endpoint serving the same operation over loopback
//!   HTTP, with SigV4 verification, opaque page tokens, filters and fault
//!   injection, for tests, demos and third-party clients (AWS CLI, boto3,
//!   AWS SDK for Rust).
//!
//! The service facts come from botocore's
//! `network-firewall/2020-11-12/service-2.json`: protocol `json` 1.0,
//! target prefix `NetworkFirewall_20201112`, signing name `network-firewall`.

#![warn(missing_docs)]

pub mod client;
pub mod credentials;
pub mod dataset;
pub mod error;
pub mod model;
pub mod server;
mod sigv4;

pub use aws_credential_types::Credentials;
pub use client::{ClientConfig, NetworkFirewallClient, RetryConfig};
pub use error::Error;
pub use model::{
    FlowOperationMetadata, FlowOperationStatus, FlowOperationType, ListFlowOperationsRequest,
    ListFlowOperationsResponse, Timestamp,
};
pub use server::{
    start, start_blocking, BlockingServerHandle, Dataset, ServerConfig, ServerError, ServerHandle, DEMO_ACCESS_KEY_ID,
    DEMO_FIREWALL_ARN, DEMO_SECRET_ACCESS_KEY,
};
pub use sigv4::SIGNING_NAME;
