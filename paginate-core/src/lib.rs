//! The runtime of [`paginate`](https://docs.rs/paginate): a botocore-exact
//! pagination engine, resume tokens byte-identical to boto3's, and blocking and
//! async drivers over pages and items.
//!
//! Users depend on the `paginate` crate, which re-exports this one together
//! with `#[derive(Paginated)]`. This crate knows no service: operations
//! describe themselves through [`PaginatedRequest`] and [`PaginatedResponse`],
//! which the derive implements.
//!
//! ```
//! use paginate::{Paginated, PaginationConfig, Paginator};
//!
//! #[derive(Clone, Default, serde::Serialize, Paginated)]
//! #[serde(rename_all = "PascalCase")]
//! #[paginated(response = ListResponse)]
//! struct ListRequest {
//!     #[paginated(input_token)]
//!     next_token: Option<String>,
//!     #[paginated(limit_key, min = 1, max = 1000)]
//!     max_results: Option<i32>,
//! }
//!
//! #[derive(Debug, Paginated)]
//! struct ListResponse {
//!     #[paginated(result_key)]
//!     names: Option<Vec<String>>,
//!     #[paginated(output_token = next_token)]
//!     next_token: Option<String>,
//! }
//!
//! let client = |req: ListRequest| -> Result<ListResponse, std::convert::Infallible> {
//!     Ok(match req.next_token.as_deref() {
//!         None => ListResponse { names: Some(vec!["a".into(), "b".into()]), next_token: Some("t1".into()) },
//!         Some(_) => ListResponse { names: Some(vec!["c".into()]), next_token: None },
//!     })
//! };
//! let names: Vec<String> = Paginator::new(client)
//!     .paginate(ListRequest::default(), PaginationConfig::default())
//!     .items()
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(names, ["a", "b", "c"]);
//! # Ok::<(), paginate::Error<std::convert::Infallible>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs, missing_debug_implementations)]

mod answer;
mod blocking;
mod by_ref;
#[cfg(feature = "checkpoint")]
mod checkpoint;
mod config;
mod convert;
mod error;
mod expiry;
mod fanout;
mod fields;
mod full;
mod link;
mod listing;
mod model;
mod nested;
mod page_items;
#[cfg(feature = "parallel")]
mod parallel;
mod position;
#[cfg(feature = "prefetch")]
mod prefetch;
#[cfg(feature = "search")]
mod py_jmespath;
mod pyjson;
mod repeat;
mod resume_token;
#[cfg(feature = "search")]
mod search;
mod shape;
mod state;
mod stream;
mod token;
mod token_set;
mod trace;
mod value;

pub use blocking::{Client, Items, Pages};
pub use by_ref::{by_ref, ByRef};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use checkpoint::PostgresStore;
#[cfg(feature = "checkpoint")]
#[cfg_attr(docsrs, doc(cfg(feature = "checkpoint")))]
pub use checkpoint::{
    CheckpointError, CheckpointStore, Checkpointed, Checkpoints, Job, Progress, RedbStore, Resumable, SharedJob,
};
pub use config::{PaginationConfig, RepeatPolicy};
pub use error::{ConfigError, Error, ListingError, TokenError};
pub use expiry::{Expired, ExpiryPolicy, OnExpired, DEFAULT_MAX_RESTARTS};
pub use fanout::FanOut;
pub use fields::{LastPage, LimitValue, LinkHeader, MoreResults, ResultKey, ResultList, Total};
pub use full::{FullResult, FullResultBuilder};
pub use listing::{Listing, Paginator};
pub use model::{Description, LimitKey, PaginatedRequest, PaginatedResponse};
#[cfg(feature = "parallel")]
#[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
pub use parallel::{ParallelItemStream, ParallelStream, MAX_PARALLEL_PAGES};
pub use position::ResumePoint;
#[cfg(feature = "prefetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "prefetch")))]
pub use prefetch::{PrefetchItemStream, PrefetchStream, MAX_PREFETCH_DEPTH};
pub use resume_token::ResumeToken;
#[cfg(feature = "search")]
#[cfg_attr(docsrs, doc(cfg(feature = "search")))]
pub use search::{InvalidExpression, Search, SearchStream};
pub use state::ListingState;
pub use stream::{AsyncClient, ItemStream, PageStream};

/// What `#[derive(Paginated)]` expands to refers to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::convert::{token_from_value, token_to_value, InputToken};
    pub use crate::fields::{LastPage, LimitValue, LinkHeader, MoreResults, ResultKey, ResultList, Total};
    pub use crate::link::{link_target, LinkFeature};
    pub use crate::model::{
        check_tokens, LimitKey, PaginatedRequest, PaginatedResponse, RequestTokens, ResponseKeys, ResponseTokens,
        TokenField, TokenKind,
    };
    pub use crate::nested::{at, first_truthy, wire_join, wire_len, wire_str, Ch, FieldNamed, Indexed, Nav, NavInsert};
    pub use crate::value::TokenValue;
    pub use core::default::Default;
    pub use core::mem::take;
    pub use core::option::Option;
    pub use core::result::Result;
    pub use serde_json::Error as JsonError;
    pub use std::string::String;
    pub use std::vec::Vec;
}
