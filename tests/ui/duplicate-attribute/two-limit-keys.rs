use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key)]
    max_results: Option<i32>,
    #[paginated(limit_key)]
    page_size: Option<i32>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
