use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key, min = 100, max = 10)]
    max_results: Option<i32>,
}

fn main() {}
