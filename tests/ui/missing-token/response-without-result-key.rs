use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
