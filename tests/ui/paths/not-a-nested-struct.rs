// A path steps into a struct that does not derive `Paginated` with `#[paginated(nested)]`.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Default, Paginated)]
#[paginated(result_key(path = "page.items"), output_token(path = "page.next_marker", feeds = marker))]
struct ListResponse {
    page: Option<Page>,
}

#[derive(Default)]
struct Page {
    items: Option<Vec<String>>,
    next_marker: Option<String>,
}

fn main() {}
