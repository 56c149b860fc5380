use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    next_token: Option<String>,
    #[paginated(limit_key)]
    max_results: Option<i32>,
}

fn main() {}
