use paginate::Paginated;

#[derive(Paginated)]
#[paginated(result_key)]
struct ListResponse {
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
