use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key, max = "1000")]
    max_results: Option<i32>,
}

fn main() {}
