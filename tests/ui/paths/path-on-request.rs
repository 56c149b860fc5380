use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse, result_key(path = "marker"))]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Default, Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    marker: Option<String>,
}

fn main() {}
