//! `build_full_result()`: every page merged into one.

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};

use crate::model::PaginatedResponse;
use crate::value::TokenValue;

/// Every page of a listing merged, as botocore's `build_full_result()` does:
/// result keys aggregated (lists concatenated, numbers summed, strings
/// concatenated), non-aggregate keys taken from the first page, every other
/// field left at its default, and the resume token when `MaxItems` stopped the listing.
///
/// It serializes to botocore's document: the response's fields plus `NextToken`.
///
/// ```
/// # use paginate::{Paginated, Listing, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// #[derive(serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// struct Resp {
///     #[paginated(result_key)]
///     items: Option<Vec<u32>>,
///     #[paginated(result_key)]
///     count: Option<u64>,
///     #[paginated(output_token = next_token)]
///     #[serde(skip_serializing_if = "Option::is_none")]
///     next_token: Option<String>,
/// }
/// let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
///     None => Resp { items: Some(vec![1, 2]), count: Some(2), next_token: Some("p2".into()) },
///     Some(_) => Resp { items: Some(vec![3]), count: Some(1), next_token: None },
/// });
/// let full = Listing::new(service, Req::default(), PaginationConfig::default().with_max_items(2)).full_result()?;
/// assert_eq!(
///     serde_json::to_string(&full).unwrap(),
///     r#"{"Items":[1,2],"Count":2,"NextToken":"eyJuZXh0X3Rva2VuIjogInAyIn0="}"#
/// );
/// # Ok::<(), paginate::Error<String>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FullResult<R> {
    /// The merged response.
    pub result: R,
    /// Where to resume when the listing stopped early (`MaxItems`).
    pub resume_token: Option<String>,
}

/// The response's fields in their order, then `NextToken` when there is a
/// resume token. A `NextToken` the response itself serializes (its output
/// token, reset to its default) is left out, so the key appears once.
impl<R: Serialize> Serialize for FullResult<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(&self.result).map_err(S::Error::custom)?;
        let entries = match TokenValue::from_json(&text).map_err(S::Error::custom)? {
            TokenValue::Object(entries) => entries,
            _ => return Err(S::Error::custom("a full result must serialize as a map")),
        };
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in entries.iter().filter(|(key, _)| key != NEXT_TOKEN) {
            map.serialize_entry(key, value)?;
        }
        if let Some(token) = &self.resume_token {
            map.serialize_entry(NEXT_TOKEN, token)?;
        }
        map.end()
    }
}

/// The key botocore's `build_full_result()` gives the resume token.
const NEXT_TOKEN: &str = "NextToken";

/// Builds a [`FullResult`] page by page, for callers that also handle each
/// page as it arrives (to show progress, say).
///
/// ```
/// # use paginate::{FullResultBuilder, Paginated, Listing, PaginationConfig};
/// # #[derive(Clone, Default, serde::Serialize, Paginated)]
/// # #[paginated(response = Resp)]
/// # struct Req { #[paginated(input_token)] next_token: Option<String> }
/// # #[derive(Debug, PartialEq, Paginated)]
/// # struct Resp { #[paginated(result_key)] items: Vec<u32>, #[paginated(output_token = next_token)] next_token: Option<String> }
/// let service = |req: Req| Ok::<_, String>(match req.next_token.as_deref() {
///     None => Resp { items: vec![1, 2], next_token: Some("p2".into()) },
///     Some(_) => Resp { items: vec![3], next_token: None },
/// });
/// let mut pages = Listing::new(service, Req::default(), PaginationConfig::default()).pages();
/// let mut builder = FullResultBuilder::new();
/// for page in pages.by_ref() {
///     builder.push(page?);
/// }
/// let full = builder.finish(pages.resume_token());
/// assert_eq!(full.result.items, [1, 2, 3]);
/// # Ok::<(), paginate::Error<String>>(())
/// ```
#[derive(Debug)]
pub struct FullResultBuilder<R> {
    full: Option<R>,
}

impl<R: PaginatedResponse> Default for FullResultBuilder<R> {
    fn default() -> Self {
        FullResultBuilder { full: None }
    }
}

impl<R: PaginatedResponse> FullResultBuilder<R> {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Merges the next page.
    pub fn push(&mut self, page: R) {
        match &mut self.full {
            None => self.full = Some(page.into_full_result_base()),
            Some(full) => full.merge_page(page),
        }
    }

    /// The full result, with the listing's resume token. With no page pushed,
    /// it is empty: every field at its default, as botocore's is `{}`.
    pub fn finish(self, resume_token: Option<String>) -> FullResult<R> {
        FullResult {
            result: self.full.unwrap_or_else(R::empty_full_result),
            resume_token,
        }
    }
}
