use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    key_marker: Option<String>,
    #[paginated(input_token)]
    version_id_marker: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    versions: Vec<String>,
    #[paginated(output_token = key_marker)]
    next_key_marker: Option<String>,
}

fn main() {}
