//! The traits `#[derive(Paginated)]` implements, and the description of an
//! operation's pagination they carry.
//!
//! The derive is the only supported way to implement them: their items other
//! than the associated types and [`PaginatedRequest::describe`] are the
//! derive's plumbing, hidden from the documentation, and may change in any
//! release; what speaks the runtime's own types (token values, token tables)
//! is in hidden supertraits, so that no hidden type is in a public
//! signature. Use the traits as bounds (`where Req: PaginatedRequest`).

use crate::value::TokenValue;

/// A request that can be paginated: implemented by `#[derive(Paginated)]` on a
/// struct with `#[paginated(response = ...)]`.
///
/// ```
/// use paginate::{Paginated, PaginatedRequest};
///
/// #[derive(Clone, Default, serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(response = ListThingsResponse)]
/// struct ListThingsRequest {
///     #[paginated(input_token)]
///     next_token: Option<String>,
///     #[paginated(limit_key, min = 1, max = 100)]
///     max_results: Option<i32>,
/// }
///
/// #[derive(serde::Deserialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// struct ListThingsResponse {
///     #[paginated(result_key)]
///     things: Option<Vec<String>>,
///     #[paginated(output_token = next_token)]
///     next_token: Option<String>,
/// }
///
/// let described = ListThingsRequest::describe();
/// assert_eq!(described.input_tokens, ["NextToken"]);
/// assert_eq!(described.limit_key.map(|k| k.name), Some("MaxResults"));
/// ```
pub trait PaginatedRequest: Clone + RequestTokens {
    /// The response type of the operation.
    type Response: PaginatedResponse;

    #[doc(hidden)]
    /// The limit key (botocore's `limit_key`), if the operation has one.
    const LIMIT_KEY: Option<LimitKey>;

    #[doc(hidden)]
    /// True for the stub impl a failed derive emits: its pairing is not checked.
    const DERIVE_FAILED: bool = false;

    #[doc(hidden)]
    /// Sets the limit key to `page_size`; `None` when the field's type cannot hold it.
    fn set_page_size(&mut self, page_size: u64) -> Option<()>;

    #[doc(hidden)]
    /// The page size the limit key holds; `None` when it is absent or the
    /// operation has no limit key (the service's default, unknown here).
    fn page_size(&self) -> Option<u64> {
        None
    }

    /// The operation's pagination, in the terms of botocore's `paginators-1.json`.
    fn describe() -> Description {
        let keys = <Self::Response as ResponseTokens>::describe_keys();
        Description {
            input_tokens: Self::INPUT_TOKENS.iter().map(|t| t.wire.to_owned()).collect(),
            output_tokens: Self::INPUT_TOKENS
                .iter()
                .filter_map(|input| {
                    let output = keys.output_tokens.iter().find(|(_, feeds)| *feeds == input.field);
                    let computed = Self::COMPUTED_TOKENS.iter().find(|c| c.field == input.field);
                    output
                        .map(|(wire, _)| wire.clone())
                        .or_else(|| computed.map(|c| c.wire.to_owned()))
                })
                .collect(),
            limit_key: Self::LIMIT_KEY,
            result_keys: keys.result_keys,
            more_results: keys.more_results,
            non_aggregate_keys: keys.non_aggregate_keys,
            last_page: keys.last_page,
        }
    }
}

/// A response page: implemented by `#[derive(Paginated)]` on a struct without
/// `#[paginated(response = ...)]`. See [`PaginatedRequest`] for an example.
pub trait PaginatedResponse: Sized + ResponseTokens {
    /// An element of the primary result key: what item iterators yield.
    type Item;

    #[doc(hidden)]
    /// True for the stub impl a failed derive emits: its pairing is not checked.
    const DERIVE_FAILED: bool = false;

    #[doc(hidden)]
    /// The `more_results` flag, or `None` when the operation has none.
    fn more_results(&self) -> Option<bool>;

