//! `build_full_result()`: every page merged into one.

use serde::Serialize;

use crate::model::PaginatedResponse;

/// Every page of a listing merged, as botocore's `build_full_result()` does:
/// result keys aggregated (lists concatenated, numbers summed, strings
/// concatenated), non-aggregate keys taken from the first page, every other
/// field left at its default, and the resume token when `MaxItems` stopped the listing.
///
/// It serializes to botocore's document: the response's fields plus `NextToken`.
///
/// ```
/// # use paginate::{Paginated, Pagination, PaginationConfig};
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
/// let full = Pagination::new(service, Req::default(), PaginationConfig::default().with_max_items(2)).full_result()?;
/// assert_eq!(
///     serde_json::to_string(&full).unwrap(),
///     r#"{"Items":[1,2],"Count":2,"NextToken":"eyJuZXh0X3Rva2VuIjogInAyIn0="}"#
/// );
/// # Ok::<(), paginate::Error<String>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullResult<R> {
    /// The merged response.
    #[serde(flatten)]
    pub result: R,
    /// Where to resume when the listing stopped early (`MaxItems`).
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
}

impl<R: PaginatedResponse> FullResult<R> {
    pub(crate) fn add_page(full: &mut Option<R>, page: R) {
        match full {
            None => *full = Some(page.into_full_result_base()),
            Some(full) => full.merge_page(page),
        }
    }

    pub(crate) fn finish<E>(full: Option<R>, resume_token: Option<String>) -> Result<Self, crate::Error<E>> {
        match full {
            Some(result) => Ok(FullResult { result, resume_token }),
            None => Err(crate::Error::NoPage),
        }
    }
}
