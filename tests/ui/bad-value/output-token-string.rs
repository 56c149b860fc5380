use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token = "NextToken")]
    next_token: Option<String>,
}

fn main() {}