    #[doc(hidden)]
    /// The `last_page` flag: true when the page says it is the last; false
    /// when it says otherwise, says nothing, or the operation has no such flag.
    fn last_page(&self) -> bool {
        false
    }

    #[doc(hidden)]
    /// The `total` field: how many items the whole listing has, if the page says.
    fn total(&self) -> Option<u64> {
        None
    }

    #[doc(hidden)]
    /// The `total_pages` field: how many pages the whole listing has, if the page says.
    fn total_pages(&self) -> Option<u64> {
        None
    }

    #[doc(hidden)]
    /// The primary result key is one piece (a map): [`ResultKey::WHOLE`](crate::ResultKey::WHOLE).
    const RESULTS_WHOLE: bool = false;

    #[doc(hidden)]
    /// Number of items in the primary result key.
    fn result_len(&self) -> usize;

    #[doc(hidden)]
    /// Drops the first `n` items of the primary result key.
    fn skip_results(&mut self, n: usize);

    #[doc(hidden)]
    /// Keeps only the first `keep` items of the primary result key.
    fn truncate_results(&mut self, keep: usize);

    #[doc(hidden)]
    /// Empties every list and string result key but the primary one (botocore
    /// does this to the first page of a resumed listing; numbers are kept).
    fn clear_secondary_results(&mut self);

    #[doc(hidden)]
    /// Moves the items of the primary result key out of the page.
    fn take_items(&mut self) -> Vec<Self::Item>;

    #[doc(hidden)]
    /// Keeps the items of the primary result key that `keep` says yes to;
    /// false when its type cannot drop items one by one.
    fn retain_results(&mut self, keep: &mut dyn FnMut(&Self::Item) -> bool) -> bool {
        let _ = keep;
        false
    }

    #[doc(hidden)]
    /// Adds `page`'s result keys to this full result: lists are concatenated,
    /// numbers summed, strings concatenated.
    fn merge_page(&mut self, page: Self);

    #[doc(hidden)]
    /// The full result of a listing that yielded no page: every field at its default.
    fn empty_full_result() -> Self;

    #[doc(hidden)]
    /// This page reduced to what a full result holds: its result keys and
    /// non-aggregate keys, every other field at its default.
    fn into_full_result_base(self) -> Self;
}

/// The request's side of the tokens, in the runtime's own terms: the
/// supertrait of [`PaginatedRequest`] that `#[derive(Paginated)]` implements
/// with it, kept apart so that no hidden type appears in the public trait.
#[doc(hidden)]
pub trait RequestTokens {
    /// The input tokens in token order (the key order of resume tokens).
    const INPUT_TOKENS: &'static [TokenField];

    /// Sets input token `index` from a JSON value (`null` sets the field's
    /// default), as `serde_json::from_str` would from its text.
    fn set_input_token(&mut self, index: usize, value: &TokenValue) -> Result<(), serde_json::Error>;

    /// Input token `index` as the request holds it, as a JSON value.
    fn input_token(&self, index: usize) -> Result<TokenValue, serde_json::Error>;

    /// The tokens computed by a function of the request and the page
    /// (`output_token(with = ..., feeds = ...)` on the request): each entry's
    /// `wire` is how `describe()` names it, its `field` the input token it
    /// feeds, its `unpaired` the error when an output token feeds that one too.
    const COMPUTED_TOKENS: &'static [TokenField] = &[];

    /// Computed token `index` (in [`Self::COMPUTED_TOKENS`] order) for the
    /// page this request returned, as a JSON value.
    fn computed_token(
        &self,
        index: usize,
        page: &<Self as PaginatedRequest>::Response,
    ) -> Result<TokenValue, serde_json::Error>
    where
        Self: PaginatedRequest,
    {
        let _ = (index, page);
        Ok(TokenValue::Null)
    }
}

/// The response's side of the tokens: the supertrait of
/// [`PaginatedResponse`], as [`RequestTokens`] is of [`PaginatedRequest`].
#[doc(hidden)]
pub trait ResponseTokens {
    /// The output tokens; each entry's `field` is the request field it feeds.
    const OUTPUT_TOKENS: &'static [TokenField];

