use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    marker: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = next_marker)]
    next_marker: Option<String>,
}

fn main() {}
