use std::num::NonZeroU32;

use paginate::Paginated;

#[derive(Clone, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key, max = 1000)]
    max_results: Option<NonZeroU32>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
