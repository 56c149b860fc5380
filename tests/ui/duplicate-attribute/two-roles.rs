use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token, non_aggregate)]
    next_token: Option<String>,
}

fn main() {}
