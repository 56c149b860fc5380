use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    #[paginated(result_key, primary)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
