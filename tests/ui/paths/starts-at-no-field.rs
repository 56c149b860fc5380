use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Default, Paginated)]
#[paginated(result_key(path = "items"), output_token(path = "pgae.next_marker", feeds = marker))]
struct ListResponse {
    items: Option<Vec<String>>,
    page: Option<Page>,
}

#[derive(Default, Paginated)]
#[paginated(nested)]
struct Page {
    next_marker: Option<String>,
}

fn main() {}
