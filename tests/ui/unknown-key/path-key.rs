use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(paginate::result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
