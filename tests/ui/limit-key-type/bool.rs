// botocore sends PageSize as an integer or a string; a bool cannot hold it.
use paginate::Paginated;

#[derive(Clone, Default, serde::Serialize, Paginated)]
#[paginated(response = ListResponse)]
struct ListRequest {
    #[paginated(input_token)]
    next_token: Option<String>,
    #[paginated(limit_key)]
    max_items: Option<bool>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
