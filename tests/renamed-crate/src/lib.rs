//! A user crate that depends on `paginate` under another name. Generated code
//! that named `::paginate` would not compile here.

use pg::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(crate = "pg", response = ListResponse)]
pub struct ListRequest {
    #[paginated(input_token)]
    pub next_token: Option<String>,
    #[paginated(limit_key, min = 1, max = 10)]
    pub max_results: Option<i32>,
}

#[derive(Debug, Paginated)]
#[paginated(crate = "::pg")]
pub struct ListResponse {
    #[paginated(result_key)]
    pub items: Vec<u32>,
    #[paginated(output_token)]
    pub next_token: Option<String>,
}

/// A re-export path works too.
pub mod reexport {
    pub use pg as runtime;
}

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(crate = "crate::reexport::runtime", response = OtherResponse)]
pub struct OtherRequest {
    #[paginated(input_token)]
    pub cursor: Option<u32>,
}

#[derive(Paginated)]
#[paginated(crate = "crate::reexport::runtime")]
pub struct OtherResponse {
    #[paginated(result_key)]
    pub items: Vec<u32>,
    #[paginated(output_token = cursor)]
    pub next: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use pg::{Listing, PaginatedRequest, PaginationConfig};

    #[test]
    fn a_renamed_dependency_lists() {
        let service = |req: ListRequest| -> Result<ListResponse, String> {
            let start: u32 = req
                .next_token
                .as_deref()
                .map_or(Ok(0), str::parse::<u32>)
                .map_err(|e| e.to_string())?;
            let end = (start + req.max_results.unwrap_or(10) as u32).min(7);
            Ok(ListResponse {
                items: (start..end).collect(),
                next_token: (end < 7).then(|| end.to_string()),
            })
        };
        let items: Vec<u32> = Listing::new(
            service,
            ListRequest::default(),
            PaginationConfig::default().with_page_size(3),
        )
        .items()
        .collect::<Result<_, _>>()
        .expect("lists");
        assert_eq!(items, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(ListRequest::describe().input_tokens, ["NextToken"]);
    }

    #[test]
    fn a_reexported_path_lists() {
        let service = |req: OtherRequest| {
            Ok::<_, String>(match req.cursor {
                None => OtherResponse {
                    items: vec![1],
                    next: Some(5),
                },
                Some(n) => OtherResponse {
                    items: vec![n],
                    next: None,
                },
            })
        };
        let items: Vec<u32> = Listing::new(service, OtherRequest::default(), PaginationConfig::default())
            .items()
            .collect::<Result<_, _>>()
            .expect("lists");
        assert_eq!(items, [1, 5]);
    }
}
