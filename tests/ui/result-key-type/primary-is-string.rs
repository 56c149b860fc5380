use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(result_key, primary)]
    log: String,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