    /// Output token number `index` (in [`Self::OUTPUT_TOKENS`] order) as a
    /// JSON value, as parsing `serde_json::to_string` of it would give.
    fn output_token(&self, index: usize) -> Result<TokenValue, serde_json::Error>;

    /// The wire names (botocore's expressions) of every key, for [`PaginatedRequest::describe`].
    fn describe_keys() -> ResponseKeys {
        ResponseKeys::default()
    }
}

/// An operation's pagination, as botocore's `paginators-1.json` describes it:
/// what [`PaginatedRequest::describe`] returns. Names are wire names.
///
/// ```
/// # use paginate::{Paginated, PaginatedRequest};
/// # #[derive(Clone, serde::Serialize, Paginated)]
/// # #[serde(rename_all = "PascalCase")]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] key_marker: Option<String>, #[paginated(input_token)] version_id_marker: Option<String> }
/// # #[derive(serde::Deserialize, Paginated)]
/// # #[serde(rename_all = "PascalCase")]
/// # struct Resp {
/// #     #[paginated(output_token = version_id_marker)] next_version_id_marker: Option<String>,
/// #     #[paginated(output_token = key_marker)] next_key_marker: Option<String>,
/// #     #[paginated(result_key)] versions: Vec<String>,
/// #     #[paginated(more_results)] is_truncated: Option<bool>,
/// # }
/// let d = Req::describe();
/// // Output tokens are listed in input-token order, as botocore pairs them.
/// assert_eq!(d.input_tokens, ["KeyMarker", "VersionIdMarker"]);
/// assert_eq!(d.output_tokens, ["NextKeyMarker", "NextVersionIdMarker"]);
/// assert_eq!(d.result_keys, ["Versions"]);
/// assert_eq!(d.more_results.as_deref(), Some("IsTruncated"));
/// assert!(d.limit_key.is_none() && d.non_aggregate_keys.is_empty() && d.last_page.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Description {
    /// `input_token`: the request's token fields, in token order.
    pub input_tokens: Vec<String>,
    /// `output_token`: what feeds each input token, in the same order; a
    /// path into nested structs or an expression (`NextMarker || Contents[-1].Key`).
    pub output_tokens: Vec<String>,
    /// `limit_key`, with the page-size range declared on it.
    pub limit_key: Option<LimitKey>,
    /// `result_key`: the primary (counted by `MaxItems`) first.
    pub result_keys: Vec<String>,
    /// `more_results`.
    pub more_results: Option<String>,
    /// `non_aggregate_keys`.
    pub non_aggregate_keys: Vec<String>,
    /// The flag that, true, says a page is the last (Jira Software's
    /// `isLast`): not botocore's, whose `more_results` says the opposite and
    /// ends a listing when absent; this one, absent, leaves the end to the tokens.
    pub last_page: Option<String>,
}

/// The limit key of an operation and its declared range.
///
/// ```
/// let key = paginate::LimitKey { name: "MaxResults", min: Some(1), max: Some(100) };
/// assert_eq!(key.to_string(), "MaxResults (1..=100)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitKey {
    /// Wire name, e.g. `MaxResults`.
    pub name: &'static str,
    /// Smallest page size the service accepts, if declared.
    pub min: Option<u64>,
    /// Largest page size the service accepts, if declared.
    pub max: Option<u64>,
}

impl LimitKey {
    /// The declared range as text, `1..=100`, `1..=` or `..=`.
    pub(crate) fn range(&self) -> String {
        let bound = |b: Option<u64>| b.map(|b| b.to_string()).unwrap_or_default();
        format!("{}..={}", bound(self.min), bound(self.max))
    }

    /// True when `page_size` is in the declared range.
    pub(crate) fn admits(&self, page_size: u64) -> bool {
        self.min.is_none_or(|min| page_size >= min) && self.max.is_none_or(|max| page_size <= max)
    }
}

impl std::fmt::Display for LimitKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.range())
    }
}

