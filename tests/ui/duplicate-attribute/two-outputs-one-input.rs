use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = marker)]
    next_marker: Option<String>,
    #[paginated(output_token = marker)]
    next_key_marker: Option<String>,
}

fn main() {}
