// The request forgot `#[paginated(response = ...)]`, so it is taken for a response.
use paginate::Paginated;

#[derive(Clone, Paginated)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

fn main() {}
