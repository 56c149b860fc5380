// When a response's derive fails, its items keep the type of its result key:
// code that uses them adds no error of its own.
use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_tokn)]
    next_token: Option<String>,
}

// The result key's own attribute is the mistake: the list it marks is still
// the item type.
#[derive(Clone, Default, Paginated)]
#[paginated(response = CountResponse)]
struct CountRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct CountResponse {
    #[paginated(result_kye)]
    counts: Option<Vec<u64>>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {
    let client = |_: ListRequest| Ok::<_, String>(ListResponse { items: vec![], next_token: None });
    for item in Listing::new(client, ListRequest::default(), PaginationConfig::default()).items() {
        let name: String = item.unwrap();
        let _ = name.len();
    }
    let client = |_: CountRequest| Ok::<_, String>(CountResponse { counts: None, next_token: None });
    let total: u64 = Listing::new(client, CountRequest::default(), PaginationConfig::default())
        .items()
        .map(Result::unwrap)
        .sum();
    let _ = total;
}