/// One token field, as the derive records it: its wire name (input tokens;
/// output tokens leave it empty, their wire names and expressions are in
/// `describe_keys`), the Rust field of the request it belongs to (an output
/// token: the one it feeds), the compile error shown when it has no partner,
/// and how its next value is found.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct TokenField {
    pub wire: &'static str,
    pub field: &'static str,
    pub unpaired: &'static str,
    pub kind: TokenKind,
}

/// How an input token's next value is found: read from the page (a cursor
/// an output token feeds), or computed by the library from the request and
/// the page (offsets and page numbers, which no output token feeds).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An output token of the page feeds it.
    Cursor,
    /// `#[paginated(offset)]`: this value (absent: 0) plus the items the page returned.
    Offset {
        /// `short_page_ends`: a page shorter than the request's page size ends the listing.
        short_page_ends: bool,
    },
    /// `#[paginated(page)]`: this value (absent: `first`) plus one.
    Page {
        /// The number of the first page.
        first: u64,
        /// `short_page_ends`: a page shorter than the request's page size ends the listing.
        short_page_ends: bool,
    },
}

/// A response's keys by wire name (botocore's expressions); output tokens
/// with the request field each feeds.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct ResponseKeys {
    pub output_tokens: Vec<(String, &'static str)>,
    pub result_keys: Vec<String>,
    pub more_results: Option<String>,
    pub non_aggregate_keys: Vec<String>,
    pub last_page: Option<String>,
}

/// Checks, at compile time, that every output token of `R::Response` names an
/// input token of `R` and that every input token is fed by one (or by a
/// token `R` computes, which feeds no input token an output token feeds).
#[doc(hidden)]
pub const fn check_tokens<R: PaginatedRequest>() {
    if R::DERIVE_FAILED || <R::Response as PaginatedResponse>::DERIVE_FAILED {
        return;
    }
    let inputs = R::INPUT_TOKENS;
    let outputs = <R::Response as ResponseTokens>::OUTPUT_TOKENS;
    let computed = R::COMPUTED_TOKENS;
    let mut i = 0;
    while i < outputs.len() {
        if !feeds_any(inputs, outputs[i].field) {
            panic!("{}", outputs[i].unpaired);
        }
        if feeds_computed(inputs, outputs[i].field) {
            panic!(
                "an output token of the response feeds the request's `offset` or `page` field, which the library \
                 computes from the pages: remove that `output_token`, or make the field an `input_token`"
            );
        }
        let mut j = 0;
        while j < computed.len() {
            if str_eq(computed[j].field, outputs[i].field) {
                panic!("{}", computed[j].unpaired);
            }
            j += 1;
        }
        i += 1;
    }
    let mut i = 0;
    while i < inputs.len() {
        let counted = !matches!(inputs[i].kind, TokenKind::Cursor);
        if !counted && !feeds_any(outputs, inputs[i].field) && !feeds_any(computed, inputs[i].field) {
            panic!("{}", inputs[i].unpaired);
        }
        i += 1;
    }
}

/// The token pairing of `Self`, checked when a listing of it is built: this
/// is what catches a generic request, which the derive cannot check in a
/// free `const` item. A mismatch fails the build (`cargo build`; `cargo
/// check` does not evaluate it).
#[doc(hidden)]
pub trait TokensPaired: PaginatedRequest {
    const PAIRED: () = check_tokens::<Self>();
}

impl<R: PaginatedRequest> TokensPaired for R {}

/// True when `field` is an input token of `inputs` that the library computes.
const fn feeds_computed(inputs: &[TokenField], field: &str) -> bool {
    let mut i = 0;
    while i < inputs.len() {
        if str_eq(inputs[i].field, field) && !matches!(inputs[i].kind, TokenKind::Cursor) {
            return true;
        }
        i += 1;
    }
    false
}

const fn feeds_any(list: &[TokenField], field: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if str_eq(list[i].field, field) {
            return true;
        }
        i += 1;
    }
    false
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
