use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(more_results)]
    is_truncated: Option<bool>,
}

fn main() {}
