use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(min = 1, max = 100)]
    max_results: Option<i32>,
}

fn main() {}
