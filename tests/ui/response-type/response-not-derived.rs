use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

struct ListResponse {
    items: Vec<String>,
    next_token: Option<String>,
}

fn main() {}
