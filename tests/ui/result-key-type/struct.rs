use paginate::Paginated;

struct Summary {
    total: u64,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(result_key)]
    summary: Option<Summary>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
