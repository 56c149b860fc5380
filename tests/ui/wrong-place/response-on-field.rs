use paginate::Paginated;

#[derive(Clone, Paginated)]
struct ListRequest {
    #[paginated(response = ListResponse)]
    #[paginated(input_token)]
    next_token: Option<String>,
}

fn main() {}
