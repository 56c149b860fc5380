//! A catalogue of real APIs' pagination, each as its model (request and
//! response with `#[derive(Paginated)]`, named as the API spells them) and a
//! scripted server that accepts only what the API documents, checked at the
//! wire. Property tests over random datasets, page sizes, `MaxItems`, resume
//! chains and injected failures prove every item comes exactly once, in the
//! API's order, and that nothing is sent the API would refuse.
//!
//! `harness.rs` holds what they share and says how to add an API.

// The models keep the fields each API sends, spelled as it spells them;
// the tests read only those that page.
#![allow(dead_code)]

mod harness;

mod azure;
mod discord;
mod elasticsearch;
pub mod github_graphql;
#[cfg(feature = "link")]
pub mod github_rest;
pub mod github_search;
mod google;
mod graph;
mod jira;
mod kubernetes;
mod notion;
#[cfg(feature = "link")]
mod shopify;
mod slack;
mod stripe;
