// A generic request cannot be checked by a free `const` item; its pairing is
// checked when a listing of it is built, and the build fails there.
use paginate::{Listing, Paginated, PaginationConfig};

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest<F: Clone> {
    filter: F,
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = next_page)]
    next_token: Option<String>,
}

fn main() {
    let client = |_: ListRequest<u8>| Ok::<_, String>(ListResponse { items: vec![], next_token: None });
    let _ = Listing::new(client, ListRequest::default(), PaginationConfig::default())
        .items()
        .count();
}
