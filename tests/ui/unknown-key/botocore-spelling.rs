// botocore's JSON says `non_aggregate_keys` and `limit_key`; the attribute is `non_aggregate`.
use paginate::Paginated;

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    items: Vec<String>,
    #[paginated(output_token)]
    next_token: Option<String>,
    #[paginated(non_aggregate_keys)]
    prefix: Option<String>,
}

fn main() {}
