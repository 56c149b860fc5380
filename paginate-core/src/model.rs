//! The traits `#[derive(Paginated)]` implements, and the field-type traits it relies on.

use serde_json::Value;

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
/// struct ListThingsResponse {
///     #[paginated(result_key)]
///     things: Option<Vec<String>>,
///     #[paginated(output_token = next_token)]
///     next_token: Option<String>,
/// }
///
/// assert_eq!(ListThingsRequest::INPUT_TOKENS, ["NextToken"]);
/// assert_eq!(ListThingsRequest::LIMIT_KEY.map(|k| k.name), Some("MaxResults"));
/// ```
pub trait PaginatedRequest: Clone {
    /// The response type of the operation.
    type Response: PaginatedResponse;

    /// Wire names of the input tokens, in token order (the key order of resume tokens).
    const INPUT_TOKENS: &'static [&'static str];

    /// Rust field names of the input tokens, in the same order; output tokens name these.
    const INPUT_TOKEN_FIELDS: &'static [&'static str];

    /// The limit key (botocore's `limit_key`), if the operation has one.
    const LIMIT_KEY: Option<LimitKey>;

    /// For each input token, the compile error shown when no output token feeds it.
    #[doc(hidden)]
    const __UNFED_INPUT_TOKEN_ERRORS: &'static [&'static str] = &[];

    /// Sets input token `index` from its JSON value (`Value::Null` clears it).
    fn set_input_token(&mut self, index: usize, value: Value) -> Result<(), serde_json::Error>;

    /// Sets the limit key to `page_size`; `None` when the field's type cannot hold it.
    fn set_page_size(&mut self, page_size: u64) -> Option<()>;
}

/// The limit key of an operation and its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitKey {
    /// Wire name, e.g. `MaxResults`.
    pub name: &'static str,
    /// Smallest page size the service accepts, if declared.
    pub min: Option<u64>,
    /// Largest page size the service accepts, if declared.
    pub max: Option<u64>,
}

/// A response page: implemented by `#[derive(Paginated)]` on a struct without
/// `#[paginated(response = ...)]`. See [`PaginatedRequest`] for an example.
pub trait PaginatedResponse: Sized {
    /// An element of the primary (first) result key.
    type Item;

    /// For each output token, the Rust name of the request field it feeds.
    const OUTPUT_TOKEN_TARGETS: &'static [&'static str];

    /// Wire names of the output tokens, in the same order.
    const OUTPUT_TOKENS: &'static [&'static str];

    /// For each output token, the compile error shown when it names no input token.
    #[doc(hidden)]
    const __UNKNOWN_TARGET_ERRORS: &'static [&'static str] = &[];

    /// Wire names of the result keys, the primary one first.
    const RESULT_KEYS: &'static [&'static str];

    /// Wire name of the `more_results` flag, if any.
    const MORE_RESULTS: Option<&'static str>;

    /// Wire names of the non-aggregate keys.
    const NON_AGGREGATE_KEYS: &'static [&'static str];

    /// Output token number `index` (in [`Self::OUTPUT_TOKEN_TARGETS`] order) as JSON.
    fn output_token(&self, index: usize) -> Result<Value, serde_json::Error>;

    /// The `more_results` flag, or `None` when the operation has none.
    fn more_results(&self) -> Option<bool>;

    /// Number of items in the primary result key.
    fn result_len(&self) -> usize;

    /// Drops the first `n` items of the primary result key.
    fn skip_results(&mut self, n: usize);

    /// Keeps only the first `keep` items of the primary result key.
    fn truncate_results(&mut self, keep: usize);

    /// Empties every list and string result key but the primary one (botocore
    /// does this to the first page of a resumed listing; numbers are kept).
    fn clear_secondary_results(&mut self);

    /// Moves the items of the primary result key out of the page.
    fn take_items(&mut self) -> Vec<Self::Item>;

    /// Adds `page`'s result keys to this full result: lists are concatenated,
    /// numbers summed, strings concatenated.
    fn merge_page(&mut self, page: Self);

    /// This page reduced to what a full result holds: its result keys and
    /// non-aggregate keys, every other field at its default.
    fn into_full_result_base(self) -> Self;
}

