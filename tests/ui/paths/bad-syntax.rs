use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Default, Paginated)]
#[paginated(result_key(path = "items"), output_token(path = "contents[last].key", feeds = marker))]
struct ListResponse {
    items: Option<Vec<String>>,
}

fn main() {}
