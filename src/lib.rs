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
//! names its response with `#[paginated(response = T)]`, and fields are marked
//! with their role in botocore's paginator model: `input_token`, `limit_key`,
//! `output_token`, `result_key`, `more_results`, `non_aggregate`. Roles that
//! reach into nested structs take a path on the response struct
//! (`result_key(path = "distribution_list.items")`). Every attribute, with an
//! example, is in the documentation of [`Paginated`].
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
//!
//! ## Reading a listing
//!
//! A [`Paginator`] holds a client; [`Paginator::paginate`] makes a [`Listing`],
//! which becomes a blocking iterator over pages ([`Listing::pages`]) or items
//! ([`Listing::items`]), an async stream ([`Listing::page_stream`],
//! [`Listing::item_stream`]) or one merged result
//! ([`Listing::full_result`]). Every one of them tells its resume token at any
//! moment. A service error carries the token to resume from and ends the
//! iterator or stream; `retry()` sends the failed request again.
//! [`Listing::on_expired_token`] says what a listing does when the service
//! says its token has expired ([`ExpiryPolicy`]).
//! [`FanOut`] runs many listings as one stream with one token, and
//! [`ListingState`] is the engine without I/O, for drivers of your own.
//!
//! ## Features
//!
//! | feature | default | brings |
//! | --- | --- | --- |
//! | `tracing` | on | a `paginate_listing` span per listing and a `paginate_request` span per request (the `tracing` crate); nothing is printed unless the application installs a subscriber |
//! | `prefetch` | off | `PageStream::prefetch`: pages fetched ahead on a tokio task while the caller works (tokio's `rt` and `sync`) |
//! | `search` | off | `Listing::search` and `Listing::search_stream`: botocore's `PageIterator.search`, JMESPath over each page (the `jmespath` crate) |
//! | `parallel` | off | `PageStream::parallel`: up to `n` pages of an offset or page-number listing in flight once its end is known, delivered in order (futures-util's `FuturesOrdered`; no runtime) |
//! | `link` | off | `#[paginated(output_token = url, link = "next")]`: the token is a relation's target in an HTTP `Link` header, RFC 8288 (the `http-link` crate, and `url`) |
//! | `checkpoint` | off | `Checkpoints`: a listing or fan-out bound to a job in a store, resumed after a crash at the last item its consumer acknowledged; acknowledgements committed in the background (the `redb` crate, an embedded ACID store) |
//! | `postgres` | off | `PostgresStore`: checkpoints in PostgreSQL, and `SharedJob`s whose listings are leased to one worker at a time, across processes and machines; a dead worker's lease expires and another worker resumes its listing from the last checkpoint (the `postgres` crate, no TLS) |

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use paginate_core::*;

