// A mistake in the response's attributes is reported once, where it is: not
// again at the request's `response = ListResponse`, nor where the paginator
// is used (the derive emits a stub impl next to its error).
use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_kye)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {
    let client = |_: ListRequest| Ok::<_, String>(ListResponse { items: vec![], next_token: None });
    let pages = Listing::new(client, ListRequest::default(), PaginationConfig::default()).pages();
    for page in pages {
        let _ = page;
    }
}