/// A field type usable as a result key: it can be aggregated into a full
/// result and emptied.
///
/// ```
/// use paginate::ResultKey;
/// let mut count = Some(2_u64);
/// count.aggregate(Some(3));
/// assert_eq!(count, Some(5));
/// let mut names = Some(vec!["a"]);
/// names.aggregate(None); // a page without the key adds nothing
/// names.aggregate(Some(vec!["b"]));
/// assert_eq!(names, Some(vec!["a", "b"]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a paginated result key",
    label = "not a list, number or string",
    note = "a result key must be `Vec<T>`, a number or `String`, optionally inside `Option`"
)]
pub trait ResultKey {
    /// Folds the same key of a later page into this one.
    fn aggregate(&mut self, later: Self);
    /// Empties the value for the first page of a resumed listing: lists
    /// become `[]` and strings `""`; numbers and absent values stay as they are.
    fn clear(&mut self);
}

/// A field type usable as the primary result key: a list of items.
///
/// ```
/// use paginate::ResultList;
/// let mut page = Some(vec![1, 2, 3, 4]);
/// page.skip(1); // a resumed first page drops what was already handed out
/// page.keep(2); // MaxItems cuts the end
/// assert_eq!(ResultList::len(&page), 2);
/// assert_eq!(ResultList::take(&mut page), vec![2, 3]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the primary result key",
    label = "not a list",
    note = "the first result key (the one `MaxItems` counts) must be `Vec<T>` or `Option<Vec<T>>`"
)]
pub trait ResultList: ResultKey {
    /// The element type.
    type Item;
    /// Number of items.
    fn len(&self) -> usize;
    /// True when there are no items.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Drops the first `n` items.
    fn skip(&mut self, n: usize);
    /// Keeps the first `keep` items.
    fn keep(&mut self, keep: usize);
    /// Moves all items out.
    fn take(&mut self) -> Vec<Self::Item>;
}

impl<T> ResultKey for Vec<T> {
    fn aggregate(&mut self, later: Self) {
        self.extend(later);
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

impl<T> ResultList for Vec<T> {
    type Item = T;
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn skip(&mut self, n: usize) {
        self.drain(..n.min(Vec::len(self)));
    }
    fn keep(&mut self, keep: usize) {
        self.truncate(keep);
    }
    fn take(&mut self) -> Vec<T> {
        std::mem::take(self)
    }
}

impl ResultKey for String {
    fn aggregate(&mut self, later: Self) {
        self.push_str(&later);
    }
    fn clear(&mut self) {
        String::clear(self);
    }
}

macro_rules! numeric_result_key {
    ($($t:ty),*) => {$(
        impl ResultKey for $t {
            fn aggregate(&mut self, later: Self) {
                *self += later;
            }
            /// Numbers keep their value: botocore (since 1.36) leaves a resumed
            /// page's counts as the service reported them.
            fn clear(&mut self) {}
        }
    )*};
}
numeric_result_key!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);

impl<T: ResultKey> ResultKey for Option<T> {
    fn aggregate(&mut self, later: Self) {
        match (self.as_mut(), later) {
            (_, None) => {}
            (None, later) => *self = later,
            (Some(existing), Some(later)) => existing.aggregate(later),
        }
    }
    fn clear(&mut self) {
        if let Some(value) = self {
            value.clear();
        }
    }
}

impl<T: ResultList> ResultList for Option<T> {
    type Item = T::Item;
    fn len(&self) -> usize {
        self.as_ref().map_or(0, T::len)
    }
    fn skip(&mut self, n: usize) {
        if let Some(list) = self {
            list.skip(n);
        }
    }
    fn keep(&mut self, keep: usize) {
        if let Some(list) = self {
            list.keep(keep);
        }
    }
    fn take(&mut self) -> Vec<T::Item> {
        self.as_mut().map(T::take).unwrap_or_default()
    }
}

/// A field type usable as a limit key: an integer or a string (some services
/// declare their page size as a string).
///
/// ```
/// use paginate::LimitValue;
/// assert_eq!(<Option<i32>>::from_page_size(50), Some(Some(50)));
/// assert_eq!(<Option<u8>>::from_page_size(300), None); // does not fit: a config error
/// assert_eq!(String::from_page_size(7).as_deref(), Some("7"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a limit key",
    label = "not an integer or string",
    note = "a limit key must be an integer type or `String`, optionally inside `Option`"
)]
pub trait LimitValue: Sized {
    /// The field value for a page size, or `None` when it does not fit the type.
    fn from_page_size(page_size: u64) -> Option<Self>;
}