/// Derives [`PaginatedRequest`] on a request struct, [`PaginatedResponse`] on
/// its response, and the navigation a response path needs on a `nested`
/// struct.
///
/// The attributes say which field plays which role in botocore's paginator
/// model (`paginators-1.json`); the roles keep botocore's names. Every mistake
/// is a compile error spanned on the attribute, and one build reports all of
/// them.
///
/// # On the structs
///
/// | attribute | meaning | example |
/// | --- | --- | --- |
/// | `response = T` | this struct is a request, and `T` its response; without it a struct is taken for a response | `#[paginated(response = ListResponse)]` |
/// | `crate = "path"` | where the `paginate` crate is, when it is renamed or re-exported (as serde's `crate`) | `#[paginated(crate = "my_sdk::paginate")]` |
/// | `nested` | a struct that paths go through; it takes no roles of its own | `#[paginated(nested)]` |
///
/// # On request fields
///
/// | attribute | botocore | meaning | example |
/// | --- | --- | --- | --- |
/// | `input_token` | `input_token` | a token the service reads to go on; at least one, and their declaration order is the order of the tokens in a resume token | `#[paginated(input_token)]` |
/// | `limit_key` | `limit_key` | the page size parameter, set from `PageSize`; at most one | `#[paginated(limit_key)]` |
/// | `min = N`, `max = N` | — | with `limit_key`: the page sizes the service accepts; a `PageSize` outside them is [`ConfigError::PageSizeOutOfRange`] before any request | `#[paginated(limit_key, min = 1, max = 100)]` |
/// | `rename = "Wire"` | — | with `input_token`, `limit_key`, `offset` or `page`: the wire name, when serde's attributes cannot tell it (a custom `Serialize`) | `#[paginated(input_token, rename = "Cursor")]` |
/// | `offset` | — | an item offset the library computes: the next is this one (absent: 0) plus the items the page came with; the request's only input token, fed by no output token | `#[paginated(offset)]` |
/// | `page` | — | a page number the library computes: the next is this one (absent: `first`) plus one; the request's only input token | `#[paginated(page)]` |
/// | `first = N` | — | with `page`: the number of the first page (default 1) | `#[paginated(page, first = 0)]` |
/// | `short_page_ends` | — | with `offset` or `page`: a page with fewer items than the request's page size (its `limit_key`) ends the listing | `#[paginated(offset, short_page_ends)]` |
///
/// # On response fields
///
/// | attribute | botocore | meaning | example |
/// | --- | --- | --- | --- |
/// | `output_token = field` | `output_token` | the token for the next request, put into the request's `input_token` field `field` (a token inside nested request structs is named by its path, in quotes: `output_token = "variables.after"`) | `#[paginated(output_token = key_marker)]` |
/// | `output_token` | `output_token` | the same, when the request's field has this field's name | `#[paginated(output_token)]` |
/// | `result_key` | `result_key` | values aggregated over the pages; at least one, and the first is the one `MaxItems` counts and item iterators yield | `#[paginated(result_key)]` |
/// | `primary` | — | with `result_key`: make this result key the one `MaxItems` counts | `#[paginated(result_key, primary)]` |
/// | `more_results` | `more_results` | a flag saying whether more pages exist; when false the listing ends whatever the tokens say | `#[paginated(more_results)]` |
/// | `last_page` | — | a flag saying this page is the last (Jira Software's `isLast`); when true the listing ends whatever the tokens say, false or absent it says nothing. Beside `more_results`, either one ends the listing; `describe()` names it in [`Description::last_page`] | `#[paginated(last_page)]` |
/// | `non_aggregate` | `non_aggregate_keys` | a value a full result takes from the first page | `#[paginated(non_aggregate)]` |
/// | `total` | — | for an `offset` or `page` request: the items of the whole listing; it ends when the next offset reaches it | `#[paginated(total)]` |
/// | `total_pages` | — | for a `page` request: the pages of the whole listing; it ends after page `first + total_pages - 1` | `#[paginated(total_pages)]` |
/// | `link = "rel"` | — | with `output_token`, on a field that holds an HTTP `Link` header (RFC 8288; feature `link`): the token is the target of relation `rel` | `#[paginated(output_token = url, link = "next")]` |
///
/// A field takes one role. Fields without a role are left alone, except
/// that a full result sets them to their [`Default`] (so their types
/// implement it).
///
/// # On the response struct: roles with a path
///
/// When a role lies inside a nested struct (botocore's `DistributionList.Items`),
/// or the output token is computed from the page, the response struct names
/// it with a path of Rust field names:
///
/// | attribute | meaning | example |
/// | --- | --- | --- |
/// | `result_key(path = "...")` | a result key inside nested structs; `primary` as on a field | `#[paginated(result_key(path = "distribution_list.items", primary))]` |
/// | `output_token(path = "...", feeds = field)` | an output token inside nested structs or computed, and the request's `input_token` it feeds (a field, or in quotes the path of one inside nested request structs, `feeds = "variables.after"`) | `#[paginated(output_token(path = "distribution_list.next_marker", feeds = marker))]` |
/// | `more_results(path = "...")` | a nested `more_results` flag | `#[paginated(more_results(path = "distribution_list.is_truncated"))]` |
/// | `last_page(path = "...")` | a nested `last_page` flag | `#[paginated(last_page(path = "meta.is_last"))]` |
/// | `non_aggregate(path = "...")` | a nested non-aggregate key | `#[paginated(non_aggregate(path = "distribution_list.quantity"))]` |
/// | `total(path = "...")`, `total_pages(path = "...")` | a nested `total` or `total_pages` | `#[paginated(total(path = "meta.total"))]` |
///
/// A path starts at a field of the response and goes through structs that
/// derive `Paginated` with `#[paginated(nested)]` and [`Default`] (a full
/// result rebuilds the nesting, as botocore's `build_full_result` does);
/// `Option`s on the way are looked through. An output token's path may also
/// take an element of a list, `shards[-1].shard_id` (negative indexes count
/// from the end), and alternatives, `next_marker || contents[-1].key` (the
/// first truthy one, as in JMESPath: present and not empty). A computed token that finds nothing on
/// a page (the last element of an empty list) ends the listing, as in
/// botocore. A path that does not parse, a segment that names no field and a
/// struct on the way that is not `nested` are compile errors on the path
/// string. A segment, and `feeds`, may be a keyword: `metadata.continue` and
/// `metadata.r#continue` both name the field `r#continue` (Kubernetes).
///
/// # On the request struct: tokens inside nested structs, and computed tokens
///
/// | attribute | meaning | example |
/// | --- | --- | --- |
/// | `input_token(path = "...")` | an input token inside nested request structs (GraphQL's `variables.after`); its wire name, in resume tokens and `describe()`, is the dotted serde path, and an output token feeds it by its path in quotes | `#[paginated(input_token(path = "variables.after"))]` |
/// | `limit_key(path = "...", min = N, max = N)` | a limit key inside nested request structs (GraphQL's `variables.first`, a JSON body's `page.size`) | `#[paginated(limit_key(path = "variables.first", min = 1, max = 100))]` |
/// | `output_token(with = path::to::fn, feeds = token)` | a token computed by `fn(&Request, &Response) -> T` (any `Serialize` `T`) from the request that was sent and the page it returned, for a rule the other attributes cannot say; an absent or empty value (`None`, `""`, `0`) ends the listing. It feeds the input token `token` (named as in `feeds = ...` above), which no output token of the response feeds; `describe()` names it `fn(request, page)` | `#[paginated(output_token(with = next_after, feeds = after))]` |
///
/// A request path starts at a field of the request and goes through structs
/// that derive `Paginated` with `#[paginated(nested)]` and [`Default`]: an
/// `Option` on the way that is `None` is created when a token or a page size
/// is set (and left `None` for no token). It takes field names only, no
/// indexes or alternatives, and the request is not generic. The function of
/// `with` sees each page as the service sent it, before a resume token's
/// skip or `MaxItems` cut it.
///
/// # Field types
///
/// - **tokens** (`input_token`, `output_token`): any type serde can write and
///   read, usually `Option<String>`; maps (DynamoDB's `ExclusiveStartKey`)
///   and structs too. botocore keeps a map token's keys in the order the
///   service sent them: use a map type that keeps order (`IndexMap`). An
///   empty token (`""`, `0`, an empty map) is no token, as in botocore, and
///   an `input_token` without a token is set to its [`Default`]: `None`, or
///   `""` for the `page_token: String` of proto3 and Google's AIP-158. An
///   `input_token` is `Serialize` and `Deserialize`: a value the request
///   starts from (an incremental sync's cursor) is what a resume token cut
///   on the first page resumes from.
/// - **`limit_key`**: an integer or a `String` (botocore sends the page size
///   as text where the model says string), optionally in `Option`
///   ([`LimitValue`]).
/// - **`result_key`**: a `Vec<T>` (concatenated in a full result), a number
///   (summed), a `String` (concatenated) or a map (`HashMap`, `BTreeMap`,
///   `serde_json::Map`; the first page's is kept), optionally in `Option`
///   ([`ResultKey`]). The primary one is a `Vec<T>`, a
///   `String` (items are `char`s) or a map (items are entries; a map is one
///   piece, so `MaxItems` falling inside one ends the listing with
///   [`ListingError::Uncuttable`]) ([`ResultList`]).
/// - **`more_results`**: `bool` or `Option<bool>` ([`MoreResults`]).
/// - **`last_page`**: `bool` or `Option<bool>` ([`LastPage`]).
/// - **`offset`, `page`**: any integer type, optionally in `Option`.
/// - **`total`, `total_pages`**: any integer type, optionally in `Option` ([`Total`]).
/// - **`link`**: `Option<String>` or `String`, the header's text ([`LinkHeader`]).
///
/// Implement those traits for a type of your own to use it in that role.
///
/// # Wire names
///
/// The names in resume tokens and in [`PaginatedRequest::describe`] are
/// serde's own: the derive reads `#[serde(rename_all = ...)]` and
/// `#[serde(rename = ...)]` with serde's attribute parser, the serialize
/// names on the request and the deserialize names on the response.
///
/// # Requirements
///
/// The structs have named fields. The request is [`Clone`]; it has at least
/// one `input_token` (or one `offset` or `page`), every `output_token`
/// names one of them, and every `input_token` is fed by one (or by
/// `output_token(with = ...)`). The response has at least one `result_key`.
/// On a generic request
/// the pairing of tokens is checked when a listing of it is built: `cargo
/// build` reports it, `cargo check` does not.
///
/// # Examples
///
/// Flat fields, two tokens, a flag and a non-aggregate key (S3
/// `ListObjectVersions`):
///
/// ```
/// use paginate::{Paginated, PaginatedRequest};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(response = ListObjectVersionsOutput)]
/// struct ListObjectVersionsRequest {
///     bucket: String,
///     #[paginated(input_token)]
///     key_marker: Option<String>,
///     #[paginated(input_token)]
///     version_id_marker: Option<String>,
///     #[paginated(limit_key, min = 1, max = 1000)]
///     max_keys: Option<i32>,
/// }
///
/// #[derive(Deserialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// struct ListObjectVersionsOutput {
///     #[paginated(more_results)]
///     is_truncated: Option<bool>,
///     #[paginated(result_key)]
///     versions: Option<Vec<String>>,
///     #[paginated(result_key)]
///     delete_markers: Option<Vec<String>>,
///     #[paginated(output_token = key_marker)]
///     next_key_marker: Option<String>,
///     #[paginated(output_token = version_id_marker)]
///     next_version_id_marker: Option<String>,
///     #[paginated(non_aggregate)]
///     prefix: Option<String>,
/// }
///
/// let d = ListObjectVersionsRequest::describe();
/// assert_eq!(d.input_tokens, ["KeyMarker", "VersionIdMarker"]);
/// assert_eq!(d.output_tokens, ["NextKeyMarker", "NextVersionIdMarker"]);
/// assert_eq!(d.limit_key.map(|k| k.to_string()).as_deref(), Some("MaxKeys (1..=1000)"));
/// assert_eq!(d.result_keys, ["Versions", "DeleteMarkers"]);
/// assert_eq!(d.more_results.as_deref(), Some("IsTruncated"));
/// assert_eq!(d.non_aggregate_keys, ["Prefix"]);
/// ```
///
/// `primary` and `rename`: the second result key is the one `MaxItems`
/// counts, and a token's wire name is given where serde's attributes cannot
/// tell it:
///
/// ```
/// use paginate::{Paginated, PaginatedRequest};
///
/// #[derive(Clone, Default, Paginated)]
/// #[paginated(response = ListResponse)]
/// struct ListRequest {
///     #[paginated(input_token, rename = "Cursor")]
///     cursor: Option<String>,
///     #[paginated(limit_key, rename = "Limit")]
///     limit: Option<String>,
/// }
///
/// #[derive(Paginated)]
/// struct ListResponse {
///     #[paginated(result_key)]
///     count: Option<u64>,
///     #[paginated(result_key, primary)]
///     items: Vec<u32>,
///     #[paginated(output_token = cursor)]
///     next: Option<String>,
/// }
///
/// let d = ListRequest::describe();
/// assert_eq!(d.input_tokens, ["Cursor"]);
/// assert_eq!(d.result_keys, ["items", "count"]); // the primary first
/// ```
///
/// Paths into nested structs, and an output token computed from the last
/// item of the page (Kinesis `DescribeStream`):
///
/// ```
/// use paginate::{Paginated, PaginationConfig, Paginator};
///
/// #[derive(Clone, Default, Paginated)]
/// #[paginated(response = DescribeStreamOutput)]
/// struct DescribeStreamInput {
///     stream_name: String,
///     #[paginated(input_token)]
///     exclusive_start_shard_id: Option<String>,
///     #[paginated(limit_key)]
///     limit: Option<i32>,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(
///     result_key(path = "stream_description.shards"),
///     output_token(path = "stream_description.shards[-1].shard_id", feeds = exclusive_start_shard_id),
///     more_results(path = "stream_description.has_more_shards"),
///     non_aggregate(path = "stream_description.stream_status"),
/// )]
/// struct DescribeStreamOutput {
///     stream_description: Option<StreamDescription>,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(nested)]
/// struct StreamDescription {
///     shards: Option<Vec<Shard>>,
///     has_more_shards: Option<bool>,
///     stream_status: Option<String>,
/// }
///
/// #[derive(Debug, Default, PartialEq, Paginated)]
/// #[paginated(nested)]
/// struct Shard {
///     shard_id: Option<String>,
/// }
///
/// let kinesis = |req: DescribeStreamInput| -> Result<DescribeStreamOutput, String> {
///     let start = req.exclusive_start_shard_id.map_or(0, |id| id.parse::<u32>().unwrap_or(0) + 1);
///     let shards = (start..start + 2).map(|n| Shard { shard_id: Some(n.to_string()) }).collect();
///     Ok(DescribeStreamOutput {
///         stream_description: Some(StreamDescription {
///             shards: Some(shards),
///             has_more_shards: Some(start < 2),
///             stream_status: Some("ACTIVE".into()),
///         }),
///     })
/// };
/// let request = DescribeStreamInput { stream_name: "clicks".into(), ..Default::default() };
/// let shards: Vec<Shard> = Paginator::new(kinesis)
///     .paginate(request, PaginationConfig::default())
///     .items()
///     .collect::<Result<_, _>>()?;
/// let ids: Vec<_> = shards.iter().filter_map(|s| s.shard_id.as_deref()).collect();
/// assert_eq!(ids, ["0", "1", "2", "3"]);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// An output token with alternatives (S3 `ListObjects`: `NextMarker` when
/// the service sends one, else the last key of the page):
///
/// ```
/// use paginate::{Paginated, PaginatedRequest};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(response = ListObjectsOutput)]
/// struct ListObjectsRequest {
///     #[paginated(input_token)]
///     marker: Option<String>,
/// }
///
/// #[derive(Default, serde::Deserialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(
///     result_key(path = "contents"),
///     output_token(path = "next_marker || contents[-1].key", feeds = marker),
///     more_results(path = "is_truncated"),
/// )]
/// struct ListObjectsOutput {
///     next_marker: Option<String>,
///     contents: Option<Vec<Object>>,
///     is_truncated: Option<bool>,
/// }
///
/// #[derive(Default, serde::Deserialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(nested)]
/// struct Object {
///     key: Option<String>,
/// }
///
/// assert_eq!(ListObjectsRequest::describe().output_tokens, ["NextMarker || Contents[-1].Key"]);
/// ```
///
/// Tokens inside nested request structs (a GraphQL Relay connection, as
/// GitHub's API pages it):
///
/// ```
/// use paginate::{Paginated, PaginatedRequest, PaginationConfig, Paginator};
/// use serde::Serialize;
///
/// #[derive(Clone, Serialize, Paginated)]
/// #[paginated(
///     response = IssuesResponse,
///     input_token(path = "variables.after"),
///     limit_key(path = "variables.first", min = 1, max = 100),
/// )]
/// struct IssuesQuery {
///     query: &'static str,
///     variables: Variables,
/// }
///
/// #[derive(Clone, Default, Serialize, Paginated)]
/// #[paginated(nested)]
/// struct Variables {
///     first: u32,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     after: Option<String>,
/// }
///
/// #[derive(Paginated)]
/// #[paginated(
///     result_key(path = "issues.nodes"),
///     output_token(path = "issues.page_info.end_cursor", feeds = "variables.after"),
///     more_results(path = "issues.page_info.has_next_page"),
/// )]
/// struct IssuesResponse {
///     issues: Connection,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(nested)]
/// struct Connection {
///     nodes: Vec<u32>,
///     page_info: PageInfo,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(nested)]
/// struct PageInfo {
///     has_next_page: bool,
///     end_cursor: Option<String>,
/// }
///
/// let github = |q: IssuesQuery| -> Result<IssuesResponse, String> {
///     let start = q.variables.after.map_or(0, |c| c.parse::<u32>().unwrap_or(0));
///     let end = (start + q.variables.first).min(5);
///     Ok(IssuesResponse {
///         issues: Connection {
///             nodes: (start + 1..=end).collect(),
///             page_info: PageInfo { has_next_page: end < 5, end_cursor: Some(end.to_string()) },
///         },
///     })
/// };
/// let query = IssuesQuery { query: "query { ... }", variables: Variables::default() };
/// let config = PaginationConfig::default().with_page_size(2);
/// let issues: Vec<u32> = Paginator::new(github).paginate(query, config).items().collect::<Result<_, _>>()?;
/// assert_eq!(issues, [1, 2, 3, 4, 5]);
/// assert_eq!(IssuesQuery::describe().input_tokens, ["variables.after"]);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// A token computed from the request and the page (Discord's message history
/// has neither cursor nor flag: the next `after` is the last id of a full
/// page, and a short page is the last):
///
/// ```
/// use paginate::{Paginated, PaginationConfig, Paginator};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[paginated(response = Messages, output_token(with = next_after, feeds = after))]
/// struct History {
///     #[paginated(input_token)]
///     after: Option<u64>,
///     #[paginated(limit_key, min = 1, max = 100)]
///     limit: Option<u32>,
/// }
///
/// #[derive(Paginated)]
/// struct Messages {
///     #[paginated(result_key)]
///     ids: Vec<u64>,
/// }
///
/// fn next_after(request: &History, page: &Messages) -> Option<u64> {
///     let full = page.ids.len() >= request.limit.unwrap_or(50) as usize;
///     page.ids.last().copied().filter(|_| full)
/// }
///
/// let calls = std::cell::Cell::new(0);
/// let discord = |req: History| -> Result<Messages, String> {
///     calls.set(calls.get() + 1);
///     let after = req.after.unwrap_or(0);
///     Ok(Messages { ids: (after + 1..=7).take(req.limit.unwrap_or(50) as usize).collect() })
/// };
/// let config = PaginationConfig::default().with_page_size(3);
/// let ids: Vec<u64> = Paginator::new(&discord).paginate(History::default(), config).items().collect::<Result<_, _>>()?;
/// assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
/// assert_eq!(calls.get(), 3); // the short third page ended it
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// # Offsets and page numbers
///
/// The next request is computed by the library: an `offset` moves on by the
/// items each page came with, a `page` by one. A listing ends on an empty
/// page, on a false `more_results` or a true `last_page`, when the next
/// offset reaches `total` (or the last page of `total_pages` was read), and
/// with `short_page_ends` on a page shorter than the page size asked for.
/// Resume tokens stay botocore's format and are exact whatever `PageSize` the
/// resumed listing uses: an offset token folds the items already handed out
/// into the offset (`{"startAt": 45}`); a page token records the page size
/// beside the page number
/// (`{"page": 3, "per_page": 20, "boto_truncate_amount": 5}`) and is
/// translated to another one. A page token that records no page size (no
/// page size was sent) cannot be translated, and resuming it with a `PageSize`
/// is [`ConfigError::PageSizeNotRecorded`] before any request.
///
/// Jira's search, `startAt` and `total`:
///
/// ```
/// use paginate::{Listing, Paginated, PaginationConfig};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[serde(rename_all = "camelCase")]
/// #[paginated(response = SearchResults)]
/// struct Search {
///     jql: String,
///     #[paginated(offset)]
///     start_at: Option<u64>,
///     #[paginated(limit_key, min = 1, max = 100)]
///     max_results: Option<u32>,
/// }
///
/// #[derive(serde::Deserialize, Paginated)]
/// #[serde(rename_all = "camelCase")]
/// struct SearchResults {
///     #[paginated(result_key)]
///     issues: Vec<u64>,
///     #[paginated(total)]
///     total: u64,
/// }
///
/// let mut offsets = Vec::new();
/// let jira = |req: Search| -> Result<SearchResults, String> {
///     let start = req.start_at.unwrap_or(0);
///     offsets.push(start);
///     let size = u64::from(req.max_results.unwrap_or(50)).min(4); // the service serves at most 4
///     Ok(SearchResults { issues: (start..(start + size).min(10)).collect(), total: 10 })
/// };
/// let config = PaginationConfig::default().with_page_size(5);
/// let issues: Vec<u64> = Listing::new(jira, Search::default(), config).items().collect::<Result<_, _>>()?;
/// assert_eq!(issues, (0..10).collect::<Vec<_>>());
/// assert_eq!(offsets, [0, 4, 8]); // what each page came with; `total` ends it, no empty page is asked for
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// Jira Software's board sprints, `startAt` and `isLast`:
///
/// ```
/// use paginate::{Listing, Paginated, PaginatedRequest, PaginationConfig};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[serde(rename_all = "camelCase")]
/// #[paginated(response = Sprints)]
/// struct ListSprints {
///     #[paginated(offset)]
///     start_at: Option<u64>,
///     #[paginated(limit_key, min = 1)]
///     max_results: Option<u32>,
/// }
///
/// #[derive(serde::Deserialize, Paginated)]
/// #[serde(rename_all = "camelCase")]
/// struct Sprints {
///     #[paginated(result_key)]
///     values: Vec<u64>,
///     #[paginated(last_page)]
///     is_last: bool,
/// }
///
/// let mut offsets = Vec::new();
/// let jira = |req: ListSprints| -> Result<Sprints, String> {
///     let start = req.start_at.unwrap_or(0);
///     offsets.push(start);
///     let end = (start + u64::from(req.max_results.unwrap_or(50))).min(8);
///     Ok(Sprints { values: (start..end).collect(), is_last: end == 8 })
/// };
/// let config = PaginationConfig::default().with_page_size(4);
/// let sprints: Vec<u64> = Listing::new(jira, ListSprints::default(), config).items().collect::<Result<_, _>>()?;
/// assert_eq!(sprints, (0..8).collect::<Vec<_>>());
/// assert_eq!(offsets, [0, 4]); // `isLast` ends it: no empty page is asked for
/// assert_eq!(ListSprints::describe().last_page.as_deref(), Some("isLast"));
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// Page numbers from 1 with `total_pages` (GitHub-style `page`, `per_page`):
///
/// ```
/// # use paginate::{Paginated, PaginationConfig, Paginator};
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[paginated(response = Repos)]
/// struct ListRepos {
///     #[paginated(page)]
///     page: u32,
///     #[paginated(limit_key, min = 1, max = 100)]
///     per_page: Option<u32>,
/// }
///
/// #[derive(serde::Deserialize, Paginated)]
/// struct Repos {
///     #[paginated(result_key)]
///     repos: Vec<u32>,
///     #[paginated(total_pages)]
///     total_pages: u32,
/// }
///
/// let github = |req: ListRepos| -> Result<Repos, String> {
///     assert!(req.page >= 1, "GitHub refuses page 0");
///     Ok(Repos { repos: vec![req.page * 10, req.page * 10 + 1], total_pages: 3 })
/// };
/// let mut items = Paginator::new(github)
///     .paginate(ListRepos::default(), PaginationConfig::default().with_page_size(2).with_max_items(3))
///     .items();
/// assert_eq!(items.by_ref().collect::<Result<Vec<_>, _>>()?, [10, 11, 20]);
/// // Page 2 of 2 items, one handed out: exact under any PageSize it is resumed with.
/// let token = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, items.resume_token().unwrap()).unwrap();
/// assert_eq!(String::from_utf8(token).unwrap(), r#"{"page": 2, "per_page": 2, "boto_truncate_amount": 1}"#);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// # Link headers, bare arrays and backward paging
///
/// A token in the HTTP `Link` header and a bare JSON array for a body
/// (GitHub's REST API; feature `link`). The derive cannot see headers: the
/// client copies the `Link` header into the `link` field, which serde skips
/// (several `Link` header lines are one list: joined with `, `),
/// and the listing takes the target of `rel="next"` (relations compare
/// ignoring ASCII case) as the token: an absolute URL, or a path from the
/// root (`</repos?page=2>` gives `/repos?page=2`) for the client to resolve.
/// No header, or none of that relation, ends the listing; a header that
/// does not parse, or a target relative to the request's path (`<?page=2>`),
/// is [`ListingError::BadOutputToken`] after the page's items. The
/// request's token is the next URL, which the client requests as it is: it
/// carries the query (`per_page` too), so a resume token that holds one
/// resumes exactly under any `PageSize`. The body is the array itself, so
/// the response is `#[serde(transparent)]`; its full result is not a map and
/// does not serialize as botocore's (read its fields instead).
/// `examples/github-link` runs this over HTTP with reqwest.
///
/// ```
/// # #[cfg(feature = "link")] {
/// use paginate::{Paginated, PaginatedRequest, PaginationConfig, Paginator};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Default, Serialize, Paginated)]
/// #[paginated(response = RepoPage)]
/// struct ListRepos {
///     #[serde(skip)]
///     #[paginated(input_token)]
///     url: Option<String>,
///     #[paginated(limit_key, min = 1, max = 100)]
///     per_page: Option<u32>,
/// }
///
/// #[derive(Deserialize, Paginated)]
/// #[serde(transparent)]
/// struct RepoPage {
///     #[paginated(result_key)]
///     repos: Vec<u32>,
///     #[serde(skip)]
///     #[paginated(output_token = url, link = "next")]
///     link: Option<String>,
/// }
///
/// // What an HTTP client would do: GET the URL, read the body, copy the header.
/// let github = |req: ListRepos| -> Result<RepoPage, serde_json::Error> {
///     let (body, link) = match req.url.as_deref() {
///         None => ("[1, 2]", Some(r#"<https://api.github.com/user/repos?page=2>; rel="next""#)),
///         Some("https://api.github.com/user/repos?page=2") => ("[3]", None),
///         Some(other) => panic!("unexpected URL {other}"),
///     };
///     let mut page: RepoPage = serde_json::from_str(body)?;
///     page.link = link.map(str::to_owned);
///     Ok(page)
/// };
/// let repos: Vec<u32> = Paginator::new(github)
///     .paginate(ListRepos::default(), PaginationConfig::default())
///     .items()
///     .collect::<Result<_, _>>()?;
/// assert_eq!(repos, [1, 2, 3]);
/// assert_eq!(ListRepos::describe().output_tokens, [r#"Link rel="next""#]);
/// # }
/// # Ok::<(), paginate::Error<serde_json::Error>>(())
/// ```
///
/// Backward paging needs no attribute of its own: the cursor is the first
/// item's (Stripe's `ending_before`), an index counted from the start, read
/// from the page as the service sent it. Items come in the service's order:
///
/// ```
/// use paginate::{Paginated, PaginationConfig, Paginator};
///
/// #[derive(Clone, Default, Paginated)]
/// #[paginated(response = Charges)]
/// struct ListCharges {
///     #[paginated(input_token)]
///     ending_before: Option<String>,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(output_token(path = "data[0].id", feeds = ending_before))]
/// struct Charges {
///     #[paginated(result_key)]
///     data: Vec<Charge>,
///     #[paginated(more_results)]
///     has_more: bool,
/// }
///
/// #[derive(Default, Paginated)]
/// #[paginated(nested)]
/// struct Charge {
///     id: String,
/// }
///
/// // Newest first; `ending_before = id` lists the two charges before `id` in that order.
/// let ids = ["ch_6", "ch_5", "ch_4", "ch_3", "ch_2", "ch_1"];
/// let stripe = |req: ListCharges| -> Result<Charges, String> {
///     let end = ids.iter().position(|id| Some(*id) == req.ending_before.as_deref()).ok_or("no cursor")?;
///     let start = end.saturating_sub(2);
///     let data = ids[start..end].iter().map(|id| Charge { id: id.to_string() }).collect();
///     Ok(Charges { data, has_more: start > 0 })
/// };
/// let from = ListCharges { ending_before: Some("ch_1".into()) };
/// let newer: Vec<String> = Paginator::new(stripe)
///     .paginate(from, PaginationConfig::default())
///     .items()
///     .map(|c| c.map(|c| c.id))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(newer, ["ch_3", "ch_2", "ch_5", "ch_4", "ch_6"]);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
///
/// The `paginate` crate under another name:
///
/// ```
/// # extern crate paginate as my_paginate;
/// use my_paginate::Paginated;
///
/// #[derive(Clone, Paginated)]
/// #[paginated(crate = "my_paginate", response = Page)]
/// struct Request {
///     #[paginated(input_token)]
///     next_token: Option<String>,
/// }
///
/// #[derive(Paginated)]
/// #[paginated(crate = "my_paginate")]
/// struct Page {
///     #[paginated(result_key)]
///     items: Vec<u32>,
///     #[paginated(output_token)]
///     next_token: Option<String>,
/// }
/// ```
pub use paginate_derive::Paginated;

/// What `#[derive(Paginated)]` expands to refers to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use paginate_core::__private::*;
}
