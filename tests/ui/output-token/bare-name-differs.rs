// A bare `output_token` feeds the request field of the same name; here there is none.
use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_page_token: Option<String>,
}

fn main() {}
