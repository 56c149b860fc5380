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

//! ```
//! use network_firewall::{server, ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient, DEMO_FIREWALL_ARN};
//! use paginate::{Listing, PaginationConfig};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! // A local endpoint with the demo data, on an ephemeral loopback port.
//! let endpoint = network_firewall::start(server::ServerConfig::demo()).await?;
//! let client = NetworkFirewallClient::new(
//!     ClientConfig::new().region("us-east-1").endpoint_url(endpoint.url()).credentials(server::demo_credentials()),
//! )?;
//! // The derived paginator over the signed client: the first 5 operations, 2 per page.
//! let send = move |req: ListFlowOperationsRequest| {
//!     let client = client.clone();
//!     async move { client.list_flow_operations(&req).await }
//! };
//! let request = ListFlowOperationsRequest { firewall_arn: DEMO_FIREWALL_ARN.into(), ..Default::default() };
//! let config = PaginationConfig::default().with_max_items(5).with_page_size(2);
//! let full = Listing::new(send, request, config).full_result_async().await?;
//! assert_eq!(full.result.flow_operations.map(|ops| ops.len()), Some(5));
//! assert!(full.resume_token.is_some()); // boto3's NextToken: resume from here
//! endpoint.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

#![warn(missing_docs)]

pub mod client;
pub mod credentials;
pub mod dataset;
pub mod error;
pub mod file;
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
    start, start_blocking, BlockingServerHandle, Dataset, Endpoint, ServerConfig, ServerError, ServerHandle,
    DEMO_ACCESS_KEY_ID, DEMO_FIREWALL_ARN, DEMO_SECRET_ACCESS_KEY,
};
pub use sigv4::SIGNING_NAME;