macro_rules! integer_limit {
    ($($t:ty),*) => {$(
        impl LimitValue for $t {
            fn from_page_size(page_size: u64) -> Option<Self> {
                <$t>::try_from(page_size).ok()
            }
        }
    )*};
}
integer_limit!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl LimitValue for String {
    fn from_page_size(page_size: u64) -> Option<Self> {
        Some(page_size.to_string())
    }
}

impl<T: LimitValue> LimitValue for Option<T> {
    fn from_page_size(page_size: u64) -> Option<Self> {
        T::from_page_size(page_size).map(Some)
    }
}

/// A field type usable as the `more_results` flag (S3's `IsTruncated`).
///
/// ```
/// use paginate::MoreResults;
/// assert!(Some(true).more());
/// assert!(!None::<bool>.more()); // absent means no more pages, as in botocore
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a more_results flag",
    label = "not a bool",
    note = "a more_results field must be `bool` or `Option<bool>`"
)]
pub trait MoreResults {
    /// Python truthiness of the flag: absent means "no more".
    fn more(&self) -> bool;
}

impl MoreResults for bool {
    fn more(&self) -> bool {
        *self
    }
}

impl<T: MoreResults> MoreResults for Option<T> {
    fn more(&self) -> bool {
        self.as_ref().is_some_and(T::more)
    }
}

/// Python truthiness of a token value: `None`, `""`, `0`, `false`, `[]` and
/// `{}` all mean "no token" to botocore.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Checks, at compile time, that every output token of `R::Response` names an
/// input token of `R` and that every input token is fed by one.
#[doc(hidden)]
pub const fn check_tokens<R: PaginatedRequest>() {
    let inputs = R::INPUT_TOKEN_FIELDS;
    let outputs = <R::Response as PaginatedResponse>::OUTPUT_TOKEN_TARGETS;
    let mut i = 0;
    while i < outputs.len() {
        if !contains(inputs, outputs[i]) {
            let errors = <R::Response as PaginatedResponse>::__UNKNOWN_TARGET_ERRORS;
            if i < errors.len() {
                panic!("{}", errors[i]);
            }
            panic!("an `output_token` of the response names no `input_token` field of the request");
        }
        i += 1;
    }
    let mut i = 0;
    while i < inputs.len() {
        if !contains(outputs, inputs[i]) {
            let errors = R::__UNFED_INPUT_TOKEN_ERRORS;
            if i < errors.len() {
                panic!("{}", errors[i]);
            }
            panic!("an `input_token` of the request has no `output_token` in the response");
        }
        i += 1;
    }
}

const fn contains(list: &[&str], item: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if str_eq(list[i], item) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn option_aggregation_follows_botocore() {
        let mut full: Option<Vec<i32>> = None;
        full.aggregate(Some(vec![1]));
        full.aggregate(None);
        full.aggregate(Some(vec![2, 3]));
        assert_eq!(full, Some(vec![1, 2, 3]));
        let mut count = Some(2_i64);
        count.aggregate(Some(5));
        assert_eq!(count, Some(7));
        let mut absent: Option<String> = None;
        absent.clear();
        assert_eq!(absent, None);
        let mut s = Some("ab".to_owned());
        s.aggregate(Some("cd".to_owned()));
        assert_eq!(s.as_deref(), Some("abcd"));
        s.clear();
        assert_eq!(s.as_deref(), Some(""));
    }

    #[test]
    fn list_slicing_clamps_like_python() {
        let mut v = Some(vec![1, 2, 3]);
        v.skip(5);
        assert_eq!(v, Some(vec![]));
        let mut v = vec![1, 2, 3];
        ResultList::skip(&mut v, 1);
        ResultList::keep(&mut v, 1);
        assert_eq!(v, vec![2]);
    }

    #[test]
    fn truthiness_matches_python() {
        for falsy in [
            json!(null),
            json!(""),
            json!(0),
            json!(0.0),
            json!(false),
            json!([]),
            json!({}),
        ] {
            assert!(!truthy(&falsy), "{falsy}");
        }
        for t in [json!("a"), json!(1), json!(true), json!([0]), json!({"a": null})] {
            assert!(truthy(&t), "{t}");
        }
    }

    #[test]
    fn limit_values_convert_or_refuse() {
        assert_eq!(<Option<i32>>::from_page_size(5), Some(Some(5)));
        assert_eq!(<Option<i32>>::from_page_size(u64::MAX), None);
        assert_eq!(String::from_page_size(7).as_deref(), Some("7"));
    }
}
