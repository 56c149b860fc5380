use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key, primary)]
    versions: Vec<String>,
    #[paginated(result_key, primary)]
    delete_markers: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
