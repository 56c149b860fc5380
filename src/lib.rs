//! # paginate
//!
//! Turn annotated request/response structs into correct, fast paginators with
//! botocore's exact semantics: `MaxItems`, `PageSize` and `StartingToken`
//! behave as in boto3 and the AWS CLI, and resume tokens are byte-identical to
//! theirs. Listings run as blocking [`Iterator`]s or async `futures::Stream`s,
//! over pages or over items, and a resume token can be read at any moment.
//!
//! ## The derive
//!
//! `#[derive(Paginated)]` goes on both structs of an operation. The request
//! names its response with `#[paginated(response = T)]`; fields are marked:
//!
//! | attribute | on | botocore name |
//! | --- | --- | --- |
//! | `input_token` | request field | `input_token` (declaration order is token order) |
//! | `limit_key`, optional `min = N`, `max = N` | request field | `limit_key` |
//! | `rename = "Wire"` | with the two above | wire name, when serde attributes cannot tell |
//! | `output_token = field` (or bare, if the names match) | response field | `output_token` |
//! | `result_key`, optional `primary` | response field | `result_key` (the first, or `primary`, counts toward `MaxItems`) |
//! | `more_results` | response field | `more_results` |
//! | `non_aggregate` | response field | `non_aggregate_keys` |
//! | `crate = "path"` | either struct | the `paginate` crate renamed or re-exported |
//!
//! Wire names (the keys of resume tokens) follow the struct's
//! `#[serde(rename_all = ...)]` and fields' `#[serde(rename = ...)]`.
//!
//! ```
//! use paginate::{Paginated, PaginationConfig, Paginator};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Clone, Serialize, Paginated)]
//! #[serde(rename_all = "PascalCase")]
//! #[paginated(response = ListObjectVersionsResponse)]
//! struct ListObjectVersionsRequest {
//!     bucket: String,
//!     #[paginated(input_token)]
//!     key_marker: Option<String>,
//!     #[paginated(input_token)]
//!     version_id_marker: Option<String>,
//!     #[paginated(limit_key)]
//!     max_keys: Option<i32>,
//! }
//!
//! #[derive(Deserialize, Paginated)]
//! #[serde(rename_all = "PascalCase")]
//! struct ListObjectVersionsResponse {
//!     #[paginated(more_results)]
//!     is_truncated: Option<bool>,
//!     #[paginated(result_key)]
//!     versions: Option<Vec<String>>,
//!     #[paginated(result_key)]
//!     delete_markers: Option<Vec<String>>,
//!     #[paginated(output_token = key_marker)]
//!     next_key_marker: Option<String>,
//!     #[paginated(output_token = version_id_marker)]
//!     next_version_id_marker: Option<String>,
//!     #[paginated(non_aggregate)]
//!     prefix: Option<String>,
//! }
//!
//! let s3 = |req: ListObjectVersionsRequest| -> Result<ListObjectVersionsResponse, String> {
//!     let first = req.key_marker.is_none();
//!     Ok(ListObjectVersionsResponse {
//!         is_truncated: Some(first),
//!         versions: Some(if first { vec!["a".into(), "b".into()] } else { vec!["c".into()] }),
//!         delete_markers: None,
//!         next_key_marker: first.then(|| "b".into()),
//!         next_version_id_marker: first.then(|| "v1".into()),
//!         prefix: None,
//!     })
//! };
//! let request = ListObjectVersionsRequest { bucket: "photos".into(), key_marker: None, version_id_marker: None, max_keys: None };
//! let mut items = Paginator::new(s3).paginate(request, PaginationConfig::default().with_max_items(1)).items();
//! assert_eq!(items.next().transpose()?, Some("a".to_owned()));
//! assert_eq!(items.next().transpose()?, None);
//! // The same token boto3 prints for this position:
//! assert_eq!(
//!     items.resume_token().as_deref(),
//!     Some("eyJLZXlNYXJrZXIiOiBudWxsLCAiVmVyc2lvbklkTWFya2VyIjogbnVsbCwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMX0=")
//! );
//! # Ok::<(), paginate::Error<String>>(())
//! ```
//!
//! Mistakes in the attributes are compile errors that point at them.

#![warn(missing_docs)]

pub use paginate_core::*;

/// Derives [`PaginatedRequest`] or [`PaginatedResponse`]; see the [crate docs](crate#the-derive).
pub use paginate_derive::Paginated;

/// What `#[derive(Paginated)]` expands to refers to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use paginate_core::__private::*;
}
