// A mistake in the request's attributes is reported once, where it is: not
// again where the paginator is used.
use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token, limit_key)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {
    let client = |_: ListRequest| Ok::<_, String>(ListResponse { items: vec![], next_token: None });
    let items = Listing::new(client, ListRequest::default(), PaginationConfig::default()).items();
    for item in items {
        let _: String = item.unwrap();
    }
}
