//! The network-firewall crate's tests, one binary for all of them: the
//! client, the local endpoint and the `list_flow_operations` command, over
//! loopback HTTP.

mod support;

mod checkpoint;
mod cli;
mod client_hardening;
mod client_server;
mod credentials;
mod endpoint_hardening;
mod exactly_once_http;
mod fuzz_endpoint;
mod hostile_inputs;
mod listing;
mod prefetch;
mod raw_http;
mod shared_checkpoint;
