use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
    #[paginated(more_results)]
    is_truncated: String,
}

fn main() {}
