use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
    #[paginated(more_results)]
    is_truncated: Option<bool>,
    #[paginated(more_results)]
    has_more: Option<bool>,
}

fn main() {}
